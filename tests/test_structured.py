"""Risk register, action plan, National Standards and staffing: computed, checked and rendered."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import load_plan
from plan_builder.parts.actions.model import load_actions
from plan_builder.parts.risks.model import load_risks
from plan_builder.parts.risks.render import heat_map_alt_text
from plan_builder.parts.staffing.model import load_staffing
from plan_builder.parts.standards.model import load_standards
from plan_builder.pipeline import build

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def plan():
    return load_plan(ROOT)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


RISK = """\
  - title: {title}
    owner: Head of Service
    inherent: {{impact: {i}, likelihood: {l}{stated}}}
    residual: {{impact: {ri}, likelihood: {rl}}}
    review: 2025-09-30
"""


def risks_yaml(*risks: dict, scale: int = 3, highest: int | None = None) -> str:
    head = f"scale: {scale}\nhighest: {highest if highest is not None else scale}\nrisks:\n"
    return head + "".join(
        RISK.format(
            title=r["title"],
            i=r["i"],
            l=r["l"],
            ri=r.get("ri", 1),
            rl=r.get("rl", 1),
            stated=f", stated_score: {r['stated']}" if "stated" in r else "",
        )
        for r in risks
    )


def test_score_is_impact_times_likelihood_never_the_sum_seed_002(tmp_path, plan):
    path = write(tmp_path, "risks.yaml", risks_yaml({"title": "Loss of funding", "i": 2, "l": 3, "stated": 5}))
    register = load_risks(path, Path("risks.yaml"), plan)
    (risk,) = register.risks
    assert risk.inherent.score == 6
    assert register.warnings == [
        "risks.yaml:6: risk 'Loss of funding': inherent score stated as 5 but impact 2 x likelihood 3 = 6"
    ]


def test_scale_where_one_is_highest_is_converted_with_a_warning(tmp_path, plan):
    path = write(
        tmp_path,
        "risks.yaml",
        risks_yaml({"title": "Remand not kept low", "i": 1, "l": 1, "ri": 3, "rl": 3}, highest=1),
    )
    register = load_risks(path, Path("risks.yaml"), plan)
    (risk,) = register.risks
    assert (risk.inherent.impact, risk.inherent.likelihood, risk.inherent.score) == (3, 3, 9)
    assert (risk.residual.score, risk.residual.rating) == (1, "Low")
    assert register.warnings[0] == (
        "risks.yaml:2: highest: 1 means the highest risk in this register, which is unusual; "
        "scores are converted so that 3 x 3 = 9 is the worst"
    )


def test_residual_higher_than_inherent_is_a_warning(tmp_path, plan):
    path = write(tmp_path, "risks.yaml", risks_yaml({"title": "Court delays", "i": 1, "l": 2, "ri": 3, "rl": 3}))
    register = load_risks(path, Path("risks.yaml"), plan)
    assert register.warnings == [
        "risks.yaml:7: risk 'Court delays': residual score 9 is higher than the inherent score 2; "
        "controls should not increase a risk"
    ]


def test_impact_outside_the_scale_is_an_error(tmp_path, plan):
    path = write(tmp_path, "risks.yaml", risks_yaml({"title": "Funding", "i": 4, "l": 1}))
    with pytest.raises(ConfigError) as caught:
        load_risks(path, Path("risks.yaml"), plan)
    assert str(caught.value) == "risks.yaml:6: risk 'Funding': inherent.impact: expected 1 to 3; got 4"


def test_risks_ordered_by_residual_score_with_default_bands(tmp_path, plan):
    path = write(
        tmp_path,
        "risks.yaml",
        risks_yaml(
            {"title": "Low one", "i": 2, "l": 2, "ri": 1, "rl": 1},
            {"title": "High one", "i": 5, "l": 5, "ri": 4, "rl": 5},
            {"title": "Middle one", "i": 4, "l": 4, "ri": 3, "rl": 3},
            scale=5,
        ),
    )
    register = load_risks(path, Path("risks.yaml"), plan)
    assert [(r.ref, r.entry.title, r.residual.score, r.residual.rating) for r in register.risks] == [
        ("R1", "High one", 20, "High"),
        ("R2", "Middle one", 9, "Medium"),
        ("R3", "Low one", 1, "Low"),
    ]
    assert heat_map_alt_text(register).startswith(
        "Risk heat map: a 5 by 5 grid of likelihood (across) against impact (up), coloured by rating. "
        "Residual positions after controls: R1 High one: impact 4, likelihood 5, score 20 (High);"
    )


ACTION = "  - {{ref: {ref}, action: Do it, lead: Manager, due: {due}, status: {status}}}\n"


def test_action_counts_come_from_the_rows_seed_003(tmp_path, plan):
    rows = "".join(ACTION.format(ref=f"A{i}", due="2025-12-31", status="completed") for i in range(61))
    rows += ACTION.format(ref="B1", due="2025-12-31", status="on-track")
    path = write(tmp_path, "actions.yaml", "stated_counts: {completed: 46}\nactions:\n" + rows)
    actions = load_actions(path, Path("actions.yaml"), plan)
    assert dict(actions.counts)["Completed"] == 61
    assert dict(actions.counts)["Progressing and on track"] == 1
    assert actions.warnings == ["actions.yaml:1: stated_counts: 46 actions 'Completed' stated, but the plan lists 61"]


def test_overdue_actions_are_flagged_relative_to_the_plan_date(tmp_path, plan):
    rows = ACTION.format(ref="A1", due="2025-04-30", status="on-track") + ACTION.format(
        ref="A2", due="2025-04-30", status="completed"
    )
    path = write(tmp_path, "actions.yaml", "actions:\n" + rows)
    actions = load_actions(path, Path("actions.yaml"), plan)
    assert [a.overdue for a in actions.actions] == [True, False]
    assert actions.warnings == [
        "actions.yaml:2: action A1: overdue: due 30 April 2025, status 'Progressing and on track'"
    ]


def test_unknown_status_and_bad_date_name_the_action(tmp_path, plan):
    rows = ACTION.format(ref="A1", due="2025-04-30", status="done") + ACTION.format(
        ref="A2", due="next spring", status="completed"
    )
    path = write(tmp_path, "actions.yaml", "actions:\n" + rows)
    with pytest.raises(ConfigError) as caught:
        load_actions(path, Path("actions.yaml"), plan)
    message = str(caught.value)
    assert message.startswith("actions.yaml:3: actions[1].due: Input should be a valid date")
    path = write(tmp_path, "actions.yaml", "actions:\n" + ACTION.format(ref="A1", due="2025-04-30", status="done"))
    with pytest.raises(ConfigError) as caught:
        load_actions(path, Path("actions.yaml"), plan)
    assert str(caught.value) == (
        "actions.yaml:2: action A1: status: unknown status 'done'; "
        "expected one of: not-started, on-track, may-exceed, completed"
    )


STANDARDS = """\
assessed: 2024-09-30
standards:
  - {standard: out-of-court, operational: Good, strategic: {grade: Good, qualifier: with outstanding features}}
  - {standard: at-court, operational: Good, strategic: Outstanding}
  - {standard: in-the-community, operational: Requires improvement, strategic: Good}
  - {standard: in-secure-settings, operational: Good, strategic: Good}
