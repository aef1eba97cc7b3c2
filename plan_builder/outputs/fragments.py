"""A content-addressed cache of rendered sections, so a rebuild re-renders only what changed.

Rendering Word XML through python-docx is most of a build's time. A section's
XML depends only on its merged text, its heading and number, the counters it
starts from (figures, tables, bookmarks), the template, and the data behind any
blocks it contains; all of that goes into the key. On a hit the stored XML is
inserted again, with its pictures and links re-attached to the new document and
its numbered lists given fresh numbering instances. Entries are kept in memory
(watch mode) and on disk beside the chart cache (later builds, other processes).
An entry on disk is used only if its digest matches and every part of it can be read
back (`decode`) before anything is added to the document; otherwise it is deleted and
the section rendered again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu
from lxml import etree

from plan_builder.outputs.cache import code_digest, drop_entry, read_entry, seal, write_cache_file
from plan_builder.word.context import RenderContext, TocEntry
from plan_builder.word.links import relate_external
from plan_builder.word.numbering import numbering_element
from plan_builder.word.xml import insert_block, last_child

if TYPE_CHECKING:
    from docx.document import Document

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_ATTRIBUTES = (f"{{{R_NS}}}id", f"{{{R_NS}}}embed", f"{{{R_NS}}}link")
R_ID_IN_XML = re.compile(r"\br:id=")
W_SECT_PR, W_NUM, W_NUM_ID, W_VAL = qn("w:sectPr"), qn("w:num"), qn("w:numId"), qn("w:val")
# Elements carrying a relationship id or a list number: found by XPath, not by visiting every node.
LINKED = etree.XPath(
    "descendant-or-self::*[@r:id or @r:embed or @r:link] | descendant-or-self::w:numId",
    namespaces={"r": R_NS, "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"},
)
FORMAT = 3  # bump when the stored shape changes
COUNTERS = {
    *("figure_count", "table_count", "bookmark_count", "subheading_count", "drawing_id"),
    *("text_width", "landscape"),
}
"""The render context's state a fragment may record (see `_state`): its counters (a count not started yet is None),
and the page shape a landscape block leaves behind, so that what follows a cached block is laid out as after a
fresh one."""


@dataclass
class Fragment:
    """A rendered section: its XML and what rendering it changed in the context."""

    xml: list[str]
    rels: dict[str, list[str]]
    """Old relationship id -> [kind, reltype, target]; images carry their bytes (base64) as target."""
    numbering: dict[str, str]
    """Old numId -> the w:num XML it was created with."""
    toc: list[list[Any]]
    counters: dict[str, int | None]
    placed: list[str]
    warnings: list[str] = field(default_factory=list)
    final_section: str = ""
    """The body's last section properties after the section, where rendering it changed them (a landscape block)."""


