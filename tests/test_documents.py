"""One data set, several documents: board performance report, scorecard, progress report, annual update.

The example plan folder declares three further documents beside the plan; each is opened and
checked for what makes it its kind, and the figures they share are checked to agree.
"""

from __future__ import annotations

import docx
import pytest
from conftest import PLAN_YAML, BuiltPlan, copy_example_plan, plan_yaml

from plan_builder.commands.cli import main
from plan_builder.pipeline import build

BOARD = "calderbrook-youth-justice-service-board-report-2024-25-q4-board-review.docx"
SCORECARD = "calderbrook-youth-justice-service-scorecard-2024-25-q4-board-review.docx"
PROGRESS = "calderbrook-youth-justice-service-progress-report-2025-07-board-review.docx"


@pytest.fixture(scope="module")
def documents(example_build: BuiltPlan) -> dict[str, docx.document.Document]:
    folder = example_build.result.path.parent
    return {
        "plan": example_build.document,
        "board": docx.Document(str(folder / BOARD)),
        "scorecard": docx.Document(str(folder / SCORECARD)),
        "progress": docx.Document(str(folder / PROGRESS)),
    }


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def tables(document) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in table.rows] for table in document.tables]


def test_the_example_builds_all_four_documents(example_build: BuiltPlan):
    built = [r.name for r in example_build.result.documents]
    assert built == ["plan", "board-report-2024-25-q4", "scorecard-2024-25-q4", "progress-report-2025-07"]
    # None but the plan is checked against the YJB headings.
    for result in example_build.result.documents[1:]:
        assert not [w for w in result.warnings if "YJB heading" in w]


@pytest.mark.parametrize("name", ["board", "scorecard", "progress"])
def test_only_the_plan_calls_itself_a_youth_justice_plan(documents, name):
    document = documents[name]
    properties = document.core_properties
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    cover = " ".join(texts(document)[:8])
    for where in (properties.title, properties.subject, properties.keywords, header, cover):
        assert "Youth Justice Plan" not in where
    assert "Youth Justice Plan 2025-26" in documents["plan"].core_properties.title


def test_each_document_says_what_it_is(documents):
    assert documents["board"].core_properties.title == (
        "Calderbrook Youth Justice Service: Performance report to the partnership board, January to March 2025"
    )
    assert texts(documents["board"])[:3] == [
        "Calderbrook Youth Justice Service",
        "Performance report to the partnership board, January to March 2025",
        "For: Calderbrook Youth Justice Partnership Board, 12 June 2025",
    ]
    assert documents["scorecard"].core_properties.subject == "Performance scorecard, Jan-Mar 2025"
    header = documents["progress"].sections[1].header.paragraphs[0].text
    assert header == "Calderbrook YJS\tYouth justice action plans, progress report to the scrutiny panel"


def test_the_board_report_has_indicator_panels_and_the_kpis_with_their_adopters(documents):
    board = tables(documents["board"])
    panel = next(t for t in board if t[0] == ["Period", "Value", "Counts", "RAG"])
    assert panel[1][0] == "Jan-Dec 2024"
    assert panel[1][2] == "61 first time entrants; 31,500 children aged 10-17"
    assert panel[1][3].startswith(("Red", "Amber", "Green"))
    kpis = next(t for t in board if t[0][0] == "KPI and measure")
    assert kpis[0][-1] == "Adopter"
    ete = next(row for row in kpis if row[0].startswith("KPI 2 "))
    assert ete[-1] == "Dr Amira Hussain, Head of Inclusion, Education Services"
    commentary = [t for t in texts(documents["board"]) if t.startswith("KPI 2 Education")]
    assert commentary and "(adopter: Dr Amira Hussain" in commentary[0]


def test_a_figure_has_one_value_in_every_document(documents):
    def fte_rate(document) -> str:
        for table in tables(document):
            for row in table:
                if row[0].startswith("First time entrants: First time entrants per 100,000"):
                    return row[1]
        raise AssertionError("no FTE row")

    plan, scorecard = fte_rate(documents["plan"]), fte_rate(documents["scorecard"])
    panel = next(t for t in tables(documents["board"]) if t[0] == ["Period", "Value", "Counts", "RAG"])
    assert plan == scorecard == panel[1][1] == "194"


def test_the_scorecard_has_the_period_columns_the_data_has(documents):
    monthly = next(t for t in tables(documents["scorecard"]) if t[0][1] == "Oct 24")
    assert monthly[0] == [
        "Indicator", "Oct 24", "Nov 24", "Dec 24", "Jan 25", "Feb 25", "Mar 25", "Year to date", "Target", "RAG", "Benchmark"
    ]  # fmt: skip
    assert monthly[1][0].startswith("Children on the caseload in suitable education")
    assert monthly[1][-2] == "Amber (improving)"


