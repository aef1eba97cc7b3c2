"""Merge computed figures into section text through a sandboxed Jinja environment.

Section text is untrusted: many people write it. The environment is immutable and
sandboxed (no object internals, no imports, no file access: there is no loader),
and an unknown name is an error naming the file, the line and the name rather
than a silent blank.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import missing

from plan_builder.errors import SectionError
from plan_builder.figures.limits import check_binop, check_call, guarded_filters
from plan_builder.inputs.yamlio import word_character_problem

TEMPLATE_NAME = "<section>"


class TextCheckError(ValueError):
    """A filter found section text it cannot accept; the message says what and how to fix it.

    Raised while rendering, it is reported as 'file:line: message', the line being the one
    the filter was called on.
    """


def template_line() -> int | None:
    """The line of the section text being rendered, for a filter that wants to say where it was called.

    Jinja compiles a template to Python and keeps a map from that code's lines back to the
    template's; the rendering frame is the one whose globals carry the template.
    """
    frame = sys._getframe(1)
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__")
        if template is not None and frame.f_code.co_filename == TEMPLATE_NAME:
            return int(template.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back  # type: ignore[assignment]
    return None


class Namespace(Mapping[str, Any]):
    """A read-only group of named values, addressable as `group.name` in section text.

    It remembers its own dotted path so that a misspelt name can be reported in full
    (`fte.latest.rat`), not as an anonymous attribute error.
    """

    def __init__(self, path: str, values: Mapping[str, Any]) -> None:
        self._path = path
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __getattr__(self, key: str) -> Any:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Namespace({self._path!r})"

    @property
    def path(self) -> str:
        """Dotted path of this group, e.g. 'reoffending.annual'."""
        return self._path


def namespace(path: str, values: Mapping[str, Any]) -> Namespace:
    """Wrap nested mappings as `Namespace`s, so every level reports its full path."""
    wrapped: dict[str, Any] = {}
    for key, value in values.items():
        child = f"{path}.{key}" if path else key
        wrapped[key] = (
            namespace(child, value) if isinstance(value, Mapping) and not isinstance(value, Namespace) else value
        )
    return Namespace(path, wrapped)


class FigureUndefined(StrictUndefined):
    """StrictUndefined whose message gives the full dotted name that was not found."""

    @property
    def _undefined_message(self) -> str:
        obj = self._undefined_obj
        name = self._undefined_name
        if isinstance(obj, Namespace):
            return f"unknown name '{obj.path}.{name}'"
        if self._undefined_hint:
            return self._undefined_hint
        if obj is missing:
            return f"unknown name '{name}'"
        return f"unknown name '{name}' on a {type(obj).__name__} value"


class PlanEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, with each distinct template text compiled once per process.

    docxtpl hands the cover's and sign-off's XML to `from_string` on every build;
    in watch mode and in batches that text is the same each time.
    """

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Refuse repetitions and powers that would exhaust memory or time (`'x' * 10**10`)."""
        check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        """Refuse method calls that would make huge values (`'x'.ljust(10**9)`)."""
        check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        """As Jinja's, but reusing the compiled code of a text seen before."""
        if template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        code = _compile(self, source, tuple(sorted(self.filters)))
        return self.template_class.from_code(self, code, self.make_globals(globals))


def make_environment(filters: Mapping[str, Callable[..., Any]]) -> ImmutableSandboxedEnvironment:
    """The one Jinja environment used for section text and Word templates."""
    env = PlanEnvironment(
        undefined=FigureUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        loader=None,
    )
    env.filters.update(filters)
    env.filters = guarded_filters(env.filters)
    # No globals beyond the figures: range, lipsum, dict, cycler and joiner are removed.
    env.globals.clear()
    # The same inputs must always give the same document: no random choices.
    env.filters.pop("random", None)
    return env


def _template_line(exc: BaseException) -> int | None:
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == TEMPLATE_NAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _compiled(env: ImmutableSandboxedEnvironment, source: str) -> Any:
    """The template for `source`, compiling each distinct text once per process.

    Every environment plan-builder makes has the same settings and filter names, so the
    compiled code can be shared; binding it to this build's environment is cheap.
    """
    code = _compile(env, source, tuple(sorted(env.filters)))
    return env.template_class.from_code(env, code, env.make_globals(None))


