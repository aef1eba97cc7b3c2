"""Check 1: a direction word ('fell', 'rose', 'improved') against the figure it is next to.

A direction word within `WINDOW` words of a figure (merged, or named with a typed number) is
compared with that figure's direction of travel. Hedged words ('to reduce', 'did not fall'),
comparisons ('higher than') and ties between two figures are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping

from plan_builder.checks.consistency.text import Anchor, Found, Token, sibling, word_set
from plan_builder.figures.figure import Figure

WINDOW = 8
"""Most words between a direction word and the figure it is read as describing."""

RISE, FALL, BETTER, WORSE = "rise", "fall", "better", "worse"

_CLAIMS = {
    RISE: word_set("rose risen rise rises rising increased increase increases increasing grew grown"),
    FALL: word_set(
        "fell fallen fall falls falling decreased decrease decreases declined decline reduced reduction dropped"
    ),
    BETTER: word_set("improved improving improvement improvements"),
    WORSE: word_set("worsened worsening deteriorated deteriorating deterioration"),
}
DIRECTION_WORDS = {word: claim for claim, words in _CLAIMS.items() for word in words}
COMPARATIVES = {"higher": RISE, "lower": FALL, "better": BETTER, "worse": WORSE, "up": RISE, "down": FALL}
"""Directions only after a verb ('is higher', 'went up'; 'up from', 'down by'), never with 'than'."""
_LEADS = word_set("is was are were been be now remains remained slightly much far significantly went gone")
_HEDGES = word_set(
    "will would could should may might must can cannot aim aims want wants expect expects expected target targets "
    "plan plans planned ambition continue continues sustain keep if whether unless not no never hope seek"
)
_HEDGES_JUST_BEFORE = word_set("to on at for towards")  # 'to reduce', 'focus on improving'
_NOT_BEFORE = word_set(
    "than plan plans board programme priority priorities team work action actions strategy partnership unit short"
)
"""Words after which a direction word is a name or an idiom ('Violence Reduction Unit', 'falls short')."""
_DECLINE = word_set("decline declined declining")  # also 'refuse': a direction only in 'declined to 40', 'a decline in'


def _claim(tokens: list[Token], j: int) -> str | None:
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
    change = figures.get(sibling(fid, "change") or "")
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


def check_directions(
    tokens: list[Token], anchors: list[Anchor], named: set[int], figures: Mapping[str, Figure], body: str
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
