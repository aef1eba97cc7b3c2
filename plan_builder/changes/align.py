"""Line up two sequences: which items are the same, changed in place, added or removed.

difflib finds the runs of identical items. Within a run of differences, items are paired by
similarity, so that a reworded sentence, a paragraph whose figure changed or a table row whose
score moved reads as one change in place, not as a removal and an unrelated addition. The
pairing keeps the order of both sequences and maximises the total similarity of the pairs.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

PAIRING_LIMIT = 4_000
"""Above this many candidate pairs in one run of differences, pair by position instead (cheap)."""

DEFAULT_THRESHOLD = 0.5
"""Items less similar than this are a removal and an addition rather than one change."""

Kind = Literal["same", "changed", "added", "removed"]


@dataclass(frozen=True)
class Step:
    """One item of the aligned sequence: `old` and `new` are indexes (None for an addition or removal)."""

    kind: Kind
    old: int | None
    new: int | None


def align(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    similarity: Callable[[int, int], float],
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Step]:
    """Align `old` with `new` (compared by key); `similarity(i, j)` scores old[i] against new[j] from 0 to 1.

    Removals come before the additions they sit beside, as a reader expects ("was ..., now ...").
    """
    steps: list[Step] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            steps += [Step("same", i1 + k, j1 + k) for k in range(i2 - i1)]
        elif tag == "delete":
            steps += [Step("removed", i, None) for i in range(i1, i2)]
        elif tag == "insert":
            steps += [Step("added", None, j) for j in range(j1, j2)]
        else:
            steps += pair(range(i1, i2), range(j1, j2), similarity, threshold)
    return steps


def pair(
    old: Sequence[int], new: Sequence[int], similarity: Callable[[int, int], float], threshold: float
) -> list[Step]:
    """Pair the items of two runs of differences in order, maximising the total similarity of the pairs."""
    n, m = len(old), len(new)
    if n * m > PAIRING_LIMIT:
        return _pair_by_position(old, new, similarity, threshold)
    scores: dict[tuple[int, int], float] = {}
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            value = max(best[i + 1][j], best[i][j + 1])
            score = similarity(old[i], new[j])
            if score >= threshold:
                scores[i, j] = score
                value = max(value, score + best[i + 1][j + 1])
            best[i][j] = value
    steps: list[Step] = []
    i = j = 0
    while i < n and j < m:
        paired = scores.get((i, j))
        if paired is not None and best[i][j] == paired + best[i + 1][j + 1]:
            steps.append(Step("changed", old[i], new[j]))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            steps.append(Step("removed", old[i], None))
            i += 1
        else:
            steps.append(Step("added", None, new[j]))
            j += 1
    steps += [Step("removed", old[k], None) for k in range(i, n)]
    steps += [Step("added", None, new[k]) for k in range(j, m)]
    return steps


def _pair_by_position(
    old: Sequence[int], new: Sequence[int], similarity: Callable[[int, int], float], threshold: float
) -> list[Step]:
    """Cheap pairing for long runs: the k-th old item with the k-th new one, when they are similar enough."""
    steps: list[Step] = []
    for k in range(max(len(old), len(new))):
        a = old[k] if k < len(old) else None
        b = new[k] if k < len(new) else None
        if a is not None and b is not None and similarity(a, b) >= threshold:
            steps.append(Step("changed", a, b))
            continue
        if a is not None:
            steps.append(Step("removed", a, None))
        if b is not None:
            steps.append(Step("added", None, b))
    return steps


def ratio(old: Sequence[Hashable], new: Sequence[Hashable]) -> float:
    """How alike two token sequences are, from 0 to 1 (difflib's ratio, cheap bounds first)."""
    if not old and not new:
        return 1.0
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    if matcher.real_quick_ratio() < DEFAULT_THRESHOLD / 2 or matcher.quick_ratio() < DEFAULT_THRESHOLD / 2:
        return matcher.quick_ratio()
    return matcher.ratio()
