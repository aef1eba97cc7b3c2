"""`plan-builder circulate`: the version a board saw is kept in output/circulated/ and never overwritten."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from conftest import snapshot

from plan_builder.commands.cli import main

STEM = "testford-youth-justice-service-2025-26-draft"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def built(make_plan, run_cli) -> Path:
    """The tiny plan, version 0.1, built (the CLI runs from inside the plan folder, so paths are relative)."""
    root = make_plan()
    assert run_cli(["build"], cwd=root).code == 0
    return root


def test_circulate_keeps_the_document_and_its_manifest(built, run_cli):
    run = run_cli(["circulate", "--to", "Board, 12 June 2025", "--on", "2025-06-12"], cwd=built)
    assert run.code == 0
    assert run.err == ""
    assert run.out == (
        "Circulated version 0.1 to Board, 12 June 2025; kept, never to be overwritten:\n"
        f"  output/circulated/{STEM}-v0.1.docx\n"
        f"  output/circulated/{STEM}-v0.1.json\n"
        "Later builds list it in the version history and show their changes against it. To word its row "
        "yourself, add it to document_control in plan.yaml:\n"
        '  - {version: "0.1", date: 2025-06-12, author: Testford Youth Justice Service, '
        'summary: "Circulated to Board, 12 June 2025"}\n'
    )
    kept = built / "output" / "circulated"
    assert (kept / f"{STEM}-v0.1.docx").read_bytes() == (built / "output" / f"{STEM}.docx").read_bytes()
    record = json.loads((kept / f"{STEM}-v0.1.json").read_text())
    assert record["circulations"] == [{"to": "Board, 12 June 2025", "on": "2025-06-12"}]
    assert record["plan"]["version"] == "0.1"
    assert record["sections"]["sections/01-introduction.md"]["title"] == "1. Introduction, vision and strategy"


def test_circulate_copies_the_pdf_when_the_build_made_one(built, run_cli):
    (built / "output" / f"{STEM}.pdf").write_bytes(b"%PDF-1.4 from this build\n")
    manifest = built / "output" / f"{STEM}.json"
    record = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**record, "pdf": f"{STEM}.pdf"}))
    run = run_cli(["circulate"], cwd=built)
    assert run.code == 0
    assert f"  output/circulated/{STEM}-v0.1.pdf\n" in run.out
    assert (built / "output" / "circulated" / f"{STEM}-v0.1.pdf").read_bytes() == b"%PDF-1.4 from this build\n"


def test_circulating_needs_a_build(make_plan, run_cli):
    root = make_plan()
    run = run_cli(["circulate"], cwd=root)
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"error: output/{STEM}.docx: no build of version 0.1 to circulate; run `plan-builder build` first\n"
    )


def test_a_build_older_than_its_files_is_not_circulated(built, run_cli):
    edit(built / "sections" / "03-child-first.md", "Text of the", "Changed text of the")
    run = run_cli(["circulate"], cwd=built)
    assert run.code == 1
    assert run.err == (
        f"error: output/{STEM}.docx: built before sections/03-child-first.md changed; "
        "run `plan-builder build` again, then circulate\n"
    )
    assert not (built / "output" / "circulated").exists()


def test_a_circulated_version_is_never_overwritten(built, run_cli):
    assert run_cli(["circulate", "--to", "Board, 12 June 2025", "--on", "2025-06-12"], cwd=built).code == 0
    kept = snapshot(built / "output" / "circulated")
    edit(built / "sections" / "03-child-first.md", "Text of the", "Changed text of the")
    assert run_cli(["build"], cwd=built).code == 0  # the same version, rebuilt with different text
    run = run_cli(["circulate", "--to", "Cabinet"], cwd=built)
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"error: output/circulated/{STEM}-v0.1.docx: version 0.1 was circulated to Board, 12 June 2025 on "
        "2025-06-12, and the current build differs from it; a circulated version is never overwritten: set a new "
        "version in plan.yaml (version:), build, then circulate\n"
    )
    assert snapshot(built / "output" / "circulated") == kept


def test_rebuilding_a_circulated_version_with_changes_is_warned(built, run_cli):
    assert run_cli(["circulate", "--to", "Board", "--on", "2025-06-12"], cwd=built).code == 0
    unchanged = run_cli(["build"], cwd=built)
    assert unchanged.code == 0 and "was circulated" not in unchanged.err
    edit(built / "sections" / "03-child-first.md", "Text of the", "Changed text of the")
    changed = run_cli(["build"], cwd=built)
    assert changed.code == 0
    assert (
        f"warning: {STEM}.docx: version 0.1 was circulated (Circulated to Board, 12 June 2025) and this build "
        "differs from it: give it a new version in plan.yaml before the board sees it again (plan-builder diff lists "
        "what changed)"
    ) in changed.err.splitlines()
    assert (built / "output" / "circulated" / f"{STEM}-v0.1.docx").exists()  # the circulated copy is untouched


def test_the_same_content_can_be_circulated_again(built, run_cli):
    assert run_cli(["circulate", "--to", "Board, 12 June 2025", "--on", "2025-06-12"], cwd=built).code == 0
    document = built / "output" / "circulated" / f"{STEM}-v0.1.docx"
    before = document.read_bytes()
    assert run_cli(["build"], cwd=built).code == 0  # a rebuild: new file bytes, same content
    run = run_cli(["circulate", "--to", "Cabinet, 2 July 2025", "--on", "2025-07-02"], cwd=built)
    assert run.code == 0
    assert run.out.splitlines()[:2] == [
        "Version 0.1 was circulated before and this build reads the same; recorded to Cabinet, 2 July 2025.",
        f"  output/circulated/{STEM}-v0.1.json",
    ]
    assert document.read_bytes() == before
    record = json.loads(document.with_suffix(".json").read_text())
    assert [c["to"] for c in record["circulations"]] == ["Board, 12 June 2025", "Cabinet, 2 July 2025"]


def test_circulated_versions_survive_later_builds_and_head_the_version_history(built, run_cli):
    assert run_cli(["circulate", "--to", "Board, 12 June 2025", "--on", "2025-06-12"], cwd=built).code == 0
    kept = snapshot(built / "output" / "circulated")
    edit(built / "plan.yaml", 'version: "0.1"', 'version: "0.2"')
    for text in ("First", "Second", "Third"):
        edit(built / "sections" / "03-child-first.md", "child-first section.", f"child-first section. {text} edit.")
        assert run_cli(["build"], cwd=built).code == 0
    assert snapshot(built / "output" / "circulated") == kept
    document = docx.Document(str(built / "output" / f"{STEM}.docx"))
    assert [[c.text for c in row.cells] for row in document.tables[0].rows] == [
        ["Version", "Date", "Author", "Summary of changes"],
        ["0.1", "12 June 2025", "Testford Youth Justice Service", "Circulated to Board, 12 June 2025"],
    ]


def test_plan_yaml_rows_take_precedence_over_circulation_rows(built, run_cli):
    assert run_cli(["circulate", "--to", "Board", "--on", "2025-06-12"], cwd=built).code == 0
    edit(
        built / "plan.yaml",
        'version: "0.1"\n',
        'version: "0.2"\ndocument_control:\n'
        "  - {version: '0.1', date: 2025-06-12, author: Priya Sandhu, summary: First draft for the board}\n",
    )
    assert run_cli(["build"], cwd=built).code == 0
    document = docx.Document(str(built / "output" / f"{STEM}.docx"))
    assert [[c.text for c in row.cells] for row in document.tables[0].rows][1:] == [
        ["0.1", "12 June 2025", "Priya Sandhu", "First draft for the board"]
    ]


def test_circulated_version_is_not_in_its_own_history(built, run_cli):
    """A rebuild of a circulated version must read the same as what was circulated."""
    assert run_cli(["circulate", "--on", "2025-06-12"], cwd=built).code == 0
    assert run_cli(["build"], cwd=built).code == 0
    document = docx.Document(str(built / "output" / f"{STEM}.docx"))
    assert "Document control" not in [p.text for p in document.paragraphs]


def test_tracked_changes_are_written_only_once_something_is_circulated(built, run_cli):
    edit(built / "plan.yaml", 'version: "0.1"', 'version: "0.2"')
    run = run_cli(["build"], cwd=built)
    assert "tracked-changes" not in run.out
    assert not (built / "output" / f"{STEM}-tracked-changes.docx").exists()


def test_a_final_build_writes_no_tracked_changes(built, run_cli):
    assert run_cli(["circulate", "--on", "2025-06-12"], cwd=built).code == 0
    edit(built / "plan.yaml", 'version: "0.1"', 'version: "1.0"')
    edit(built / "plan.yaml", "status: draft", "status: final")
    assert run_cli(["build"], cwd=built).code == 0
    assert not list((built / "output").glob("*tracked-changes*"))


def test_circulate_date_must_be_a_date(built, run_cli):
    with pytest.raises(SystemExit) as exit_info:
        main(["circulate", str(built), "--on", "12 June"])
    assert exit_info.value.code == 2


def test_changes_page_names_a_status_change(built, run_cli):
    assert run_cli(["circulate", "--on", "2025-06-12"], cwd=built).code == 0
    edit(built / "plan.yaml", 'version: "0.1"', 'version: "0.2"')
    edit(built / "plan.yaml", "status: draft", "status: board-review\nchanges_page: true")
    assert run_cli(["build"], cwd=built).code == 0
    document = docx.Document(str(built / "output" / "testford-youth-justice-service-2025-26-board-review.docx"))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Changes since version 0.1")
    assert texts[start + 1 : start + 3] == [
        "Compared with version 0.1 (draft) as circulated on 12 June 2025: Only the status has changed.",
        "The status changed from draft to board review.",
    ]
    assert (built / "output" / "testford-youth-justice-service-2025-26-board-review-tracked-changes.docx").exists()
