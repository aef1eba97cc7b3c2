"""Narrative consistency: words and numbers in section text checked against the computed figures.

Seed 000 headed a first-time-entrant rate that rose from 188 to 200 per 100,000
"GREEN - Decrease -14.3%". Figures merged with `{{ ... }}` are always right, but
the words around them, and numbers typed by hand, are not. Two checks run over
the raw section text (before rendering), sentence by sentence:

1. A direction word ('fell', 'rose', 'improved', 'worsened', ...) within `WINDOW`
   words of a figure is compared with that figure's direction of travel.
2. A number typed just after a figure's name ('an FTE rate of 200', 'frequency rate
   of 1.12') is compared with the figure at the precision typed, half-up. A signed
   number, or one after 'by', is a change; a name with a number also anchors check 1.

Both lean towards silence, because a false alarm teaches authors to ignore the
report: hedged words ('to reduce', 'did not fall'), comparisons ('higher than'),
ties between figures, years, ranges ('10-17') and rate bases ('per 100,000') are
skipped, and text in an `{% if %}` branch is checked only when its condition can be
evaluated and holds (so 'rose' in a branch shown only when the figure rose is fine).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jinja2.exceptions import TemplateError

from plan_builder.figures.figure import Figure, Unit
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.formatting import round_half_up
from plan_builder.figures.metrics import PerformanceResult
from plan_builder.figures.narrative import make_environment
from plan_builder.figures.performance import figure_namespace

WINDOW = 8
"""Most words between a direction word and the figure it is read as describing."""
NUMBER_WINDOW = 6
"""Most words between a figure's name and the number typed for it."""

RISE, FALL, BETTER, WORSE = "rise", "fall", "better", "worse"


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_CLAIMS = {
    RISE: _set("rose risen rise rises rising increased increase increases increasing grew grown"),
    FALL: _set(
        "fell fallen fall falls falling decreased decrease decreases declined decline reduced reduction dropped"
    ),
    BETTER: _set("improved improving improvement improvements"),
    WORSE: _set("worsened worsening deteriorated deteriorating deterioration"),
}
DIRECTION_WORDS = {word: claim for claim, words in _CLAIMS.items() for word in words}
COMPARATIVES = {"higher": RISE, "lower": FALL, "better": BETTER, "worse": WORSE, "up": RISE, "down": FALL}
"""Directions only after a verb ('is higher', 'went up'; 'up from', 'down by'), never with 'than'."""
_LEADS = _set("is was are were been be now remains remained slightly much far significantly went gone")
_HEDGES = _set(
    "will would could should may might must can cannot aim aims want wants expect expects expected target targets "
    "plan plans planned ambition continue continues sustain keep if whether unless not no never hope seek"
)
_HEDGES_JUST_BEFORE = _set("to on at for towards")  # 'to reduce', 'focus on improving'
_NOT_BEFORE = _set(
    "than plan plans board programme priority priorities team work action actions strategy partnership unit short"
)
"""Words after which a direction word is a name or an idiom ('Violence Reduction Unit', 'falls short')."""
_DECLINE = _set("decline declined declining")  # also 'refuse': a direction only as in 'declined to 40', 'a decline in'

CLAUSE_WORDS = _set("while whilst whereas but although though however")
_CUES = dict.fromkeys(_set("national nationally england wales"), "national") | {"family": "family", "pcc": "pcc"}
_CUES |= {"region": "region", "regional": "region"} | dict.fromkeys(
    _set("previous previously earlier prior before ago last"), "previous"
)
_NOT_A_VALUE_AFTER = _set("per aged age ages kpi quarter q than around about approximately roughly nearly over under")
_NOT_A_VALUE_BEFORE = _set("months month years year weeks days quarters of out")
_PEOPLE = _set("children child young people entrants reoffenders reoffences offences sentences cases victims")

_COHORTS = ("reoffending.annual.latest.", "reoffending.quarterly.latest.")
ALIASES: dict[str, tuple[str, ...]] = {
    r"first[- ]time[- ]entr(?:ants?|y)[- ]rate|first[- ]time[- ]entrants? per 100,000|fte rate": ("fte.latest.rate",),
    r"first[- ]time[- ]entrants?|ftes?": ("fte.latest.rate", "fte.latest.count"),
    r"(?:binary )?re-?offending rate|binary rate|rate of re-?offending": tuple(c + "binary" for c in _COHORTS),
    r"(?:re-?offending )?frequency rate|re-?offences per child": tuple(c + "frequency" for c in _COHORTS),
    r"re-?offences per re-?offender": tuple(c + "per_reoffender" for c in _COHORTS),
    r"custody rate|rate of custody|use of custody|custodial sentences per 1,000": ("custody.latest.rate",),
    r"custodial sentences": ("custody.latest.sentences",),
}
"""Names people write (regexes, case-insensitive) -> the figures they may mean, headline first.

A typed number agrees if it matches any of them; KPI and local indicator labels are added from the figures.
"""

