"""Trend charts of a measure for the service and its comparators, as PNG bytes.

Fixed size, resolution and typeface, and no timestamps in the file, so the
same data always gives the same image (drawn with `raster`). Lines differ by marker and
dash as well as colour, so the chart reads in greyscale and for colour-blind
readers. Every chart gets alt text written from its data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plan_builder import palette
from plan_builder.figures.figure import Figure, Unit, format_figure
from plan_builder.outputs.cache import ImageCache, image_key
from plan_builder.word.raster import Canvas, font_name, nice_axis, points, tick_label

if TYPE_CHECKING:
    from plan_builder.figures.result import Series

WIDTH_INCHES = 6.3
HEIGHT_INCHES = 3.2
DPI = 200
FONT_PT = 8.5
# Service first (brand teal), then an Okabe-Ito palette that stays distinct for colour-blind readers.
COLOURS = palette.CHART_LINES
MARKERS = ["o", "s", "^", "D", "v"]
# On/off lengths in line widths (caps are round, so 0 draws a dot): solid, dashed, dash-dot, dotted, dash-dot-dot.
DASHES: list[list[float] | None] = [None, [3, 2.6], [5.4, 2.6, 0, 2.6], [0, 2.2], [4, 2.2, 0, 2.2, 0, 2.2]]
SERVICE_LINE_PT, OTHER_LINE_PT, MARKER_PT = 2.6, 1.6, 5.0
INK, AXIS, GRID = palette.CHART_INK, palette.CHART_AXIS, palette.CHART_GRID

UNIT_AXIS = {
    Unit.RATE_PER_100K: "per 100,000 children aged 10-17",
    Unit.RATE_PER_1K: "per 1,000 children aged 10-17",
    Unit.PERCENT: "per cent",
    Unit.RATIO: "reoffences",
    Unit.COUNT: "number",
}


@dataclass(frozen=True)
class _Frame:
    """Where the plot area sits on the canvas, and how values and periods map onto it."""

    left: float
    right: float
    top: float
    bottom: float
    slot: float
    top_value: float

    def y_of(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * value / self.top_value

    def x_of(self, index: int) -> float:
        return self.left + self.slot * (index + 0.5)


def render_chart(series: Series) -> bytes:
    """Draw `series` as a line chart and return PNG bytes.

    Categories (periods) run across with their labels wrapped to fit; the value
    axis starts at zero; the legend sits under the chart. A missing value breaks
    its line rather than being drawn as zero.
    """
    canvas = Canvas(round(WIDTH_INCHES * DPI), round(HEIGHT_INCHES * DPI), DPI)
    pad = points(6, DPI)
    plotted = {
        area: [v if v is not None and math.isfinite(v) else None for v in line] for area, line in series.lines.items()
    }
    top_value, step = value_axis(series.measure.unit, [v for line in plotted.values() for v in line if v is not None])
    ticks = [step * i for i in range(round(top_value / step) + 1)]
    tick_texts = [tick_label(t, step) for t in ticks]
    axis_label = UNIT_AXIS.get(series.measure.unit, "")
    line_height = canvas.line_height(FONT_PT)
    left = pad + (line_height + pad if axis_label else 0) + max(canvas.text_width(t, FONT_PT) for t in tick_texts)
    left += points(7, DPI)
    right = canvas.width - pad
    slot = (right - left) / max(1, len(series.periods))
    labels, size = _fit_labels(canvas, series.periods, slot - points(4, DPI), FONT_PT)
    label_lines = max(len(lines) for lines in labels) if labels else 1
    legend = _legend_layout(canvas, list(series.lines), right - left)
    legend_height = len(legend) * line_height * 1.25
    bottom = canvas.height - pad - legend_height - points(8, DPI) - label_lines * canvas.line_height(size)
    frame = _Frame(left, right, pad + line_height / 2, bottom - points(6, DPI), slot, top_value)
    _draw_axes(canvas, frame, list(zip(ticks, tick_texts, strict=True)), axis_label, (labels, size))
    _draw_lines(canvas, frame, list(plotted.values()))
    _draw_legend(canvas, legend, canvas.height - pad - legend_height + line_height * 0.6, line_height)
    return canvas.png()


def _draw_axes(
    canvas: Canvas,
    frame: _Frame,
    ticks: list[tuple[float, str]],
    axis_label: str,
    labels: tuple[list[list[str]], float],
) -> None:
    """Grid lines and tick labels up the value axis, its label, and the period labels along the bottom."""
    pad, line_height = points(6, DPI), canvas.line_height(FONT_PT)
    for value, text in ticks:
        y = frame.y_of(value)
        if value:
            canvas.polyline([(frame.left, y), (frame.right, y)], GRID, points(0.8, DPI))
        canvas.polyline([(frame.left - points(3.5, DPI), y), (frame.left, y)], AXIS, points(0.8, DPI))
        canvas.text(frame.left - points(5, DPI), y, text, FONT_PT, INK, anchor="rm")
    if axis_label:
        canvas.vertical_text(pad + line_height / 2, (frame.top + frame.bottom) / 2, axis_label, FONT_PT, INK)
    corner = [(frame.left, frame.top), (frame.left, frame.bottom), (frame.right, frame.bottom)]
    canvas.polyline(corner, AXIS, points(0.8, DPI))
    period_labels, size = labels
    for index, lines in enumerate(period_labels):
        x = frame.x_of(index)
        canvas.polyline([(x, frame.bottom), (x, frame.bottom + points(3.5, DPI))], AXIS, points(0.8, DPI))
        canvas.text_lines(x, frame.bottom + points(5, DPI), lines, size, INK)


def _draw_lines(canvas: Canvas, frame: _Frame, lines: list[list[float | None]]) -> None:
    """Each area's line (the service's first and widest), broken where a value is missing, with its markers."""
    for index, line in enumerate(lines):
        style = index % len(COLOURS)
        width = points(SERVICE_LINE_PT if index == 0 else OTHER_LINE_PT, DPI)
        for run in _unbroken_runs(line):
            xy = [(frame.x_of(i), frame.y_of(point)) for i in run if (point := line[i]) is not None]
            _styled_line(canvas, xy, style, width)
        for i, point in enumerate(line):
            if point is not None:
                size = points(MARKER_PT, DPI) + width / 2
                canvas.marker(frame.x_of(i), frame.y_of(point), MARKERS[style], size, COLOURS[style])


def _draw_legend(canvas: Canvas, legend: list[list[tuple[int, str, float]]], top: float, line_height: float) -> None:
    """The legend rows under the chart, each centred: a sample of the line and the area's name."""
    sample = points(26, DPI)
    for row_index, row in enumerate(legend):
        y = top + row_index * line_height * 1.25
        x = (canvas.width - sum(width for _, _, width in row)) / 2
        for index, area, width in row:
            style = index % len(COLOURS)
            line_width = points(SERVICE_LINE_PT if index == 0 else OTHER_LINE_PT, DPI)
            _styled_line(canvas, [(x, y), (x + sample, y)], style, line_width)
            canvas.marker(x + sample / 2, y, MARKERS[style], points(MARKER_PT, DPI) + line_width / 2, COLOURS[style])
            canvas.text(x + sample + points(5, DPI), y, area, 8, INK, anchor="lm")
            x += width


