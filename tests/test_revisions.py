"""Tracked changes in Word (`plan_builder.word.revisions`), on small documents made here.

Each test makes an old and a new document, adds the revisions to the new one, and reads them
back from the XML; accepting them all must give the new document's text.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
from conftest import TEMPLATES_DIR
from docx.document import Document
from docx.oxml.ns import qn
from docx_revisions import accept_all, block_texts, revisions

from plan_builder.word.links import add_hyperlink
from plan_builder.word.revisions import content_fingerprint, track_changes
from plan_builder.word.xml import add_field

WHEN = dt.datetime(2025, 6, 20, 10, 15, tzinfo=dt.UTC)


def make(build: Callable[[Document], None]) -> Document:
    document = docx.Document(str(TEMPLATES_DIR / "plan-template.docx"))  # it has the Hyperlink style
    build(document)
    saved = io.BytesIO()
    document.save(saved)  # reopened, as a built document would be
    return docx.Document(io.BytesIO(saved.getvalue()))


def tracked(old: Callable[[Document], None], new: Callable[[Document], None]) -> tuple[Document, list[tuple[str, str]]]:
    before, after = make(old), make(new)
    expected = block_texts(after.element.body)
    track_changes(before, after, date=WHEN)
    assert block_texts(accept_all(after.element.body)) == expected
    return after, [(r.kind, r.text) for r in revisions(after.element.body)]


def sentence(rate: str) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        paragraph = document.add_paragraph("The rate rose to ")
        paragraph.add_run(rate).bold = True
        paragraph.add_run(" in 2024, against 0.08 nationally.")

    return build


def test_a_changed_figure_is_one_word_changed_and_keeps_its_formatting():
    document, found = tracked(sentence("0.30"), sentence("0.15"))
    assert found == [("del", "0.30"), ("ins", "0.15")]
    inserted = next(document.element.body.iter(qn("w:ins")))
    assert inserted.find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:b')}") is not None
    assert all(
        r.author == "plan-builder" and r.date == "2025-06-20T10:15:00Z" for r in revisions(document.element.body)
    )


def test_unchanged_documents_get_no_revisions():
    document, found = tracked(sentence("0.30"), sentence("0.30"))
    assert found == []


def test_words_either_side_of_a_space_are_one_change():
    def old(d: Document) -> None:
        d.add_paragraph("Referrals rose to 12 children in the year.")

    def new(d: Document) -> None:
        d.add_paragraph("Referrals fell to 9 young people in the year.")

    assert tracked(old, new)[1] == [("del", "rose"), ("ins", "fell"), ("del", "12 children"), ("ins", "9 young people")]


def test_new_and_removed_paragraphs_are_whole_revisions_with_their_marks():
    def old(d: Document) -> None:
        d.add_paragraph("Kept first.")
        d.add_paragraph("This paragraph is removed from the plan entirely.")
        d.add_paragraph("Kept last.")

    def new(d: Document) -> None:
        d.add_paragraph("Kept first.")
        d.add_paragraph("Kept last.")
        d.add_paragraph("A completely new closing paragraph about the board.")

    assert tracked(old, new)[1] == [
        ("del-mark", ""),
        ("del", "This paragraph is removed from the plan entirely."),
        ("ins-mark", ""),
        ("ins", "A completely new closing paragraph about the board."),
    ]


def test_a_paragraph_removed_at_the_end_goes_before_the_closing_paragraph():
    """The document's last paragraph mark cannot be deleted, so a removal there is shown just before it."""

    def old(d: Document) -> None:
        d.add_paragraph("Opening.")
        d.add_paragraph("Closing words of the plan that are removed.")

    def new(d: Document) -> None:
        d.add_paragraph("Opening.")

    document, found = tracked(old, new)
    assert found == [("del-mark", ""), ("del", "Closing words of the plan that are removed.")]
    assert [p.text for p in document.paragraphs][-1] == "Opening."


def table(*rows: tuple[str, ...]) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        grid = document.add_table(rows=len(rows), cols=len(rows[0]))
        for cells, texts in zip(grid.rows, rows, strict=True):
            for cell, text in zip(cells.cells, texts, strict=True):
                cell.text = text
        document.add_paragraph("After the table.")

    return build


def test_a_table_of_the_same_shape_changes_cell_by_cell():
    old = table(("Indicator", "Rate"), ("Custody", "0.30"), ("Reoffending", "26.0%"))
    new = table(("Indicator", "Rate"), ("Custody", "0.15"), ("Reoffending", "26.0%"))
    assert tracked(old, new)[1] == [("del", "0.30"), ("ins", "0.15")]


def test_a_new_row_is_one_inserted_row():
    old = table(("Version", "Summary"), ("0.1", "First draft"))
    new = table(("Version", "Summary"), ("0.2", "Circulated to Board"), ("0.1", "First draft"))
    assert tracked(old, new)[1] == [("ins-row", ""), ("ins", "0.2"), ("ins", "Circulated to Board")]


