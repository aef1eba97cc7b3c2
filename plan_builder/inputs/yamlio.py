"""Safe YAML loading that remembers the line of every key and item.

Errors later in the pipeline name the line an author must edit, so the loader
keeps a map from each value's path (("sections", 2, "file")) to its 1-based line.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plan_builder.errors import ConfigError
from plan_builder.inputs.files import read_input_text

Key = tuple[str | int, ...]

# Characters a Word document (XML 1.0) cannot hold: control characters other than tab and line
# ends, and U+FFFE/U+FFFF. Text pasted from Word carries U+000B for a manual line break.
NOT_IN_WORD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class YamlDocument:
    """Parsed YAML plus the source line of each value, by path."""

    path: Path
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    first_line: int = 1

    def line_of(self, key: Key) -> int:
        """Return the line of `key`, or of its nearest ancestor that has one."""
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.first_line

    def where(self, key: Key) -> str:
        """Return 'path:line' for error messages."""
        return f"{self.path}:{self.line_of(key)}"


ALIAS_LIMIT = 10_000
"""How many values YAML aliases ('*name') may add to a file by repeating what their anchor ('&name') holds.

An alias repeats a value without copying it, so a few lines of aliases of aliases can stand
for billions of values (a "billion laughs"): anything that walks the data would never finish.
Plan files seldom use aliases at all; this allows them and stops such a file at once.
"""


def _collect_lines(node: yaml.Node, key: Key, lines: dict[Key, int], offset: int, seen: set[int]) -> None:
    """Record the line of every value by path; a value reached again through an alias is not walked again."""
    lines[key] = node.start_mark.line + 1 + offset
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*key, str(key_node.value))
            _collect_lines(value_node, child, lines, offset, seen)
            lines[child] = key_node.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*key, index), lines, offset, seen)


def _children(node: yaml.Node) -> list[tuple[yaml.Node, int]]:
    """A node's children, each with the line where it is used (an alias's own line is not kept by YAML)."""
    if isinstance(node, yaml.MappingNode):
        return [pair for k, v in node.value for pair in ((k, k.start_mark.line), (v, k.start_mark.line))]
    if isinstance(node, yaml.SequenceNode):
        return [(item, node.start_mark.line) for item in node.value]
    return []


def check_aliases(node: yaml.Node, path: Path, offset: int) -> None:
    """Refuse a file whose aliases repeat more than `ALIAS_LIMIT` values, or an alias inside its own anchor.

    Sizes are counted once per distinct value (memoised), so even a "billion laughs" file is
    measured in the time it takes to read it.
    """
    sizes: dict[int, int] = {}
    alias_lines: list[int] = []
    active: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(node, node.start_mark.line, False)]
    while stack:  # depth first, without recursion: nesting is limited only by the YAML parser
        current, used_at, finished = stack.pop()
        if finished:
            active.discard(id(current))
            sizes[id(current)] = 1 + sum(sizes[id(child)] for child, _ in _children(current))
        elif id(current) in active:
            raise ConfigError(
                f"{path}:{used_at + 1 + offset}: a YAML alias ('*name') is used inside the value it names; "
                "write the value out instead"
            )
        elif id(current) in sizes:
            alias_lines.append(used_at)
        else:
            active.add(id(current))
            stack.append((current, used_at, True))
            stack += [(child, line, False) for child, line in reversed(_children(current))]  # in file order
    expanded = sizes[id(node)]
    if expanded - len(sizes) > ALIAS_LIMIT:
        raise ConfigError(
            f"{path}:{min(alias_lines) + 1 + offset}: YAML aliases ('*name') repeat more than {ALIAS_LIMIT:,} "
            "values in this file; write the values out in full, or use fewer aliases"
        )


_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster


class _UniqueKeyLoader(_BaseLoader):
    """Safe loader that rejects duplicate keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # '!!map text': PyYAML's own check says what is wrong
            return super().construct_mapping(node, deep=deep)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):  # '[a, b]: c' or '? [a]': checked before `in seen`, which needs a hash
                raise yaml.constructor.ConstructorError(
                    None, None, "a key cannot be a list or a mapping", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# PyYAML's constructors for these scalar types raise plain ValueError, KeyError or AttributeError
# for a value they cannot convert: an impossible date ('as_of: 2025-02-30', which YAML reads as a
# date without any tag) or an explicit tag on the wrong text ('!!int x', '!!bool maybe').
_SCALAR_KINDS = {"timestamp": "date", "int": "whole number", "float": "number", "bool": "true or false value"}


class TypedFloat(float):
    """A YAML float that remembers how it was written: '15.0' keeps the '.0' a float would lose.

    A typed value is checked at the precision it was typed to (`stated: 15.0` means one
    decimal place), so the digits matter; as a number it is an ordinary float.
    """

    text: str

    def __new__(cls, value: float, text: str | None = None) -> TypedFloat:
        """The float `value`, written in the file as `text`."""
        number = super().__new__(cls, value)
        number.text = text if text is not None else repr(float(value))
        return number


def _checked_scalar(tag: str, kind: str) -> Any:
    convert = _BaseLoader.yaml_constructors[tag]

    def construct(loader: Any, node: yaml.ScalarNode) -> Any:
        try:
            value = convert(loader, node)
            return TypedFloat(value, node.value.strip()) if kind == "number" else value
        except (ValueError, KeyError, AttributeError) as exc:
            detail = f" ({exc})" if isinstance(exc, ValueError) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value!r} is not a valid {kind}{detail}", node.start_mark
            ) from exc

    return construct


