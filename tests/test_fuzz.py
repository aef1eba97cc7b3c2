"""Fuzzing: every input gives either a document or a plan-builder error, never a traceback.

Hypothesis mutates *valid* inputs, which reaches far deeper than random bytes: the
example plan's manifest, YAML parts and CSV data, and the tiny plan's sections, each
with a few chosen mutations (a value replaced by text, a huge or negative number, None,
a list; a key deleted, renamed or added; YAML syntax characters, anchors, aliases and
tags inserted; lines deleted, duplicated or swapped; the file truncated; CSV cells,
columns and rows changed; a BOM, CRLF line endings, bytes that are not UTF-8), and
Markdown and Jinja built from random constructs.

The property, for each stage function and for the whole build: it returns, or it
raises `PlanBuilderError` whose every problem is non-empty and names the file. Any
other exception is a bug: the CLI would show a traceback. A failed build also leaves
the output folder as it was: no new .docx, the previous document byte-identical.

CI runs a fixed, derandomized set of cases (`fuzz(n)` below: 2,850 stage cases and 75
whole builds, about 55 s on 2 cores). For a longer exploratory run with fresh random inputs:

    FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_fuzz.py \
        --hypothesis-show-statistics

Each stage property then runs 2,000 cases and each whole-build property 200; the
statistics list every property's cases and how they ended (`outcome: success`,
`outcome: ConfigError`...). The inputs the fuzzer found that raised anything other than
`PlanBuilderError` are regression tests at the end of this file, with exact messages.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import os
import re
import tempfile
from collections.abc import Callable
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import (
    APPENDIX_FILES,
    PLAN_YAML,
    PREVIOUS_BUILD,
    SECTION_FILES,
    TEMPLATES_DIR,
    TINY_OUTPUT_NAME,
    build_and_open,
    plan_yaml,
    png_bytes,
    section_text,
    snapshot,
    write_plan,
)
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from plan_builder.errors import ConfigError, DataError, PlanBuilderError, Problems, SectionError
from plan_builder.figures.filters import FILTERS, number, pct
from plan_builder.figures.local import load_local_indicators
from plan_builder.figures.narrative import make_environment, render_text
from plan_builder.figures.performance import (
    PerformanceData,
    compute_performance,
    figure_namespace,
    load_performance_data,
)
from plan_builder.figures.result import PerformanceResult
from plan_builder.figures.scorecard import compute_local
from plan_builder.inputs.config import Plan, load_plan
from plan_builder.inputs.data import load_dataset
from plan_builder.inputs.sections import load_section
from plan_builder.inputs.structure import Structure, load_structure
from plan_builder.parts.loading import LOADERS
from plan_builder.parts.registry import bind_blocks
from plan_builder.pipeline import build, stated_filter
from plan_builder.word.context import RenderContext
from plan_builder.word.document import open_template
from plan_builder.word.markdown import render_markdown

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_DATA = REPO_ROOT / "data"

# ---------------------------------------------------------------------------------------
# Settings: deterministic in CI, scalable for exploration.

EXPLORE = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)


def fuzz(examples: int, *, whole_build: bool = False) -> settings:
    """`examples` cases in CI; with FUZZ_EXAMPLES set, that many (a tenth for whole builds), freshly random."""
    if EXPLORE:
        examples = max(examples, EXPLORE // 10 if whole_build else EXPLORE)
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=not EXPLORE,  # CI: the same inputs on every run
        database=None,  # nothing written into the repository
        print_blob=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# ---------------------------------------------------------------------------------------
# The property.


def document_or_error(call: Callable[[], Any], *names: str) -> Any:
    """Run `call`: it returns, or raises PlanBuilderError whose every problem names one of `names`.

    Any other exception propagates, so Hypothesis reports (and shrinks) the input.
    """
    try:
        result = call()
    except PlanBuilderError as exc:
        event(f"outcome: {type(exc).__name__}")
        assert str(exc).strip(), "an empty error message"
        assert exc.problems, "an error without problems"
        for problem in exc.problems:
            assert problem.strip(), f"an empty problem in {exc.problems!r}"
            assert any(name in problem for name in names), f"{problem!r} names none of {names!r}"
        return None
    event("outcome: success")
    return result


# ---------------------------------------------------------------------------------------
# Strategies. Formatting is off down to the stage properties: the value tables stay compact.
# fmt: off

# ---------------------------------------------------------------------------------------
# Mutating YAML: values in the parsed tree, and the text itself.


def _long(length: int, letter: str = "x") -> st.SearchStrategy[str]:
    return st.just(length).map(lambda n: letter * n)  # shown as a short repr in Hypothesis' statistics


ODD_STRINGS = st.one_of(
    st.sampled_from(
        ["", " ", "-", "n/a", "~", "null", "yes", "no", "on", ".inf", "-.inf", ".nan", "0x1F", "0o17", "1_000",
         "1,234", "£298,303", "-£4,000", "298303.505", "1e309", "-0", "007", "٣", "２０２５", "2025-02-30",
         "30/05/2025", "2025-05-30T10:00:00", "May 2025", "0.1", "2025-26", "2025-27", "2024-25", "2025/26",
         "a\x00b", "a\x0bb", "\ufffe", "\u202e", "\x7f", "🙂", "é", "Ω", "\t", "line\nbreak", "{{ fte }}",
         "{% if %}", "'", '"', "/etc/passwd", "../plan.yaml", "sections", "templates", "data", "plan.yaml"]
    ),
    _long(300),
    _long(20_000),
    st.text(max_size=20),
)
# Values the schemas accept somewhere, so that a swap can pass validation and reach later stages.
PLAUSIBLE = st.sampled_from(
    ["draft", "final", "board-review", "England", "Wales", "local", "child-first", "performance",
     "sections/01-introduction.md", "data/risks.yaml", "data/kpis.csv", "templates/cover.docx", "family",
     "national", "region", "pcc", "fte", "kpis", "quarterly", "annual", "percent", "count", "ratio", "higher",
     "lower", "neutral", "green", "amber", "red", "dark-red", "Outstanding", "Good", "completed", "on-track",
     "not-started", "Female", "Male", "White", "Not known", "practitioners", "sessional", "police", "health",
     "local-authority", "welsh-government", "yjb-grant", "Income", "in-the-community", "at-court",
     "fte.latest.rate", "kpi.ete.latest.suitable", "Calderbrook", "YJS family", "England and Wales"]
)
NUMBERS = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.sampled_from([0, 1, -1, 2, 3, 4, 5, 6, 25, 100, 10**6, 2**53, 2**63, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.5, -0.5, 1.005, 1e-300, 1e300, 5e-324, 298303.505, float("inf"), float("-inf"), float("nan")]),
)
DATES = st.one_of(
    st.dates(),
    st.sampled_from([dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(2000, 2, 29), dt.date(2025, 5, 30)]),
    st.datetimes(),
)
SCALARS = st.one_of(ODD_STRINGS, PLAUSIBLE, NUMBERS, DATES, st.booleans(), st.none())
KEYS = st.one_of(
    st.sampled_from(["unknown", "Heading", "titel", "sections", "period", "file", "name", "", " ", "é", "<<"]),
    st.text(max_size=10),
    st.integers(-5, 5),
    st.booleans(),
    st.none(),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=6,
)
SAME_KIND: dict[type, st.SearchStrategy[Any]] = {
    str: st.one_of(PLAUSIBLE, ODD_STRINGS),
    int: st.one_of(st.integers(-3, 30), NUMBERS),
    float: NUMBERS,
    bool: st.booleans(),
    dt.date: DATES,
}

# Inserted into the text: YAML syntax, anchors, aliases, tags (safe loading must refuse the unsafe ones).
YAML_TOKENS = [
    ":", ": ", "[", "]", "{", "}", ",", "- ", "? ", "|", ">", "#", "'", '"', "@", "`", "%", "!", "&", "*",
    "\t", "  ", "&anchor ", "*anchor", "*missing", "<<: *anchor", "!!python/object:os.system ",
    "!!python/object/apply:os.system ['ls'] ", "!!python/name:os.system", "!!binary aGVsbG8=", "!!set {a, b}",
    "!!omap [a: 1]", "!!timestamp ", "!!float ", "!!int ", "!!bool ", "!!str ", "!!null ", "!!map ", "!!seq ",
    "!local ", "[a, b]: ", "{a: 1}: ", "? [x]\n: y\n", "%YAML 1.1\n", "%TAG ! tag:x:\n", "---\n", "...\n",
    "\ufeff", "\x00", "\x85", "\u2028", "\r", "\\", "\\x0b", '"\\x0b"', "{{", "}}", "=", "~", "null", "1e999",
    "2025-13-45", "2025-02-30 ", "2025-05-30 10:00:00 +99:00",
]
EXTRA_LINES = [
    "unknown: 1", "- x", "x: &anchor {a: 1}", "y: *anchor", "<<: {a: 1}", "? [a, b]", ": c", "[a, b]: c",
    "{a: 1}: b", "!!python/object/apply:os.system ['ls']", "--- !!set", "...", "---", "key: [unclosed",
    "key: {unclosed", "key: 'unclosed", '"unclosed', "\tkey: tab", "  - - nested", "a: b: c", "&a [*a]",
]


def _node_paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            paths += _node_paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            paths += _node_paths(value, (*prefix, index))
    return paths


def _get(root: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        root = root[part]
    return root


@st.composite
def mutated_tree(draw: st.DrawFn, data: Any) -> Any:
    """`data` with one structural change at a node chosen by Hypothesis."""
    data = copy.deepcopy(data)
    paths = _node_paths(data)
    path = draw(st.sampled_from(paths))
    node = _get(data, path)
    operations = ["replace", "wrap", "empty", "swap"]
    if path:
        operations += ["delete", "delete"]
        if type(node) in SAME_KIND:
            operations += ["same-kind"] * 4  # keeps the schema happy more often, so later stages run
    if isinstance(node, dict):
        operations += ["add-key", "add-key", "retype-key"]
    if path and isinstance(_get(data, path[:-1]), list):
        operations += ["duplicate"]
    operation = draw(st.sampled_from(operations))
    if not path:
        return draw(VALUES) if operation in ("replace", "swap") else ([data] if operation == "wrap" else {})
    parent, last = _get(data, path[:-1]), path[-1]
    if operation == "same-kind":
        parent[last] = draw(SAME_KIND[type(node)])
    elif operation == "replace":
        parent[last] = draw(VALUES)
    elif operation == "wrap":
        parent[last] = draw(st.sampled_from([[node], {"value": node}, {"file": node}, [node, node]]))
    elif operation == "empty":
        parent[last] = draw(st.sampled_from([{}, [], "", None, 0]))
    elif operation == "swap":  # a value moved to another field: type confusion
        other = draw(st.sampled_from(paths))
        if other and other[: len(path)] != path and path[: len(other)] != other:
            other_parent = _get(data, other[:-1])
            parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
    elif operation == "delete":
        del parent[last]
    elif operation == "duplicate":
        parent.insert(last, copy.deepcopy(node))
    elif operation == "add-key":
        node[draw(KEYS)] = draw(VALUES)
    elif operation == "retype-key" and node:
        key = draw(st.sampled_from(list(node)))
        renamed = st.sampled_from([str(key).upper(), str(key)[:-1], f"{key}s", 1, True, None, dt.date(2025, 1, 1)])
        node[draw(renamed | KEYS)] = node.pop(key)
    return data


@st.composite
def mutated_lines(draw: st.DrawFn, text: str) -> str:
    """`text` with one line-level or character-level change."""
    lines = text.splitlines(keepends=True) or [""]
    index = draw(st.integers(0, len(lines) - 1))
    operation = draw(
        st.sampled_from(
            ["delete", "duplicate", "swap", "insert-token", "insert-token", "insert-line", "tab-indent", "truncate",
             "replace-value"]
        )
    )
    if operation == "delete":
        del lines[index]
    elif operation == "duplicate":
        lines.insert(index, lines[index])
    elif operation == "swap":
        other = draw(st.integers(0, len(lines) - 1))
        lines[index], lines[other] = lines[other], lines[index]
    elif operation == "insert-token":
        line = lines[index]
        at = draw(st.integers(0, len(line)))
        lines[index] = line[:at] + draw(st.sampled_from(YAML_TOKENS)) + line[at:]
    elif operation == "insert-line":
        indent = draw(st.sampled_from(["", "  ", "    ", "\t"]))
        lines.insert(index, indent + draw(st.sampled_from(EXTRA_LINES) | st.text(max_size=20)) + "\n")
    elif operation == "tab-indent":
        lines[index] = re.sub(r"^ +", "\t", lines[index])
    elif operation == "truncate":
        whole = "".join(lines)
        return whole[: draw(st.integers(0, len(whole)))]
    elif operation == "replace-value" and ":" in lines[index]:
        key = lines[index].split(":", 1)[0]
        lines[index] = f"{key}: {draw(st.sampled_from(YAML_TOKENS) | ODD_STRINGS | PLAUSIBLE)}\n"
    return "".join(lines)


@st.composite
def encoded(draw: st.DrawFn, text: str) -> bytes:
    """Encode `text` as a file might arrive: usually UTF-8; sometimes CRLF, a BOM or bytes that are not UTF-8."""
    if draw(st.integers(0, 5)) == 0:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    extra = draw(st.integers(0, 9))
    if extra == 0:
        data = b"\xef\xbb\xbf" + data
    elif extra == 1:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xa3", b"\xc3", b"\x80\x80", b"\xed\xa0\x80"])) + data[at:]
    elif extra == 2:
        data = text.encode("latin-1", errors="replace")
    return data


# libyaml when available: generating the cases costs more than running most of them.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@cache
def parsed(text: str) -> Any:
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader


def dump(data: Any, *, flow: bool | None = None) -> str:
    return yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=flow)


@st.composite
def mutated_yaml(draw: st.DrawFn, text: str) -> bytes:
    """A valid YAML file with a few tree and text mutations, encoded as bytes."""
    data = parsed(text)  # mutated_tree copies it
    tree_changes = draw(st.integers(0, 3))
    if tree_changes:
        for _ in range(tree_changes):
            data = draw(mutated_tree(data))
        text = dump(data, flow=draw(st.booleans()))
    for _ in range(draw(st.integers(0 if tree_changes else 1, 2))):
        text = draw(mutated_lines(text))
    return draw(encoded(text))


# ---------------------------------------------------------------------------------------
# Mutating CSV.

ODD_CELLS = st.one_of(
    st.sampled_from(
        ["", " ", "n/a", "-", "abc", "12a", "1,234", "1 234", "12.5", "-3", "-0", "+7", "0.0", "1e3", "1e309",
         "99999999999999999999", "9007199254740993", "١٢٣", "１２", "NaN", "inf", "TRUE", "0x10", "£12", "12%", "(12)",
         "2024/01/31", "31-01-2024", "01/31/2024", "31/01/24", "Jan 2024", "2024-13-45", "29/02/2023", "2023-02-29",
         "0001-01-01", "9999-12-31", "2024-01-01T00:00:00", "2024-01-01 00:00:00", "45291", "2024-1-1", "quarterly",
         "annual", "Annual", "Calderbrook", "YJS family", "England and Wales", "ete", "suitable", "mental_health",
         "need", "offered", "unknown_kpi", '"', "'", "a\nb", "\x00", "\x0b", "é", "🙂"]
    ),
    _long(400, "9"),
    _long(1000),
    st.text(max_size=12),
)
# Numbers that pass validation but make the arithmetic unusual: zero, tiny and huge populations.
VALID_CELLS = st.one_of(
    st.sampled_from(["0", "1", "2", "5", "29", "30", "31", "100", "1,000", "9007199254740992", ""]),
    st.integers(0, 10**9).map(str),
)


@st.composite
def mutated_csv(draw: st.DrawFn, text: str) -> bytes:
    """A valid CSV file with a few cell, column and row mutations, then odd encodings."""
    rows = list(csv.reader(io.StringIO(text)))
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(
            st.sampled_from(
                ["cell", "cell", "valid-cell", "valid-cell", "swap-columns", "drop-column", "duplicate-row",
                 "delete-row", "ragged", "header", "duplicate-column", "empty-rows"]
            )
        )
        width = max((len(r) for r in rows), default=0)
        if operation in ("cell", "valid-cell") and len(rows) > 1:
            row = rows[draw(st.integers(1, len(rows) - 1))]
            if row:
                column = draw(st.integers(0, len(row) - 1))
                if operation == "cell" or row[column].replace(",", "").isdigit():
                    row[column] = draw(ODD_CELLS if operation == "cell" else VALID_CELLS)
        elif operation == "swap-columns" and width > 1:
            a, b = draw(st.integers(0, width - 1)), draw(st.integers(0, width - 1))
            for row in rows[:1] if draw(st.booleans()) else rows:  # the header only, or the whole columns
                if max(a, b) < len(row):
                    row[a], row[b] = row[b], row[a]
        elif operation == "drop-column" and width:
            column = draw(st.integers(0, width - 1))
            rows = [[c for i, c in enumerate(row) if i != column] for row in rows]
        elif operation == "duplicate-column" and width:
            column = draw(st.integers(0, width - 1))
            rows = [[*row, row[column]] if column < len(row) else row for row in rows]
        elif operation == "duplicate-row" and rows:
            index = draw(st.integers(0, len(rows) - 1))
            rows.insert(index, list(rows[index]))
        elif operation == "delete-row" and rows:
            del rows[draw(st.integers(0, len(rows) - 1))]
        elif operation == "ragged" and rows:
            row = rows[draw(st.integers(0, len(rows) - 1))]
            if draw(st.booleans()) and row:
                del row[draw(st.integers(0, len(row) - 1)) :]
            else:
                row.extend(draw(st.lists(ODD_CELLS, min_size=1, max_size=3)))
        elif operation == "header" and rows and rows[0]:
            header = rows[0]
            header[draw(st.integers(0, len(header) - 1))] = draw(
                st.sampled_from(["", " area ", "AREA", "area", "fte_count", "unknown", "\ufeffarea", "é"])
            )
        elif operation == "empty-rows":
            rows.insert(draw(st.integers(0, len(rows))), [""] * draw(st.integers(0, 3)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    text = out.getvalue()
    if draw(st.integers(0, 4)) == 0:
        text = text[: draw(st.integers(0, len(text)))]
    return draw(encoded(text))


# ---------------------------------------------------------------------------------------
# The example plan's figures, which section text refers to.


@cache
def example_plan() -> Plan:
    """The example plan's manifest (the structured loaders take it for as_of, nation and period)."""
    return load_plan(REPO_ROOT)