_SLOTS = ("latest", "previous", "change")
_COMPARATORS = ("family", "region", "pcc", "national")
_YEAR = re.compile(r"(?:19|20)\d\d")
_REF, _STOP = "\x01", "\x02"  # a merged figure; a hard sentence boundary (Jinja tag, blank line, table cell)
_JINJA = re.compile(r"\{\{(.*?)\}\}|\{%-?\s*(\w+)(.*?)-?%\}|\{#.*?#\}", re.S)
_REF_ID = re.compile(r"\s*-?\s*([A-Za-z_]\w*(?:\.\w+)*)(.*)", re.S)
_HIDDEN = re.compile(
    r"^(?:```|~~~).*?^(?:```|~~~)[^\n]*|^(?::::|[ \t]*#)[^\n]*", re.M | re.S
)  # code, directives, headings
_BREAK = re.compile(r"\n(?=[ \t\r]*(?:\n|$|[-*+>]\s|\d+[.)]\s))")  # paragraphs and list items are sentences apart
_SENTENCE_END = re.compile(rf"{_STOP}+|[.!?]+(?=[\s{_REF}\"')\]]|$)")
_TOKEN = re.compile(
    rf"(?P<ref>{_REF}+)|(?P<clause>;)"
    r"|(?P<num>(?<![\w.,/\-−–])(?P<sign>[-+−–])?(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?(?![\w/]|[-–.,]\d)"
    r"(?P<unit>\s?%|\s?per ?cent\b|\s?percentage points?\b|\s?pp\b|\s?points?\b)?)"
    r"|(?P<word>[^\W\d_]+(?:[-'’][^\W\d_]+)*)"
)
Found = list[tuple[int, str]]
"""Problems found in one section: (offset in the body, message)."""


@dataclass
class _Token:
    kind: str  # "word", "num" or "ref"
    text: str  # lower-cased word, number as typed, or a ref's figure id ("" if not a figure)
    start: int
    end: int
    clause: int
    match: re.Match[str] | None = None
    time: str = ""  # a ref that shows a period: "latest", "previous" or "any"


@dataclass
class _Anchor:
    """What a direction word can describe: a merged figure, or a figure's name followed by a typed number."""

    first: int
    last: int
    ids: tuple[str, ...]
    name: str = ""  # the name as typed; "" for a merged figure

    @property
    def measure(self) -> set[str]:
        return {_sibling(i, "latest") or i for i in self.ids}


def check_narrative(sections: list[tuple[Path, int, str]], figures: Mapping[str, Figure]) -> list[str]:
    """Check section text against the computed figures; return one warning per inconsistency.

    Args:
        sections: (file as shown to the user, line where the body starts, raw body before rendering).
        figures: computed figures by id, as in `PerformanceResult.figures`.

    Returns:
        Warnings in file and text order, each 'file:line: ...' at the offending word or number, e.g.
        "sections/09-performance.md:12: says 'decreased' next to fte.change.rate, but it rose (+16.2%, worsening)"
        or "sections/09-performance.md:7: '1.12' next to 'frequency rate' disagrees with
        reoffending.annual.latest.frequency = 0.63 (reoffences 50 / children 80)".
    """
    aliases = _alias_table(figures)
    names = "|".join(f"(?P<a{i}>{text})" for i, (text, _) in enumerate(aliases)) or "(?!)"  # no figures: no names
    pattern = re.compile(rf"(?<![\w-])(?:{names})(?![\w-])", re.I)
    env = make_environment(FILTERS)
    context = figure_namespace(PerformanceResult(figures=dict(figures)))  # to evaluate `{% if %}` as rendering would
    warnings: list[str] = []
    for path, first_line, body in sections:
        masked, refs = _mask(body, env, context)
        ref_starts = sorted(refs)
        found: Found = []
        begin = 0
        for stop in [*_SENTENCE_END.finditer(masked), None]:
            end = stop.start() if stop else len(masked)
            at = bisect_left(ref_starts, begin)
            if (at == len(ref_starts) or ref_starts[at] >= end) and not pattern.search(masked, begin, end):
                begin = stop.end() if stop else end
                continue  # names no figure, holds no reference: nothing to check (most table cells)
            tokens = _tokens(masked, begin, end, refs, figures)
            anchors = [_Anchor(i, i, (t.text,)) for i, t in enumerate(tokens) if t.kind == "ref" and t.text]
            spans = [
                (m, [i for i, t in enumerate(tokens) if m.start() <= t.start < m.end()])
                for m in pattern.finditer(masked, begin, end)
            ]
            named = {i for _, covers in spans for i in covers}
            for match, covers in filter(lambda span: span[1], spans):
                ids = aliases[int((match.lastgroup or "a0")[1:])][1]
                anchor = _Anchor(covers[0], covers[-1], ids, body[match.start() : match.end()])
                problems = _check_numbers(tokens, anchor, named - set(covers), figures)
                found += problems or []
                anchors += [anchor] if problems is not None else []
            found += _check_directions(tokens, anchors, named, figures, body)
            begin = stop.end() if stop else end
        starts = [0] + [m.end() for m in re.finditer("\n", body)]
        warnings += [f"{path}:{first_line + bisect_right(starts, at) - 1}: {text}" for at, text in sorted(found)]
    return warnings


