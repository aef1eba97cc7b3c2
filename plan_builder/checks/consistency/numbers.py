"""Check 2: a number typed just after a figure's name, compared with the figure at the precision typed.

'an FTE rate of 200' is compared with fte.latest.rate; a signed number, or one after 'by', is a
change; 'from 188 to 200' checks both. A number is compared only with figures of its kind: one
typed with '%' or 'points' with percentages and changes, a plain one with counts, rates and
ratios, and one before a word for people ('50 reoffences') only with counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from plan_builder.checks.consistency.directions import COMPARATIVES, DIRECTION_WORDS
from plan_builder.checks.consistency.text import (
    COMPARATORS,
    YEAR,
    Anchor,
    Found,
    Token,
    literal,
    sibling,
    slot_of,
    word_set,
)
from plan_builder.figures.figure import Figure, Unit
from plan_builder.figures.formatting import plain, round_half_up

NUMBER_WINDOW = 6
"""Most words between a figure's name and the number typed for it."""

CUES = dict.fromkeys(word_set("national nationally england wales"), "national") | {"family": "family", "pcc": "pcc"}
CUES |= {"region": "region", "regional": "region"} | dict.fromkeys(
    word_set("previous previously earlier prior before ago last"), "previous"
)
"""Words near a typed number that make it a comparator's or an earlier period's value."""
_NOT_A_VALUE_AFTER = word_set(
    "per aged age ages kpi quarter q than around about approximately roughly nearly over under"
)
_NOT_A_VALUE_BEFORE = word_set("months month years year weeks days quarters of out")
_PEOPLE = word_set("children child young people entrants reoffenders reoffences offences sentences cases victims")
PERCENT_KIND = (Unit.PERCENT, Unit.PERCENT_CHANGE, Unit.POINTS_CHANGE)
"""Figures a number typed with '%' or 'points' may be; a plain number is compared only with the others."""

_PERCENT = r"(?P<pct>\d+(?:\.\d+)?)\s?(?:%|per ?cent\b)"
_OUT_OF = r"(?P<a>\d{1,3}(?:,\d{3})+|\d+)\s+(?:out\s+of|of)\s+(?P<b>\d{1,3}(?:,\d{3})+|\d+)(?![\d,.]*\d)"
RATIOS = re.compile(
    rf"(?<![\w.,]){_PERCENT}\s*\(\s*{_OUT_OF}[^()\n\x01\x02]{{0,40}}\)"
    rf"|(?<![\w.,]){_OUT_OF.replace('?P<a>', '?P<a2>').replace('?P<b>', '?P<b2>')}[^()\n\x01\x02]{{0,60}}?"
    rf"\(\s*{_PERCENT.replace('?P<pct>', '?P<pct2>')}\s*\)",
    re.I,
)
"""'36% (4 out of 14)' and '40 of 154 children (26.0%)': a percentage typed beside the counts it comes from."""


def check_ratios(masked: str) -> Found:
    """Check every percentage typed beside its counts ('36% (4 out of 14)') by arithmetic: 4 / 14 is 28.6%."""
    found: Found = []
    for match in RATIOS.finditer(masked):
        pct, a, b = (
            (match["pct"], match["a"], match["b"]) if match["pct"] else (match["pct2"], match["a2"], match["b2"])
        )
        typed = Decimal(pct)
        places = len(pct.partition(".")[2])
        part, whole = int(a.replace(",", "")), int(b.replace(",", ""))
        text = " ".join(match.group().split())
        if whole == 0:
            found.append((match.start(), f"'{text}': {a} out of {b} cannot be a percentage (nothing to divide by)"))
            continue
        actual = part / whole * 100
        if round_half_up(actual, places) != typed:
            shown = plain(actual, max(places, 1))
            found.append((match.start(), f"'{text}': {a} out of {b} is {shown}%, not {pct}%"))
    return found