def test_the_progress_report_counts_each_action_plan_separately(documents):
    counts = [t for t in tables(documents["progress"]) if t[0] == ["Status", "Number of actions"]]
    assert [dict((row[0], row[1]) for row in table[1:]) for table in counts] == [
        {"Not started": "1", "In progress": "2", "Completed": "4", "Duplicate of another action": "1", "Total": "8",
         "Of which past their due date and not completed": "0"},
        {"Not started": "1", "In progress": "2", "Completed": "2", "Duplicate of another action": "0", "Total": "5",
         "Of which past their due date and not completed": "0"},
        {"Planned but not started": "3", "Progressing and on track": "5", "May exceed original target date": "2",
         "Completed": "2", "Total": "12", "Of which past their due date and not completed": "2"},
    ]  # fmt: skip
    variance = [t for t in tables(documents["progress"]) if t[0][0] == "Category"]
    assert variance, "the budget outturn tables"


def action_rows(count: int, status: str, start: int = 1) -> str:
    return "".join(
        f"  - {{ref: X{n}, action: Action {n}, lead: Lead, due: 2025-01-31, status: {status}}}\n"
        for n in range(start, start + count)
    )


STATUSES = """\
statuses:
  - {id: open, label: Open}
  - {id: completed, label: Completed}
  - {id: duplicate, label: Duplicate, overdue: false}
"""


def test_a_progress_report_of_two_action_plans_with_their_own_statuses_and_counts(make_plan, capsys):
    # Seed 003: an appendix of 80 actions of which 61 completed and 19 duplicates, while the
    # cover said 46 completed.
    big = "title: Inspection action plan\n" + STATUSES + "stated_counts: {completed: 46}\nactions:\n"
    big += action_rows(61, "completed") + action_rows(19, "duplicate", start=62)
    small = "title: Peer review action plan\nactions:\n" + action_rows(2, "on-track") + action_rows(1, "completed", 3)
    head = PLAN_YAML + (
        "documents:\n"
        "  scrutiny:\n"
        "    kind: progress-report\n"
        "    period: July 2025\n"
        "    action_plans: [data/inspection.yaml, {file: data/peer.yaml, name: peer}]\n"
    )
    root = make_plan({"plan.yaml": plan_yaml(head), "data/inspection.yaml": big, "data/peer.yaml": small})
    assert main(["build", str(root), "--document", "scrutiny"]) == 0
    err = capsys.readouterr().err
    assert f"{root}/data/inspection.yaml:6: stated_counts: 46 actions 'Completed' stated, but the plan lists 61" in err
    # Duplicates and completed actions are never overdue; the peer review's open actions are.
    assert "inspection.yaml" not in err.replace("stated_counts", "").split("46 actions")[1]
    assert f"{root}/data/peer.yaml:3: action X1: overdue: due 31 January 2025" in err
    document = docx.Document(str(root / "output" / "testford-youth-justice-service-scrutiny-draft.docx"))
    counts = [t for t in tables(document) if t[0] == ["Status", "Number of actions"]]
    assert [table[1:4] for table in counts][0] == [["Open", "0"], ["Completed", "61"], ["Duplicate", "19"]]
    assert counts[0][4] == ["Total", "80"]
    assert counts[1][1:3] == [["Planned but not started", "0"], ["Progressing and on track", "2"]]
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "1. Progress on the action plans"
    assert [h for h in headings if h.endswith("action plan")] == [
        "1.1 Inspection action plan",
        "1.2 Peer review action plan",
    ]


def test_two_actions_each_marked_a_duplicate_of_the_other_is_a_warning(make_plan, capsys):
    plan = (
        "actions:\n"
        "  - {ref: A1, action: One, lead: L, due: 2026-01-31, status: on-track, duplicate_of: A2}\n"
        "  - {ref: A2, action: Two, lead: L, due: 2026-01-31, status: on-track, duplicate_of: A1}\n"
    )
    head = PLAN_YAML + "structured:\n  actions: data/actions.yaml\n"
    root = make_plan({"plan.yaml": plan_yaml(head), "data/actions.yaml": plan})
    assert main(["build", str(root)]) == 0
    assert (
        f"warning: {root}/data/actions.yaml:2: action A1 is marked a duplicate of A2, which is marked a duplicate "
        "of A1; keep one of them as the original"
    ) in capsys.readouterr().err