def _alias_table(figures: Mapping[str, Figure]) -> list[tuple[str, tuple[str, ...]]]:
    table = [(text, tuple(i for i in ids if i in figures)) for text, ids in ALIASES.items()]
    labels: dict[str, list[str]] = {}
    for fid, figure in figures.items():
        if fid.split(".")[0] in ("kpi", "local") and _slot(fid) == "latest" and figure.label:
            for label in {figure.label, figure.label.split(": ", 1)[-1]}:
                labels.setdefault(label.lower(), []).append(fid)
    table += [
        (r"\s+".join(map(re.escape, k.split())), tuple(v)) for k, v in sorted(labels.items(), key=lambda x: -len(x[0]))
    ]
    return [(text, ids) for text, ids in table if ids]


def _condition(env: Any, source: str, context: Mapping[str, Any]) -> bool | None:
    try:
        return bool(env.compile_expression(source, undefined_to_none=False)(**context))
    except (TemplateError, TypeError, ValueError, ArithmeticError):
        return None  # unknown (a period label, a typo): neither branch is checked


def _mask(body: str, env: Any, context: Mapping[str, Any]) -> tuple[str, dict[int, str]]:
    """A same-length copy of `body`: merged figures as _REF runs, boundaries as _STOP, hidden text blanked."""
    parts: list[str] = []
    refs: dict[int, str] = {}
    stack: list[list[bool | None]] = []  # per open `if`: [this branch shown, an earlier branch shown]
    position = 0
    for match in [*_JINJA.finditer(body), None]:
        shown = all(level[0] is True for level in stack)
        text = body[position : match.start() if match else len(body)]
        parts.append(text if shown else re.sub(r"[^\n]", " ", text))
        if match is None:
            break
        position, length, tag = match.end(), match.end() - match.start(), match.group(2)
        if match.group(1) is not None and shown:
            refs[match.start()] = match.group(1)
        parts.append(_REF * length if match.start() in refs else (_STOP if tag else " ") * length)
        if tag == "if":
            stack.append([_condition(env, match.group(3), context)] * 2)
        elif tag in ("elif", "else") and stack:
            level = stack[-1]
            if level[1] is not False:
                level[0] = False if level[1] else None
            else:
                level[0] = level[1] = True if tag == "else" else _condition(env, match.group(3), context)
        elif tag == "endif" and stack:
            stack.pop()
    text = _HIDDEN.sub(lambda m: _STOP * len(m.group()), "".join(parts))
    return _BREAK.sub(_STOP, text).replace("|", _STOP), refs


def _tokens(masked: str, begin: int, end: int, refs: dict[int, str], figures: Mapping[str, Figure]) -> list[_Token]:
    tokens: list[_Token] = []
    clause = 0
    for m in _TOKEN.finditer(masked, begin, end):
        kind = m.lastgroup if m.lastgroup in ("ref", "clause", "word") else "num"
        if kind == "clause" or m.group().lower() in CLAUSE_WORDS:
            clause += 1
        elif kind == "ref":
            parsed = _REF_ID.match(refs.get(m.start(), ""))
            ident, rest = (parsed.group(1).removesuffix(".value"), parsed.group(2)) if parsed else ("", "")
            period = ident not in figures or re.search(r"\|\s*period\b", rest) is not None
            time = next((s for s in ("previous", "latest") if f".{s}." in ident), "any") if period else ""
            tokens.append(_Token("ref", ident if ident in figures else "", m.start(), m.end(), clause, time=time))
        else:
            text = re.sub(r"['’]s$", "", m.group().lower()) if kind == "word" else m.group()  # family's -> family
            tokens.append(_Token(kind, text, m.start(), m.end(), clause, m))
    return tokens