def check_numbers(tokens: list[Token], anchor: Anchor, others: set[int], figures: Mapping[str, Figure]) -> Found | None:
    """Check the first number typed after a figure's name; None if there is no such number.

    The number also narrows `anchor.ids` for check 1: to the figures it matches ('26.0%' is the annual
    cohort, not the quarterly one), or to none when it is a comparator's or an earlier period's.
    """
    clause, skip = tokens[anchor.last].clause, set[int]()
    words_before = [t.text for t in tokens[max(0, anchor.first - 2) : anchor.first]]
    counted = words_before in (["number", "of"], ["numbers", "of"])  # 'the number of first time entrants'
    for j in range(anchor.last + 1, min(len(tokens), anchor.last + 1 + NUMBER_WINDOW)):
        token = tokens[j]
        if token.clause != clause or j in others or (token.kind == "ref" and token.text and not token.time):
            return None  # another clause, another name, or the figure itself is merged here
        if token.match is None or token.kind != "num" or j in skip or YEAR.fullmatch(token.text):
            continue
        before = tokens[j - 1].text if tokens[j - 1].kind == "word" else ""
        after = tokens[j + 1].text if j + 1 < len(tokens) and tokens[j + 1].kind == "word" else ""
        then = tokens[j + 2] if j + 2 < len(tokens) and tokens[j + 2].kind == "num" else None
        if j + 1 in others:
            return None  # '6 custodial sentences': the number goes with the next name
        if after in ("of", "out"):
            skip |= {j + 2, j + 3}  # '88 of 95', '40 out of 154': a count and its denominator
        if before in _NOT_A_VALUE_AFTER or after in _NOT_A_VALUE_BEFORE or (after == "in" and then):
            continue  # 'per 100,000', 'aged 10', '12 months', '1 in 4'
        ids = tuple(i for i in anchor.ids if figures[i].unit is Unit.COUNT) if after in _PEOPLE else anchor.ids
        if counted:
            ids = tuple(i for i in anchor.ids if figures[i].unit is Unit.COUNT) or anchor.ids
        unit = (token.match.group("unit") or "").strip()
        moved = {before, after} & (DIRECTION_WORDS.keys() | COMPARATIVES.keys())
        change = (
            token.match.group("sign") is not None or unit[:1] == "p" or before == "by" or (bool(moved) and unit == "%")
        )
        if change and "than" in [t.text for t in tokens[j:] if t.clause == clause]:
            return None  # a difference from another figure, not a change over time
        around = [t for t in tokens[:j] if t.clause == clause] + tokens[j + 1 : j + 4]  # '(4 a year before)'
        years = {t.text for t in around if YEAR.fullmatch(t.text)}
        pinned = any(y in figures[i].period for i in ids for y in years)  # 'in 2024' names the latest period
        cues = {CUES.get(t.text) or t.time for t in around} | ({"previous"} if years and not pinned else set())
        if change or before == "from":
            slots = ["change" if change else "previous"]
        else:  # a cue ('family', 'previous', a year) makes another slot possible, not certain
            slots = (
                [c for c in COMPARATORS if c in cues][:1] + ["latest"] + ["previous"] * bool(cues & {"previous", "any"})
            )
        checks = [(token, slots)] + (
            [(then, ["latest" if after == "to" else "previous"])] if then and after in ("to", "from") else []
        )
        found: Found = []
        matched: set[str] = set()
        for number, number_slots in checks:  # 'from 188 to 200': both
            problem, agreeing = _judge(number, anchor.name, ids, number_slots, years, figures)
            if problem and counted:
                problem = _not_a_number(number, anchor, number_slots, years, figures) or problem
            found += [(number.start, problem)] if problem else []
            matched |= agreeing
        live = slots[0] in ("latest", "change") and len(slots) == 1 or before == "from"
        anchor.ids = (tuple(i for i in ids if i in matched) or ids) if live else ()
        return found
    return None


def _judge(
    token: Token, name: str, ids: tuple[str, ...], slots: list[str], years: set[str], figures: Mapping[str, Figure]
) -> tuple[str, set[str]]:
    """('', the ids it matches) if the typed number matches a figure `name` may mean; else a warning on the nearest.

    Years typed nearby ('in 2021') rule out figures for periods that do not include them.
    """
    assert token.match is not None  # noqa: S101 - numbers always carry their match
    typed, places, signed = literal(token.match)
    text = token.match.group().strip()
    options: list[tuple[float, str, Figure]] = []
    agreeing: set[str] = set()
    percent = bool(re.search(r"%|cent|point|pp", text))
    for latest_id, slot in [(i, slot) for i in ids for slot in slots]:
        figure = figures.get(sibling(latest_id, slot) or "")
        if figure is None or figure.value is None or (years and not any(y in figure.period for y in years)):
            continue
        if (figure.unit in PERCENT_KIND) != percent:
            continue  # a count is not compared with a rate, nor a plain number with a percentage
        values = [figure.value]
        now, then = figure.inputs.get("latest"), figure.inputs.get("previous")
        if figure.unit is Unit.POINTS_CHANGE and text.endswith("%") and now is not None and then:
            values.append((now - then) / then * 100)  # '-8%' may mean a relative change in a percentage
        if any(round_half_up(v if signed else abs(v), places) == typed for v in values):
            agreeing.add(latest_id)
        gap = abs(figure.value - float(typed)) if signed else abs(abs(figure.value) - float(typed))
        options.append((gap if slot == "change" else gap / max(abs(figure.value), 1e-9), figure.id, figure))
    if agreeing or not options:
        return "", agreeing
    _, fid, figure = min(options, key=lambda option: option[0])
    return f"'{text}' next to '{name}' disagrees with {fid} = {figure.display} ({_basis(fid, figure, figures)})", set()


def _not_a_number(
    token: Token, anchor: Anchor, slots: list[str], years: set[str], figures: Mapping[str, Figure]
) -> str | None:
    """For 'the number of X ... 183': the message when 183 is X's rate, not its number."""
    rates = tuple(i for i in anchor.ids if figures[i].unit is not Unit.COUNT)
    _, agreeing = _judge(token, anchor.name, rates, slots, years, figures)
    if not agreeing:
        return None
    assert token.match is not None  # noqa: S101 - numbers always carry their match
    rate = figures[sibling(sorted(agreeing)[0], slots[0]) or ""]
    counts = [figures.get(sibling(i, slots[0]) or "") for i in anchor.ids if figures[i].unit is Unit.COUNT]
    count = next((c for c in counts if c is not None), None)
    number = f"; the number is {count.id} = {count.display}" if count is not None else ""
    return (
        f"'{token.match.group().strip()}' is given as the number of {anchor.name}, but it is {rate.id} "
        f"({rate.unit.value}), not a number{number}"
    )


def _basis(fid: str, figure: Figure, figures: Mapping[str, Figure]) -> str:
    """'reoffences 50 / children 80' for a level; '188 to 200' for a change."""
    if slot_of(fid) == "change":
        then, now = figures.get(sibling(fid, "previous") or ""), figures.get(sibling(fid, "latest") or "")
        return f"{then.display} to {now.display}" if then and now else figure.basis
    inputs = [(k.split(".")[-1], v) for k, v in figure.inputs.items() if v is not None]
    return " / ".join(f"{k} {v:,.0f}" if v == int(v) else f"{k} {v:g}" for k, v in inputs) or figure.basis
