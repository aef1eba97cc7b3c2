"""Safe YAML loading that remembers the line of every key and item.

Errors later in the pipeline name the line an author must edit, so the loader
keeps a map from each value's path (("sections", 2, "file")) to its 1-based line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plan_builder.errors import ConfigError

Key = tuple[str | int, ...]


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


def _collect_lines(node: yaml.Node, key: Key, lines: dict[Key, int], offset: int) -> None:
    lines[key] = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*key, str(key_node.value))
            _collect_lines(value_node, child, lines, offset)
            lines[child] = key_node.start_mark.line + 1 + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_lines(item, (*key, index), lines, offset)


_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster


class _UniqueKeyLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that rejects duplicate keys instead of keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def parse_yaml(text: str, path: Path, *, line_offset: int = 0) -> YamlDocument:
    """Parse `text` safely; a syntax error names the file, line and problem."""
    loader = _UniqueKeyLoader(text)
    try:
        # One parse: compose the node tree (it carries line marks), then build the data from it.
        node = loader.get_single_node()
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
        _collect_lines(node, (), lines, line_offset)
    return YamlDocument(path=path, data=data, lines=lines, first_line=line_offset + 1)


def load_yaml(path: Path, display: Path | None = None) -> YamlDocument:
    """Read and parse a YAML file; messages name it as `display` (default `path`)."""
    shown = display or path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(f"{shown}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{shown}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    return parse_yaml(text, shown)
