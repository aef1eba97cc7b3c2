"""Size limits on what section text can compute, so an expression cannot exhaust memory or time.

The Jinja sandbox keeps section text away from files and Python's internals, but
not from making huge values: `{{ 'x' * 10**10 }}`, `{{ 7 ** 10**6 }}`,
`{{ 'x' | center(10**9) }}`. A plan needs none of these, so each operation that
can grow a value is checked before it runs, and refused with a message saying why.
These limits are generous for real text (ten million characters; numbers of up to
a hundred thousand bits) and cover the operators, the filters and the string
methods that grow values; a MemoryError that still gets through is reported as a
section error (see `narrative.render_text`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2 import Environment
from jinja2.exceptions import SecurityError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context

MAX_TEXT = 10_000_000
"""The longest text or list an expression may make."""
MAX_INT_BITS = 100_000
"""The largest whole number an expression may make (about 30,000 digits)."""
BIG_WIDTH = re.compile(r"\d{7,}")
"""A width or precision of a million or more inside a format string ('%02000000000d', '{:>2000000000}')."""


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `left * right` or `left ** right` when the result would be too large."""
    powers = operator == "**" and _whole(left) and _whole(right) and right > 0 and abs(left) > 1
    if powers and right * abs(left).bit_length() > MAX_INT_BITS:
        raise SecurityError(f"raising a number to the power {right:,} makes it too large")
    if operator == "*":
        if _whole(left) and _whole(right) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise SecurityError("the product is too large a number")
        for sequence, times in ((left, right), (right, left)):
            if isinstance(sequence, str | list | tuple) and _whole(times) and len(sequence) * times > MAX_TEXT:
                raise SecurityError(f"repeating a value {times:,} times makes it too long")


def check_call(function: Any, args: Iterable[Any], kwargs: Mapping[str, Any]) -> None:
    """Refuse method calls with a huge size ('x'.ljust(10**9)) or a huge width in a format string."""
    for value in [*args, *kwargs.values()]:
        if _whole(value) and abs(value) > MAX_TEXT:
            raise SecurityError(f"a size of {value:,} is too large")
    method = getattr(function, "__wrapped__", function)  # the sandbox wraps str.format
    owner = getattr(method, "__self__", None)
    if isinstance(owner, str) and getattr(method, "__name__", "") in ("format", "format_map"):
        _check_format_string(owner)


def guarded_filters(filters: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Jinja's filters that can grow a value, wrapped with checks on the size of what they make."""
    guarded = dict(filters)
    for name in ("center", "indent", "wordwrap", "truncate", "format", "join", "replace"):
        if name in guarded:
            guarded[name] = _guard(name, guarded[name])
    return guarded


def _guard(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        values = [a for a in args if not _is_context(a)]
        check_call(function, values[1:], kwargs)
        if name == "format" and values and isinstance(values[0], str):
            _check_format_string(values[0])
        if name == "join" and values:
            _check_join(values[0], values[1] if len(values) > 1 else kwargs.get("d", ""))
        if name == "replace" and len(values) >= 3 and all(isinstance(v, str) for v in values[:3]):
            text, old, new = values[:3]
            if old and text.count(old) * len(new) > MAX_TEXT:
                raise SecurityError("the replacement makes the text too long")
        return function(*args, **kwargs)

    guarded.__name__ = getattr(function, "__name__", name)
    if hasattr(function, "jinja_pass_arg"):  # keep Jinja's 'pass the context or environment' marking
        guarded.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return guarded


def _check_join(items: Any, separator: Any) -> None:
    if isinstance(items, list | tuple):
        total = sum(len(item) if isinstance(item, str) else 20 for item in items)
        total += len(str(separator)) * max(0, len(items) - 1)
        if total > MAX_TEXT:
            raise SecurityError("joining these values makes the text too long")


def _check_format_string(text: str) -> None:
    """A format string with a number of seven or more digits in it could ask for a huge width: refused."""
    if BIG_WIDTH.search(text):
        raise SecurityError("a number of a million or more in a format string (a width or precision) is too large")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_context(value: Any) -> bool:
    return isinstance(value, Context | Environment | EvalContext)
