"""A small raster canvas for the plan's charts: lines, dashes, markers, boxes and text, as PNG.

Drawing is done at `SUPERSAMPLE` times the final size and reduced once at the end,
which gives smooth (anti-aliased) lines and edges with Pillow's plain drawing calls.
Coordinates and sizes are given in final pixels. Text uses the plan's typeface
(Arial, or its metric twin Liberation Sans) when the machine has it, else DejaVu
Sans, else Pillow's built-in font; `FONT_NAME` says which, so cache keys can
include it. No timestamps or other metadata go into the PNG, so the same drawing
always gives the same bytes.

Pillow draws a chart in a few tens of milliseconds and imports in a few; a
general plotting library costs ten times that, which mattered for batch builds.
"""

from __future__ import annotations

import io
import math
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    from PIL import ImageFont

SUPERSAMPLE = 2
"""Drawn at this many times the final size, then reduced: smooth edges without anti-aliasing support."""

FONT_CANDIDATES = {
    False: [
        "/usr/share/fonts/truetype/msttcorefonts/Arial.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
        "/Library/Fonts/Arial.ttf",
        "/System/Library/Fonts/Supplemental/Arial.ttf",
        "C:/Windows/Fonts/arial.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    ],
    True: [
        "/usr/share/fonts/truetype/msttcorefonts/Arial_Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf",
        "/usr/share/fonts/liberation-sans/LiberationSans-Bold.ttf",
        "/Library/Fonts/Arial Bold.ttf",
        "/System/Library/Fonts/Supplemental/Arial Bold.ttf",
        "C:/Windows/Fonts/arialbd.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
        "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    ],
}


@lru_cache(maxsize=2)
def font_file(bold: bool) -> str | None:
    """The first typeface file found for regular or bold text, or None for Pillow's built-in font."""
    return next((path for path in FONT_CANDIDATES[bold] if Path(path).is_file()), None)


def font_name() -> str:
    """Which typeface charts are drawn in (part of every chart's cache key)."""
    return " + ".join(Path(font_file(bold) or "Pillow default").name for bold in (False, True))


@lru_cache(maxsize=64)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    path = font_file(bold) or font_file(not bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(path, size)


def points(pt: float, dpi: int) -> float:
    """A length in typographic points as pixels at `dpi`."""
    return pt * dpi / 72


class Canvas:
    """A white RGB image `width` x `height` pixels, drawn on in final-pixel coordinates."""

    def __init__(self, width: int, height: int, dpi: int) -> None:
        from PIL import Image, ImageDraw  # imported on first use: a build served from the cache needs neither

        self.width, self.height, self.dpi = width, height, dpi
        self.image = Image.new("RGB", (width * SUPERSAMPLE, height * SUPERSAMPLE), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.inks: set[str] = {"#FFFFFF"}
        self.backgrounds: set[str] = {"#FFFFFF"}
        """Colours drawn, and colours drawn over (white and box fills): they decide the PNG's palette."""

    def font(self, size_pt: float, *, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        """The typeface at `size_pt` points, at the drawing scale."""
        return _font(round(points(size_pt, self.dpi) * SUPERSAMPLE), bold)

    def text_width(self, text: str, size_pt: float, *, bold: bool = False) -> float:
        """Width of one line of `text` in final pixels."""
        return self.font(size_pt, bold=bold).getlength(text) / SUPERSAMPLE

    def line_height(self, size_pt: float) -> float:
        """Distance between the baselines of two lines of text, in final pixels."""
        return points(size_pt, self.dpi) * 1.2

    def _xy(self, x: float, y: float) -> tuple[float, float]:
        return x * SUPERSAMPLE, y * SUPERSAMPLE

    def rectangle(
        self, box: Sequence[float], fill: str | None = None, outline: str | None = None, width: float = 0
    ) -> None:
        """A filled and/or outlined box (x0, y0, x1, y1)."""
        x0, y0, x1, y1 = (v * SUPERSAMPLE for v in box)
        if fill:
            self.backgrounds.add(fill.upper())
        self.inks.update(c.upper() for c in (fill, outline) if c)
        self.draw.rectangle((x0, y0, x1, y1), fill=fill, outline=outline, width=round(width * SUPERSAMPLE))

    def polyline(
        self, xy: Sequence[tuple[float, float]], colour: str, width: float, dash: Sequence[float] | None = None
    ) -> None:
        """Connected straight lines through `xy`; `dash` is an on/off pattern in pixels."""
        if len(xy) < 2:
            return
        self.inks.add(colour.upper())
        scaled = [self._xy(x, y) for x, y in xy]
        stroke = max(1, round(width * SUPERSAMPLE))
        if not dash:
            self.draw.line(scaled, fill=colour, width=stroke, joint="curve")
            return
        for start, end in _dashes(scaled, [d * SUPERSAMPLE for d in dash]):
            self.draw.line([start, end], fill=colour, width=stroke)
            radius = stroke / 2  # round caps, so short dashes and dots stay visible
            for cx, cy in (start, end):
                self.draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colour)

    def marker(self, x: float, y: float, kind: str, size: float, colour: str) -> None:
        """A point marker of diameter `size`: o circle, s square, ^ and v triangles, D diamond."""
        cx, cy = self._xy(x, y)
        r = size * SUPERSAMPLE / 2
        self.inks.add(colour.upper())
        outline: dict[str, Any] = {"outline": "white", "width": max(1, round(SUPERSAMPLE * 1.2))}
        if kind == "o":
            self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour, **outline)
        elif kind == "s":
            s = r * 0.9
            self.draw.rectangle((cx - s, cy - s, cx + s, cy + s), fill=colour, **outline)
        elif kind in ("^", "v"):
            sign = -1 if kind == "^" else 1
            tip, base = cy + sign * r * 1.15, cy - sign * r * 0.85
            self.draw.polygon([(cx, tip), (cx - r * 1.1, base), (cx + r * 1.1, base)], fill=colour, **outline)
        elif kind == "D":
            self.draw.polygon(
                [(cx, cy - r * 1.15), (cx + r, cy), (cx, cy + r * 1.15), (cx - r, cy)], fill=colour, **outline
            )
        else:
            raise ValueError(f"unknown marker {kind!r}")

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size_pt: float,
        colour: str = "#0B0C0C",
        *,
        anchor: str = "la",
        bold: bool = False,
    ) -> None:
        """One line of text; `anchor` is Pillow's two-letter anchor (l/m/r then a/m/s/d)."""
        self.inks.add(colour.upper())
        self.draw.text(self._xy(x, y), text, fill=colour, font=self.font(size_pt, bold=bold), anchor=anchor)

    def text_lines(
        self,
        x: float,
        y: float,
        lines: Sequence[str],
        size_pt: float,
        colour: str = "#0B0C0C",
        *,
        align: str = "m",
        middle: bool = False,
        bold: bool = False,
    ) -> None:
        """Several lines under each other from `y` (or centred on it when `middle`), aligned l/m/r on `x`."""
        step = self.line_height(size_pt)
        top = y - step * (len(lines) - 1) / 2 if middle else y
        for index, line in enumerate(lines):
            self.text(
                x, top + index * step, line, size_pt, colour, anchor=f"{align}{'m' if middle else 'a'}", bold=bold
            )

    def vertical_text(self, x: float, y: float, text: str, size_pt: float, colour: str = "#0B0C0C") -> None:
        """A line of text reading bottom to top, centred on (x, y)."""
        from PIL import Image, ImageDraw

        font = self.font(size_pt)
        left, top, right, bottom = font.getbbox(text, anchor="lm")
        label = Image.new("L", (math.ceil(right - left) + 4, math.ceil(bottom - top) + 4), 0)
        ImageDraw.Draw(label).text((2 - left, 2 - top), text, fill=255, font=font, anchor="lm")
        label = label.rotate(90, expand=True)
        cx, cy = self._xy(x, y)
        self.inks.add(colour.upper())
        ink = Image.new("RGB", label.size, colour)
        self.image.paste(ink, (round(cx - label.width / 2), round(cy - label.height / 2)), label)

    def png(self) -> bytes:
        """The image at its final size as PNG bytes.

        Only a few colours are drawn, so the image is stored with a palette of those
        colours and their smoothed edges (blends with what they are drawn over): a
        third of the bytes and a fifth of the encoding time of full colour, with no
        visible difference. Too many colours for one palette keeps full colour.
        """
        from PIL import Image

        final = self.image.reduce(SUPERSAMPLE) if SUPERSAMPLE > 1 else self.image
        palette = _palette(self.inks, self.backgrounds)
        if palette is not None:
            holder = Image.new("P", (1, 1))
            holder.putpalette([value for colour in palette for value in colour])
            final = final.quantize(palette=holder, dither=Image.Dither.NONE)
        buffer = io.BytesIO()
        final.save(buffer, format="PNG", compress_level=1, dpi=(self.dpi, self.dpi))
        return buffer.getvalue()


def _rgb(colour: str) -> tuple[int, int, int]:
    from PIL import ImageColor

    return ImageColor.getrgb(colour)[:3]


def _palette(inks: set[str], backgrounds: set[str]) -> list[tuple[int, int, int]] | None:
    """Every ink, and its blends with each background it may be drawn over, or None if over 256 colours.

    Blends that come within a few levels of a background are left out, so that a plain
    background is never mapped to a near-miss of itself.
    """
    grounds = [_rgb(b) for b in sorted(backgrounds)]
    colours: dict[tuple[int, int, int], None] = dict.fromkeys(grounds)
    for ink in sorted(inks):
        r, g, b = _rgb(ink)
        for ground in grounds:
            for level in range(1, BLEND_LEVELS + 1):
                share = level / BLEND_LEVELS
                blend = tuple(round(bg + (fg - bg) * share) for fg, bg in zip((r, g, b), ground, strict=True))
                if all(max(abs(x - y) for x, y in zip(blend, other, strict=True)) >= 12 for other in grounds) or (
                    blend in grounds
                ):
                    colours[blend] = None  # type: ignore[index]
    return list(colours) if len(colours) <= 256 else None


BLEND_LEVELS = 8


def _dashes(
    xy: list[tuple[float, float]], pattern: list[float]
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The 'on' pieces of a dashed polyline; the pattern carries on across corners."""
    pieces = []
    index, left, on = 0, pattern[0], True
    for (x0, y0), (x1, y1) in zip(xy, xy[1:], strict=False):
        length = math.hypot(x1 - x0, y1 - y0)
        done = 0.0
        while done < length:
            step = min(left, length - done)
            if on:
                a, b = done / length, (done + step) / length
                pieces.append(((x0 + (x1 - x0) * a, y0 + (y1 - y0) * a), (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)))
            done += step
            left -= step
            if left <= 1e-9:
                index = (index + 1) % len(pattern)
                left, on = pattern[index], index % 2 == 0
    return pieces


def nice_axis(maximum: float, *, ticks: int = 5) -> tuple[float, float]:
    """(top, step) of a value axis starting at 0 that shows `maximum` with about `ticks` round steps."""
    if maximum <= 0 or not math.isfinite(maximum):
        return 1.0, 0.25
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step - 1e-9) * step
    if top - maximum < step * 0.15:  # keep the top point off the frame
        top += step
    return top, step


def tick_label(value: float, step: float) -> str:
    """An axis value with as many decimals as the step needs, and thousands separators."""
    decimals = 0
    while decimals < 6 and abs(step * 10**decimals - round(step * 10**decimals)) > 1e-9:
        decimals += 1
    return f"{value:,.{decimals}f}"
