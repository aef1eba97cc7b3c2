"""The chart canvas: axis arithmetic, dashes, text fallback, and the pixels of a drawn chart."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from PIL import Image

from plan_builder.parts.performance.charts import (
    COLOURS,
    DPI,
    HEIGHT_INCHES,
    WIDTH_INCHES,
    _unbroken_runs,
    _wrap,
    render_chart,
)
from plan_builder.word import raster
from plan_builder.word.raster import Canvas, _dashes, nice_axis, tick_label


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [
        (281.6, (300, 100)),  # FTE rate: 0, 100, 200, 300
        (1.18, (1.25, 0.25)),
        (29.8, (40, 10)),  # the top point keeps some air above it
        (100, (120, 20)),
        (0, (1.0, 0.25)),  # nothing to show: a 0-1 axis, not a crash
        (float("nan"), (1.0, 0.25)),
    ],
)
def test_nice_axis(maximum, expected):
    top, step = nice_axis(maximum)
    assert (top, step) == pytest.approx(expected)
    assert top >= maximum or maximum != maximum


def test_tick_labels_have_the_decimals_the_step_needs():
    assert [tick_label(v * 0.25, 0.25) for v in range(3)] == ["0.00", "0.25", "0.50"]
    assert tick_label(12500, 2500) == "12,500"
    assert tick_label(1.5, 0.5) == "1.5"


def test_dash_pattern_carries_across_corners():
    pieces = _dashes([(0, 0), (10, 0), (10, 10)], [4, 2])
    # on 0-4, off 4-6, on 6-10 then the corner, off 0-2 down, on 2-6, off, on 8-10
    assert pieces == [
        ((0, 0), (4, 0)),
        ((6, 0), (10, 0)),
        ((10, 2), (10, 6)),
        ((10, 8), (10, 10)),
    ]


def test_missing_values_break_the_line():
    assert _unbroken_runs([1, 2, None, 4, 5, 6, None]) == [[0, 1], [3, 4, 5]]
    assert _unbroken_runs([None, 1, None]) == []  # a lone point is a marker, not a line


def test_long_period_labels_wrap_after_spaces_and_hyphens():
    canvas = Canvas(100, 100, DPI)
    lines = _wrap(canvas, "Apr 2023-Mar 2024", canvas.text_width("Apr 2023-", 8.5) + 1, 8.5)
    assert lines == ["Apr 2023-", "Mar 2024"]


def _pixels(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _has_colour(image: Image.Image, hex_colour: str) -> bool:
    wanted = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(
        all(abs(a - b) <= 2 for a, b in zip(pixel, wanted, strict=True)) for _, pixel in image.getcolors(1 << 20)
    )


def test_chart_is_the_fixed_size_deterministic_and_draws_every_line(example_series):
    png = render_chart(example_series)
    assert png == render_chart(example_series)
    image = _pixels(png)
    assert image.size == (round(WIDTH_INCHES * DPI), round(HEIGHT_INCHES * DPI))
    assert Image.open(io.BytesIO(png)).info.get("dpi") == pytest.approx((DPI, DPI), rel=1e-3)
    for colour in COLOURS[: len(example_series.lines)]:
        assert _has_colour(image, colour), colour


def test_chart_changes_when_one_value_changes(example_series):
    lines = {area: list(values) for area, values in example_series.lines.items()}
    service = next(iter(lines))
    lines[service][-1] = (lines[service][-1] or 0) * 1.5
    assert render_chart(replace(example_series, lines=lines)) != render_chart(example_series)


def test_chart_draws_with_only_pillows_own_font(example_series, monkeypatch):
    monkeypatch.setattr(raster, "font_file", lambda bold: None)
    raster._font.cache_clear()
    try:
        image = _pixels(render_chart(example_series))
    finally:
        raster._font.cache_clear()
    assert _has_colour(image, COLOURS[0])


@pytest.fixture
def example_series():
    from pathlib import Path

    from plan_builder.errors import Problems
    from plan_builder.pipeline import compute, load

    problems = Problems()
    return compute(load(Path(__file__).resolve().parent.parent, problems), problems).performance.series["fte.rate"]


def test_heat_map_cell_labels_fit_their_cell_or_say_how_many_more():
    from plan_builder.parts.risks.render import _cell_labels

    canvas = Canvas(100, 100, DPI)
    room = 130  # pixels: about a heat-map cell at 200 dpi
    lines, size = _cell_labels(canvas, ["R1", "R2", "R3", "R4"], room)
    assert (lines, size) == (["R1, R2, R3", "R4"], 8)
    refs = [f"R{i}" for i in range(1, 61)]
    lines, size = _cell_labels(canvas, refs, room)
    assert lines[-1].startswith("and ") and lines[-1].endswith(" more")
    shown = [ref for line in lines[:-1] for ref in line.split(", ")]
    assert shown == refs[: len(shown)] and lines[-1] == f"and {60 - len(shown)} more"
    assert len(lines) * canvas.line_height(size) <= room
    assert all(canvas.text_width(line, size, bold=True) <= room for line in lines)


def test_percentage_axis_stops_at_100():
    from plan_builder.figures.figure import Unit
    from plan_builder.parts.performance.charts import value_axis

    assert value_axis(Unit.PERCENT, [92.6, 99.0]) == (100.0, 20.0)
    assert value_axis(Unit.PERCENT, [29.8]) == pytest.approx((40, 10))
    assert value_axis(Unit.RATE_PER_100K, [99.0]) == pytest.approx((120, 20))


def test_chart_cache_key_depends_on_the_order_of_the_lines(example_series):
    from plan_builder.outputs.cache import ImageCache
    from plan_builder.parts.performance.charts import chart_png

    keys = []

    class Recorder(ImageCache):
        def get_or_render(self, key, render):
            keys.append(key)
            return b""

    reordered = dict(reversed(list(example_series.lines.items())))
    chart_png(example_series, Recorder(None))
    chart_png(replace(example_series, lines=reordered), Recorder(None))
    assert keys[0] != keys[1]
