"""Trend charts of a measure for the service and its comparators, as PNG bytes.

Fixed size and resolution, the non-GUI Agg backend, and no timestamps in the
file, so the same data always gives the same image. Lines differ by marker and
dash as well as colour, so the chart reads in greyscale and for colour-blind
readers. Every chart gets alt text written from its data.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from plan_builder.cache import ImageCache, image_key
from plan_builder.figures import Figure, Unit
from plan_builder.formatting import format_figure

if TYPE_CHECKING:
    from plan_builder.metrics import Series

WIDTH_INCHES = 6.3
HEIGHT_INCHES = 3.2
DPI = 200
# Service first (brand teal), then an Okabe-Ito palette that stays distinct for colour-blind readers.
COLOURS = ["#00505C", "#D55E00", "#0072B2", "#CC79A7", "#6B6B6B"]
MARKERS = ["o", "s", "^", "D", "v"]
DASHES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1))]

UNIT_AXIS = {
    Unit.RATE_PER_100K: "per 100,000 children aged 10-17",
    Unit.RATE_PER_1K: "per 1,000 children aged 10-17",
    Unit.PERCENT: "per cent",
    Unit.RATIO: "reoffences",
    Unit.COUNT: "number",
}


def render_chart(series: Series) -> bytes:
    """Draw `series` as a line chart and return PNG bytes.

    Uses matplotlib's object API with fixed margins: no pyplot state, and no
    tight_layout (which draws the figure twice), so each chart draws once.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    two_line = any(len(label) > 12 for label in series.periods)
    figure = MplFigure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.subplots_adjust(left=0.1, right=0.98, top=0.95, bottom=0.36 if two_line else 0.27)
    axes = figure.add_subplot()
    positions = list(range(len(series.periods)))
    for index, (area, values) in enumerate(series.lines.items()):
        style = index % len(COLOURS)
        axes.plot(
            positions,
            [float("nan") if v is None else v for v in values],
            label=area,
            color=COLOURS[style],
            marker=MARKERS[style],
            linestyle=DASHES[style],
            linewidth=2.6 if index == 0 else 1.6,
            markersize=5,
        )
    labels = [label.replace("-", "-\n", 1) if len(label) > 12 else label for label in series.periods]
    axes.set_xticks(positions, labels, fontsize=8.5)
    axes.tick_params(axis="y", labelsize=8.5)
    axes.set_ylabel(UNIT_AXIS.get(series.measure.unit, ""), fontsize=8.5)
    axes.set_ylim(bottom=0)
    axes.set_xlim(-0.45, len(positions) - 0.55)  # room for the first and last two-line labels
    axes.grid(axis="y", color="#DDDDDD", linewidth=0.8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.3 if two_line else -0.16),
        ncol=min(len(series.lines), 3),
        frameon=False,
        fontsize=8,
    )
    buffer = io.BytesIO()
    # Light compression: encoding at the default level costs a fifth of the chart's time.
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 1})
    return buffer.getvalue()


def chart_png(series: Series, cache: ImageCache) -> bytes:
    """The chart for `series`, from the cache when its data and style are unchanged."""
    payload = {
        "title": series.title,
        "unit": series.measure.unit.value,
        "periods": series.periods,
        "lines": series.lines,
        "style": [WIDTH_INCHES, HEIGHT_INCHES, DPI, COLOURS, MARKERS, repr(DASHES)],
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