@cache
def example_performance() -> PerformanceResult:
    plan = example_plan()
    data = load_performance_data(plan)
    assert data is not None
    return compute_performance(plan, data)


@cache
def example_figures() -> dict[str, Any]:
    """The example plan's figures, as section text sees them (`fte.latest.rate` ...)."""
    return figure_namespace(example_performance())


@cache
def figure_ids() -> list[str]:
    result = example_performance()
    return sorted([*result.figures, *result.periods])


@cache
def structure() -> Structure:
    return load_structure("2023-24", "2025-26")


# ---------------------------------------------------------------------------------------
# Jinja, Markdown and front matter from random constructs.

WORDS = st.sampled_from(
    ["Children", "the YJS", "KPIs", "first time entrants", "£1,234", "25%", "rose", "fell", "n/a", "é", "🙂",
     "<b>bold</b>", "<script>x</script>", "&amp;", "&#0;", "\\", "*", "_", "|", "`", "~~", "[", "]", "(", ")",
     "#", ">", "-", "1.", "+", "http://example.com", "{", "}", "%", "\t", "  ", "\u200b", "\ue000", "\x0b", "\x00"]
)
TEXT = st.one_of(WORDS, st.text(max_size=15), st.lists(WORDS, max_size=6).map(" ".join))
FILTER_NAMES = st.sampled_from(
    ["number", "pct", "pp", "change", "money", "period", "long_date", "rag", "direction", "versus", "stated", "nope",
     "int", "float", "round", "abs", "length", "first", "last", "list", "join", "string", "upper", "title", "e",
     "safe", "tojson", "default", "sort", "dictsort", "items", "attr", "map", "select", "sum", "max", "unique",
     "batch", "slice", "wordwrap", "truncate", "center", "indent", "format", "replace", "trim", "striptags",
     "urlize", "filesizeformat", "random", "reverse", "groupby", "pprint", "xmlattr", "wordcount"]
)
FILTER_ARGUMENTS = st.sampled_from(
    ["", "()", "(1)", "(3)", "(-1)", "(0)", "(1000)", "(100000)", "('x')", "(none)", "(1, 2)", "(places=1)",
     "(fte.family.rate)", "(fte.latest.rate)", "(6.65)", "('6.65')", "([])", "({})", "(1e309)", "(true)", "('up')"]
)
ODD_NAMES = st.sampled_from(
    ["fte", "fte.latest", "kpi", "local", "reoffending.annual", "x", "loop", "self", "range", "lipsum", "namespace",
     "cycler", "joiner", "dict", "config", "request", "none", "true", "1", "1.5", "-1", "'text'", "''", "'\\x0b'",
     "[]", "{}", "(1, 2)", "10**100", "2**2**2**2", "1/0", "1//0", "1 % 0", "'a' * 3", "'a' + 1", "[1][5]", "{}.x",
     "1e309", "-1e309", "fte.latest.rate.value", "fte.latest.rate.to_json()", "fte.latest.rate.summary()",
     "fte.latest.rate.inputs", "fte._values", "fte.__dict__", "''.__class__", "''.__class__.__mro__",
     "fte.latest.rate.__class__", "fte.keys()", "fte.items()", "fte.latest.rate.value.real", "x.y.z"]
)