def value_axis(unit: Unit, values: list[float]) -> tuple[float, float]:
    """(top, step) of the value axis: from zero, round steps, and never past 100 for percentages that are not."""
    top, step = nice_axis(max(values, default=0.0))
    if unit is Unit.PERCENT and max(values, default=0.0) <= 100 < top:
        return 100.0, 20.0
    return top, step


def _styled_line(canvas: Canvas, xy: list[tuple[float, float]], style: int, width: float) -> None:
    dash = DASHES[style]
    canvas.polyline(xy, COLOURS[style], width, [d * width for d in dash] if dash else None)


def _unbroken_runs(values: list[float | None]) -> list[list[int]]:
    """Index runs of consecutive present values (a missing value breaks the line)."""
    runs: list[list[int]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append(index)
    return [run for run in runs if len(run) > 1]


def _fit_labels(canvas: Canvas, periods: list[str], width: float, size: float) -> tuple[list[list[str]], float]:
    """Period labels wrapped onto up to three lines to fit `width`, at a smaller size if they must be."""
    while True:
        labels = [_wrap(canvas, period, width, size) for period in periods]
        fits = all(canvas.text_width(line, size) <= width for lines in labels for line in lines)
        if (fits and all(len(lines) <= 3 for lines in labels)) or size <= 6:
            return labels, size
        size -= 0.5


def _wrap(canvas: Canvas, text: str, width: float, size: float) -> list[str]:
    """Break `text` after spaces and hyphens into lines no wider than `width` where it can."""
    words = re.findall(r"[^\s-]+-?|\s+", text)
    lines = [""]
    for word in words:
        candidate = lines[-1] + word
        if lines[-1].strip() and canvas.text_width(candidate.strip(), size) > width:
            lines.append(word.lstrip())
        else:
            lines[-1] = candidate
    return [line.strip() for line in lines if line.strip()]


def _legend_layout(canvas: Canvas, areas: list[str], width: float) -> list[list[tuple[int, str, float]]]:
    """Legend entries in rows of up to three that fit `width`: (line index, area, entry width)."""
    entry_width = [points(26 + 5 + 14, DPI) + canvas.text_width(area, 8) for area in areas]
    rows: list[list[tuple[int, str, float]]] = [[]]
    for index, (area, entry) in enumerate(zip(areas, entry_width, strict=True)):
        row = rows[-1]
        if row and (len(row) == 3 or sum(w for _, _, w in row) + entry > width):
            rows.append(row := [])
        row.append((index, area, entry))
    return [row for row in rows if row]


def chart_png(series: Series, cache: ImageCache) -> bytes:
    """The chart for `series`, from the cache when its data and style are unchanged."""
    payload = {
        "title": series.title,
        "unit": series.measure.unit.value,
        "periods": series.periods,
        "lines": [[area, values] for area, values in series.lines.items()],  # in order: it decides the colours
        "style": [WIDTH_INCHES, HEIGHT_INCHES, DPI, FONT_PT, COLOURS, MARKERS, DASHES, font_name()],
    }
    return cache.get_or_render(image_key("trend-chart", payload), lambda: render_chart(series))


def _shown(figure: Figure | None) -> str:
    return format_figure(figure) if figure is not None else "not available"


def chart_alt_text(series: Series) -> str:
    """Describe the chart in words: what it shows, the latest values and the direction."""
    areas = list(series.lines)
    service = areas[0] if areas else ""
    text = (
        f"Line chart of {series.title.lower()} from {series.periods[0]} to {series.periods[-1]}"
        f" for {', '.join(areas[:-1]) + ' and ' + areas[-1] if len(areas) > 1 else service}. "
    )
    latest = series.latest
    text += f"In {latest.period} {service} was {_shown(latest)}"
    if series.previous is not None and latest.direction:
        text += f", {latest.direction} from {_shown(series.previous)} in {series.previous.period}"
    text += "."
    others = []
    for area, values in list(series.lines.items())[1:]:
        value = values[-1]
        if value is not None:
            shown = format_figure(Figure(id="", label="", value=value, unit=series.measure.unit))
            others.append(f"{area} {shown}")
    if others:
        text += f" In the same period: {'; '.join(others)}."
    return text
