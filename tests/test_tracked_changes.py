"""Changes a board can read: version 0.2 circulated, then one sentence, one figure's data, one risk score
changed and a paragraph deleted, and version 0.3 built.

The 0.3 build's changes page and `plan-builder diff` name each change in words; its
tracked-changes document holds exactly those insertions and deletions (read back from the
XML), accepting them all gives the 0.3 document's text, it validates like the plan and
LibreOffice opens it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from conftest import PLAN_YAML, copy_example_plan, needs_libreoffice, plan_yaml, section_text, write_plan
from docx_revisions import accept_all, block_texts, revisions, story

from plan_builder.commands.cli import main

STEM = "testford-youth-justice-service-2025-26-draft"
HEAD = PLAN_YAML.replace('version: "0.1"', 'version: "0.2"') + (
    "changes_page: true\n"
    "performance:\n"
    "  area: Testford\n"
    "  comparators: {national: England and Wales}\n"
    "  datasets:\n"
    "    custody: data/custody.csv\n"
    "structured:\n"
    "  risks: data/risks.yaml\n"
)
CUSTODY = """\
period_start,period_end,area,custodial_sentences,population_10_17
2023-01-01,2023-12-31,Testford,4,20000
2024-01-01,2024-12-31,Testford,6,20000
2023-01-01,2023-12-31,England and Wales,520,5931000
2024-01-01,2024-12-31,England and Wales,500,5968000
"""
RISKS = """\
scale: 5
risks:
  - title: Reduction in partner funding
    owner: Head of Service
    inherent: {impact: 4, likelihood: 4}
    residual: {impact: 3, likelihood: 3}
    review: 2025-09-30
  - title: Court delays
    owner: Team Manager
    inherent: {impact: 3, likelihood: 3}
    residual: {impact: 2, likelihood: 2}
    review: 2025-09-30
