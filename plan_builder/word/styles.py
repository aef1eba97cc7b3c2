"""Style lookup: which style of the document plays each part plan-builder writes.

Renderers ask for styles by plan-builder's own names ('Heading 1', 'Plan Table'). A
council's template may store Word's built-in names in lower case ('toc 1', 'heading 1'),
give styles localised ids ('Titre1', 'Lgende'), or call its headings something else
('CBMC Heading 1', mapped under `styles:` in plan.yaml). One index per document answers
all of these by name, ignoring case as Word does, and is worked out once: python-docx
resolves a name by scanning every style on each assignment, which dominated build time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn

W_PSTYLE, W_RSTYLE = qn("w:pStyle"), qn("w:rStyle")
W_STYLE, W_NAME, W_STYLE_ID, W_TYPE, W_VAL, W_DEFAULT = (
    qn(f"w:{tag}") for tag in ("style", "name", "styleId", "type", "val", "default")
)


@dataclass
class StyleIndex:
    """The styles of one document by name (any case), with plan-builder's names mapped to the council's."""

    by_name: dict[str, str] = field(default_factory=dict)
    """Case-folded style name -> style id."""
    names: dict[str, str] = field(default_factory=dict)
    """Style id -> the name as the document writes it."""
    types: dict[str, str] = field(default_factory=dict)
    """Style id -> 'paragraph', 'character', 'table' or 'numbering'."""
    defaults: dict[str, str] = field(default_factory=dict)
    """Style type -> the id of the document's default style of that type (its Normal, Normal Table...)."""
    mapping: dict[str, str] = field(default_factory=dict)
    """Case-folded plan-builder style name -> the council's style name that plays its part."""

    @classmethod
    def of(cls, styles_element: Any, mapping: Mapping[str, str] | None = None) -> StyleIndex:
        """Index `styles_element` (a w:styles element); `mapping` is plan-builder name -> council name."""
        index = cls(mapping={key.casefold(): value for key, value in (mapping or {}).items()})
        for style in styles_element.iterchildren(W_STYLE):
            style_id = style.get(W_STYLE_ID)
            if style_id is None:
                continue
            name_element = style.find(W_NAME)
            name = name_element.get(W_VAL) if name_element is not None else None
            name = name or style_id
            kind = style.get(W_TYPE) or "paragraph"
            index.by_name.setdefault(name.casefold(), style_id)
            index.names[style_id] = name
            index.types[style_id] = kind
            if style.get(W_DEFAULT) in ("1", "true", "on"):
                index.defaults.setdefault(kind, style_id)
        return index

    def find(self, name: str) -> str | None:
        """The id of the style called `name` in any case ('toc 1' is 'TOC 1'), or None."""
        return self.by_name.get(name.casefold())

    def target(self, name: str) -> str:
        """The council's name for plan-builder's style `name`: its mapping under `styles:`, else `name` itself."""
        return self.mapping.get(name.casefold(), name)

    def id_for(self, name: str) -> str:
        """The id of the style that plays plan-builder's style `name`; KeyError if the document has none."""
        found = self.find(self.target(name))
        if found is None:
            raise KeyError(name)
        return found

    def name_of(self, style_id: str | None) -> str:
        """The name of the style with id `style_id` ('' if there is none)."""
        return self.names.get(style_id or "", "")


def style_index(part: object) -> StyleIndex:
    """The style index of the document `part` belongs to, worked out once per document."""
    main: Any = part if hasattr(part, "document") else part.package.main_document_part  # type: ignore[attr-defined]
    index: StyleIndex | None = getattr(main, "_plan_builder_styles", None)
    if index is None:
        index = StyleIndex.of(main.document.styles.element)
        main._plan_builder_styles = index
    return index


def reindex_styles(document: Any, mapping: Mapping[str, str] | None = None) -> StyleIndex:
    """Index the document's styles again (after styles were added), with `mapping` from plan.yaml's `styles:`."""
    index = StyleIndex.of(document.styles.element, mapping)
    document.part._plan_builder_styles = index
    return index


def style_id(part: object, name: str) -> str:
    """The id of the style that plays plan-builder's style `name` in the document `part` belongs to."""
    return style_index(part).id_for(name)


def style_element(document: Any, style_id_value: str) -> Any:
    """The w:style element with id `style_id_value`, or None."""
    for style in document.styles.element.iterchildren(W_STYLE):
        if style.get(W_STYLE_ID) == style_id_value:
            return style
    return None


def used_style_ids(document: Any) -> set[str]:
    """Ids of the paragraph and character styles the body, headers and footers use (the default included)."""
    index = style_index(document.part)
    parts = [document.element.body]
    parts += [rel.target_part.element for rel in document.part.rels.values() if rel.reltype in (RT.HEADER, RT.FOOTER)]
    used = {index.defaults.get("paragraph", "")}
    for part in parts:
        used |= {e.get(W_VAL) for e in part.iter(W_PSTYLE, W_RSTYLE)}
    return used
