"""Late data: datasets or single figures marked pending, shown as visible placeholders.

Reoffending data lands about two years after the activity and KPI returns lag, so a
draft often goes to the board before every number is in. A pending item renders
everywhere as "Data due: <source>, <when>" (highlighted in drafts), the build lists
what is outstanding, and a final build refuses to run until nothing is pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import Plan, Status

# Private-use characters mark a placeholder in rendered text so the Word writer can highlight it.
MARK_START = "\ue000"
MARK_END = "\ue001"


@dataclass(frozen=True)
class PendingItem:
    """Something the plan is waiting for."""

    what: str
    """The dataset or figure id, e.g. 'reoffending' or 'fte.latest.rate'."""
    source: str
    due: str
    where: str
    """'plan.yaml:34', where it is marked pending."""
    shown: str = ""
    """What to show instead of the 'Data due' text (a dataset that could not be read)."""

    @property
    def placeholder(self) -> str:
        """The text shown wherever a figure depends on it."""
        return self.shown or f"Data due: {self.source}, {self.due}"


class PendingValue:
    """Stands in for any figure, group or attribute that depends on pending data.

    Every attribute, filter or comparison on it yields itself (or False), so section
    text written for the real figures renders the placeholder instead of failing.
    """

    def __init__(self, item: PendingItem) -> None:
        self.item = item

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key: object) -> PendingValue:
        return self

    def __str__(self) -> str:
        return f"{MARK_START}{self.item.placeholder}{MARK_END}"

    def __html__(self) -> str:
        return str(self)

    def _false(self, other: object) -> bool:
        return False

    __lt__ = __le__ = __gt__ = __ge__ = _false

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return hash(self.item)

    def __bool__(self) -> bool:
        return False

    def __iter__(self) -> Any:
        return iter(())


def placeholder_text(text: str) -> list[tuple[str, bool]]:
    """Split text into (segment, is_placeholder) pieces for the Word writer."""
    pieces: list[tuple[str, bool]] = []
    rest = text
    while MARK_START in rest:
        before, _, after = rest.partition(MARK_START)
        inside, _, rest = after.partition(MARK_END)
        if before:
            pieces.append((before, False))
        pieces.append((inside, True))
    if rest:
        pieces.append((rest, False))
    return pieces


def check_outstanding(plan: Plan, pending: list[PendingItem]) -> None:
    """A final plan cannot be built while any data is pending; name every item."""
    if pending and plan.manifest.status is Status.FINAL:
        raise ConfigError(
            *[
                f"{item.where}: {item.what} is still pending ({item.placeholder}); "
                "a final plan cannot be built until it arrives"
                for item in pending
            ]
        )