def test_a_table_with_other_columns_is_replaced_whole():
    old = table(("Indicator", "Rate"), ("Custody", "0.30"))
    new = table(("Indicator", "Rate", "RAG"), ("Custody", "0.30", "Red"))
    document, found = tracked(old, new)
    assert found == [
        ("del-row", ""), ("del", "Indicator"), ("del", "Rate"),
        ("del-row", ""), ("del", "Custody"), ("del", "0.30"),
        ("ins-row", ""), ("ins", "Indicator"), ("ins", "Rate"), ("ins", "RAG"),
        ("ins-row", ""), ("ins", "Custody"), ("ins", "0.30"), ("ins", "Red"),
    ]  # fmt: skip
    assert len(document.tables) == 2


def linked(text: str) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        paragraph = document.add_paragraph("See ")
        add_hyperlink(paragraph, "https://www.gov.uk/youth-justice", text)
        paragraph.add_run(".")

    return build


def test_words_inside_a_hyperlink_are_tracked_inside_it():
    document, found = tracked(linked("the YJB guidance"), linked("the new YJB guidance"))
    assert found == [("ins", " new")]
    assert next(document.element.body.iter(qn("w:ins"))).getparent().tag == qn("w:hyperlink")


def test_a_removed_link_keeps_its_target():
    def new(d: Document) -> None:
        d.add_paragraph("Nothing else.")

    document, found = tracked(linked("the YJB guidance"), new)
    link = next(document.element.body.iter(qn("w:hyperlink")))
    target = document.part.rels[link.get(qn("r:id"))]
    assert (target.target_ref, target.is_external) == ("https://www.gov.uk/youth-justice", True)


def contents_entry(page: str) -> Callable[[Document], None]:
    def build(document: Document) -> None:
        paragraph = document.add_paragraph("1. Introduction\t")
        add_field(paragraph, "PAGEREF _Toc000001 \\h", page)

    return build


def test_page_numbers_are_not_changes():
    """A build with --pdf has contents page numbers that one without lacks: the content is the same."""
    assert tracked(contents_entry("3"), contents_entry(""))[1] == []
    assert content_fingerprint(make(contents_entry("3"))) == content_fingerprint(make(contents_entry("")))
    assert content_fingerprint(make(sentence("0.30"))) != content_fingerprint(make(sentence("0.15")))


def test_diff_writes_tracked_changes_for_any_two_documents(tmp_path: Path, run_cli):
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    make(sentence("0.30")).save(str(old))
    make(sentence("0.15")).save(str(new))
    out = tmp_path / "changes.docx"
    run = run_cli(["diff", str(old), str(new), "--docx", str(out)])
    assert (run.code, run.err) == (0, "")
    assert run.out == f"Wrote {out} (1 insertions, 1 deletions)\n"
    assert [(r.kind, r.text) for r in revisions(docx.Document(str(out)).element.body)] == [
        ("del", "0.30"),
        ("ins", "0.15"),
    ]


def test_diff_of_documents_without_manifests_needs_docx(tmp_path: Path, run_cli):
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    make(sentence("0.30")).save(str(old))
    make(sentence("0.15")).save(str(new))
    run = run_cli(["diff", str(old), str(new)])
    assert (run.code, run.out) == (1, "")
    assert run.err == (
        f"error: {old}: no build manifest beside it (old.json), so its changes cannot be put in words; "
        "--docx OUT.docx writes the tracked changes from the two documents\n"
    )


def test_diff_of_a_file_that_is_not_a_word_document(tmp_path: Path, run_cli):
    old, new = tmp_path / "old.docx", tmp_path / "new.docx"
    old.write_text("not a zip")
    make(sentence("0.15")).save(str(new))
    run = run_cli(["diff", str(old), str(new), "--docx", str(tmp_path / "out.docx")])
    assert (run.code, run.out) == (1, "")
    assert run.err == f"error: {old}: not a Word document (File is not a zip file)\n"
    assert not (tmp_path / "out.docx").exists()


def test_a_cell_whose_paragraph_became_a_table_is_replaced_not_merged():
    def grid(d: Document) -> Any:
        outer = d.add_table(rows=2, cols=2)
        for (row, column), text in {(0, 0): "Indicator", (0, 1): "Value", (1, 0): "Custody"}.items():
            outer.cell(row, column).text = text
        return outer.cell(1, 1)

    def old(d: Document) -> None:
        grid(d).text = "Plain value"

    def new(d: Document) -> None:
        cell = grid(d)
        cell.add_table(rows=1, cols=1).cell(0, 0).text = "Nested value"
        first = cell.paragraphs[0]._p
        first.getparent().remove(first)  # the cell now holds the table, then its closing paragraph

    document, found = tracked(old, new)
    assert found == [
        ("del-mark", ""),
        ("del", "Plain value"),
        ("ins-row", ""),
        ("ins", "Nested value"),
        ("ins-mark", ""),
    ]