def _slot(fid: str) -> str | None:
    return next((part for part in fid.split(".")[1:] if part in _SLOTS), None)


def _sibling(fid: str, slot: str) -> str | None:
    """The same measure in another slot: ('fte.latest.rate', 'change') -> 'fte.change.rate'; None for comparators."""
    own = _slot(fid)
    if own is None:
        return None
    parts = fid.split(".")
    parts[parts.index(own, 1)] = slot
    return ".".join(parts)


def _literal(match: re.Match[str]) -> tuple[Decimal, int, bool]:
    """A typed number as (signed value, decimal places typed, whether a sign was typed)."""
    frac, sign = match.group("frac") or "", match.group("sign")
    value = Decimal(("-" if sign and sign != "+" else "") + match.group("digits").replace(",", "") + frac)
    return value, max(len(frac) - 1, 0), sign is not None


def _check_numbers(
    tokens: list[_Token], anchor: _Anchor, others: set[int], figures: Mapping[str, Figure]
) -> Found | None:
    """Check the first number typed after a figure's name; None if there is no such number.

    The number also narrows `anchor.ids` for check 1: to the figures it matches ('26.0%' is the annual
    cohort, not the quarterly one), or to none when it is a comparator's or an earlier period's.
    """
    clause, skip = tokens[anchor.last].clause, set[int]()
    for j in range(anchor.last + 1, min(len(tokens), anchor.last + 1 + NUMBER_WINDOW)):
        token = tokens[j]
        if token.clause != clause or j in others or (token.kind == "ref" and token.text and not token.time):
            return None  # another clause, another name, or the figure itself is merged here
        if token.match is None or token.kind != "num" or j in skip or _YEAR.fullmatch(token.text):
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
        unit = (token.match.group("unit") or "").strip()
        moved = {before, after} & (DIRECTION_WORDS.keys() | COMPARATIVES.keys())
        change = (
            token.match.group("sign") is not None or unit[:1] == "p" or before == "by" or (bool(moved) and unit == "%")
        )
        if change and "than" in [t.text for t in tokens[j:] if t.clause == clause]:
            return None  # a difference from another figure, not a change over time
        around = [t for t in tokens[:j] if t.clause == clause] + tokens[j + 1 : j + 4]  # '(4 a year before)'
        years = {t.text for t in around if _YEAR.fullmatch(t.text)}
        pinned = any(y in figures[i].period for i in ids for y in years)  # 'in 2024' names the latest period
        cues = {_CUES.get(t.text) or t.time for t in around} | ({"previous"} if years and not pinned else set())
        if change or before == "from":
            slots = ["change" if change else "previous"]
        else:  # a cue ('family', 'previous', a year) makes another slot possible, not certain
            slots = (
                [c for c in _COMPARATORS if c in cues][:1]
                + ["latest"]
                + ["previous"] * bool(cues & {"previous", "any"})
            )
        checks = [(token, slots)] + (
            [(then, ["latest" if after == "to" else "previous"])] if then and after in ("to", "from") else []
        )
        found: Found = []
        matched: set[str] = set()
        for number, number_slots in checks:  # 'from 188 to 200': both
            problem, agreeing = _judge(number, anchor.name, ids, number_slots, years, figures)
            found += [(number.start, problem)] if problem else []
            matched |= agreeing
        live = slots[0] in ("latest", "change") and len(slots) == 1 or before == "from"
        anchor.ids = (tuple(i for i in ids if i in matched) or ids) if live else ()
        return found
    return None


def _judge(
    token: _Token, name: str, ids: tuple[str, ...], slots: list[str], years: set[str], figures: Mapping[str, Figure]
) -> tuple[str, set[str]]:
    """('', the ids it matches) if the typed number matches a figure `name` may mean; else a warning on the nearest.

    Years typed nearby ('in 2021') rule out figures for periods that do not include them.
    """
    assert token.match is not None  # noqa: S101 - numbers always carry their match
    typed, places, signed = _literal(token.match)
    text = token.match.group().strip()
    options: list[tuple[float, str, Figure]] = []
    agreeing: set[str] = set()
    for latest_id, slot in [(i, slot) for i in ids for slot in slots]:
        figure = figures.get(_sibling(latest_id, slot) or "")
        if figure is None or figure.value is None or (years and not any(y in figure.period for y in years)):
            continue
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


