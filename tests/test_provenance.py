"""In the document: a suppressed value shown as such (never as zero), each dataset's source and release under its
charts and tables and in the build manifest, and a YJS family summed from its member services."""

from __future__ import annotations

import json

import docx
import pytest
from conftest import PLAN_YAML, plan_yaml
from docx.document import Document
from test_data_import import fte_plan, import_fails

from plan_builder.errors import ConfigError
from plan_builder.inputs.config import load_plan
from plan_builder.pipeline import build


def captions_and_tables(document: Document) -> list[tuple[str, list[list[str]]]]:
    """Each table with the caption paragraph before it."""
    found = []
    body = document.element.body
    previous = ""
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(node.text or "" for node in child.iter() if node.tag.endswith("}t"))
            if text.strip():
                previous = text
        elif tag == "tbl":
            table = docx.table.Table(child, document)
            found.append((previous, [[cell.text for cell in row.cells] for row in table.rows]))
    return found


def paragraphs(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs]


@pytest.fixture
def imported_build(make_plan, run_cli, tmp_path):
    root = fte_plan(make_plan)
    assert run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root).code == 0
    result = build(root, tmp_path / "out")
    return result, docx.Document(str(result.path))


def test_a_suppressed_value_is_shown_as_suppressed_with_the_source_under_the_chart(imported_build):
    _, document = imported_build
    tables = dict(captions_and_tables(document))
    data = tables["Table 2: Data for figure 1: first time entrants per 100,000 children aged 10-17"]
    assert data[0] == ["Period", "Calderbrook", "England and Wales"]
    assert data[1:] == [
        ["Jan-Dec 2021", "192", "147"],  # (30 + 28) / 30,200 x 100,000
        ["Jan-Dec 2022", "182", "143"],
        ["Jan-Dec 2023", "suppressed", "140"],
        ["Jan-Dec 2024", "197", "138"],
    ]
    note = next(p for p in paragraphs(document) if p.startswith("Periods: calendar years (Jan-Dec)."))
    assert (
        "Source: Youth Justice Statistics 2023-24, supplementary table 2.1 (released 30 January 2025). "
        "Values shown as 'suppressed' are withheld in the source (small numbers are suppressed to protect "
        "children's identities); they are left out of the chart, never counted as zero." in note
    )


def test_the_summary_table_shows_the_suppressed_year_and_names_each_datasets_source(imported_build):
    _, document = imported_build
    summary = dict(captions_and_tables(document))["Table 1: Performance summary: national and local indicators"]
    assert summary[1] == [
        "First time entrants: First time entrants per 100,000 children aged 10-17, Jan-Dec 2024 (previous Jan-Dec 2023)",
        "197",
        "suppressed",
        "n/a",
        "n/a",
        "138",
        "Not rated",
    ]
    note = next(p for p in paragraphs(document) if p.startswith("Family is the YJS family"))
    assert (
        "n/a means no comparable figure; 'suppressed', a figure the source withholds (never counted as zero)." in note
    )
    assert note.endswith(
        "Sources: First time entrants: Youth Justice Statistics 2023-24, supplementary table 2.1 "
        "(released 30 January 2025)."
    )


def test_the_manifest_records_each_datasets_source_and_release(imported_build):
    result, _ = imported_build
    manifest = json.loads(result.path.with_suffix(".json").read_text())
    assert manifest["datasets"] == {
        "population": {
            "file": "data/population.csv",
            "sheet": None,
            "source": None,
            "released": None,
            "pending": False,
        },
        "fte": {
            "file": "data/fte.csv",
            "sheet": None,
            "source": "Youth Justice Statistics 2023-24, supplementary table 2.1",
            "released": "2025-01-30",
            "pending": False,
        },
    }


FAMILY = """\
performance:
  area: Calderbrook
  comparators: {family: YJS family, national: England and Wales}
  members:
    YJS family: [Elmbridge, Farnley]     # the family average is not published: sum its member services
  datasets:
    fte: data/fte.csv
"""

FAMILY_FTE = """\
period_start,period_end,area,fte_count,population_10_17
2023-01-01,2023-12-31,Calderbrook,52,31200
2024-01-01,2024-12-31,Calderbrook,61,31500
2023-01-01,2023-12-31,Elmbridge,40,20000
2024-01-01,2024-12-31,Elmbridge,38,20100
2023-01-01,2023-12-31,Farnley,[c],15000
2024-01-01,2024-12-31,Farnley,30,15100
2022-01-01,2022-12-31,Elmbridge,41,19900
"""


def test_the_yjs_family_is_summed_from_its_member_services(make_plan, run_cli, tmp_path):
    root = make_plan({"plan.yaml": plan_yaml(PLAN_YAML + FAMILY), "data/fte.csv": FAMILY_FTE})
    run = run_cli(["figures", "--json"], cwd=root)
    payload = json.loads(run.out)
    found = {f["id"]: f for f in payload["figures"]}
    family = found["fte.family.rate"]
    assert family["value"] == pytest.approx((38 + 30) / (20100 + 15100) * 100_000)
    assert family["inputs"] == {"fte_count": 68, "population_10_17": 35200}
    assert found["fte.family.count"]["value"] == 68
    assert payload["warnings"] == [
        "performance.members: YJS family is not computed for Jan-Dec 2022 (no data for Farnley): a sum of some "
        "of its members would not be the group"
    ]
    document = docx.Document(str(build(root, tmp_path / "out").path))
    tables = dict(captions_and_tables(document))
    data = tables["Table 2: Data for figure 1: first time entrants per 100,000 children aged 10-17"]
    # A member's suppressed count leaves the family's missing too: a sum of the other members is not the family.
    assert data[1:] == [["Jan-Dec 2023", "167", "suppressed"], ["Jan-Dec 2024", "194", "193"]]
    note = next(p for p in paragraphs(document) if p.startswith("Periods: calendar years (Jan-Dec)."))
    assert (
        "YJS family: the sum of the counts of Elmbridge and Farnley, its rates computed from those sums "
        "(not an average of their rates)." in note
    )


def test_members_must_belong_to_a_comparator(tmp_path):
    text = FAMILY.replace("    YJS family: [Elmbridge", "    Family: [Elmbridge")
    (tmp_path / "plan.yaml").write_text(plan_yaml(PLAN_YAML + text))
    with pytest.raises(ConfigError) as caught:
        load_plan(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}/plan.yaml:15: performance: members: 'Family' is not a comparator (performance.comparators)"
    )


def test_an_import_that_fails_leaves_the_data_file_as_it_was(make_plan, run_cli):
    root = fte_plan(make_plan)
    assert run_cli(["data", "import", "sources/fte.xlsx", "--as", "fte"], cwd=root).code == 0
    before = (root / "data" / "fte.csv").read_bytes()
    from tables import write_xlsx
    from test_data_import import FTE_TABLE, edited

    write_xlsx(root / "sources" / "fte.xlsx", {"Table 2.1": edited(FTE_TABLE, 4, 3, "lots")})
    import_fails(
        run_cli,
        root,
        "sources/fte.xlsx",
        "fte",
        "sources/fte.xlsx [Table 2.1] cell C4 (fte_count, Calder North): 'lots' is not a number; expected a number, "
        "or a marker such as '*', '..', 'x', 'c', '[c]', '[x]', '[z]' or a footnote such as '(1)' or '[note 3]'",
    )
    assert (root / "data" / "fte.csv").read_bytes() == before