@st.composite
def jinja_expression(draw: st.DrawFn) -> str:
    """A random Jinja fragment: figures, filters with odd arguments, statements, internals, deep nesting."""
    known = st.sampled_from(figure_ids())
    name = draw(
        st.one_of(
            known,
            known.map(lambda n: n[:-1]),
            ODD_NAMES,
            st.from_regex(r"[a-z_][a-z0-9_]{0,8}(\.[a-z_][a-z0-9_]{0,8}){0,3}", fullmatch=True),
        )
    )
    filters = draw(st.lists(st.tuples(FILTER_NAMES, FILTER_ARGUMENTS), max_size=3))
    expression = name + "".join(f" | {f}{a}" for f, a in filters)
    kind = draw(st.integers(0, 9))
    if kind <= 4:
        return f"{{{{ {expression} }}}}"
    if kind == 5:
        depth = draw(st.sampled_from([20, 100, 300]))
        opening, closing = draw(st.sampled_from([("(", ")"), ("[", "]"), ("{% if 1 %}", "{% endif %}")]))
        inner = opening * depth + "1" + closing * depth
        return inner if opening.startswith("{%") else f"{{{{ {inner} }}}}"
    return draw(
        st.sampled_from(
            [
                f"{{% if {expression} %}}yes{{% endif %}}",
                f"{{% if {expression} %}}unbalanced",
                "{% endif %}",
                f"{{% for item in {name} %}}{{{{ item }}}}{{% endfor %}}",
                f"{{% for item in {name} %}}",
                f"{{% set x = {expression} %}}{{{{ x }}}}",
                "{% include 'plan.yaml' %}",
                "{% include '/etc/passwd' %}",
                "{% import 'x' as y %}",
                "{% from 'x' import y %}",
                "{% extends 'base' %}",
                "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1) }}",
                "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
                "{% raw %}{{ x }}{% endraw %}",
                "{% raw %}",
                "{% block b %}x{% endblock %}",
                "{% filter upper %}x{% endfilter %}",
                "{% with a = 1 %}{{ a }}{% endwith %}",
                "{% do x %}",
                "{% call m() %}{% endcall %}",
                "{# comment",
                "{# ok #}",
                "{{",
                "}}",
                "{%",
                "{{ }}",
                f"{{{{ {expression}",
                "{{ fte.latest.rate | stated(1) | stated(2) }}",
            ]
        )
    )


