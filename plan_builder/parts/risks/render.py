"""Risk register in the document: the landscape register table and the residual-risk heat map."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH

from plan_builder import palette
from plan_builder.figures.formatting import long_date
from plan_builder.outputs.cache import image_key
from plan_builder.parts.risks.model import RiskRegister, Score, _rating
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import begin_landscape, end_landscape
from plan_builder.word.images import add_picture
from plan_builder.word.paragraphs import add_caption
from plan_builder.word.raster import Canvas, font_name, points
from plan_builder.word.tables import add_body_row, fit_columns, start_table
from plan_builder.word.xml import add_paragraph, add_text_run, set_alt_text, shade_cell

if TYPE_CHECKING:
    from docx.table import _Cell


HEAT_MAP_INCHES = (5.2, 4.2)


HEAT_MAP_DPI = 200


BAND_COLOURS = palette.RISK_BANDS
"""The default band colours (plan.yaml's `colours:` can change them for a plan)."""


def render_heat_map(register: RiskRegister, bands: dict[str, tuple[str, str]] = BAND_COLOURS) -> bytes:
    """A likelihood x impact grid coloured by band (`bands`: colour name -> fill, text), each risk's position marked."""
    canvas = Canvas(round(HEAT_MAP_INCHES[0] * HEAT_MAP_DPI), round(HEAT_MAP_INCHES[1] * HEAT_MAP_DPI), HEAT_MAP_DPI)
    scale, size = register.scale, 10
    pad, gap, line = points(6, HEAT_MAP_DPI), points(5, HEAT_MAP_DPI), canvas.line_height(size)
    left = pad + line + gap + canvas.text_width(str(scale), size) + gap
    bottom = canvas.height - pad - line - gap - line - gap
    cell = min((canvas.width - pad - left) / scale, (bottom - pad) / scale)
    left += (canvas.width - pad - left - cell * scale) / 2
    top = bottom - cell * scale
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in register.risks:
        cells.setdefault((risk.residual.likelihood, risk.residual.impact), []).append(risk.ref)
    border = points(1, HEAT_MAP_DPI)
    grid = [(likelihood, impact) for impact in range(1, scale + 1) for likelihood in range(1, scale + 1)]
    for likelihood, impact in grid:  # every fill first, so no cell covers a neighbour's labels
        fill, _ = bands[_rating(impact * likelihood, register.bands).colour]
        x0, y0 = left + (likelihood - 1) * cell, bottom - impact * cell
        canvas.rectangle((x0 + border, y0 + border, x0 + cell - border, y0 + cell - border), fill=f"#{fill}")
    for (likelihood, impact), refs in cells.items():
        _, text = bands[_rating(impact * likelihood, register.bands).colour]
        lines, label_size = _cell_labels(canvas, refs, cell - 4 * border)
        x0, y0 = left + (likelihood - 1) * cell, bottom - impact * cell
        canvas.text_lines(x0 + cell / 2, y0 + cell / 2, lines, label_size, f"#{text}", middle=True, bold=True)
    for number in range(1, scale + 1):
        centre = (number - 0.5) * cell
        canvas.text(left + centre, bottom + gap, str(number), size, anchor="ma")
        canvas.text(left - gap, bottom - centre, str(number), size, anchor="rm")
    canvas.text(
        left + cell * scale / 2, bottom + gap + line + gap, "Likelihood (higher is more likely)", size, anchor="ma"
    )
    label_x = left - gap - canvas.text_width(str(scale), size) - gap - line / 2
    canvas.vertical_text(label_x, (top + bottom) / 2, "Impact (higher is more severe)", size)
    return canvas.png()


def _cell_labels(canvas: Canvas, refs: list[str], room: float) -> tuple[list[str], float]:
    """The refs of one heat-map cell as lines that fit in a `room`-pixel square, and their size in points.

    Tries three refs a line at 8 pt, then more a line and smaller type; when even that
    cannot fit, the last line says how many more there are (the alt text and the register
    list every risk).
    """
    for size in (8, 7, 6):
        for per_line in (3, 4, 5, 6):
            lines = [", ".join(refs[i : i + per_line]) for i in range(0, len(refs), per_line)]
            fits_across = all(canvas.text_width(line, size, bold=True) <= room for line in lines)
            if fits_across and len(lines) * canvas.line_height(size) <= room:
                return lines, size
    size, per_line = 6, 3
    rows = max(1, int(room // canvas.line_height(size)))
    shown = refs[: (rows - 1) * per_line]
    lines = [", ".join(shown[i : i + per_line]) for i in range(0, len(shown), per_line)]
    return [*lines, f"and {len(refs) - len(shown)} more"], size


def heat_map_key(register: RiskRegister, bands: dict[str, tuple[str, str]] = BAND_COLOURS) -> str:
    """Cache key: the grid, the bands and where each risk sits."""
    payload = {
        "scale": register.scale,
        "bands": [(b.up_to, b.colour) for b in register.bands],
        "risks": [(r.ref, r.residual.likelihood, r.residual.impact) for r in register.risks],
        "style": [HEAT_MAP_INCHES, HEAT_MAP_DPI, bands, font_name()],
    }
    return image_key("risk-heat-map", payload)


def heat_map_alt_text(register: RiskRegister) -> str:
    """Describe the heat map: the grid and where each risk sits after controls."""
    scale = register.scale
    placed = "; ".join(
        f"{r.ref} {r.entry.title}: impact {r.residual.impact}, likelihood {r.residual.likelihood}, "
        f"score {r.residual.score} ({r.residual.rating})"
        for r in register.risks
    )
    return (
        f"Risk heat map: a {scale} by {scale} grid of likelihood (across) against impact (up), coloured by "
        f"rating. Residual positions after controls: {placed}."
    )


def _score_cell(cell: _Cell, score: Score, bands: dict[str, tuple[str, str]]) -> None:
    fill, text = bands[score.colour]
    shade_cell(cell, fill)
    label = f"{score.impact} x {score.likelihood} = {score.score}\n{score.rating}"
    add_text_run(cell.paragraphs[0], label, bold=True, colour=text)


def _lines(cell: _Cell, items: list[str]) -> None:
    add_text_run(cell.paragraphs[0], "\n".join(f"• {item}" for item in items) if items else "None")


def render_register(ctx: RenderContext, register: RiskRegister, call: BlockCall) -> None:
    """`::: risk-register`: the register as a landscape table, highest residual risk first, then the heat map."""
    begin_landscape(ctx)
    add_caption(ctx, "Table", "Risk register, highest residual risk first (scores are impact x likelihood)")
    table = start_table(
        ctx,
        [
            "Ref",
            "Risk, cause and consequence",
            "Owner",
            "Inherent score",
            "Current controls",
            "Further actions",
            "Residual score",
            "Review",
        ],
    )
    for risk in register.risks:
        cells = add_body_row(table)
        add_text_run(cells[0].paragraphs[0], risk.ref, bold=True)
        entry = risk.entry
        description = cells[1].paragraphs[0]
        add_text_run(description, entry.title, bold=True)
        if entry.cause:
            add_text_run(description, f"\nCause: {entry.cause}")
        if entry.consequence:
            add_text_run(description, f"\nConsequence: {entry.consequence}")
        add_text_run(cells[2].paragraphs[0], entry.owner)
        _score_cell(cells[3], risk.inherent, ctx.colours.risk_bands)
        _lines(cells[4], entry.controls)
        _lines(cells[5], entry.further_actions)
        _score_cell(cells[6], risk.residual, ctx.colours.risk_bands)
        add_text_run(cells[7].paragraphs[0], long_date(entry.review))
    fit_columns(ctx, table, [5, 38, 14, 11, 32, 30, 11, 11])
    bands = ", ".join(f"{b.rating} up to {b.up_to}" for b in register.bands)
    note = add_paragraph(ctx.document, style="Caption")
    note.add_run(
        f"Scores are impact x likelihood on a {register.scale}-point scale where {register.scale} is the highest; "
        f"ratings: {bands}."
    ).bold = False
    end_landscape(ctx)
    add_caption(ctx, "Figure", "Risk heat map: residual risks after controls")
    paragraph = add_paragraph(ctx.document)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    colours = ctx.colours.risk_bands
    png = ctx.images.get_or_render(heat_map_key(register, colours), lambda: render_heat_map(register, colours))
    shape = add_picture(ctx, paragraph, io.BytesIO(png), width=int(ctx.text_width * 0.7))
    set_alt_text(shape, heat_map_alt_text(register), "Risk heat map")