def test_building_one_document_and_an_unknown_name(make_plan, tmp_path):
    head = PLAN_YAML + "documents:\n  q4:\n    kind: scorecard\n    period: Jan-Mar 2025\n"
    root = make_plan({"plan.yaml": plan_yaml(head)})
    result = build(root, tmp_path / "out", document="q4")
    assert [r.name for r in result.documents] == ["q4"]
    assert sorted(p.name for p in (tmp_path / "out").glob("*.docx")) == ["testford-youth-justice-service-q4-draft.docx"]
    # A scorecard with no sections of its own follows its kind's outline, saying what has no data.
    document = docx.Document(str(result.path))
    assert "Not shown: this plan folder has no data for the scorecard of local indicators." in texts(document)
    with pytest.raises(Exception) as caught:
        build(root, tmp_path / "out", document="q5")
    assert str(caught.value) == f"{root}/plan.yaml: no document called 'q5'; expected one of: plan, q4"


def test_a_document_cannot_be_called_plan(build_fails):
    head = PLAN_YAML + "documents:\n  plan:\n    kind: scorecard\n"
    build_fails(
        {"plan.yaml": plan_yaml(head)},
        "plan.yaml:15: documents: 'plan' is the plan itself; give the document another name",
    )


def test_check_audits_every_document(capsys):
    from conftest import REPO_ROOT

    assert main(["check", str(REPO_ROOT)]) == 0
    out = capsys.readouterr().out
    assert "4 documents" in out
    assert "accessibility audit" in out


def test_an_annual_update_follows_its_outline_and_the_shorter_yjb_list(make_plan, tmp_path, capsys):
    head = PLAN_YAML + "documents:\n  update:\n    kind: plan-update\n    period: 2025-26\n"
    root = make_plan({"plan.yaml": plan_yaml(head)})
    result = build(root, tmp_path / "out", document="update")
    document = docx.Document(str(result.path))
    assert document.core_properties.title == "Testford Youth Justice Service: Youth Justice Plan annual update 2025-26"
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["1. Progress on our priorities", "2. Performance", "3. Budget", "4. Sign-off"]
    # Its own outline covers progress and performance; only the priorities are left to the author.
    update_warnings = [w for w in result.warnings if "annual update usually covers" in w]
    assert len(update_warnings) == 1 and "(priorities)" in update_warnings[0]
    assert not [w for w in result.warnings if "YJB heading" in w]


def test_an_annual_update_of_the_example_shows_each_block_once(tmp_path):
    root = copy_example_plan(tmp_path)
    plan_file = root / "plan.yaml"
    entry = "documents:\n  update:\n    kind: plan-update\n    period: 2025-26\n"
    plan_file.write_text(plan_file.read_text(encoding="utf-8").replace("documents:\n", entry, 1), encoding="utf-8")
    result = build(root, tmp_path / "out", document="update")
    document = docx.Document(str(result.path))
    captions = [p.text.split(": ", 1)[1] for p in document.paragraphs if p.style.name == "Caption"]
    assert len(captions) == len(set(captions)), "a block shown twice"
    assert "Performance summary: national and local indicators" in captions
    assert "The ten YJB key performance indicators, Jan-Mar 2025" in captions


def test_a_build_of_several_documents_replaces_all_of_them_or_none(tmp_path, monkeypatch):
    import errno

    from plan_builder.errors import OutputError
    from plan_builder.outputs import write as write_module

    root = copy_example_plan(tmp_path)
    out = tmp_path / "out"
    build(root, out)
    before = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    real_write_new = write_module._write_new

    def board_report_hits_a_full_disk(path, data):
        if "board-report" in path.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write_new(path, data)

    monkeypatch.setattr(write_module, "_write_new", board_report_hits_a_full_disk)
    with pytest.raises(OutputError) as caught:
        build(root, out)
    assert "nothing was replaced" in str(caught.value)
    # The plan was staged before the board report failed, and is not replaced either.
    assert {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()} == before


def test_each_warning_is_listed_once_with_the_documents_it_is_in():
    from pathlib import Path

    from plan_builder.documents.publish import BuildResult

    def result(name: str, warnings: list[str]) -> BuildResult:
        return BuildResult(Path(f"{name}.docx"), None, [], 1, 0, 0, 0, 0, warnings=warnings, name=name)

    plan = result("plan", ["A11 overdue"])
    plan.documents = [plan, result("board", ["A11 overdue"]), result("progress", ["A11 overdue", "A5 overdue"])]
    assert plan.every_warning() == ["A11 overdue", "A5 overdue (in progress)"]
