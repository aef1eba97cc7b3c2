"""Damaged cache entries: each is dropped and made again, never used and never a traceback.

Before, a truncated chart gave a traceback on every build until the cache was deleted, an
entry with one letter changed was used as it was ("Aalderbrook" in the plan), and entries of
the wrong shape or with broken XML gave tracebacks.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from conftest import copy_example_plan
from docx_outline import normalised_body

from plan_builder.outputs.cache import seal, unseal
from plan_builder.pipeline import build


def entries(cache: Path, suffix: str) -> list[Path]:
    return sorted(p for p in cache.rglob(f"*{suffix}") if len(p.stem) == 64)


def document_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The example plan built once with a full cache: (plan folder, its output, the document's outline)."""
    root = tmp_path_factory.mktemp("cache-faults")
    plan = copy_example_plan(root)
    result = build(plan)
    return plan, plan / "output", normalised_body(result.path)


def rebuild_after(example: tuple[Path, Path, list[str]], damage: Callable[[Path], None]) -> Path:
    """Damage the example's cache, build again (in the same way as `plan-builder build`), return the document."""
    plan, output, _ = example
    damage(output / ".cache")
    return build(plan).path


@pytest.mark.slow
def test_truncated_charts_without_their_sections_are_drawn_again(example):
    count = len(entries(example[1] / ".cache", ".png"))

    def truncate_charts(cache: Path) -> None:
        for path in entries(cache, ".png"):
            data = path.read_bytes()
            path.write_bytes(data[: len(data) // 2])
        for path in entries(cache / "fragments", ".json"):
            path.unlink()  # so the charts are needed again

    document = rebuild_after(example, truncate_charts)

    assert normalised_body(document) == example[2]
    charts = entries(example[1] / ".cache", ".png")
    assert len(charts) == count > 0 and all(unseal(p.read_bytes()) is not None for p in charts)


@pytest.mark.slow
def test_a_section_entry_with_one_letter_changed_is_not_used(example):
    def flip_a_letter(cache: Path) -> None:
        for path in entries(cache / "fragments", ".json"):
            path.write_bytes(path.read_bytes().replace(b"Calderbrook", b"Aalderbrook"))

    document = rebuild_after(example, flip_a_letter)

    text = document_text(document)
    assert "Aalderbrook" not in text and "Calderbrook Youth Justice Service" in text
    assert normalised_body(document) == example[2]


def reseal(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    """Damage every section entry with `change` but store it with a correct digest (as a buggy writer would)."""

    def damage(cache: Path) -> None:
        for path in entries(cache / "fragments", ".json"):
            content = unseal(path.read_bytes())
            assert content is not None
            fragment = json.loads(content)
            change(fragment)
            path.write_bytes(seal(json.dumps(fragment).encode()))

    return damage


def broken_xml(fragment: dict[str, Any]) -> None:
    fragment["xml"] = [xml[: len(xml) // 2] for xml in fragment["xml"]]


def wrong_types(fragment: dict[str, Any]) -> None:
    fragment["counters"] = {"table_count": "three"}
    fragment["toc"] = [["one", 2, None]]


def missing_field(fragment: dict[str, Any]) -> None:
    del fragment["rels"]


def bad_picture(fragment: dict[str, Any]) -> None:
    fragment["rels"] = {rel_id: ["image", rel[1], "not base64!"] for rel_id, rel in fragment["rels"].items()}
    fragment["rels"]["rId999"] = ["image", "http://x", "not base64!"]


@pytest.mark.slow
@pytest.mark.parametrize("change", [broken_xml, wrong_types, missing_field, bad_picture])
def test_a_section_entry_that_cannot_be_read_back_is_rendered_again(example, change):
    document = rebuild_after(example, reseal(change))

    assert normalised_body(document) == example[2]
    for path in entries(example[1] / ".cache" / "fragments", ".json"):  # the bad entries were replaced
        content = unseal(path.read_bytes())
        assert content is not None and json.loads(content)["rels"] is not None


def test_an_entry_cut_short_in_a_small_plan_is_made_again(make_plan, run_cli):
    root = make_plan()
    assert run_cli(["build"], cwd=root).code == 0
    fragments = entries(root / "output" / ".cache" / "fragments", ".json")
    for path in fragments:
        path.write_bytes(path.read_bytes()[:-20])

    run = run_cli(["build"], cwd=root)

    assert run.code == 0 and run.err == ""
    assert all(unseal(p.read_bytes()) is not None for p in fragments)


@pytest.mark.parametrize(
    ("stored", "content"),
    [
        (seal(b"chart"), b"chart"),
        (seal(b"chart")[:-1], None),
        (seal(b"chart").replace(b"chart", b"Chart"), None),
        (b"chart", None),
        (b"", None),
        (seal(b"chart").replace(b"\n", b" "), None),
    ],
    ids=["whole", "cut short", "changed", "no digest", "empty", "no newline"],
)
def test_unseal_accepts_only_an_entry_whose_digest_matches(stored: bytes, content: bytes | None):
    assert unseal(stored) == content