LINK_TARGETS = st.one_of(
    st.sampled_from(
        ["", "#", "#section", "https://example.com", "http://", "mailto:a@b.c", "javascript:alert(1)", " ",
         "file:///etc/passwd", "data/risks.yaml", "a b", "https://example.com/a_(b)", "https://é.example"]
    ),
    st.text(max_size=10),
)
IMAGE_SOURCES = st.one_of(
    st.sampled_from(
        ["images/chart.png", "images/chart.png", "images/broken.png", "images/missing.png", "images/chart.PNG",
         "", " ", "../x.png", "../../etc/passwd", "/etc/passwd", "http://example.com/x.png", "//host/x.png",
         "C:\\x.png", "\\\\server\\x.png", "images", "images/", "plan.yaml", "sections/01-introduction.md",
         "templates/cover.docx", "images/chart.png#frag", "images/chart.png?x=1", "images/../images/chart.png",
         "images/%2e%2e/x.png", "data:image/png;base64,iVBOR", "file:///etc/passwd", "images/ch\tart.png", "é.png",
         'images/chart.png "A caption"', "images/chart.png 'caption'", 'images/chart.png ""', "<images/chart.png>"]
    ),
    _long(300).map(lambda name: name + ".png"),
    _long(300).map(lambda name: f"images/{name}/chart.png"),
    st.text(max_size=12),
)
DIRECTIVE_NAMES = st.one_of(
    st.sampled_from(
        ["performance-summary", "chart", "kpi-table", "risk-register", "budget-table", "budget-variance",
         "national-standards", "action-plan", "action-counts", "staffing", "glossary", "signoff", "landscape",
         "portrait", "unknown", "Chart", "chart-", "x"]
    ),
    st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
)
DIRECTIVE_ARGUMENTS = st.one_of(
    st.sampled_from(
        ["", "fte.rate", "fte.rate custody.rate", "reoffending.annual.binary", "nope", "Youth justice", "x y z", ":::",
         "fte.rate fte.rate", "kpi.ete.suitable", "'quoted'", "{{ x }}"]
    ),
    TEXT,
)


@st.composite
def inline_text(draw: st.DrawFn) -> str:
    parts = st.one_of(
        TEXT,
        TEXT.map(lambda t: f"**{t}**"),
        TEXT.map(lambda t: f"*{t}*"),
        TEXT.map(lambda t: f"`{t}`"),
        st.tuples(TEXT, LINK_TARGETS).map(lambda p: f"[{p[0]}]({p[1]})"),
        LINK_TARGETS.map(lambda u: f"<{u}>"),
        st.tuples(TEXT, IMAGE_SOURCES).map(lambda p: f"![{p[0]}]({p[1]})"),
        jinja_expression(),
        st.just("  \n"),
    )
    return " ".join(draw(st.lists(parts, max_size=5)))