"""
VOICE = (
    "Children told us they want shorter letters. The participation panel meets monthly at the youth centre.\n\n"
    "We also ran a survey of parents in the summer holidays.\n\n"
    "Their views shape the service plan.\n"
)
PERFORMANCE = (
    "In {{ custody.latest.period }} the courts gave {{ custody.latest.sentences }} custodial sentences to "
    "Testford children.\n\n::: chart custody.rate\n"
)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@dataclass(frozen=True)
class Scenario:
    root: Path
    output: Path
    circulated: Path
    """The circulated 0.2 document."""
    circulated_bytes: bytes
    new: Path
    """The 0.3 plan."""
    tracked: Path
    build_output: str


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    root = write_plan(
        tmp_path_factory.mktemp("circulation") / "plan",
        {
            "plan.yaml": plan_yaml(HEAD),
            "data/custody.csv": CUSTODY,
            "data/risks.yaml": RISKS,
            "sections/04-voice-of-the-child.md": section_text("voice-of-the-child", VOICE),
            "sections/09-performance.md": section_text("performance", PERFORMANCE),
        },
    )
    assert main(["build", str(root)]) == 0
    assert main(["circulate", str(root), "--to", "Board, 12 June 2025", "--on", "2025-06-12"]) == 0
    circulated = root / "output" / "circulated" / f"{STEM}-v0.2.docx"
    before = circulated.read_bytes()
    edit(root / "plan.yaml", 'version: "0.2"', 'version: "0.3"')
    edit(root / "sections/04-voice-of-the-child.md", "meets monthly at", "meets every fortnight at")
    edit(root / "sections/04-voice-of-the-child.md", "We also ran a survey of parents in the summer holidays.\n\n", "")
    edit(root / "data/custody.csv", "2024-01-01,2024-12-31,Testford,6,20000", "2024-01-01,2024-12-31,Testford,3,20000")
    edit(root / "data/risks.yaml", "residual: {impact: 3, likelihood: 3}", "residual: {impact: 3, likelihood: 4}")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["build", str(root)]) == 0
    output = root / "output"
    return Scenario(
        root,
        output,
        circulated,
        before,
        output / f"{STEM}.docx",
        output / f"{STEM}-tracked-changes.docx",
        out.getvalue(),
    )


def test_the_build_says_where_the_tracked_changes_went(scenario):
    assert f"Wrote {scenario.tracked} (" in scenario.build_output
    assert " deletions since version 0.2)\n" in scenario.build_output


def test_changes_page_names_each_change_in_words(scenario):
    document = docx.Document(str(scenario.new))
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Changes since version 0.2")
    page = texts[start : start + 10]
    assert page == [
        "Changes since version 0.2",
        "Compared with version 0.2 (draft) as circulated to Board, 12 June 2025: 2 sections, 6 figures and 1 row "
        "of the risk register, action plan, budget or National Standards have changed.",
        "Sections",
        "4. Voice of the child",
        'Changed: "The participation panel meets every fortnight at the youth centre." '
        '(removed "monthly"; added "every fortnight")',
        'Removed: "We also ran a survey of parents in the summer holidays."',
        "9. Performance",
        'Changed: "In Jan-Dec 2024 the courts gave 3 custodial sentences to Testford children." '
        '(removed "6"; added "3")',
        "Figures",
        "Risks, actions, budget and National Standards",
    ]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    figures = next(t for t in tables if t[0] == ["Figure", "Version 0.2", "Now"])
    assert figures[1:] == [
        ["Use of custody: change in custodial sentences, Jan-Dec 2023 to Jan-Dec 2024", "+50.0%", "-25.0%"],
        ["Use of custody: difference in custodial sentences, Jan-Dec 2023 to Jan-Dec 2024", "+2", "-1"],
        ["Use of custody: Custodial sentences, Jan-Dec 2024", "6", "3"],
        [
            "Use of custody: change in custodial sentences per 1,000 children aged 10-17, Jan-Dec 2023 to Jan-Dec 2024",
            "+50.0%",
            "-25.0%",
        ],
        [
            "Use of custody: difference in custodial sentences per 1,000 children aged 10-17, Jan-Dec 2023 to "
            "Jan-Dec 2024",
            "+0.10",
            "-0.05",
        ],
        ["Use of custody: Custodial sentences per 1,000 children aged 10-17, Jan-Dec 2024", "0.30", "0.15"],
    ]
    rows = next(t for t in tables if t[0] == ["Item", "Version 0.2", "Now"])
    assert rows[1:] == [["Risk R1 (Reduction in partner funding): residual score", "9 (Medium)", "12 (Medium)"]]
    # No file names or figure ids anywhere on the page.
    shown = " ".join(page) + " ".join(c for t in (figures, rows) for r in t for c in r)
    assert not re.search(r"\.md|\.yaml|\.csv|custody\.latest", shown)


def test_version_history_lists_the_circulated_version(scenario):
    document = docx.Document(str(scenario.new))
    history = next(t for t in document.tables if t.rows[0].cells[0].text == "Version")
    assert [[c.text for c in row.cells] for row in history.rows] == [
        ["Version", "Date", "Author", "Summary of changes"],
        ["0.2", "12 June 2025", "Testford Youth Justice Service", "Circulated to Board, 12 June 2025"],
    ]


def test_diff_compares_with_the_last_circulated_version_in_words(scenario, run_cli):
    run = run_cli(["diff", "--output", str(scenario.output)])
    assert run.code == 0
    lines = run.out.splitlines()
    assert re.fullmatch(
        r"Changes from version 0\.2 \(draft\) as circulated to Board, 12 June 2025 to version 0\.3 \(draft\) "
        r"built \d{4}-\d\d-\d\d \d\d:\d\d:",
        lines[0],
    )
    assert lines[1:] == [
        "Sections changed (2):",
        "  4. Voice of the child",
        '    Changed: "The participation panel meets every fortnight at the youth centre." '
        '(removed "monthly"; added "every fortnight")',
        '    Removed: "We also ran a survey of parents in the summer holidays."',
        "  9. Performance",
        '    Changed: "In Jan-Dec 2024 the courts gave 3 custodial sentences to Testford children." '
        '(removed "6"; added "3")',
        "Figures changed (6):",
        "  Use of custody: change in custodial sentences, Jan-Dec 2023 to Jan-Dec 2024: +50.0% -> -25.0%",
        "  Use of custody: difference in custodial sentences, Jan-Dec 2023 to Jan-Dec 2024: +2 -> -1",
        "  Use of custody: Custodial sentences, Jan-Dec 2024: 6 -> 3",
        "  Use of custody: change in custodial sentences per 1,000 children aged 10-17, "
        "Jan-Dec 2023 to Jan-Dec 2024: +50.0% -> -25.0%",
        "  Use of custody: difference in custodial sentences per 1,000 children aged 10-17, "
        "Jan-Dec 2023 to Jan-Dec 2024: +0.10 -> -0.05",
        "  Use of custody: Custodial sentences per 1,000 children aged 10-17, Jan-Dec 2024: 0.30 -> 0.15",
        "Risks, actions, budget and standards changed (1):",
        "  Risk R1 (Reduction in partner funding): residual score: 9 (Medium) -> 12 (Medium)",
    ]
    assert ".md" not in run.out and "custody.latest" not in run.out


def test_diff_verbose_adds_file_names_and_figure_ids(scenario, run_cli):
    lines = run_cli(["diff", "--output", str(scenario.output), "--verbose"]).out.splitlines()
    assert "  4. Voice of the child (sections/04-voice-of-the-child.md)" in lines
    assert "  Use of custody: Custodial sentences, Jan-Dec 2024: 6 -> 3 [custody.latest.sentences]" in lines
    assert lines[-5:] == [
        "Input files changed (4):",
        "  data/custody.csv",
        "  data/risks.yaml",
        "  plan.yaml",
        "  sections/04-voice-of-the-child.md",
    ]


def changes_after_front_pages(found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The revisions after the new front pages (version history and changes page, inserted whole)."""
    start = found.index(("del", "monthly"))
    assert all(kind.startswith("ins") for kind, _ in found[2:start]), found[2:start]
    return found[start:]


