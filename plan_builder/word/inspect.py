"""What a Word template gives a plan, in words: for `plan-builder template check`, before any build.

For each style plan-builder writes with: whether the template has it, plan.yaml maps one of
the template's styles to it, or plan-builder will add it; what happens to the template's
header and footer; the colours of table header rows; whether links stand out; and whether
the cover and sign-off templates find every style they use.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn
from docx.shared import Emu

from plan_builder import palette
from plan_builder.word import layout
from plan_builder.word.completion import run_property
from plan_builder.word.headers import what_it_holds
from plan_builder.word.placeholders import PAGE_FIELDS, fields_in
from plan_builder.word.styles import StyleIndex, style_index
from plan_builder.word.template import PlanTemplate, load_word_file

RUNNING = {
    "fields": "its fields are filled in ({fields}); everything else in it is kept",
    "pictures": "its pictures are kept and plan-builder's line is added below them",
    "text": "kept exactly as it is: it has text of its own and no {{{{ fields }}}}, so plan-builder adds nothing",
    "empty": "none in the template: plan-builder adds its own",
}
PLAN_LINES = {
    "header": "the service and the plan's title",
    "footer": "the status, version, date and 'Page X of Y'",
}


@dataclass
class TemplateDescription:
    """The report of `plan-builder template check`: lines to print, and problems that would stop a build."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def describe_template(
    template: PlanTemplate,
    field_names: Iterable[str],
    table_header: tuple[str | None, str | None] | None = None,
    others: Iterable[tuple[Path, Path]] = (),
) -> TemplateDescription:
    """Describe an opened template.

    `field_names` are the fields its header and footer may hold, `table_header` plan.yaml's
    colours for header rows, `others` the cover and sign-off templates (path, as named).
    """
    report = TemplateDescription()
    document = template.document
    report.lines.append(f"{template.display}: {_page(document)}")
    report.lines += _styles(template)
    report.lines += _running(template)
    known = {*field_names, *PAGE_FIELDS}
    for (kind, _), part in template.running.items():
        unknown = [name for name in fields_in(part.element) if name not in known]
        if unknown:
            report.problems.append(
                f"{template.display}: the {kind} has unknown field(s) {', '.join(unknown)}; "
                f"available: {', '.join(sorted(known))}"
            )
    report.lines.append(_table_header(template, table_header))
    report.lines.append(_links(template))
    for path, display in others:
        report.problems += _other_template(template, path, display)
    return report


def _page(document: Any) -> str:
    section = document.sections[-1]
    width, height = Emu(int(section.page_width or 0)), Emu(int(section.page_height or 0))
    is_a4 = abs(width.cm - 21.0) < 0.2 and abs(height.cm - 29.7) < 0.2
    paper = "A4" if is_a4 else f"{width.cm:.1f} x {height.cm:.1f} cm"
    text = Emu(width - int(section.left_margin or 0) - int(section.right_margin or 0))
    return f"{paper} page, text {text.cm:.1f} cm wide"


def _styles(template: PlanTemplate) -> list[str]:
    index = style_index(template.document.part)
    added = set(template.completion.added)
    lines = ["Styles plan-builder writes with:"]
    for name in layout.PLAN_STYLES:
        if name in added:
            source = "added from plan-builder's template (takes the template's fonts and colours)"
        elif name in template.mapped:
            source = f"mapped in plan.yaml to '{template.mapped[name]}'"
        else:
            found = index.name_of(index.id_for(name))
            source = "the template's own" + (f" ('{found}')" if found.casefold() != name.casefold() else "")
        lines.append(f"  {name + ':':15} {source}")
    lines += [f"  also {note}" for note in template.completion.notes]
    own = len(layout.PLAN_STYLES) - len(added) - len(template.mapped)
    lines.append(f"  ({own} the template's own, {len(template.mapped)} mapped, {len(added)} added)")
    return lines


def _running(template: PlanTemplate) -> list[str]:
    lines = []
    for kind in ("header", "footer"):
        for which, label in (("default", kind.title()), ("first", f"Cover page {kind}"), ("even", f"Even-page {kind}")):
            part = template.running.get((kind, which))
            holds = what_it_holds(part)
            if which != "default" and part is None:
                continue
            if which == "first" and holds == "empty":
                lines.append(f"{label}: empty")
                continue
            fields = ", ".join(f"{{{{ {name} }}}}" for name in fields_in(part.element)) if part is not None else ""
            text = RUNNING[holds].format(fields=fields)
            if holds in ("pictures", "empty"):
                text += f" ({PLAN_LINES[kind]})"
            lines.append(f"{label}: {text}")
    return lines


def _table_header(template: PlanTemplate, chosen: tuple[str | None, str | None] | None) -> str:
    fill, text = chosen or template.table_header
    table_style = _name(template, layout.TABLE_STYLE)
    where = "plan.yaml (colours: table_header)" if chosen else f"the table style '{table_style}'"
    if not fill:
        return f"Table header rows: bold, no fill of their own (from {where})"
    shown = text or palette.TEXT
    ratio = palette.contrast_ratio(shown, fill)
    verdict = "" if ratio >= 4.5 else "; too faint: 4.5:1 is needed, set colours: table_header in plan.yaml"
    contrast = f"{int(ratio * 100) / 100:.2f}:1"
    return f"Table header rows: text {shown} on fill {fill}, contrast {contrast} (from {where}){verdict}"


def _links(template: PlanTemplate) -> str:
    document = template.document
    link_id = style_index(document.part).id_for("Hyperlink")
    underline = run_property(document, link_id, qn("w:u"))
    colour = run_property(document, link_id, qn("w:color"))
    shown = colour.get(qn("w:val")) if colour is not None else "none"
    underlined = underline is not None and underline.get(qn("w:val")) != "none"
    marked = "underlined" if underlined else "NOT underlined"
    return f"Links ('{_name(template, 'Hyperlink')}'): {marked}, colour {shown}"


def _name(template: PlanTemplate, name: str) -> str:
    index = style_index(template.document.part)
    return index.name_of(index.id_for(name))


def _other_template(template: PlanTemplate, path: Path, display: Path) -> list[str]:
    """Styles the cover or sign-off template uses that the plan's template does not have (a build would stop)."""
    document = load_word_file(path, display)
    names = StyleIndex.of(document.styles.element).names
    used = {
        names.get(node.get(qn("w:val")), "")
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
        for node in document.element.body.iter(qn(tag))
    }
    index = style_index(template.document.part)
    missing = sorted(name for name in used if name and index.find(index.target(name)) is None)
    return [
        f"{display}: uses style '{name}', which {template.display} does not have; add it there, or map one of its "
        "styles to it under styles: in plan.yaml"
        for name in missing
    ]