@st.composite
def markdown_block(draw: st.DrawFn) -> str:
    kind = draw(
        st.sampled_from(
            ["heading", "paragraph", "paragraph", "list", "table", "quote", "directive", "pagebreak", "code", "hr",
             "image", "html", "jinja", "deep", "setext", "text"]
        )
    )
    if kind == "heading":
        return "#" * draw(st.integers(1, 7)) + draw(st.sampled_from([" ", "", "  "])) + draw(inline_text())
    if kind == "paragraph":
        return draw(inline_text())
    if kind == "list":
        markers = st.sampled_from(["-", "*", "+", "1.", "2)", "10."])
        items = draw(st.lists(st.tuples(st.integers(0, 3), markers, inline_text()), min_size=1, max_size=6))
        return "\n".join("    " * depth + f"{marker} {text}" for depth, marker, text in items)
    if kind == "table":
        header = "| " + " | ".join(draw(st.lists(TEXT, max_size=5))) + " |"
        aligns = draw(st.lists(st.sampled_from(["---", ":--", "--:", ":-:", "-", ""]), max_size=6))
        rows = draw(st.lists(st.lists(inline_text(), max_size=7), max_size=4))
        return "\n".join([header, "|" + "|".join(aligns) + "|", *("| " + " | ".join(row) + " |" for row in rows)])
    if kind == "quote":
        lines = draw(st.lists(st.tuples(st.integers(1, 3), inline_text()), min_size=1, max_size=3))
        return "\n".join(">" * depth + " " + text for depth, text in lines)
    if kind == "directive":
        closing = draw(st.sampled_from(["", " :::"]))
        return f"::: {draw(DIRECTIVE_NAMES)} {draw(DIRECTIVE_ARGUMENTS)}".rstrip() + closing
    if kind == "pagebreak":
        return draw(st.sampled_from(["\\pagebreak", "\\newpage", " \\pagebreak ", "\\pagebreak text"]))
    if kind == "code":
        fence = draw(st.sampled_from(["```\n", "```python\n", "    "]))
        return fence + draw(TEXT) + draw(st.sampled_from(["\n```", ""]))
    if kind == "hr":
        return draw(st.sampled_from(["---", "***", "___", "- - -"]))
    if kind == "image":
        title = draw(st.sampled_from(["", ' "A caption"', " 'Caption'", ' ""']))
        return f"![{draw(TEXT)}]({draw(IMAGE_SOURCES)}{title})"
    if kind == "html":
        return draw(
            st.sampled_from(
                ["<div>x</div>", "<table><tr><td>x</td></tr></table>", "<!-- c -->", "<br>",
                 "<img src='images/chart.png'>", "</div>", "<?xml ?>", "<![CDATA[x]]>"]
            )
        )
    if kind == "jinja":
        return draw(jinja_expression())
    if kind == "deep":
        depth = draw(st.sampled_from([20, 100, 500]))
        return draw(
            st.sampled_from(
                [">" * depth + " deep", "\n".join("  " * i + "- item" for i in range(depth)),
                 "*" * depth + "x" + "*" * depth, "[" * depth + "x" + "](y)" * depth]
            )
        )
    if kind == "setext":
        return draw(TEXT) + "\n" + draw(st.sampled_from(["===", "---", "=", "-"]))
    return draw(st.text(max_size=40))


