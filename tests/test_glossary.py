"""The glossary (`plan_builder.parts.glossary`): defaults, local terms, the abbreviation check and the table.

Plan glossary files are written inline into `tmp_path/data/glossary.yaml` and shown
in messages as `data/glossary.yaml`, as the pipeline shows them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from plan_builder.errors import ConfigError, SectionError
from plan_builder.inputs.config import Plan, load_plan
from plan_builder.inputs.sections import split_front_matter
from plan_builder.parts.glossary.model import Glossary, load_default_terms, load_glossary, undefined_abbreviations
from plan_builder.parts.registry import bind_blocks
from plan_builder.word.context import BlockCall, RenderContext
from plan_builder.word.document import open_template
from plan_builder.word.xml import is_header_row

REPO_ROOT = Path(__file__).resolve().parent.parent
SHOWN = Path("data/glossary.yaml")
INTRO = Path("sections/01-introduction.md")
HINT = "(add it to data/glossary.yaml)"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(REPO_ROOT)


@pytest.fixture
def write_glossary(tmp_path: Path, plan: Plan):
    """Return `load(text) -> Glossary` for a plan glossary file with `text`."""

    def load(text: str) -> Glossary:
        path = tmp_path / SHOWN
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return load_glossary(path, SHOWN, plan)

    return load


def terms(glossary: Glossary) -> list[str]:
    return [entry.term for entry in glossary.entries]


def by_term(glossary: Glossary, term: str) -> str:
    return next(entry.definition for entry in glossary.entries if entry.term == term)


def example_glossary(plan: Plan) -> Glossary:
    return load_glossary(REPO_ROOT / SHOWN, SHOWN, plan)


# Loading and merging.


def test_defaults_load_sorted_ignoring_case(plan):
    glossary = load_glossary(None, None, plan)
    names = terms(glossary)
    assert len(names) == 65
    assert names == sorted(names, key=str.casefold)
    assert names[:3] == ["ACE", "AIM3", "ALN"]
    assert {"AssetPlus", "Child First", "Outcome 22", "YJS", "Youth caution"} <= set(names)
    assert glossary.warnings == []
    assert glossary.source is None
    assert not any(entry.local for entry in glossary.entries)


def test_default_definitions_are_short_and_explain_their_own_abbreviations():
    entries = load_default_terms()
    for entry in entries:
        sentences = re.findall(r"[.!?](?:\s|$)", entry.definition)
        assert 1 <= len(sentences) <= 2, entry.term
    glossary = Glossary(entries=tuple(entries))
    texts = [(Path("defaults"), 1, entry.definition) for entry in entries]
    assert undefined_abbreviations(glossary, texts) == []


def test_abbreviation_flag_is_inferred_when_left_out(write_glossary):
    glossary = write_glossary(
        "use_defaults: false\n"
        "terms:\n"
        "  - {term: ABC, definition: A body.}\n"
        "  - {term: Local panel, definition: A panel.}\n"
        "  - {term: West Pennine VRP, definition: A partnership., abbreviation: true}\n"
    )
    assert [(e.term, e.abbreviation) for e in glossary.entries] == [
        ("ABC", True),
        ("Local panel", False),
        ("West Pennine VRP", True),
    ]
    assert glossary.abbreviations == {"ABC", "VRP"}


def test_plan_term_overrides_default_ignoring_case(write_glossary):
    glossary = write_glossary('terms:\n  - {term: ete, definition: "Education, training or employment, locally."}\n')
    matching = [entry for entry in glossary.entries if entry.term.casefold() == "ete"]
    assert len(matching) == 1
    assert matching[0].term == "ete"
    assert matching[0].definition == "Education, training or employment, locally."
    assert matching[0].local
    assert str(matching[0].source) == "data/glossary.yaml:2"
    assert len(glossary.entries) == 65
    assert glossary.warnings == []


def test_local_terms_are_added_and_sorted(write_glossary):
    glossary = write_glossary("terms:\n  - {term: brookside project, definition: A garden.}\n")
    names = terms(glossary)
    assert len(names) == 66
    assert names == sorted(names, key=str.casefold)
    assert names.index("brookside project") == names.index("AssetPlus") + 1


def test_remove_leaves_out_default_terms(write_glossary):
    glossary = write_glossary("remove: [JAC, ace]\n")
    assert "JAC" not in terms(glossary)
    assert "ACE" not in terms(glossary)
    assert len(glossary.entries) == 63
    assert glossary.warnings == []


def test_use_defaults_false_keeps_only_local_terms(write_glossary):
    glossary = write_glossary("use_defaults: false\nterms:\n  - {term: Her Way, definition: A girls' group.}\n")
    assert terms(glossary) == ["Her Way"]


def test_remove_warnings(write_glossary):
    glossary = write_glossary("remove:\n  - XYZ\n  - ETE\nterms:\n  - {term: ETE, definition: Local meaning.}\n")
    assert glossary.warnings == [
        "data/glossary.yaml:2: remove: 'XYZ' is not a default glossary term, so there is nothing to remove",
        "data/glossary.yaml:3: remove: 'ETE' is also under 'terms', so the plan's definition is kept",
    ]
    assert by_term(glossary, "ETE") == "Local meaning."


def test_remove_without_defaults_warns(write_glossary):
    glossary = write_glossary(
        "use_defaults: false\nremove: [JAC]\nterms:\n  - {term: Her Way, definition: A girls' group.}\n"
    )
    assert glossary.warnings == ["data/glossary.yaml:2: remove: 'JAC' has no effect because use_defaults is false"]


# Errors: every one names the file, line and field.


def errors_of(write_glossary, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        write_glossary(text)
    return caught.value.problems


def test_empty_definition(write_glossary):
    assert errors_of(write_glossary, 'terms:\n  - term: JDMP\n    definition: "  "\n') == [
        "data/glossary.yaml:3: terms[0].definition: the definition of 'JDMP' is empty; "
        "explain the term in one or two sentences"
    ]


def test_empty_term(write_glossary):
    assert errors_of(write_glossary, 'terms:\n  - {term: "", definition: Something.}\n') == [
        "data/glossary.yaml:2: terms[0].term: the term is empty"
    ]


def test_duplicate_terms_ignoring_case(write_glossary):
    text = (
        "terms:\n"
        "  - {term: Her Way, definition: A group.}\n"
        "  - {term: JDMP, definition: A panel.}\n"
        "  - {term: her way, definition: The same group.}\n"
    )
    assert errors_of(write_glossary, text) == [
        "data/glossary.yaml:4: terms[2].term: 'her way' is already defined at line 2; keep one entry"
    ]


def test_every_problem_is_reported_at_once(write_glossary):
    text = "terms:\n  - {term: A1, definition: ''}\n  - {term: a1, definition: Again.}\n"
    assert errors_of(write_glossary, text) == [
        "data/glossary.yaml:2: terms[0].definition: the definition of 'A1' is empty; "
        "explain the term in one or two sentences",
        "data/glossary.yaml:3: terms[1].term: 'a1' is already defined at line 2; keep one entry",
    ]


def test_unknown_keys(write_glossary):
    text = "use_default: true\nterms:\n  - term: JDMP\n    meaning: A panel.\n"
    assert errors_of(write_glossary, text) == [
        "data/glossary.yaml:3: terms[0].definition: required key is missing",
        "data/glossary.yaml:4: terms[0].meaning: unknown key",
        "data/glossary.yaml:1: use_default: unknown key",
    ]


def test_wrong_types(write_glossary):
    assert errors_of(write_glossary, "use_defaults: maybe\nremove: JAC\n") == [
        "data/glossary.yaml:1: use_defaults: Input should be a valid boolean, unable to interpret input; got 'maybe'",
        "data/glossary.yaml:2: remove: Input should be a valid list; got 'JAC'",
    ]


def test_empty_glossary(write_glossary):
    assert errors_of(write_glossary, "use_defaults: false\nterms: []\n") == [
        "data/glossary.yaml:2: terms: the glossary is empty; add terms or set use_defaults: true"
    ]


def test_missing_file(tmp_path, plan):
    with pytest.raises(ConfigError) as caught:
        load_glossary(tmp_path / "nothing.yaml", SHOWN, plan)
    assert caught.value.problems == [
        "data/glossary.yaml: glossary file not found (listed in plan.yaml under 'structured: glossary')"
    ]


def test_yaml_syntax_error(write_glossary):
    assert errors_of(write_glossary, "terms:\n  - {term: JDMP, definition: [unclosed\n") == [
        "data/glossary.yaml:3: YAML syntax error: did not find expected ',' or ']'"
    ]


def test_not_utf8(tmp_path, plan):
    path = tmp_path / "glossary.yaml"
    path.write_bytes(b"terms:\n  - {term: Caf\xe9, definition: A place.}\n")
    with pytest.raises(ConfigError) as caught:
        load_glossary(path, SHOWN, plan)
    assert caught.value.problems == ["data/glossary.yaml: not UTF-8 text (invalid continuation byte at byte 21)"]


# The abbreviation check.


@pytest.fixture
def small(write_glossary) -> Glossary:
    return write_glossary(
        "use_defaults: false\n"
        "terms:\n"
        "  - {term: KPI, definition: Key performance indicator.}\n"
        "  - {term: YJS, definition: Youth justice service.}\n"
        "  - {term: AIM3, definition: An assessment framework.}\n"
        "  - {term: West Pennine VRP, definition: A partnership.}\n"
        "ignore_abbreviations: [CHAIR, WPs]\n"
    )


def test_undefined_abbreviation_warning_names_file_and_first_line(small):
    texts = [
        (INTRO, 4, "The YJS works with ABC.\n\nThe ABC board and\nthe XYZ panel.\n"),
        (Path("sections/02-local-context.md"), 4, "More XYZ and a new QQ2 panel."),
    ]
    assert undefined_abbreviations(small, texts) == [
        f"sections/01-introduction.md:4: abbreviation 'ABC' is used but not in the glossary {HINT}",
        f"sections/01-introduction.md:7: abbreviation 'XYZ' is used but not in the glossary {HINT}",
        f"sections/02-local-context.md:4: abbreviation 'QQ2' is used but not in the glossary {HINT}",
    ]


def test_plurals_and_defined_terms_are_not_flagged(small):
    text = "Ten KPIs. The YJS's work, AIM3 assessments and the VRP. YJSs in the WPs area; the CHAIR."
    assert undefined_abbreviations(small, [(INTRO, 1, text)]) == []


def test_plural_of_an_undefined_abbreviation_is_reported_singular(small):
    assert undefined_abbreviations(small, [(INTRO, 3, "Two ABCs.")]) == [
        f"sections/01-introduction.md:3: abbreviation 'ABC' is used but not in the glossary {HINT}"
    ]


def test_common_words_numerals_mixed_case_and_jinja_are_not_flagged(small):
    text = (
        "The UK, the NHS, HM Courts, IT and GOV.UK. Part II and phase IV.\n"
        "AssetPlus, a SENCo, the MoJ and McDonald.\n"
        "{{ fte.latest.RATE }} and {% if KPI_X > 0 %}up{% endif %} {# NOTE #}\n"
    )
    assert undefined_abbreviations(small, [(INTRO, 1, text)]) == []


def test_defaults_only_hint(plan):
    glossary = load_glossary(None, None, plan)
    assert undefined_abbreviations(glossary, [(INTRO, 2, "The ZZQ.")]) == [
        "sections/01-introduction.md:2: abbreviation 'ZZQ' is used but not in the glossary "
        "(add it to a glossary file listed in plan.yaml under 'structured: glossary')"
    ]


# The example plan (Calderbrook).


def example_section_texts() -> list[tuple[Path, int, str]]:
    texts = []
    for path in sorted((REPO_ROOT / "sections").glob("*.md")):
        shown = path.relative_to(REPO_ROOT)
        _, body, first_line = split_front_matter(path.read_text(encoding="utf-8"), shown)
        texts.append((shown, first_line, body))
    return texts


def test_example_glossary_loads_with_local_terms_and_an_override(plan):
    glossary = example_glossary(plan)
    names = terms(glossary)
    assert glossary.warnings == []
    assert {"Brookside Growing Project", "Calderbrook Voices", "Her Way", "Turnaround Calderbrook"} <= set(names)
    assert "JAC" not in names
    assert by_term(glossary, "JDMP").startswith("Joint decision-making panel: the weekly panel of the YJS")
    assert names == sorted(names, key=str.casefold)


def test_example_sections_use_no_undefined_abbreviations(plan):
    texts = example_section_texts()
    assert len(texts) >= 17
    assert undefined_abbreviations(example_glossary(plan), texts) == []


def test_defaults_alone_cover_the_example_sections(plan):
    # The example's local entries are names, not abbreviations (VRP is also a default term),
    # so the default list alone must define every abbreviation the example text uses.
    assert undefined_abbreviations(load_glossary(None, None, plan), example_section_texts()) == []


# Rendering.


def render(glossary: Glossary, plan: Plan, argument: str = ""):
    document = open_template(REPO_ROOT / "templates" / "plan-template.docx", Path("templates/plan-template.docx"))
    ctx = RenderContext(document=document, plan_root=REPO_ROOT)
    bind_blocks({"glossary": glossary})["glossary"](ctx, BlockCall(argument, "sections/92-glossary.md:4"))
    return document


def test_glossary_table(plan):
    glossary = example_glossary(plan)
    document = render(glossary, plan)
    table = document.tables[-1]
    header, *body = table.rows
    assert is_header_row(header)
    assert not any(is_header_row(row) for row in body)
    assert len(table.columns) == 2
    assert [cell.text for cell in header.cells] == ["Term", "Meaning"]
    rows = [[cell.text for cell in row.cells] for row in body]
    assert all(len(row) == 2 for row in rows)
    assert [row[0] for row in rows] == terms(glossary)
    assert ["Her Way", by_term(glossary, "Her Way")] in rows
    assert ["JDMP", by_term(glossary, "JDMP")] in rows
    assert "JAC" not in [row[0] for row in rows]
    assert all(run.bold for row in body for run in row.cells[0].paragraphs[0].runs)
    assert not any(run.bold for row in body for run in row.cells[1].paragraphs[0].runs)
    widths = [column.width for column in table.columns]
    assert 0.25 < widths[0] / sum(widths) < 0.35
    xml = table._tbl.xml
    assert "w:gridSpan" not in xml
    assert "w:vMerge" not in xml


def test_glossary_caption(plan):
    document = render(example_glossary(plan), plan)
    caption = [p for p in document.paragraphs if p.style.name == "Caption"][-1]
    assert re.sub(r"\s+", " ", caption.text) == "Table 1: Common youth justice terms"


def test_glossary_block_takes_no_argument(plan):
    with pytest.raises(SectionError) as caught:
        render(load_glossary(None, None, plan), plan, "local")
    assert caught.value.problems == ["sections/92-glossary.md:4: '::: glossary' takes no argument; got 'local'"]