def test_tracked_changes_hold_exactly_the_changes(scenario):
    tracked = docx.Document(str(scenario.tracked))
    found = [(r.kind, r.text) for r in revisions(story(tracked.part))]
    assert found[:3] == [("del", "0.2"), ("ins", "0.3"), ("ins-mark", "")]  # the cover's "Draft version 0.2"
    assert ("ins", "Changes since version 0.2") in found and ("ins", "Document control") in found
    assert changes_after_front_pages(found) == [
        ("del", "monthly"),  # the changed sentence, word by word
        ("ins", "every fortnight"),
        ("del-mark", ""),  # the deleted paragraph: its mark and its text
        ("del", "We also ran a survey of parents in the summer holidays."),
        ("del", "6"),  # the figure inside a sentence
        ("ins", "3"),
        ("del", ""),  # the custody chart, redrawn: the old picture out, the new one in
        ("ins", ""),
        ("del", "0.30"),  # the chart's figures table
        ("ins", "0.15"),
        ("del", "0.30"),  # the performance summary table, cell by cell
        ("ins", "0.15"),
        ("del", "+50.0%"),
        ("ins", "-25.0%"),
        ("del", "worsening"),
        ("ins", "improving"),
        ("del", "3"),  # the risk register: residual 3 x 3 = 9 -> 3 x 4 = 12
        ("ins", "4"),
        ("del", "9"),
        ("ins", "12"),
        ("del", ""),  # the heat map, redrawn
        ("ins", ""),
        ("del", "0.2"),  # the sign-off page's version
        ("ins", "0.3"),
    ]
    for name in ("footer2", "footer3"):
        footer = next(p for p in tracked.part.package.iter_parts() if str(p.partname) == f"/word/{name}.xml")
        assert [(r.kind, r.text) for r in revisions(footer.element)] == [("del", "0.2"), ("ins", "0.3")]


def test_each_revision_is_by_plan_builder_at_the_build_time(scenario):
    tracked = docx.Document(str(scenario.tracked))
    built = json.loads((scenario.output / f"{STEM}.json").read_text())["built_at"]
    stamp = dt.datetime.fromisoformat(built).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    found = revisions(story(tracked.part))
    assert {(r.author, r.date) for r in found} == {("plan-builder", stamp)}
    ids = [
        e.get(docx.oxml.ns.qn("w:id"))
        for e in tracked.element.body.iter(*(docx.oxml.ns.qn(t) for t in ("w:ins", "w:del")))
    ]
    assert len(ids) == len(set(ids))