@st.composite
def markdown_body(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(markdown_block(), max_size=8))
    return "".join(block + draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\r\n\r\n"])) for block in blocks)


@st.composite
def plausible_body(draw: st.DrawFn) -> str:
    """A body an author might write: sub-headings, figures with their filters, lists, tables, blocks, images."""
    figure = st.sampled_from(figure_ids())
    filtered = st.tuples(figure, st.sampled_from(["", " | pct", " | number(1)", " | rag", " | direction", " | period"]))
    sentence = st.lists(st.one_of(WORDS, filtered.map(lambda p: f"{{{{ {p[0]}{p[1]} }}}}")), min_size=1, max_size=8)
    block = st.one_of(
        sentence.map(" ".join),
        st.tuples(st.sampled_from(["##", "###"]), TEXT).map(lambda p: f"{p[0]} {p[1]}x"),
        st.lists(sentence.map(" ".join), min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
        st.integers(1, 4).map(lambda n: "\n".join(["| " + " | ".join(["h"] * n) + " |", "|" + "---|" * n,
                                                    "| " + " | ".join(["1"] * n) + " |"])),
        st.tuples(DIRECTIVE_NAMES, DIRECTIVE_ARGUMENTS).map(lambda p: f"::: {p[0]} {p[1]}".rstrip()),
        st.just("![A chart of the rate](images/chart.png \"Figure caption\")"),
        st.just("\\pagebreak"),
        st.just("> A quotation from a child."),
    )
    return "\n\n".join(draw(st.lists(block, max_size=8))) + "\n"


HEADING_IDS = sorted({heading for _, heading in [*SECTION_FILES, *APPENDIX_FILES]})


@st.composite
def front_matter(draw: st.DrawFn, heading: str = "child-first") -> str:
    """A front matter block: usually close to valid, sometimes mangled."""
    def odd(one_in: int) -> bool:
        return draw(st.integers(1, one_in)) == 1

    keys: dict[Any, Any] = {}
    if not odd(10):
        headings = [heading] * 4 + HEADING_IDS + ["local", "Child-First", "", "unknown"]
        keys["heading"] = draw(SCALARS if odd(4) else st.sampled_from(headings))
    if draw(st.booleans()):
        keys["title"] = draw(SCALARS if odd(4) else TEXT)
    if draw(st.booleans()):
        keys["numbered"] = draw(SCALARS if odd(4) else st.sampled_from([True, False, "yes", "no", "maybe", 2, None]))
    if odd(6):
        keys[draw(KEYS)] = draw(VALUES)
    if odd(8):
        keys = draw(VALUES)  # not a mapping at all, most likely
    text = dump(keys) if keys else ""
    if odd(5):
        text = draw(mutated_lines(text))
    odd_openings = ["--- \n", "----\n", "", "\ufeff---\n", "---\r\n", "\n---\n"]
    opening = draw(st.sampled_from(odd_openings)) if odd(4) else "---\n"
    closing = draw(st.sampled_from(["...\n", "", "--- x\n", "---", " ---\n"])) if odd(4) else "---\n"
    return opening + text + closing


# fmt: on
# ---------------------------------------------------------------------------------------
# Stage functions, one property each.


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder that the stage properties rewrite on every case (module-scoped: shared by design)."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "images").mkdir()
    (folder / "images" / "chart.png").write_bytes(png_bytes())
    (folder / "images" / "broken.png").write_bytes(b"not a png\n")
    return folder


@fuzz(300)
@given(source=st.sampled_from(["example", "tiny"]), data=st.data())
def test_load_plan(scratch: Path, source: str, data: st.DataObject) -> None:
    text = (REPO_ROOT / "plan.yaml").read_text(encoding="utf-8") if source == "example" else plan_yaml()
    (scratch / "plan.yaml").write_bytes(data.draw(mutated_yaml(text), label="plan.yaml"))

    document_or_error(lambda: load_plan(scratch), str(scratch / "plan.yaml"))


SECTION_LINES = st.one_of(TEXT, st.sampled_from(["---", "...", "## A heading", "", "heading: local"]))


@fuzz(300)
@given(front=front_matter(), body=st.lists(SECTION_LINES, max_size=5).map("\n".join), not_utf8=st.integers(0, 9))
def test_load_section(scratch: Path, front: str, body: str, not_utf8: int) -> None:
    content = (front + body).encode("utf-8")
    if not_utf8 == 0:
        content = content.replace(b"e", b"\xe9")
    (scratch / "section.md").write_bytes(content)
    display = Path("sections/03-child-first.md")

    document_or_error(lambda: load_section(scratch / "section.md", display, structure()), str(display))


STRUCTURED_FILES = {
    "risks": "risks.yaml",
    "budget": "budget.yaml",
    "standards": "standards.yaml",
    "actions": "actions.yaml",
    "staffing": "staffing.yaml",
    "glossary": "glossary.yaml",
}


@pytest.mark.parametrize("part", list(STRUCTURED_FILES))
@fuzz(150)
@given(data=st.data())
def test_structured_loaders(scratch: Path, part: str, data: st.DataObject) -> None:
    name = STRUCTURED_FILES[part]
    path = scratch / name
    path.write_bytes(data.draw(mutated_yaml((EXAMPLE_DATA / name).read_text(encoding="utf-8")), label=name))
    module_name, loader_name = LOADERS[part]
    module = import_module(module_name)
    display = Path("data") / name

    loaded = document_or_error(lambda: getattr(module, loader_name)(path, display, example_plan()), str(display))

    if loaded is not None:
        assert bind_blocks({part: loaded})


@fuzz(200)
@given(data=st.data())
def test_local_indicators(scratch: Path, data: st.DataObject) -> None:
    name = "local-indicators.yaml"
    (scratch / name).write_bytes(data.draw(mutated_yaml((EXAMPLE_DATA / name).read_text(encoding="utf-8")), label=name))
    display = Path("data") / name

    def load_and_compute() -> PerformanceResult:
        indicators, doc = load_local_indicators(scratch / name, display)
        result = PerformanceResult()
        problems = Problems()
        compute_local(result, indicators, doc, "Calderbrook", 30, problems)
        problems.raise_if_any()
        for figure in result.figures.values():  # as the tables and `figures --json` show them
            figure.to_json()
        return result

    document_or_error(load_and_compute, str(display))


DATASET_FILES = {
    "fte": "first-time-entrants.csv",
    "reoffending": "reoffending.csv",
    "custody": "custody.csv",
    "kpis": "kpis.csv",
}


@pytest.mark.parametrize("dataset", list(DATASET_FILES))
@fuzz(150)
@given(data=st.data())
def test_load_dataset_and_compute(scratch: Path, dataset: str, data: st.DataObject) -> None:
    name = DATASET_FILES[dataset]
    path = scratch / name
    path.write_bytes(data.draw(mutated_csv((EXAMPLE_DATA / name).read_text(encoding="utf-8")), label=name))
    display = Path("data") / name

    def load_and_compute() -> PerformanceResult:
        loaded = load_dataset(dataset, path, display)
        result = compute_performance(example_plan(), PerformanceData({dataset: loaded}, [], None))
        for figure in result.figures.values():  # as the tables and `figures --json` show them
            figure.to_json()
        return result

    document_or_error(load_and_compute, str(display))


@fuzz(400)
@given(
    pieces=st.lists(st.one_of(jinja_expression(), TEXT, st.just("\n")), min_size=1, max_size=6),
    first_line=st.integers(1, 60),
)
def test_render_text(pieces: list[str], first_line: int) -> None:
    source = " ".join(pieces)
    path = Path("sections/09-performance.md")
    env = make_environment({**FILTERS, "stated": stated_filter([])})

    def render() -> str:
        try:
            return render_text(env, source, example_figures(), path=path, first_line=first_line)
        except SectionError as exc:
            for problem in exc.problems:  # each names a line of this body
                match = re.match(rf"{re.escape(str(path))}:(\d+): \S", problem)
                assert match, problem
                line_ends = len(re.findall(r"\r\n|\r|\n", source))  # as Jinja counts lines
                assert first_line <= int(match[1]) <= first_line + line_ends, problem
            raise

    document_or_error(render, str(path))


@fuzz(150)
@given(body=markdown_body())
def test_render_section(scratch: Path, body: str) -> None:
    """What the pipeline does with a section body: merge the figures, then write the Markdown into Word."""
    display = Path("sections/03-child-first.md")
    env = make_environment({**FILTERS, "stated": stated_filter([])})
    document = open_template(TEMPLATES_DIR / "plan-template.docx", Path("templates/plan-template.docx"))
    ctx = RenderContext(document=document, plan_root=scratch)
    ctx.directives = {"chart": lambda ctx, argument, where: None, "glossary": lambda ctx, argument, where: None}

    def render() -> None:
        text = render_text(env, body, example_figures(), path=display, first_line=4)
        render_markdown(ctx, text, path=display, first_line=4, number="3")

    document_or_error(render, str(display))


# ---------------------------------------------------------------------------------------
# Whole builds: the tiny plan with the example's performance data and structured parts.


@cache
def rich_files() -> dict[str, str | bytes]:
    """The tiny plan's files plus the example's data and structured parts, all listed in plan.yaml."""
    example = parsed((REPO_ROOT / "plan.yaml").read_text(encoding="utf-8"))
    extra = {key: example[key] for key in ("performance", "structured")}
    files: dict[str, str | bytes] = {
        "plan.yaml": plan_yaml(PLAN_YAML + dump(extra)),
        "images/chart.png": png_bytes(),
        "images/broken.png": b"not a png\n",
    }
    for path in sorted(EXAMPLE_DATA.iterdir()):
        if path.is_file():  # not data/sources/, the published tables the data files were imported from
            files[f"data/{path.name}"] = path.read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Charts and rendered sections shared by the fuzzed builds: unchanged ones are reused, which is much faster."""
    cache_dir = tmp_path_factory.mktemp("fuzz-cache")
    with tempfile.TemporaryDirectory() as folder:
        root = write_plan(Path(folder) / "plan", rich_files())
        build(root, root / "output", cache_dir=cache_dir)  # the valid plan builds, and warms the cache
    return cache_dir


def build_document_or_error(files: dict[str, str | bytes | None], cache_dir: Path) -> None:
    """Build the rich tiny plan with `files` replaced: a .docx, or an error that leaves output/ as it was."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_plan(Path(folder) / "plan", {**rich_files(), **files})
        output = root / "output"
        output.mkdir()
        (output / TINY_OUTPUT_NAME).write_bytes(PREVIOUS_BUILD)
        before = snapshot(output)

        # Messages name plan files under the plan folder; Word templates are named as plan.yaml gives them.
        result = document_or_error(lambda: build(root, output, cache_dir=cache_dir), str(root), "template")

        if result is None:
            assert snapshot(output) == before, "a failed build changed the output folder"
        else:
            assert result.path.parent == output
            assert result.path.suffix == ".docx"
            assert result.path.stat().st_size > 0


@fuzz(25, whole_build=True)
@given(data=st.data())
def test_build_with_mutated_manifest(build_cache: Path, data: st.DataObject) -> None:
    manifest = data.draw(mutated_yaml(str(rich_files()["plan.yaml"])), label="plan.yaml")

    build_document_or_error({"plan.yaml": manifest}, build_cache)


@fuzz(20, whole_build=True)
@given(data=st.data())
def test_build_with_mutated_sections(build_cache: Path, data: st.DataObject) -> None:
    chosen = st.lists(st.sampled_from([*SECTION_FILES, *APPENDIX_FILES]), min_size=1, max_size=3, unique=True)
    files: dict[str, str | bytes | None] = {}
    for name, heading in data.draw(chosen, label="sections"):
        odd_front = data.draw(st.integers(0, 3), label=f"{name}: odd front matter") == 0
        front = data.draw(front_matter(heading), label=f"{name} front matter") if odd_front else None
        body = data.draw(st.one_of(plausible_body(), markdown_body()), label=f"{name} body")
        files[name] = front + body if front is not None else section_text(heading, body or "\n")

    build_document_or_error(files, build_cache)


@fuzz(30, whole_build=True)
@given(data=st.data())
def test_build_with_mutated_data(build_cache: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(p.name for p in EXAMPLE_DATA.iterdir() if p.is_file())), label="file")
    text = (EXAMPLE_DATA / name).read_text(encoding="utf-8")
    content = data.draw((mutated_csv if name.endswith(".csv") else mutated_yaml)(text), label=name)

    build_document_or_error({f"data/{name}": content}, build_cache)


# ---------------------------------------------------------------------------------------
# Regression tests: each input the fuzzer found that raised something other than
# PlanBuilderError, with the message it now gives. Paths are relative, as authors see them.

CHILD_FIRST = "sections/03-child-first.md"


def test_a_yaml_key_that_is_a_list(build_fails):
    # Was: TypeError: unhashable type: 'list' (yamlio._UniqueKeyLoader.construct_mapping).
    build_fails(
        {"plan.yaml": "? [a, b]\n" + plan_yaml()},
        "plan.yaml:1: YAML syntax error: a key cannot be a list or a mapping",
    )


@pytest.mark.parametrize(
    ("line", "message"),
    [
        # Was: ValueError: day is out of range for month (PyYAML's implicit date constructor).
        ("as_of: 2025-02-30", "'2025-02-30' is not a valid date (day is out of range for month)"),
        ("as_of: 2025-13-01", "'2025-13-01' is not a valid date (month must be in 1..12)"),
        # Was: ValueError (timezone offset beyond 24 hours).
        (
            "as_of: 2025-05-30 10:00:00 +99:00",
            "'2025-05-30 10:00:00 +99:00' is not a valid date (offset must be a timedelta strictly between "
            "-timedelta(hours=24) and timedelta(hours=24), not datetime.timedelta(days=4, seconds=10800).)",
        ),
        # Was: AttributeError: 'NoneType' object has no attribute 'groupdict'.
        ("as_of: !!timestamp soon", "'soon' is not a valid date"),
        # Was: ValueError: could not convert string to float / invalid literal for int().
        ("contents_levels: !!float two", "'two' is not a valid number (could not convert string to float: 'two')"),
        (
            "contents_levels: !!int two",
            "'two' is not a valid whole number (invalid literal for int() with base 10: 'two')",
        ),
        # Was: KeyError: 'maybe'.
        ("changes_page: !!bool maybe", "'maybe' is not a valid true or false value"),
        # Was: ValueError: not enough values to unpack (the duplicate-key check iterated the text).
        ("changes_page: !!map yes", "expected a mapping node, but found scalar"),
        ("changes_page: !!set yes", "expected a mapping node, but found scalar"),
    ],
)
def test_a_yaml_value_its_type_cannot_hold(build_fails, line, message):
    head = PLAN_YAML.replace("as_of: 2025-05-30\n", "") + line + "\n"
    if not line.startswith("as_of"):
        head += "as_of: 2025-05-30\n"
    build_fails({"plan.yaml": plan_yaml(head)}, f"plan.yaml:14: YAML syntax error: {message}")


@pytest.mark.parametrize(
    ("files", "error"),
    [
        # Was: ValueError: All strings must be XML compatible (lxml, writing the cover or a heading).
        (
            {"plan.yaml": plan_yaml(PLAN_YAML.replace("Testford Youth Justice Service", '"Testford\\vYJS"'))},
            "plan.yaml:2: YAML syntax error: the text contains U+000B, a character a Word document cannot hold; "
            "delete it (it usually comes with pasted text)",
        ),
        (
            {CHILD_FIRST: '---\nheading: child-first\ntitle: "Child\\0First"\n---\nBody.\n'},
            f"{CHILD_FIRST}:3: YAML syntax error: the text contains U+0000, a character a Word document cannot hold; "
            "delete it (it usually comes with pasted text)",
        ),
        (
            {CHILD_FIRST: section_text("child-first", "Intro.\n\nA line break\x0bpasted from Word.\n")},
            f"{CHILD_FIRST}:6: the text contains U+000B, a character a Word document cannot hold; "
            "delete it (it usually comes with pasted text)",
        ),
        (
            {CHILD_FIRST: section_text("child-first", "Intro.\n\n{{ 'made by an expression: \\x0c' }}\n")},
            f"{CHILD_FIRST}:6: the text contains U+000C, a character a Word document cannot hold; "
            "delete it (it usually comes with pasted text)",
        ),
    ],
)
def test_a_character_word_cannot_hold(build_fails, files, error):
    build_fails(files, error)


def test_a_structured_part_with_an_empty_path(build_fails):
    # Was: AttributeError: 'NoneType' object has no attribute 'read_text' (the loader was given no path).
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + "structured:\n  actions: ''\n")},
        "plan.yaml:16: structured.actions: String should have at least 1 character; got ''",
    )


