"""Changes in words (`plan_builder.changes`): sentences, figures by label, structured parts by row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from plan_builder.changes.align import Step, align, ratio
from plan_builder.changes.compare import compare, compare_parts, figure_name
from plan_builder.changes.sentences import sentence_changes, sentences, word_changes


def words_alike(old: list[str], new: list[str]):
    return lambda i, j: ratio(old[i].split(), new[j].split())


def test_align_pairs_a_reworded_item_and_keeps_unrelated_ones_apart():
    old = ["The panel meets monthly.", "Budgets are tight.", "Same."]
    new = ["The panel meets every fortnight.", "A new sentence about something else entirely.", "Same."]
    assert align(old, new, words_alike(old, new)) == [
        Step("changed", 0, 0),
        Step("removed", 1, None),
        Step("added", None, 1),
        Step("same", 2, 2),
    ]


def test_align_lists_removals_before_additions_in_place():
    old, new = ["a b c", "x"], ["x", "d e f"]
    assert [s.kind for s in align(old, new, words_alike(old, new))] == ["removed", "same", "added"]


def test_sentences_drop_markup_a_reader_never_sees():
    text = (
        "## Voice of the child\n\n"
        "Children **told us** they want [shorter letters](https://example.org). We *listened*.\n\n"
        "- first item\n- second item\n\n"
        "::: risk-register\n\n"
        "| Area | Rate |\n|---|---:|\n| Testford | 0.30 |\n\n"
        "\\pagebreak\n"
        "> A quote from a child.\n"
    )
    assert sentences(text) == [
        "Voice of the child",
        "Children told us they want shorter letters.",
        "We listened.",
        "first item",
        "second item",
        "Area | Rate",
        "Testford | 0.30",
        "A quote from a child.",
    ]


def test_word_changes_name_the_words_removed_and_added():
    assert word_changes("The rate rose to 0.30 in 2024.", "The rate fell to 0.15 in 2024.") == (
        ("rose", "0.30"),
        ("fell", "0.15"),
    )
    # Punctuation next to a changed word is not part of the change.
    assert word_changes("a change of +16.2%, so it met monthly.", "a change of +4.8%, so it met weekly.") == (
        ("+16.2%", "monthly"),
        ("+4.8%", "weekly"),
    )


def test_sentence_changes_in_reading_order():
    old = "One stays. Two goes. Three changes a little here."
    new = "One stays. Three changes a lot here. Four is new and quite different."
    assert [c.describe() for c in sentence_changes(old, new)] == [
        'Removed: "Two goes."',
        'Changed: "Three changes a lot here." (removed "little"; added "lot")',
        'Added: "Four is new and quite different."',
    ]


@pytest.mark.parametrize(
    ("ident", "summary", "expected"),
    [
        (
            "fte.latest.rate",
            {"label": "First time entrants: First time entrants per 100,000 children aged 10-17", "area": "Testford",
             "period": "Jan-Dec 2024"},
            "First time entrants per 100,000 children aged 10-17, Jan-Dec 2024",
        ),
        (
            "fte.family.rate",
            {"label": "First time entrants: First time entrants per 100,000 children aged 10-17", "area": "YJS family",
             "period": "Jan-Dec 2024"},
            "First time entrants per 100,000 children aged 10-17, YJS family, Jan-Dec 2024",
        ),
        (
            "kpi.ete.latest.suitable",
            {"label": "KPI 2 Education, training and employment: Children attending a suitable ETE arrangement",
             "area": "Testford", "period": "Jan-Mar 2025"},
            "KPI 2 Education, training and employment: Children attending a suitable ETE arrangement, Jan-Mar 2025",
        ),
        ("custody.latest.rate", {"display": "0.19"}, "custody.latest.rate"),  # a manifest from before labels
    ],
)  # fmt: skip
def test_figures_are_named_as_the_plan_names_them(ident, summary, expected):
    assert figure_name(ident, summary, "Testford") == expected


def row(key: str, label: str, **fields: str) -> dict:
    return {"key": key, "label": label, "fields": fields}


def test_parts_compare_by_row():
    old = {
        "actions": [row("A7", "Action A7 (Train staff)", status="Planned but not started", lead="Sam")],
        "budget": [row("total", "Budget 2025-26", **{"pooled total": "£2,109,807"})],
    }
    new = {
        "actions": [
            row("A7", "Action A7 (Train staff)", status="Completed", lead="Sam"),
            row("A8", "Action A8 (Review letters)", status="Planned but not started", lead="Jo"),
        ],
        "budget": [],
    }
    assert [c.describe() for c in compare_parts(old, new)] == [
        "Action A7 (Train staff): status: Planned but not started -> Completed",
        "Action A8 (Review letters): added",
        "Budget 2025-26: removed",
    ]


def manifest(version: str, **extra) -> dict:
    return {"tool": "plan-builder", "built_at": "2025-06-20T10:15:00+01:00",
            "plan": {"version": version, "status": "draft", "area": "Testford"}, **extra}  # fmt: skip


def test_an_older_manifest_without_text_still_compares():
    old = manifest("0.1", sections={"sections/a.md": {"sha256": "1", "words": 3}})
    new = manifest("0.2", sections={"sections/a.md": {"sha256": "2", "words": 4, "title": "1. A", "text": "New."}})
    assert compare(old, new).lines()[1:] == [
        "Sections changed (1):",
        "  1. A",
        "    The text changed (the earlier build did not keep its text, so the sentences cannot be shown).",
    ]


def test_sections_added_removed_and_renamed():
    old = manifest(
        "0.1",
        sections={
            "sections/a.md": {"sha256": "1", "title": "1. Old name", "text": "Same."},
            "sections/b.md": {"sha256": "2", "title": "2. Going", "text": "Bye."},
        },
    )
    new = manifest("0.2", sections={
        "sections/c.md": {"sha256": "3", "title": "1. Arriving", "text": "Hello."},
        "sections/a.md": {"sha256": "1", "title": "2. New name", "text": "Same."},
    })  # fmt: skip
    assert compare(old, new).lines()[1:] == [
        "Sections changed (3):",
        "  New section: 1. Arriving",
        "  2. New name (was 1. Old name)",
        "    The wording is unchanged; its layout or the tables placed in it changed.",
        "  Section removed: 2. Going",
    ]


def test_nothing_changed():
    changes = compare(manifest("0.1"), manifest("0.1"))
    assert changes.empty
    assert changes.lines() == [
        "Changes from version 0.1 (draft) built 2025-06-20 10:15 to version 0.1 (draft) built 2025-06-20 10:15:",
        "No changes a reader would see.",
    ]
    assert changes.summary() == "Nothing has changed."


def test_status_change_is_named():
    new = manifest("0.2")
    new["plan"]["status"] = "board-review"
    changes = compare(manifest("0.1"), new)
    assert changes.lines()[1] == "Status: draft -> board-review"
    assert changes.summary() == "Only the status has changed."


def test_one_change_has_changed():
    old = manifest("0.1", figures={"x": {"label": "Things: Things", "display": "1", "value": 1}})
    new = manifest("0.2", figures={"x": {"label": "Things: Things", "display": "2", "value": 2}})
    assert compare(old, new).summary() == "1 figure has changed."


def write(path: Path, record: dict) -> Path:
    path.write_text(json.dumps(record))
    return path


def test_diff_of_two_manifests(tmp_path, run_cli):
    old = write(tmp_path / "old.json", manifest("0.1", figures={"x": {"label": "Things: Things", "display": "1",
                                                                         "value": 1, "period": "2024"}}))  # fmt: skip
    new = write(tmp_path / "new.json", manifest("0.2", figures={"x": {"label": "Things: Things", "display": "2",
                                                                         "value": 2, "period": "2024"}}))  # fmt: skip
    run = run_cli(["diff", str(old), str(new)])
    assert run.code == 0
    assert run.out.splitlines()[1:] == ["Figures changed (1):", "  Things, 2024: 1 -> 2"]


def test_diff_needs_both_or_neither(tmp_path, run_cli):
    run = run_cli(["diff", str(tmp_path / "old.json")])
    assert (run.code, run.err) == (
        2,
        "error: give both OLD and NEW, or neither (the last circulated version and the latest build)\n",
    )


def test_diff_of_something_else_is_refused(tmp_path, run_cli):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    run = run_cli(["diff", str(text), str(text)])
    assert (run.code, run.err) == (1, f"error: {text}: expected a build manifest (.json) or a plan document (.docx)\n")


def test_diff_before_anything_was_built(tmp_path, run_cli):
    run = run_cli(["diff", "--output", str(tmp_path)])
    assert (run.code, run.err) == (1, f"error: {tmp_path / 'manifests'}: need two builds to compare; found 0\n")


def test_the_summary_counts_rows_not_fields():
    old = manifest(
        "0.1",
        parts={
            "budget": [
                row("contribution:LA", "Budget 2025-26: Local authority: Calderbrook", staffing="£1", total="£1"),
                row("total", "Budget 2025-26", **{"pooled total": "£1"}),
            ]
        },
    )
    new = manifest("0.2", parts={"budget": [
        row("contribution:LA", "Budget 2025-26: Local authority: Calderbrook", staffing="£2", total="£2"),
        row("total", "Budget 2025-26", **{"pooled total": "£2"}),
    ]})  # fmt: skip
    changes = compare(old, new)
    assert len(changes.rows) == 3
    assert changes.summary() == "2 rows of the risk register, action plan, budget or National Standards have changed."