for _name, _kind in _SCALAR_KINDS.items():
    _tag = f"tag:yaml.org,2002:{_name}"
    _UniqueKeyLoader.add_constructor(_tag, _checked_scalar(_tag, _kind))


def word_character_problem(text: str) -> tuple[int, str] | None:
    """(offset, problem) for the first character of `text` a Word document cannot hold, or None."""
    found = NOT_IN_WORD.search(text)
    if found is None:
        return None
    return found.start(), (
        f"the text contains U+{ord(found[0]):04X}, a character a Word document cannot hold; "
        "delete it (it usually comes with pasted text)"
    )


def _construct_text(loader: Any, node: yaml.ScalarNode) -> str:
    # YAML refuses control characters typed into the file, but not escaped ones ("\x0b", "\0").
    text: str = loader.construct_scalar(node)
    problem = word_character_problem(text)
    if problem:
        raise yaml.constructor.ConstructorError(None, None, problem[1], node.start_mark)
    return text


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:str", _construct_text)


def parse_yaml(text: str, path: Path, *, line_offset: int = 0) -> YamlDocument:
    """Parse `text` safely; a syntax error names the file, line and problem."""
    loader = _UniqueKeyLoader(text)
    try:
        # One parse: compose the node tree (it carries line marks), then build the data from it.
        node = loader.get_single_node()
        if node is not None and "*" in text:  # an alias is written '*name': without one there is nothing to count
            check_aliases(node, path, line_offset)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else line_offset + 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"{path}:{line}: YAML syntax error: {problem}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: YAML syntax error: {exc}") from exc
    finally:
        loader.dispose()
    lines: dict[Key, int] = {}
    if node is not None:
        _collect_lines(node, (), lines, line_offset, set())
    return YamlDocument(path=path, data=data, lines=lines, first_line=line_offset + 1)


def load_yaml(path: Path, display: Path | None = None) -> YamlDocument:
    """Read and parse a YAML file; messages name it as `display` (default `path`)."""
    shown = display or path
    try:
        text = read_input_text(path)
    except FileNotFoundError as exc:
        raise ConfigError(f"{shown}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except OSError as exc:  # a folder, a named pipe, no permission
        raise ConfigError(f"{shown}: cannot read the file ({exc.strerror or exc})") from exc
    return parse_yaml(text, shown)