def test_a_section_entry_that_is_a_folder(build_fails):
    # Was: IsADirectoryError (sections.load_section read the folder).
    sections = ["sections", *(name for name, _ in SECTION_FILES[1:])]
    build_fails(
        {"plan.yaml": plan_yaml(sections=sections)},
        "plan.yaml:16: sections[0]: sections: cannot read the section file (it is a folder, not a file)",
    )


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("template: {name}", "template"),
        ("structured: {{risks: {name}}}", "structured.risks"),
        ("performance: {{area: Testford, datasets: {{fte: {name}}}}}", "performance.datasets.fte.file"),
    ],
)
def test_a_manifest_path_with_a_name_too_long_for_the_file_system(build_fails, key, line):
    # Was: OSError: [Errno 36] File name too long (Path.is_file() raises it rather than returning False).
    name = "x" * 256 + ".docx"
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML + key.format(name=name) + "\n")},
        f"plan.yaml:15: {line}: a file or folder name in this path is longer than 255 characters; got {name!r}",
    )


def test_an_image_name_too_long_for_the_file_system(build_fails):
    # Was: OSError: [Errno 36] File name too long (markdown_render._image).
    source = "x" * 300 + ".png"
    build_fails(
        {CHILD_FIRST: section_text("child-first", f"Intro.\n\n![A chart]({source})\n")},
        f"{CHILD_FIRST}:6: image {source!r} cannot be opened (File name too long)",
    )