def _basis(fid: str, figure: Figure, figures: Mapping[str, Figure]) -> str:
    """'reoffences 50 / children 80' for a level; '188 to 200' for a change."""
    if _slot(fid) == "change":
        then, now = figures.get(_sibling(fid, "previous") or ""), figures.get(_sibling(fid, "latest") or "")
        return f"{then.display} to {now.display}" if then and now else figure.basis
    inputs = [(k.split(".")[-1], v) for k, v in figure.inputs.items() if v is not None]
    return " / ".join(f"{k} {v:,.0f}" if v == int(v) else f"{k} {v:g}" for k, v in inputs) or figure.basis


def _claim(tokens: list[_Token], j: int) -> str | None:
    """The direction word `tokens[j]` claims, or None if it is hedged, negated, a comparison or no direction."""
    word = tokens[j].text
    same = [t for t in tokens if t.clause == tokens[j].clause]
    k = next(i for i, t in enumerate(same) if t is tokens[j])
    before = [t.text if t.kind == "word" else "" for t in same[max(0, k - 3) : k]][::-1]
    after = same[k + 1].text if k + 1 < len(same) and same[k + 1].kind == "word" else ""
    if word in _DECLINE and after not in ("in", "of", "from", "to", "by") and (k + 1 == len(same) or after):
        return None
    if after in _NOT_BEFORE or (before and before[0] in _HEDGES_JUST_BEFORE) or set(before) & _HEDGES:
        return None
    if word not in COMPARATIVES:
        return DIRECTION_WORDS.get(word)
    if "than" in [t.text for t in same[k:]] or after == "is" or before[:2] in (["is", "lower"], ["is", "higher"]):
        return None  # 'higher than the family', 'lower is better'
    led = bool(before) and before[0] in _LEADS
    if word in ("up", "down"):  # 'up from', 'down by', 'down 2.4 points'; not 'set up', 'up to the board'
        following = [t.kind for t in same[k + 1 : k + 3]]
        led = (led or after in ("from", "by", "on") or following[:1] == ["num"]) and not (
            after == "to" and following[1:] == ["word"]
        )
    return COMPARATIVES[word] if led else None


def _movement(fid: str, figures: Mapping[str, Figure]) -> tuple[int, str, str, str] | None:
    """How a figure's measure moved: (sign, 'improving'/'worsening'/'no change' or '', detail, change id)."""
    change = figures.get(_sibling(fid, "change") or "")
    if change is None or change.value is None or not change.direction:
        return None  # a comparator, or no earlier period to compare with
    sign = 0 if change.direction == "no change" else (1 if change.value > 0 else -1)
    quality = change.direction if change.direction in ("improving", "worsening", "no change") else ""
    return sign, quality, ", ".join(filter(None, (change.display, quality))), change.id


def _contradiction(claim: str, sign: int, quality: str) -> str | None:
    """How the figure really moved, when `claim` says otherwise; None if it agrees or cannot be judged."""
    if claim in (RISE, FALL):
        return None if sign == (1 if claim == RISE else -1) else {1: "rose", -1: "fell", 0: "did not change"}[sign]
    if not quality or quality == ("improving" if claim == BETTER else "worsening"):
        return None
    return {"improving": "improved", "worsening": "worsened"}.get(quality, "did not change")


def _check_directions(
    tokens: list[_Token], anchors: list[_Anchor], named: set[int], figures: Mapping[str, Figure], body: str
) -> Found:
    """Compare each direction word with the one figure clearly nearest to it in its clause."""
    found: Found = []
    for j, token in enumerate(tokens):
        if token.kind != "word" or j in named or (token.text not in DIRECTION_WORDS and token.text not in COMPARATIVES):
            continue
        claim = _claim(tokens, j)
        gaps = [(max(a.first - j, j - a.last), a) for a in anchors if tokens[a.first].clause == token.clause]
        near = sorted((gap, n) for n, (gap, a) in enumerate(gaps) if gap <= WINDOW)
        if not claim or not near:
            continue
        if len(near) > 1 and near[1][0] == near[0][0] and gaps[near[1][1]][1].measure != gaps[near[0][1]][1].measure:
            continue  # two figures equally near: too close to call
        anchor = gaps[near[0][1]][1]
        moves = [m for m in (_movement(fid, figures) for fid in anchor.ids) if m]
        wrong = [(m, _contradiction(claim, m[0], m[1])) for m in moves]
        if not wrong or not all(actual for _, actual in wrong):
            continue  # agrees with at least one figure the name may mean, or cannot be judged
        (_, _, detail, change_id), actual = wrong[0]
        subject = f"'{anchor.name}' ({change_id})" if anchor.name else anchor.ids[0]
        word = body[token.start : token.end]
        found.append((token.start, f"says '{word}' next to {subject}, but it {actual} ({detail})"))
    return found