def test_deleted_pictures_are_carried_into_the_tracked_document(scenario):
    tracked = docx.Document(str(scenario.tracked))
    deleted_pictures = [
        blip
        for deleted in tracked.element.body.iter(docx.oxml.ns.qn("w:del"))
        for blip in deleted.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip")
    ]
    assert len(deleted_pictures) == 2  # the old chart and the old heat map
    r_embed = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
    old_images = {part.blob for part in docx.Document(str(scenario.circulated)).part.related_parts.values()}
    new_images = {part.blob for part in docx.Document(str(scenario.new)).part.related_parts.values()}
    for blip in deleted_pictures:
        image = tracked.part.related_parts[blip.get(r_embed)].blob
        assert image[:4] == b"\x89PNG"
        assert image in old_images and image not in new_images  # the picture the board saw, not the new one


def test_accepting_every_revision_gives_the_new_document(scenario):
    tracked, new = docx.Document(str(scenario.tracked)), docx.Document(str(scenario.new))
    assert block_texts(accept_all(story(tracked.part))) == block_texts(story(new.part))
    parts = {str(p.partname): p for p in new.part.package.iter_parts()}
    for part in tracked.part.package.iter_parts():
        if str(part.partname).startswith(("/word/header", "/word/footer")):
            assert block_texts(accept_all(part.element)) == block_texts(parts[str(part.partname)].element)


def test_the_circulated_version_survives_the_later_build(scenario):
    assert scenario.circulated.read_bytes() == scenario.circulated_bytes
    assert (scenario.output / "circulated" / f"{STEM}-v0.2.json").exists()


def audit_errors(path: Path) -> Counter[str]:
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator(max_errors=10_000).validate(str(path))
    return Counter(re.sub(r"\[\d+\]", "", str(error)) for error in result.errors)


@pytest.mark.slow
def test_tracked_changes_validate_as_the_plan_does(scenario):
    """The same schema and semantic checks as the plan: no problem the plan itself does not have."""
    plan, tracked = audit_errors(scenario.new), audit_errors(scenario.tracked)
    assert set(tracked) - set(plan) == set()