def test_a_service_name_longer_than_a_file_name(make_plan, tmp_path):
    # Was: OSError: [Errno 36] File name too long (the output name is built from the service name),
    # then ValueError: exceeded 255 char limit for property (python-docx, the document title).
    name = "Testford " + "x" * 300
    root = make_plan({"plan.yaml": plan_yaml(PLAN_YAML.replace("Testford Youth Justice Service", name))})

    built = build_and_open(root, tmp_path / "output")

    assert built.result.path.name == f"testford-{'x' * 91}-2025-26-draft.docx"
    title = built.document.core_properties.title
    assert (len(title), title[-1]) == (255, "…")


def test_a_version_too_long_for_a_file_name(build_fails):
    # A final plan's version is part of its file name; it is now at most 40 characters.
    version = "1." + "0" * 40
    build_fails(
        {"plan.yaml": plan_yaml(PLAN_YAML.replace('version: "0.1"', f'version: "{version}"'))},
        f"plan.yaml:13: version: String should have at most 40 characters; got {version!r}",
    )


def test_character_references_and_email_autolinks_in_sections(make_plan, tmp_path):
    # Was: ValueError: All strings must be XML compatible (Python-Markdown's STX/ETX placeholders reached Word).
    body = "Tom &amp; Jerry &copy; 2025&#12;, <office@testford.example>.\n"
    root = make_plan({CHILD_FIRST: section_text("child-first", body)})

    built = build_and_open(root, tmp_path / "output")

    assert "Tom & Jerry © 2025, office@testford.example." in [p.text for p in built.document.paragraphs]


def test_a_count_with_hundreds_of_digits(tmp_path):
    # Was: OverflowError: cannot convert float infinity to integer (data._cell).
    path = tmp_path / "fte.csv"
    count = "9" * 400
    path.write_text(f"period_start,period_end,area,fte_count,population_10_17\n2024-01-01,2024-12-31,A,{count},1\n")

    with pytest.raises(DataError) as caught:
        load_dataset("fte", path, Path("data/fte.csv"))

    assert caught.value.problems == [
        f"data/fte.csv row 2, column 'fte_count': {count!r} is too large for a count (at most 9,007,199,254,740,992)"
    ]


def test_figures_far_beyond_28_digits_are_shown():
    # Was: decimal.InvalidOperation (formatting.round_half_up quantized in a 28-digit context).
    assert number(1e30) == "1,000,000,000,000,000,000,000,000,000,000"
    assert pct(1e30) == "1,000,000,000,000,000,000,000,000,000,000.0%"
    assert number(2.675, 2) == "2.68"  # still half-up


def local_indicators(tmp_path: Path, latest: str, unit: str = "percent") -> PerformanceResult:
    path = tmp_path / "local.yaml"
    path.write_text(
        "indicators:\n"
        f"  - {{id: feedback, name: Feedback, unit: {unit}, polarity: higher,\n"
        f"     latest: {latest}, previous: {{period: Oct-Dec 2024, value: 1e-300}}}}\n"
    )
    indicators, doc = load_local_indicators(path, Path("data/local.yaml"))
    result = PerformanceResult()
    problems = Problems()
    compute_local(result, indicators, doc, "Calderbrook", 30, problems)
    problems.raise_if_any()
    return result


def test_a_local_indicator_that_is_infinite(tmp_path):
    # Was: decimal.InvalidOperation when the figure was shown.
    with pytest.raises(ConfigError) as caught:
        local_indicators(tmp_path, "{period: Jan-Mar 2025, value: .inf}")

    assert caught.value.problems == [
        "data/local.yaml:3: indicators[0].latest.value: Input should be a finite number; got inf"
    ]


def test_a_local_indicator_too_large_to_compute(tmp_path):
    # Was: decimal.InvalidOperation: 1e300 / 1e-300 is infinite, and so is the change from 1e-300.
    result = local_indicators(tmp_path, "{period: Jan-Mar 2025, numerator: 1e300, denominator: 1e-300}")

    latest = result.figures["local.feedback.latest"]
    assert (latest.value, latest.display) == (
        None,
        "n/a (numerator / denominator is too large to compute for Jan-Mar 2025)",
    )
    result = local_indicators(tmp_path, "{period: Jan-Mar 2025, value: 1e300}", unit="count")  # a % change from 1e-300
    change = result.figures["local.feedback.change"]
    assert (change.value, change.display) == (None, "n/a (too large to compute)")


def render(source: str) -> str:
    env = make_environment({**FILTERS, "stated": stated_filter([])})
    return render_text(env, source, example_figures(), path=Path("s.md"), first_line=10)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        # Was: NameError: name 'inf' is not defined (Jinja writes a folded 1e309 into the code as `inf`).
        (
            "{{ 1 | number(1e309) }}",
            "s.md:10: cannot render expression: a number is too large (name 'inf' is not defined)",
        ),
        # Was: RecursionError (Jinja's parser).
        (
            "{{ " + "(" * 300 + "1" + ")" * 300 + " }}",
            "s.md:10: cannot render the section text: expressions, blocks or macro calls are nested too deeply",
        ),
        # Was: IndentationError: too many levels of indentation (Python compiling Jinja's code).
        (
            "{% if 1 %}" * 100 + "{% endif %}" * 100,
            "s.md:10: cannot render the section text: expressions, blocks or macro calls are nested too deeply",
        ),
        # Was: RecursionError while rendering.
        (
            "One.\n{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
            "s.md:11: cannot render the section text: expressions, blocks or macro calls are nested too deeply",
        ),
        # Was: AttributeError: 'Figure' object has no attribute 'items'.
        (
            "{{ fte.latest.rate | dictsort }}",
            "s.md:10: cannot render expression: 'Figure' object has no attribute 'items'",
        ),
        # Was: jinja2.exceptions.FilterArgumentError.
        ("{{ 1.5 | round(1, 'up') }}", "s.md:10: cannot render expression: method must be common, ceil or floor"),
        # Was: AssertionError from Jinja's truncate filter.
        ("{{ 'text' | truncate(1) }}", "s.md:10: cannot render expression: expected length >= 3, got 1"),
    ],
)
def test_section_text_jinja_cannot_render(source, message):
    with pytest.raises(SectionError) as caught:
        render(source)

    assert caught.value.problems == [message]


def test_markdown_nested_too_deeply(tmp_path):
    # Was: RecursionError (Python-Markdown, a list nested 600 levels).
    document = open_template(TEMPLATES_DIR / "plan-template.docx", Path("templates/plan-template.docx"))
    ctx = RenderContext(document=document, plan_root=tmp_path)
    text = "\n".join("  " * level + "- item" for level in range(600))

    with pytest.raises(SectionError) as caught:
        render_markdown(ctx, text, path=Path("s.md"), first_line=4, number="3")

    assert caught.value.problems == ["s.md:4: the Markdown is nested too deeply to read (lists)"]
