"""Pictures placed by section text: checked (inside the plan folder, alt text, a real image), then sized to fit."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu

from plan_builder.errors import SectionError
from plan_builder.inputs.files import special_file_problem
from plan_builder.word.paragraphs import add_caption, clean_text
from plan_builder.word.xml import (
    add_paragraph,
    set_alt_text,
)

if TYPE_CHECKING:
    from typing import IO

    from docx.shape import InlineShape
    from docx.text.paragraph import Paragraph

    from plan_builder.word.context import RenderContext


def add_picture(
    ctx: RenderContext, paragraph: Paragraph, image: str | IO[bytes], width: int | None = None
) -> InlineShape:
    """`paragraph.add_run().add_picture(image, width)`, numbering drawings from a counter.

    python-docx finds a new drawing id by scanning every id in the document, which makes a
    build quadratic in its number of pictures; the context counts them instead (starting,
    once, above the highest id already in the document).
    """
    from docx.oxml.shape import CT_Inline
    from docx.shape import InlineShape

    part = ctx.document.part
    rel_id, picture = part.get_or_add_image(image)
    cx, cy = picture.scaled_dimensions(width, None)
    if ctx.drawing_id is None:
        ctx.drawing_id = part.next_id - 1
    ctx.drawing_id += 1
    inline = CT_Inline.new_pic_inline(ctx.drawing_id, rel_id, picture.filename, cx, cy)
    paragraph.add_run()._r.add_drawing(inline)
    return InlineShape(inline)

    pass


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp")


def image_problem(path: Path) -> str | None:
    """Why the picture at `path` cannot be shown (cut short, damaged, not a picture), or None if it reads whole.

    The whole picture is decoded, not only its header: python-docx reads just the header, so a
    picture cut short would otherwise reach the document and show as a broken image in Word.
    """
    from PIL import Image, UnidentifiedImageError  # only for documents with pictures

    try:
        with Image.open(path) as image:
            image.load()
    except UnidentifiedImageError:
        return "it is not a picture in a format Word shows (PNG, JPEG, GIF or BMP), or it is damaged"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        text = str(exc)
        if "truncated" in text.lower() or "end of file" in text.lower():
            return "the file is cut short (truncated)"
        return f"the file is damaged ({text or type(exc).__name__})"
    return None


def add_image(ctx: RenderContext, element: ET.Element) -> None:
    """Insert the picture an `<img>` element names, with its alt text and optional caption."""
    src = element.get("src", "")
    alt = clean_text(element.get("alt")).strip()
    where = ctx.where(src)
    pure = PurePosixPath(src)
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", src) or src.startswith("//"):
        raise SectionError(f"{where}: image {src!r}: images must be files inside the plan directory, not URLs")
    if pure.is_absolute() or ".." in pure.parts or src.startswith("\\"):
        raise SectionError(
            f"{where}: image {src!r}: image paths must be relative to the plan directory and stay inside it"
        )
    if not alt:
        raise SectionError(f"{where}: image {src!r} has no alt text; write ![what the image shows]({src})")
    path = (ctx.plan_root / pure).resolve()
    if not path.is_relative_to(ctx.plan_root.resolve()):
        raise SectionError(f"{where}: image {src!r}: the path leaves the plan directory")
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        raise SectionError(f"{where}: image {src!r}: expected a PNG, JPEG, GIF or BMP file")
    special = special_file_problem(path)
    if special:
        raise SectionError(f"{where}: image {src!r} {special}")
    try:
        found = path.is_file()
    except OSError as exc:  # e.g. a name longer than the file system allows
        raise SectionError(f"{where}: image {src!r} cannot be opened ({exc.strerror})") from exc
    if not found:
        raise SectionError(f"{where}: image {src!r} not found")
    problem = image_problem(path)
    if problem:
        raise SectionError(
            f"{where}: image {src!r} cannot be read: {problem}; open it in an image editor and save it again "
            "as PNG or JPEG"
        )
    paragraph = add_paragraph(ctx.document)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    try:
        shape = add_picture(ctx, paragraph, str(path))
    except Exception as exc:  # python-docx raises several unrelated types for unreadable images
        raise SectionError(
            f"{where}: image {src!r} cannot be read by Word's picture reader ({type(exc).__name__}); "
            "save it again as PNG or JPEG"
        ) from exc
    if shape.width > ctx.text_width:
        ratio = ctx.text_width / shape.width
        shape.width = Emu(int(shape.width * ratio))
        shape.height = Emu(int(shape.height * ratio))
    set_alt_text(shape, alt)
    title = element.get("title")
    if title:
        add_caption(ctx, "Figure", clean_text(title))