@pytest.mark.parametrize("converter", [pytest.param("soffice", marks=needs_libreoffice)])
def test_libreoffice_opens_the_tracked_changes_and_shows_both_versions(scenario, tmp_path, converter):
    subprocess.run(
        [converter, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(scenario.tracked)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / scenario.tracked.with_suffix(".pdf").name
    text = " ".join(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    assert "meets monthlyevery fortnight at the youth centre" in text  # deleted and inserted words, side by side
    assert "We also ran a survey of parents in the summer holidays." in text


@pytest.mark.slow
def test_the_example_plan_with_rows_sections_and_data_changed(tmp_path, run_cli):
    """The whole example: a section removed, a paragraph added, an action, a budget line, a new risk, new data."""
    plan = copy_example_plan(tmp_path)
    edit(plan / "plan.yaml", 'version: "0.3"', 'version: "0.2"')
    assert run_cli(["build", str(plan)]).code == 0
    assert run_cli(["circulate", str(plan), "--to", "Board, 12 June 2025", "--on", "2025-06-12"]).code == 0
    edit(plan / "plan.yaml", 'version: "0.2"', 'version: "0.3"')
    edit(plan / "plan.yaml", "  - sections/06-board-development.md\n", "")
    edit(
        plan / "sections/03-child-first.md",
        "\n\n",
        "\n\nA new paragraph on trauma-informed practice, as the board asked.\n\n",
    )
    edit(plan / "data/actions.yaml", "    status: not-started", "    status: completed")
    edit(plan / "data/budget.yaml", "        staffing: 730,446", "        staffing: 740,446")
    edit(plan / "data/budget.yaml", "stated_total: 1,078,536", "stated_total: 1,088,536")
    edit(plan / "data/budget.yaml", "stated_total: 2,109,807", "stated_total: 2,119,807")
    edit(
        plan / "data/risks.yaml",
        "risks:\n",
        "risks:\n  - title: Loss of the youth centre lease\n    owner: Service Manager\n"
        "    inherent: {impact: 3, likelihood: 3}\n    residual: {impact: 3, likelihood: 2}\n    review: 2025-12-31\n",
    )
    edit(
        plan / "data/first-time-entrants.csv",
        "2024-01-01,2024-12-31,Calderbrook,61,",
        "2024-01-01,2024-12-31,Calderbrook,55,31500",
    )
    assert run_cli(["build", str(plan)]).code == 0
    lines = run_cli(["diff", "--output", str(plan / "output")]).out.splitlines()
    assert lines[1:5] == [
        "Sections changed (5):",
        "  3. Child First",
        '    Added: "A new paragraph on trauma-informed practice, as the board asked."',
        "  7. Resources and services",  # its text gives the budget's totals, which changed
    ]
    assert "  Section removed: 6. Board development" in lines
    assert "  First time entrants per 100,000 children aged 10-17, Jan-Dec 2024: 194 (Red) -> 175 (Red)" in lines
    assert lines[lines.index("Risks, actions, budget and standards changed (7):") + 1 :] == [
        "  Risk R7 (Loss of the youth centre lease): added",
        "  Action A2 (Add ethnicity, care status and SEND to the decision-point...): status: "
        "Planned but not started -> Completed",
        "  Budget 2025-26: Local authority: Calderbrook Metropolitan Borough Council: staffing: £771,826 -> £781,826",
        "  Budget 2025-26: Local authority: Calderbrook Metropolitan Borough Council: total: £1,078,536 -> £1,088,536",
        "  Budget 2025-26: Local authority: Calderbrook Metropolitan Borough Council, Children's Services: staffing: "
        "£730,446 -> £740,446",
        "  Budget 2025-26: Local authority: Calderbrook Metropolitan Borough Council, Children's Services: total: "
        "£975,156 -> £985,156",
        "  Budget 2025-26: pooled total: £2,109,807 -> £2,119,807",
    ]
    output = plan / "output"
    tracked = docx.Document(str(output / "calderbrook-youth-justice-service-2025-26-draft-tracked-changes.docx"))
    new = docx.Document(str(output / "calderbrook-youth-justice-service-2025-26-draft.docx"))
    assert block_texts(accept_all(story(tracked.part))) == block_texts(story(new.part))
    found = [(r.kind, r.text) for r in revisions(story(tracked.part))]
    assert ("del", "6. Board development") in found  # the removed section, whole
    assert ("ins", "A new paragraph on trauma-informed practice, as the board asked.") in found
    assert ("del", "Planned but not started") in found and ("ins", "Completed") in found
    assert ("del", "£730,446") in found and ("ins", "£740,446") in found
    assert ("ins", "Loss of the youth centre lease") in found


def _has_uno() -> bool:
    return subprocess.run(["/usr/bin/python3", "-c", "import uno"], capture_output=True).returncode == 0


@pytest.mark.parametrize("converter", [pytest.param("soffice", marks=needs_libreoffice)])
@pytest.mark.skipif(not _has_uno(), reason="needs LibreOffice's Python (apt-get install python3-uno)")
def test_libreoffice_accept_all_gives_the_new_document(scenario, tmp_path, converter):
    """A real editor's "Accept all", not only our reading of the XML: its text is the new plan's, word for word."""
    accepted, new = tmp_path / "accepted.txt", tmp_path / "new.txt"
    script = Path(__file__).with_name("uno_accept_all.py")
    subprocess.run(
        ["/usr/bin/python3", str(script), "Accept", str(scenario.tracked), str(accepted), str(scenario.new), str(new)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert accepted.read_text(encoding="utf-8") == new.read_text(encoding="utf-8")
    assert "meets every fortnight at the youth centre" in accepted.read_text(encoding="utf-8")


def test_a_tracked_changes_document_open_in_word_is_a_warning_kept_in_the_manifest(scenario):
    # Last in this file: it builds the scenario's plan again.
    lock = scenario.output / f"~${STEM}-tracked-changes.docx"
    lock.write_text("lock")
    try:
        out = io.StringIO()
        with contextlib.redirect_stderr(out):
            assert main(["build", str(scenario.root)]) == 0
    finally:
        lock.unlink()
    warning = f"{scenario.tracked}: open in Word (lock file '~$...' beside it); no tracked-changes document written"
    assert f"warning: {warning}" in out.getvalue()
    assert warning in json.loads(scenario.new.with_suffix(".json").read_text(encoding="utf-8"))["warnings"]
    assert main(["build", str(scenario.root)]) == 0  # and the next build writes it again