def fragment_key(parts: list[Any]) -> str:
    """Hash everything that decides a section's XML."""
    text = json.dumps([FORMAT, code_digest(), *parts], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


class FragmentCache:
    """Rendered sections by key, in memory and (optionally) on disk."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.memory: dict[str, Fragment] = {}
        self.new: set[str] = set()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Fragment | None:
        """The stored fragment for `key`, if any (counted as a hit or a miss)."""
        fragment = self.memory.get(key)
        if fragment is None and self.folder is not None:
            fragment = self._read(key)
        if fragment is None:
            self.misses += 1
        else:
            self.hits += 1
        return fragment

    def _read(self, key: str) -> Fragment | None:
        path = self.folder / key[:2] / f"{key}.json" if self.folder is not None else None
        data = read_entry(path) if path is not None else None
        if data is None:
            return None
        try:
            fragment = Fragment(**json.loads(data))
        except (ValueError, TypeError):  # a sealed entry of another shape: drop it
            self.drop(key)
            return None
        self.memory[key] = fragment
        return fragment

    def drop(self, key: str) -> None:
        """Forget an entry that could not be used, in memory and on disk, so it is made again."""
        self.memory.pop(key, None)
        self.new.discard(key)
        if self.folder is not None:
            drop_entry(self.folder / key[:2] / f"{key}.json")

    def put(self, key: str, fragment: Fragment) -> None:
        """Keep a fragment in memory; `flush` writes it to disk after a successful build."""
        self.memory[key] = fragment
        self.new.add(key)

    def flush(self) -> None:
        """Store new fragments on disk; problems there never fail a build."""
        if self.folder is not None:
            for key in sorted(self.new):
                data = json.dumps(asdict(self.memory[key])).encode()
                write_cache_file(self.folder / key[:2] / f"{key}.json", seal(data))
        self.new.clear()


def _state(ctx: RenderContext) -> dict[str, int | None]:
    return {
        "figure_count": ctx.figure_count,
        "table_count": ctx.table_count,
        "bookmark_count": ctx.bookmark_count,
        "drawing_id": ctx.drawing_id,
        "subheading_count": ctx.subheading_count,
        "text_width": int(ctx.text_width),
        "landscape": int(ctx.landscape),
    }


def _last_block(document: Document) -> Any:
    """The body's last block element before its final w:sectPr (None for an empty body)."""
    last = last_child(document.element.body)
    return last.getprevious() if last is not None and last.tag == W_SECT_PR else last


def _blocks_after(document: Document, marker: Any) -> list[Any]:
    """The block elements added after `marker` (from the start when None), up to the final w:sectPr.

    Walks only what was added, so capturing a section costs its own size, not the document's.
    """
    body = document.element.body
    following = marker.itersiblings() if marker is not None else iter(body)
    return [element for element in following if element.tag != W_SECT_PR or element.getnext() is not None]


def _reuse(cache: FragmentCache, key: str, ctx: RenderContext, placed: set[str]) -> bool:
    """Insert the stored fragment for `key` if there is one that reads back whole; a bad one is dropped."""
    fragment = cache.get(key)
    if fragment is None:
        return False
    try:
        decoded = decode(fragment)
    except BadFragment:
        cache.drop(key)
        return False
    apply_fragment(ctx, decoded, placed)
    return True


def render_with_cache(
    cache: FragmentCache | None,
    ctx: RenderContext,
    key_parts: list[Any],
    placed: set[str],
    render: Callable[[], None],
) -> None:
    """Render a section through the cache: reuse its XML on a hit, store it on a miss."""
    if cache is None:
        render()
        return
    start = _state(ctx)
    start.pop("subheading_count")  # reset by every section, so not part of what it starts from
    key = fragment_key([*key_parts, start, sorted(placed)])
    if _reuse(cache, key, ctx, placed):
        return
    marker = _last_block(ctx.document)
    before_section = _final_section(ctx.document)
    before_toc = len(ctx.toc)
    before_placed = set(placed)
    before_warnings = len(ctx.warnings)
    numbering = numbering_element(ctx.document)
    before_nums = {n.get(W_NUM_ID) for n in numbering.iterchildren(W_NUM)}
    render()
    added = _blocks_after(ctx.document, marker)
    new_nums = {n.get(W_NUM_ID): n for n in numbering.iterchildren(W_NUM) if n.get(W_NUM_ID) not in before_nums}
    links = _links_of(added, ctx.document.part, new_nums)
    if links is None:
        return  # an unexpected internal part: do not cache this section
    rels, numbers = links
    final_section = _final_section(ctx.document)
    if final_section != before_section and R_ID_IN_XML.search(final_section):
        return  # section properties pointing at parts (headers) are not moved between documents
    cache.put(
        key,
        Fragment(
            xml=[etree.tostring(element, encoding="unicode") for element in added],
            rels=rels,
            numbering=numbers,
            toc=[[e.level, e.text, e.bookmark] for e in ctx.toc[before_toc:]],
            counters=_state(ctx),
            placed=sorted(placed - before_placed),
            warnings=ctx.warnings[before_warnings:],
            final_section=final_section if final_section != before_section else "",
        ),
    )


def _links_of(
    added: list[Any], part: Any, new_nums: dict[str, Any]
) -> tuple[dict[str, list[str]], dict[str, str]] | None:
    """The relationships (links, pictures) and new list numberings the added elements use; None for any other part."""
    rels: dict[str, list[str]] = {}
    numbers: dict[str, str] = {}
    for element in added:
        for node in LINKED(element):
            for attribute in REL_ATTRIBUTES:
                rel_id = node.get(attribute)
                if rel_id is None or rel_id in rels:
                    continue
                rel = part.rels[rel_id]
                if rel.is_external:
                    rels[rel_id] = ["external", rel.reltype, rel.target_ref]
                elif rel.reltype == RT.IMAGE:
                    rels[rel_id] = ["image", rel.reltype, base64.b64encode(rel.target_part.blob).decode()]
                else:
                    return None
            if node.tag == W_NUM_ID and node.get(W_VAL) in new_nums:
                value = node.get(W_VAL)
                numbers[value] = etree.tostring(new_nums[value], encoding="unicode")
    return rels, numbers


def _final_section(document: Document) -> str:
    """The XML of the body's last section properties ('' if it has none)."""
    last = last_child(document.element.body)
    return etree.tostring(last, encoding="unicode") if last is not None and last.tag == W_SECT_PR else ""


class BadFragment(Exception):
    """A stored fragment that cannot be read back; the section is rendered instead."""


@dataclass
class Decoded:
    """A fragment read back and checked, ready to insert: nothing can fail part way through `apply_fragment`."""

    fragment: Fragment
    elements: list[Any]
    images: dict[str, bytes]
    numbering: dict[str, Any]
    final_section: Any = None


def decode(fragment: Fragment) -> Decoded:
    """Parse every XML element, numbering instance and picture of `fragment`; raise BadFragment if any fails."""
    try:
        elements = [parse_xml(xml) for xml in fragment.xml]
        numbering = {old: parse_xml(xml) for old, xml in fragment.numbering.items()}
        final_section = parse_xml(fragment.final_section) if fragment.final_section else None
        if final_section is not None and final_section.tag != W_SECT_PR:
            raise BadFragment("section properties")
        images: dict[str, bytes] = {}
        for old, (kind, reltype, target) in fragment.rels.items():
            if kind == "image":
                images[old] = base64.b64decode(target, validate=True)
            elif kind != "external" or not isinstance(reltype, str) or not isinstance(target, str):
                raise BadFragment(f"unknown relationship {kind!r}")
        for level, text, bookmark in fragment.toc:
            if not (isinstance(level, int) and isinstance(text, str) and isinstance(bookmark, str)):
                raise BadFragment("contents entry")
        counters = fragment.counters
        if not set(counters) <= COUNTERS or not all(v is None or isinstance(v, int) for v in counters.values()):
            raise BadFragment("counters")
        if not all(isinstance(item, str) for item in [*fragment.placed, *fragment.warnings]):
            raise BadFragment("placed blocks or warnings")
    except (etree.XMLSyntaxError, binascii.Error, ValueError, TypeError, AttributeError) as exc:
        raise BadFragment(str(exc)) from exc
    return Decoded(fragment, elements, images, numbering, final_section)


def apply_fragment(ctx: RenderContext, decoded: Decoded, placed: set[str]) -> None:
    """Insert a stored section into the document and bring the context up to date."""
    fragment = decoded.fragment
    document = ctx.document
    part = document.part
    new_rel_ids: dict[str, str] = {}
    for old, (kind, reltype, target) in fragment.rels.items():
        if kind == "external":
            new_rel_ids[old] = relate_external(part, target, reltype)
        else:
            new_rel_ids[old], _ = part.get_or_add_image(io.BytesIO(decoded.images[old]))
    numbering = numbering_element(document)
    new_num_ids: dict[str, str] = {}
    next_id = max((int(n.get(W_NUM_ID)) for n in numbering.iterchildren(W_NUM)), default=0) + 1
    for old, num in decoded.numbering.items():
        num.set(W_NUM_ID, str(next_id))
        numbering.append(num)
        new_num_ids[old] = str(next_id)
        next_id += 1
    body = document.element.body
    for element in decoded.elements:
        for node in LINKED(element) if new_rel_ids or new_num_ids else ():
            for attribute in REL_ATTRIBUTES:
                value = node.get(attribute)
                if value is not None and value in new_rel_ids:
                    node.set(attribute, new_rel_ids[value])
            if node.tag == W_NUM_ID and node.get(W_VAL) in new_num_ids:
                node.set(W_VAL, new_num_ids[node.get(W_VAL)])
        insert_block(body, element)
    if decoded.final_section is not None:
        last = last_child(body)
        if last is not None and last.tag == W_SECT_PR:
            last.addnext(decoded.final_section)
            body.remove(last)
    for level, text, bookmark in fragment.toc:
        ctx.toc.append(TocEntry(level=level, text=text, bookmark=bookmark))
    for name, value in fragment.counters.items():
        if name == "text_width":
            ctx.text_width = Emu(value or 0)
        else:
            setattr(ctx, name, bool(value) if name == "landscape" else value)
    placed.update(fragment.placed)
    ctx.warnings.extend(fragment.warnings)
