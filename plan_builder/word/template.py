"""Open the plan's Word template, whoever made it, and make it ready for a plan.

Any .docx or .dotx will do: a council's corporate template, Word's or LibreOffice's
blank document, or plan-builder's own. Opening it finds the style that plays each part
(mapped under `styles:` in plan.yaml, or by name in any case), adds the styles it lacks
(`completion`), keeps its header and footer to be filled in later (`headers`), reads the
table header colours from its table style, and clears its body.
"""

from __future__ import annotations

import difflib
import io
import zipfile
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Cm

from plan_builder import palette
from plan_builder.errors import TemplateError
from plan_builder.inputs.files import read_input, special_file_problem
from plan_builder.word import layout
from plan_builder.word.completion import Completion, complete_styles
from plan_builder.word.headers import what_it_holds
from plan_builder.word.placeholders import fields_in
from plan_builder.word.styles import StyleIndex, reindex_styles, style_element

if TYPE_CHECKING:
    from docx.document import Document

TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
KINDS = {"header": RT.HEADER, "footer": RT.FOOTER}


@dataclass(frozen=True)
class StyleChoice:
    """A council style named under `styles:` in plan.yaml to play one of plan-builder's styles."""

    style: str
    """The council's style name, as plan.yaml gives it."""
    where: str
    """'plan.yaml:41: styles.heading_1', for messages."""


@dataclass
class PlanTemplate:
    """An opened template, ready for a plan: what it had, what was added, and its header and footer."""

    document: Document
    display: Path
    completion: Completion = field(default_factory=Completion)
    mapped: dict[str, str] = field(default_factory=dict)
    """plan-builder's style name -> the council style that plays it (from `styles:`)."""
    running: dict[tuple[str, str], Any] = field(default_factory=dict)
    """('header' or 'footer', 'default', 'first' or 'even') -> the template's own part, kept to copy from."""
    table_header: tuple[str | None, str | None] = (None, None)
    """The table style's header row colours (fill, text); None where it sets none."""
    unreadable: dict[str, list[str]] = field(default_factory=dict)
    """Style id -> what the accessibility audit reports in any text in it (too small, too faint)."""

    def warnings(self) -> list[str]:
        """What a build says of the template: the styles it added or completed, and pages left unnumbered."""
        return self._completion_warnings() + self.page_number_warnings()

    def page_number_warnings(self) -> list[str]:
        """A warning when the template's kept footer (and header) would leave the plan's pages unnumbered."""
        header, footer = self.running.get(("header", "default")), self.running.get(("footer", "default"))
        if what_it_holds(footer) not in ("text", "fields") or any(map(_numbers_pages, (header, footer))):
            return []  # plan-builder's own footer line, which numbers the pages, is added; or the template numbers them
        return [
            f"{self.display}: the template's footer is kept as it is and neither it nor the header has a page number, "
            "so the plan's pages are not numbered: type Page {{ page }} of {{ pages }} into the footer where the "
            "number should go"
        ]

    def readability_warnings(self, used: Collection[str] | None = None) -> list[str]:
        """A warning per problem of a text style the audit reports: of the styles `used` (ids), or of every one."""
        text = "the text" if used is not None else "any text"
        return [
            f"{self.display}: {problem}, and plan-builder check's accessibility audit reports {text} in it: change "
            "the style in the template, or map another style to its part under styles: in plan.yaml"
            for style_id, problems in self.unreadable.items()
            if used is None or style_id in used
            for problem in problems
        ]

    def _completion_warnings(self) -> list[str]:
        done = self.completion
        if not done.added and not done.notes:
            return []
        parts = []
        if done.added:
            parts.append(
                "added the styles plan-builder needs that the template lacks, based on its own Normal and "
                f"Heading 1 so they take its fonts and colours: {', '.join(done.added)}"
            )
        parts += done.notes
        return [
            f"{self.display}: {'; '.join(parts)}. To style them yourself, add them to the template or map "
            "your own styles under styles: in plan.yaml (plan-builder template check lists them)"
        ]


def _numbers_pages(part: Any) -> bool:
    """True if a header or footer part shows the page number (a `{{ page }}` field or Word's PAGE field)."""
    if part is None:
        return False
    element = part.element
    instructions = [i.text or "" for i in element.iter(qn("w:instrText"))]
    instructions += [f.get(qn("w:instr")) or "" for f in element.iter(qn("w:fldSimple"))]
    return "page" in fields_in(element) or any(i.split()[:1] == ["PAGE"] for i in instructions)


def read_template_bytes(path: Path, display: Path) -> bytes:
    """The content of a Word template, or `TemplateError` naming it.

    Only a regular file is read (a named pipe or a device would make the build wait forever).
    """
    special = special_file_problem(path)
    if special:
        raise TemplateError(f"{display}: Word template {special}")
    if not path.is_file():
        raise TemplateError(f"{display}: Word template not found")
    try:
        return read_input(path)
    except OSError as exc:
        raise TemplateError(f"{display}: cannot read the Word template ({exc.strerror or exc})") from exc


def load_word_file(path: Path, display: Path) -> Document:
    """Open a .docx or .dotx with python-docx, or raise `TemplateError` naming the file."""
    content = read_template_bytes(path, display)
    try:
        try:
            return docx.Document(io.BytesIO(content))
        except ValueError as exc:
            if TEMPLATE_TYPE not in str(exc):
                raise
            return docx.Document(io.BytesIO(_as_document(content)))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"{display}: not a readable Word .docx file ({exc})") from exc