"""


def test_all_five_standards_are_required(tmp_path, plan):
    path = write(tmp_path, "standards.yaml", STANDARDS)
    with pytest.raises(ConfigError) as caught:
        load_standards(path, Path("standards.yaml"), plan)
    assert str(caught.value) == "standards.yaml:2: standards: missing On transition and resettlement"


def test_grades_must_be_on_the_scale(tmp_path, plan):
    text = STANDARDS + "  - {standard: transition-and-resettlement, operational: Brilliant, strategic: Good}\n"
    path = write(tmp_path, "standards.yaml", text)
    with pytest.raises(ConfigError) as caught:
        load_standards(path, Path("standards.yaml"), plan)
    assert str(caught.value) == (
        "standards.yaml:7: standard 'On transition and resettlement': operational: 'Brilliant' is not on the "
        "scale (Outstanding, Good, Requires improvement, Inadequate)"
    )
    good = write(
        tmp_path,
        "ok.yaml",
        STANDARDS + "  - {standard: transition-and-resettlement, operational: Good, strategic: Good}\n",
    )
    assessment = load_standards(good, Path("ok.yaml"), plan)
    assert assessment.standards[0].strategic.text == "Good with outstanding features"


def test_staffing_totals_and_unknown_role(tmp_path, plan):
    text = (
        "as_at: 2025-03-31\ncounts:\n"
        "  - {role: practitioners, sex: Female, ethnicity: White, count: 9}\n"
        "  - {role: practitioners, sex: Male, ethnicity: Asian or Asian British, count: 2}\n"
        "  - {role: sessional, sex: Male, ethnicity: White, count: 1}\n"
    )
    staffing = load_staffing(write(tmp_path, "staff.yaml", text), Path("staff.yaml"), plan)
    assert staffing.total() == 12
    assert staffing.by_sex["practitioners"] == {"Female": 9, "Male": 2}
    assert staffing.by_ethnicity["practitioners"]["Asian or Asian British"] == 2
    bad = text + "  - {role: wizards, sex: Male, ethnicity: White, count: 1}\n"
    with pytest.raises(ConfigError) as caught:
        load_staffing(write(tmp_path, "bad.yaml", bad), Path("bad.yaml"), plan)
    assert str(caught.value).startswith("bad.yaml:6: role: unknown role 'wizards'; expected one of: strategic-managers")


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    result = build(ROOT, tmp_path_factory.mktemp("structured"))
    return docx.Document(str(result.path))


def rows_of(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def find_table(document, first_header: str, second_header: str | None = None):
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[0] == first_header and (second_header is None or header[1] == second_header):
            return table
    raise AssertionError(f"no table headed {first_header!r}")


@pytest.mark.slow
def test_example_risk_scores_are_impact_times_likelihood(example):
    table = find_table(example, "Ref", "Risk, cause and consequence")
    for row in rows_of(table)[1:]:
        for cell in (row[3], row[6]):
            product, rating = cell.split("\n")
            left, score = product.split(" = ")
            impact, likelihood = (int(x) for x in left.split(" x "))
            assert impact * likelihood == int(score)
            assert rating in ("Low", "Medium", "High", "Very high")


def test_example_action_plan_is_on_a_landscape_page_with_counts(example):
    counts = find_table(example, "Status", "Number of actions")
    assert rows_of(counts)[1:6] == [
        ["Planned but not started", "3"],
        ["Progressing and on track", "5"],
        ["May exceed original target date", "2"],
        ["Completed", "2"],
        ["Total", "12"],
    ]
    # The section break that ends the landscape run comes after the table; its sectPr is landscape.
    node = counts._tbl
    while node is not None:
        sect = node.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") if node.tag == qn("w:p") else None
        if sect is not None:
            size = sect.find(qn("w:pgSz"))
            assert size.get(qn("w:orient")) == "landscape"
            break
        node = node.getnext()
    else:
        raise AssertionError("no section break after the action plan")
    assert any(s.orientation == WD_ORIENT.LANDSCAPE for s in example.sections)


def test_example_staffing_tables_have_no_merged_cells_and_add_up(example):
    table = find_table(example, "Role", "Female")
    rows = rows_of(table)
    assert rows[0] == ["Role", "Female", "Male", "Total"]
    for row in rows[1:]:
        assert int(row[1]) + int(row[2]) == int(row[3])
    assert rows[-1][0] == "Total"
    assert sum(int(r[3]) for r in rows[1:-1]) == int(rows[-1][3])
    xml = table._tbl.xml
    assert "w:gridSpan" not in xml and "w:vMerge" not in xml


def test_example_has_all_five_standards_with_both_grades(example):
    table = find_table(example, "Standard", "Operational grade")
    rows = rows_of(table)[1:]
    assert [r[0] for r in rows] == [
        "Out of court disposals",
        "At court",
        "In the community (court disposals)",
        "In secure settings",
        "On transition and resettlement",
    ]
    assert all(r[1] and r[2] for r in rows)


def test_example_signoff_and_glossary_present(example):
    headings = [p.text for p in example.paragraphs if p.style.name == "Heading 1"]
    assert "16. Sign off, submission and approval" in headings
    assert "Appendix 3: Common youth justice terms" in headings
    glossary = rows_of(find_table(example, "Term", "Meaning"))[1:]
    terms = [row[0] for row in glossary]
    assert {"CAMHS", "FTE", "OOCD", "Calderbrook Voices", "Turnaround Calderbrook"} <= set(terms)
    assert terms == sorted(terms, key=str.lower)
    assert all(row[1] for row in glossary)
