"""Board circulation and late data: status, watermark, versions, pending data, change summary, PDF."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from conftest import copy_example_plan

from plan_builder.commands.cli import main
from plan_builder.pipeline import build
from plan_builder.word.watermark import has_watermark

ROOT = Path(__file__).resolve().parent.parent
DRAFT_NAME = "calderbrook-youth-justice-service-2025-26-draft"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def footer_text(document) -> str:
    return document.sections[-1].footer.paragraphs[0].text


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return copy_example_plan(tmp_path_factory.mktemp("example"))


def test_draft_has_watermark_and_status_in_footer(make_plan):
    root = make_plan()
    result = build(root)
    document = docx.Document(str(result.path))
    assert has_watermark(document)
    assert footer_text(document).startswith("Draft version 0.1, 30 May 2025\tPage ")
    assert result.path.name == "testford-youth-justice-service-2025-26-draft.docx"


def test_board_review_watermark_and_final_has_none(make_plan):
    root = make_plan()
    edit(root / "plan.yaml", "status: draft", "status: board-review")
    review = docx.Document(str(build(root).path))
    assert "BOARD REVIEW" in review.sections[0].header._element.xml
    edit(root / "plan.yaml", "status: board-review", "status: final")
    edit(root / "plan.yaml", 'version: "0.1"', 'version: "1.0"')
    final = build(root)
    document = docx.Document(str(final.path))
    assert not has_watermark(document)
    assert footer_text(document).startswith("Final version 1.0, 30 May 2025")
    assert final.path.name == "testford-youth-justice-service-2025-26-final-v1.0.docx"


def test_final_version_is_never_overwritten(make_plan, capsys):
    root = make_plan()
    edit(root / "plan.yaml", "status: draft", "status: final")
    edit(root / "plan.yaml", 'version: "0.1"', 'version: "1.0"')
    first = build(root)
    before = first.path.read_bytes()
    assert main(["build", str(root)]) == 1
    assert capsys.readouterr().err == (
        f"error: {first.path}: this final version already exists and is never overwritten; "
        "set a new version in plan.yaml (version:) to build again\n"
    )
    assert first.path.read_bytes() == before


def test_document_control_table(make_plan):
    root = make_plan()
    edit(
        root / "plan.yaml",
        "as_of: 2025-05-30\n",
        "as_of: 2025-05-30\ndocument_control:\n"
        "  - {version: '0.1', date: 2025-04-01, author: Priya Sandhu, summary: First draft}\n"
        "  - {version: '0.2', date: 2025-05-02, author: Priya Sandhu, summary: Board comments}\n",
    )
    document = docx.Document(str(build(root).path))
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert rows == [
        ["Version", "Date", "Author", "Summary of changes"],
        ["0.2", "2 May 2025", "Priya Sandhu", "Board comments"],
        ["0.1", "1 April 2025", "Priya Sandhu", "First draft"],
    ]


def test_separate_appendix_document(make_plan):
    root = make_plan()
    edit(
        root / "plan.yaml",
        "  - sections/91-budget.md\n",
        "  - {file: sections/91-budget.md, separate_document: true}\n",
    )
    result = build(root)
    assert [p.name for p in result.appendix_documents] == [
        "testford-youth-justice-service-2025-26-draft-appendix-2.docx"
    ]
    appendix = docx.Document(str(result.appendix_documents[0]))
    headings = [p.text for p in appendix.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Appendix 2: Budget costs and contributions"]
    assert appendix.core_properties.title == (
        "Testford Youth Justice Service: Youth Justice Plan 2025-26, Appendix 2: Budget costs and contributions"
    )
    plan = docx.Document(str(result.path))
    texts = [p.text for p in plan.paragraphs]
    assert "This appendix is published as a separate document: " + result.appendix_documents[0].name + "." in texts


def pending_plan(example: Path, tmp_path: Path) -> Path:
    plan = copy_example_plan(tmp_path)
    edit(
        plan / "plan.yaml",
        "    reoffending: data/reoffending.csv\n",
        "    reoffending:\n      pending: {source: YJB reoffending data, due: August 2025}\n",
    )
    return plan


@pytest.mark.slow
def test_pending_dataset_shows_placeholders_and_outstanding_list(example, tmp_path, capsys):
    plan = pending_plan(example, tmp_path)
    assert main(["build", str(plan)]) == 0
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate((plan / "plan.yaml").read_text().splitlines(), 1) if "reoffending:" in t)
    assert (
        f"warning: {plan / 'plan.yaml'}:{line}: outstanding data: reoffending (Data due: YJB reoffending data, August 2025)"
        in (err.splitlines())
    )
    document = docx.Document(str(plan / "output" / f"{DRAFT_NAME}.docx"))
    paragraphs = document.paragraphs
    outstanding = next(i for i, p in enumerate(paragraphs) if p.text == "Outstanding data")
    contents = next(i for i, p in enumerate(paragraphs) if p.text == "Contents")
    assert contents < outstanding < next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1")
    placeholder_runs = [
        r for p in paragraphs for r in p.runs if r.text == "Data due: YJB reoffending data, August 2025"
    ]
    assert placeholder_runs, "no placeholder in the text"
    assert all(r.font.highlight_color is not None for r in placeholder_runs)
    # The chart's place says which chart, in words (not its id).
    assert (
        "The chart of binary reoffending rate (annual cohorts) is not yet available. Data due: YJB reoffending "
        "data, August 2025" in [p.text for p in paragraphs]
    )
    outstanding_table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert outstanding_table == [["Data", "Source", "Due"], ["reoffending", "YJB reoffending data", "August 2025"]]


@pytest.mark.slow
def test_final_build_refused_while_data_pending(example, tmp_path, capsys):
    plan = pending_plan(example, tmp_path)
    edit(
        plan / "plan.yaml",
        "  small_denominator: 30\n",
        "  small_denominator: 30\n  pending:\n"
        "    custody.latest.rate: {source: MoJ custody statistics, due: July 2025}\n",
    )
    edit(plan / "plan.yaml", "status: draft", "status: final")
    assert main(["build", str(plan)]) == 1
    lines = (plan / "plan.yaml").read_text().splitlines()
    reoffending = next(i for i, t in enumerate(lines, 1) if t.startswith("    reoffending:"))
    custody = next(i for i, t in enumerate(lines, 1) if "custody.latest.rate:" in t)
    assert capsys.readouterr().err.splitlines() == [
        f"error: {plan / 'plan.yaml'}:{reoffending}: reoffending is still pending (Data due: YJB reoffending data, August 2025); "
        "a final plan cannot be built until it arrives",
        f"error: {plan / 'plan.yaml'}:{custody}: custody.latest.rate is still pending (Data due: MoJ custody statistics, "
        "July 2025); a final plan cannot be built until it arrives",
    ]
    assert not (plan / "output").exists()


@pytest.mark.slow
def test_change_summary_lists_exactly_the_figures_that_depend_on_a_changed_number(tmp_path, capsys):
    plan = copy_example_plan(tmp_path)
    assert main(["build", str(plan), "--document", "plan"]) == 0
    edit(
        plan / "data" / "custody.csv",
        "2024-01-01,2024-12-31,Calderbrook,6,",
        "2024-01-01,2024-12-31,Calderbrook,4,",
    )
    capsys.readouterr()
    assert main(["build", str(plan), "--document", "plan"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("Since the previous build (version 0.3 (draft) built ")
    assert out.splitlines()[-1].endswith("6 figure(s), 1 section(s), 1 input file(s) changed; see `plan-builder diff`.")
    assert main(["diff", "--output", str(plan / "output"), "--verbose", "--document", "plan"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:] == [
        "Sections changed (1):",
        "  9. Performance (sections/09-performance.md)",
        '    Changed: "In Jan-Dec 2024 Calderbrook courts gave 4 custodial sentences to children, a rate of 0.13 per '
        "1,000 children aged 10-17, against 0.13 in Jan-Dec 2023 (a difference of 0.00) and 0.08 for England and "
        'Wales." (removed "6", "0.19", "+0.06)"; added "4", "0.13", "0.00)")',
        "Figures changed (6):",
        "  Use of custody: change in custodial sentences, Jan-Dec 2023 to Jan-Dec 2024: +50.0% -> 0.0% "
        "[custody.change.sentences]",
        "  Use of custody: difference in custodial sentences, Jan-Dec 2023 to Jan-Dec 2024: +2 -> 0 "
        "[custody.difference.sentences]",
        "  Use of custody: Custodial sentences, Jan-Dec 2024: 6 -> 4 [custody.latest.sentences]",
        "  Use of custody: change in custodial sentences per 1,000 children aged 10-17, Jan-Dec 2023 to Jan-Dec 2024: "
        "+0.06 -> 0.00 [custody.change.rate]",
        "  Use of custody: difference in custodial sentences per 1,000 children aged 10-17, Jan-Dec 2023 to "
        "Jan-Dec 2024: +0.06 -> 0.00 [custody.difference.rate]",
        "  Use of custody: Custodial sentences per 1,000 children aged 10-17, Jan-Dec 2024: 0.19 (Red) -> 0.13 (Red) "
        "[custody.latest.rate]",
        "Input files changed (1):",
        "  data/custody.csv",
    ]
    manifest = json.loads((plan / "output" / f"{DRAFT_NAME}.json").read_text())
    assert manifest["figures"]["custody.latest.rate"]["display"] == "0.13"
    assert manifest["inputs"]["data/custody.csv"] != ""
    text = (plan / "output" / f"{DRAFT_NAME}.json").read_text()
    figure_line = next(line for line in text.splitlines() if line.startswith('    "custody.latest.rate": {'))
    assert json.loads(figure_line.split(": ", 1)[1].rstrip(","))["display"] == "0.13"  # a line per figure


def test_the_manifest_text_holds_the_same_data_as_a_plain_dump():
    from plan_builder.outputs.manifest import manifest_bytes

    manifest = {
        "tool": "plan-builder 0.1",
        "version": 0.3,
        "figures": {"a.b": {"value": 1.5, "when": dt.date(2025, 6, 30)}, "c": {"inputs": {"n": [1, 2]}}},
        "inputs": {},
        "warnings": ["one", "two \u2013 three"],
        "pdf": None,
    }
    text = manifest_bytes(manifest).decode()
    assert json.loads(text) == json.loads(json.dumps(manifest, default=str))
    assert text.splitlines()[4] == '    "a.b": {"value": 1.5, "when": "2025-06-30"},'


@pytest.mark.slow
def test_changes_since_version_page_for_the_board(tmp_path):
    plan = copy_example_plan(tmp_path)
    build(plan)
    edit(plan / "plan.yaml", 'version: "0.3"', 'version: "0.4"')
    edit(plan / "plan.yaml", "status: draft\n", "status: draft\nchanges_page: true\n")
    edit(
        plan / "data" / "custody.csv",
        "2024-01-01,2024-12-31,Calderbrook,6,",
        "2024-01-01,2024-12-31,Calderbrook,4,",
    )
    document = docx.Document(str(build(plan).path))
    texts = [p.text for p in document.paragraphs]
    assert "Changes since version 0.3" in texts
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    changes = next(t for t in tables if t[0] == ["Figure", "Version 0.3", "Now"])
    assert [
        "Use of custody: Custodial sentences per 1,000 children aged 10-17, Jan-Dec 2024",
        "0.19 (Red)",
        "0.13 (Red)",
    ] in changes


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_contents_page_lists_sections_with_page_numbers(example, tmp_path):
    result = build(example, tmp_path / "out", pdf=True)
    assert result.pdf is not None and result.pdf.exists()
    contents = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(result.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [line.strip() for line in contents.splitlines() if "...." in line]
    assert lines[0].startswith("Foreword by the Chair")
    assert lines[0].endswith("3")
    numbered = [line for line in lines if line[0].isdigit()]
    assert len(numbered) == 16
    pages = [int(line.rstrip(".").split(".")[-1].strip()) for line in numbered]
    assert pages == sorted(pages) and pages[0] >= 3
    # The .docx's own contents carries the same page numbers for Word users.
    document = docx.Document(str(result.path))
    toc = [p.text for p in document.paragraphs if p.style.name == "TOC 1" and "\t" in p.text]
    assert toc[1].split("\t") == ["1. Introduction, vision and strategy", str(pages[0])]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")
def test_without_separate_appendices_the_pdf_is_the_board_pack(make_plan, tmp_path):
    result = build(make_plan(), tmp_path / "out", board_pack=True)
    assert result.pdf is not None and result.pdf.exists()
    assert result.board_pack is None and not list((tmp_path / "out").glob("*-board-pack.pdf"))
    assert result.notes == ["No document has separate appendices, so each PDF is its whole board pack."]


@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfunite") is None, reason="needs LibreOffice")
def test_board_pack_joins_the_plan_and_its_separate_appendices(make_plan, tmp_path):
    root = make_plan()
    edit(
        root / "plan.yaml",
        "  - sections/91-budget.md\n",
        "  - {file: sections/91-budget.md, separate_document: true}\n",
    )
    result = build(root, tmp_path / "out", board_pack=True)
    pack = result.path.with_name(result.path.stem + "-board-pack.pdf")

    def pages(path: Path) -> int:
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))

    assert result.pdf is not None
    assert pages(pack) == pages(result.pdf) + 1  # the one-page budget appendix follows the plan
    last = subprocess.run(
        ["pdftotext", "-f", str(pages(pack)), "-l", str(pages(pack)), str(pack), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Appendix 2: Budget costs and contributions" in " ".join(last.split())


def test_builds_within_the_same_second_are_compared_in_build_order(tmp_path):
    from plan_builder.outputs.manifest import last_two_manifests

    folder = tmp_path / "manifests"
    folder.mkdir()
    for name, count in (("plan-20250530T120000+0000.json", 1), ("plan-20250530T120000+0000-2.json", 2)):
        record = {"tool": "plan-builder", "built_at": "2025-05-30T12:00:00+00:00", "count": count}
        (folder / name).write_text(json.dumps(record))
    older, newer = last_two_manifests(tmp_path)
    assert (older.name, newer.name) == ("plan-20250530T120000+0000.json", "plan-20250530T120000+0000-2.json")