def _as_document(content: bytes) -> bytes:
    """A Word template (.dotx) re-labelled as a document: the same package with its main part's type changed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(TEMPLATE_TYPE.encode(), DOCUMENT_TYPE.encode())
            target.writestr(item, data)
    return out.getvalue()


def open_plan_template(path: Path, display: Path, styles: Mapping[str, StyleChoice] | None = None) -> PlanTemplate:
    """Open the template at `path`, map and complete its styles, keep its header and footer, clear its body."""
    document = load_word_file(path, display)
    choices = dict(styles or {})
    mapped = {name: choice.style for name, choice in choices.items()}
    index = StyleIndex.of(document.styles.element, mapped)
    check_styles(index, choices, display)
    completion = complete_styles(document, index, text_width(document))
    reindex_styles(document, mapped)
    template = PlanTemplate(document=document, display=display, completion=completion, mapped=mapped)
    template.running = _keep_running_parts(document)
    _room_for_running_text(document, template.running)
    template.table_header = table_header_colours(document, index)
    template.unreadable = _unreadable_styles(document, index)
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return template


def _unreadable_styles(document: Document, index: StyleIndex) -> dict[str, list[str]]:
    """The audit's text size and contrast rules applied to the styles plan-builder writes text in."""
    from plan_builder.checks.wordml import text_style_problems

    text = [index.id_for(name) for name, kind in layout.PLAN_STYLES.items() if kind in ("paragraph", "character")]
    body = {index.id_for(name) for name, kind in layout.PLAN_STYLES.items() if kind == "paragraph"}
    body -= {index.id_for(name) for name in ("Header", "Footer")}  # the audit sizes body text only
    return text_style_problems(document.styles.element, text, body)


def check_styles(index: StyleIndex, choices: Mapping[str, StyleChoice], display: Path) -> None:
    """Every mapped style exists with the right type, and no style plan-builder uses has the wrong type."""
    problems = []
    for name, kind in layout.PLAN_STYLES.items():
        choice = choices.get(name)
        found = index.find(index.target(name))
        if choice is not None and found is None:
            missing = f"{choice.where}: the template {display} has no style called '{choice.style}'"
            problems.append(missing + _hint(index, choice.style, kind))
        elif found is not None and index.types[found] != kind:
            which = f"{choice.where}: '{choice.style}'" if choice else f"{display}: its style '{index.names[found]}'"
            fix = f"map a {kind} style instead" if choice else "rename it, or map another under styles: in plan.yaml"
            needs = f"plan-builder needs a {kind} style for {name}"
            problems.append(f"{which} is a {index.types[found]} style; {needs}; {fix}")
    if problems:
        raise TemplateError(*problems)


def _hint(index: StyleIndex, wanted: str, kind: str) -> str:
    names = sorted(n for i, n in index.names.items() if index.types[i] == kind)
    close = difflib.get_close_matches(wanted, names, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; its {kind} styles are: {', '.join(names[:40])}" + (", ..." if len(names) > 40 else "")


def text_width(document: Document) -> int:
    """The width (EMU) between the margins of the template's page."""
    section = document.sections[-1]
    width = int(section.page_width or layout.A4_WIDTH)
    margins = int(section.left_margin or 0) + int(section.right_margin or 0)
    return width - margins if width > margins else int(layout.TEXT_WIDTH)


def _keep_running_parts(document: Document) -> dict[tuple[str, str], Any]:
    """Take the template's headers and footers out of its sections, keeping the parts to copy from.

    Each section of the plan gets its own copies (a landscape page needs its own tab stops);
    the first section of the template that has a header or footer of a kind is the one kept.
    """
    kept: dict[tuple[str, str], Any] = {}
    part = document.part
    for sect_pr in list(document.element.body.iter(qn("w:sectPr"))):
        for kind in KINDS:
            for reference in sect_pr.findall(qn(f"w:{kind}Reference")):
                which = reference.get(qn("w:type")) or "default"
                rel_id = reference.get(qn("r:id"))
                if rel_id in part.rels:
                    kept.setdefault((kind, which), part.rels[rel_id].target_part)
                sect_pr.remove(reference)
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype in KINDS.values():
            part.drop_rel(rel_id)
    return kept


def _room_for_running_text(document: Document, kept: Mapping[tuple[str, str], Any]) -> None:
    """Where plan-builder adds a header or footer of its own, keep it off the page's edge.

    A template with no header may put it at the very edge (LibreOffice's blank document does).
    """
    section = document.sections[-1]
    if what_it_holds(kept.get(("header", "default"))) == "empty" and int(section.header_distance or 0) < MIN_EDGE:
        section.header_distance = layout.RUNNING_DISTANCE
    if what_it_holds(kept.get(("footer", "default"))) == "empty" and int(section.footer_distance or 0) < MIN_EDGE:
        section.footer_distance = layout.RUNNING_DISTANCE


MIN_EDGE = int(Cm(0.5))


def table_header_colours(document: Document, index: StyleIndex) -> tuple[str | None, str | None]:
    """The header row colours (fill, text) the table style gives, following the styles it is based on."""
    style_id = index.find(index.target(layout.TABLE_STYLE))
    fill = text = None
    while style_id:
        style = style_element(document, style_id)
        if style is None:
            break
        for conditional in style.findall(qn("w:tblStylePr")):
            if conditional.get(qn("w:type")) != "firstRow":
                continue
            shd = conditional.find(f"{qn('w:tcPr')}/{qn('w:shd')}")
            colour = conditional.find(f"{qn('w:rPr')}/{qn('w:color')}")
            fill = fill or _hex(shd.get(qn("w:fill")) if shd is not None else None)
            text = text or _hex(colour.get(qn("w:val")) if colour is not None else None)
        based = style.find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    if fill and not text:
        text = palette.readable_text_on(fill)
    return fill, text


def _hex(value: str | None) -> str | None:
    if value is None or len(value) != 6 or any(c not in "0123456789abcdefABCDEF" for c in value):
        return None
    return value.upper()