_CODE_CACHE: dict[tuple[str, tuple[str, ...]], Any] = {}


def _compile(env: ImmutableSandboxedEnvironment, source: str, filter_names: tuple[str, ...]) -> Any:
    key = (source, filter_names)
    code = _CODE_CACHE.get(key)
    if code is None:
        code = env.compile(source, name=TEMPLATE_NAME, filename=TEMPLATE_NAME)
        if len(_CODE_CACHE) > 512:
            _CODE_CACHE.clear()
        _CODE_CACHE[key] = code
    return code


def render_text(
    env: ImmutableSandboxedEnvironment,
    source: str,
    context: Mapping[str, Any],
    *,
    path: Path,
    first_line: int,
) -> str:
    """Render `source` (a section body starting at `first_line` of `path`) with `context`."""
    check_word_characters(source, path=path, first_line=first_line)
    if "{" not in source and "\r" not in source:
        return source  # no template syntax: Jinja would return the text unchanged, after compiling it
    try:
        text = _compiled(env, source).render(context)
    except TemplateSyntaxError as exc:
        line = first_line + (exc.lineno or 1) - 1
        raise SectionError(f"{path}:{line}: template syntax error: {exc.message}") from exc
    except RENDER_ERRORS as exc:
        relative = _template_line(exc)
        line = first_line + relative - 1 if relative else first_line
        raise SectionError(f"{path}:{line}: {render_problem(exc)}") from exc
    check_word_characters(text, path=path, first_line=first_line)  # an expression can produce one ('\x0b')
    return text


RENDER_ERRORS = (
    UndefinedError, SecurityError, TypeError, NameError, ValueError, ArithmeticError, AttributeError, LookupError,
    AssertionError, TemplateRuntimeError, MemoryError, RecursionError, SyntaxError,
)  # fmt: skip
"""What rendering section text can raise for a mistake in the text (anything else is a bug)."""


def render_problem(exc: BaseException) -> str:
    """What is wrong, in words, for an exception raised while rendering section text."""
    if isinstance(exc, UndefinedError):
        return str(exc.message)
    if isinstance(exc, SecurityError):
        return f"not allowed in section text: {exc}"
    if isinstance(exc, TextCheckError):
        return str(exc)
    if isinstance(exc, TypeError) and "no loader" in str(exc):
        return "includes and imports are not allowed in section text"
    if isinstance(exc, TypeError) and "NoneType" in str(exc):
        return (
            f"cannot render expression: {exc}; a figure used here has no value (it is not available in the "
            "data): test it first, e.g. {% if x.value is not none and x.value > 0 %}"
        )
    if isinstance(exc, NameError):
        # Jinja folds a literal too large for a float (1e309) to inf and writes it into the
        # compiled template as the bare name `inf`, which is then undefined when rendering.
        return f"cannot render expression: a number is too large ({exc})"
    if isinstance(exc, MemoryError):
        return "cannot render the section text: an expression makes a value too large"
    if isinstance(exc, RecursionError | SyntaxError):
        # Deeply nested brackets or blocks exhaust Jinja's parser (RecursionError) or Python's
        # limit on nested blocks in the compiled code (SyntaxError: too many levels of indentation);
        # a macro that calls itself exhausts the stack while rendering.
        return "cannot render the section text: expressions, blocks or macro calls are nested too deeply"
    # Jinja's built-in filters given the wrong kind of value: `fte | dictsort` (AttributeError),
    # `x | round('up')` (FilterArgumentError), `x | truncate(1)` (an assert on the length).
    return f"cannot render expression: {exc}"


def check_word_characters(text: str, *, path: Path, first_line: int) -> None:
    """Raise SectionError at the first character of `text` that a Word document cannot hold."""
    problem = word_character_problem(text)
    if problem:
        offset, what = problem
        raise SectionError(f"{path}:{first_line + text.count(chr(10), 0, offset)}: {what}")
