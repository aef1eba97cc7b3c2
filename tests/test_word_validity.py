"""Documents Word opens without repair: every document a build writes passes openxml-audit.

openxml-audit checks the package against the ISO/IEC 29500 schemas and against rules for
what makes Word repair or rewrite a file (styles parts that disagree, duplicate picture
ids...). The example is built as a draft, and as a final with a separate appendix; council
templates are checked in test_template.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_example_plan
from openxml_validation import word_verdict

from plan_builder.pipeline import build


def test_the_example_draft_opens_in_word_without_repair(example_build) -> None:
    assert word_verdict(example_build.result.path) == ("opens-clean", [])


@pytest.mark.slow
def test_every_document_of_a_final_build_with_a_separate_appendix_opens_without_repair(tmp_path: Path) -> None:
    plan = copy_example_plan(tmp_path)
    manifest = (plan / "plan.yaml").read_text()
    manifest = manifest.replace("status: draft", "status: final").replace('version: "0.3"', 'version: "1.0"')
    manifest = manifest.replace(
        "  - sections/91-budget.md", "  - {file: sections/91-budget.md, separate_document: true}"
    )
    (plan / "plan.yaml").write_text(manifest)
    result = build(plan, tmp_path / "output")
    documents = sorted((tmp_path / "output").glob("*.docx"))
    assert [p.name for p in documents] == [
        "calderbrook-youth-justice-service-2025-26-final-v1.0-appendix-2.docx",
        "calderbrook-youth-justice-service-2025-26-final-v1.0.docx",
        "calderbrook-youth-justice-service-board-report-2024-25-q4-board-review.docx",
        "calderbrook-youth-justice-service-progress-report-2025-07-board-review.docx",
        "calderbrook-youth-justice-service-scorecard-2024-25-q4-board-review.docx",
    ]
    assert result.appendix_documents == documents[:1]
    for document in documents:
        assert word_verdict(document) == ("opens-clean", []), document.name
