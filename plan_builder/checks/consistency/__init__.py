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
from pathlib import Path

from plan_builder.checks.consistency.directions import check_directions
from plan_builder.checks.consistency.numbers import check_numbers, check_ratios
from plan_builder.checks.consistency.text import SENTENCE_END, Anchor, Found, mask_text, slot_of, tokenize
from plan_builder.figures.figure import Figure
from plan_builder.figures.filters import FILTERS
from plan_builder.figures.narrative import make_environment
from plan_builder.figures.performance import figure_namespace
from plan_builder.figures.result import PerformanceResult

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
ALIAS_INITIALS = "bcfru"
"""The letters every name in ALIASES can begin with (a test holds this): words beginning otherwise are skipped fast."""


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
    aliases, initials = _alias_table(figures)
    names = "|".join(f"(?P<a{i}>{text})" for i, (text, _) in enumerate(aliases)) or "(?!)"  # no figures: no names
    pattern = re.compile(rf"(?<![\w-])(?=[{initials}])(?:{names})(?![\w-])", re.I)
    env = make_environment(FILTERS)
    context = figure_namespace(PerformanceResult(figures=dict(figures)))  # to evaluate `{% if %}` as rendering would
    warnings: list[str] = []
    for path, first_line, body in sections:
        masked, refs = mask_text(body, env, context)
        found: Found = check_ratios(masked)
        ref_starts = sorted(refs)
        begin = 0
        for stop in [*SENTENCE_END.finditer(masked), None]:
            end = stop.start() if stop else len(masked)
            at = bisect_left(ref_starts, begin)
            if (at == len(ref_starts) or ref_starts[at] >= end) and not pattern.search(masked, begin, end):
                begin = stop.end() if stop else end
                continue  # names no figure, holds no reference: nothing to check (most table cells)
            tokens = tokenize(masked, begin, end, refs, figures)
            anchors = [Anchor(i, i, (t.text,)) for i, t in enumerate(tokens) if t.kind == "ref" and t.text]
            spans = [
                (m, [i for i, t in enumerate(tokens) if m.start() <= t.start < m.end()])
                for m in pattern.finditer(masked, begin, end)
            ]
            named = {i for _, covers in spans for i in covers}
            for match, covers in filter(lambda span: span[1], spans):
                ids = aliases[int((match.lastgroup or "a0")[1:])][1]
                anchor = Anchor(covers[0], covers[-1], ids, body[match.start() : match.end()])
                problems = check_numbers(tokens, anchor, named - set(covers), figures)
                found += problems or []
                anchors += [anchor] if problems is not None else []
            found += check_directions(tokens, anchors, named, figures, body)
            begin = stop.end() if stop else end
        starts = [0] + [m.end() for m in re.finditer("\n", body)]
        warnings += [f"{path}:{first_line + bisect_right(starts, at) - 1}: {text}" for at, text in sorted(found)]
    return warnings


def _alias_table(figures: Mapping[str, Figure]) -> tuple[list[tuple[str, tuple[str, ...]]], str]:
    """(name regex, figures it may mean) for ALIASES and the KPI and local labels; and the letters names start with."""
    table = [(text, tuple(i for i in ids if i in figures)) for text, ids in ALIASES.items()]
    labels: dict[str, list[str]] = {}
    for fid, figure in figures.items():
        if fid.split(".")[0] in ("kpi", "local") and slot_of(fid) == "latest" and figure.label:
            for label in {figure.label, figure.label.split(": ", 1)[-1]}:
                labels.setdefault(label.lower(), []).append(fid)
    words = {label: label.split() for label in labels}
    table += [
        (r"\s+".join(map(re.escape, words[k])), tuple(v)) for k, v in sorted(labels.items(), key=lambda x: -len(x[0]))
    ]
    initials = set(ALIAS_INITIALS) | {first[0][0] for first in words.values() if first}
    return [(text, ids) for text, ids in table if ids], "".join(sorted(map(re.escape, initials)))
