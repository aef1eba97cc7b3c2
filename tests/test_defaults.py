"""Packaged defaults: a plan folder needs only plan.yaml and its sections; the templates come with plan-builder."""

from __future__ import annotations

import io
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import docx
from conftest import REPO_ROOT, TEMPLATES_DIR, TINY_OUTPUT_NAME

from plan_builder.inputs.templates import packaged_template

PACKAGE = REPO_ROOT / "plan_builder"


def test_a_plan_without_a_templates_folder_builds_with_the_packaged_templates(make_plan, run_cli):
    root = make_plan()
    for path in (root / "templates").iterdir():
        path.unlink()
    (root / "templates").rmdir()

    run = run_cli(["build"], cwd=root)

    assert (run.code, run.err) == (0, "")
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Testford Youth Justice Service"  # the packaged cover, rendered
    assert document.paragraphs[0].style.name == "Title"
    assert "Heading 1" in {p.style.name for p in document.paragraphs}
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert [
        "Alex Chair, Director of Children's Services",
        "Testford Borough Council",
        "Not yet signed",
        "Not yet signed",
    ] in rows  # the packaged sign-off template


def test_a_plan_with_only_its_own_cover_uses_it_and_the_packaged_plan_template(make_plan, run_cli):
    cover = docx.Document(str(TEMPLATES_DIR / "cover.docx"))
    cover.add_paragraph("Published by Testford Council")
    buffer = io.BytesIO()
    cover.save(buffer)
    root = make_plan(
        {
            "templates/plan-template.docx": None,
            "templates/signoff.docx": None,
            "templates/cover.docx": buffer.getvalue(),
        }
    )

    run = run_cli(["build"], cwd=root)

    assert (run.code, run.err) == (0, "")
    document = docx.Document(str(root / "output" / TINY_OUTPUT_NAME))
    assert "Published by Testford Council" in [p.text for p in document.paragraphs]


def test_the_packaged_templates_are_the_example_plans_templates():
    # `make templates` writes both; a template changed in one place only would make new plans look different.
    for name in ("plan-template.docx", "cover.docx", "signoff.docx"):
        assert packaged_template(name).read_bytes() == (TEMPLATES_DIR / name).read_bytes(), name


def test_package_data_covers_every_file_the_package_ships():
    """Every non-Python file under plan_builder/ is matched by a package-data pattern, so installs have it."""
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["plan_builder"]
    shipped = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert shipped  # the templates, section lists, starter files...
    assert [name for name in shipped if not any(fnmatch(name, pattern) for pattern in patterns)] == []
    assert any(fnmatch("inputs/defaults/templates/cover.docx", p) for p in patterns)


def test_packaged_template_paths_are_real_files():
    for name in ("plan-template.docx", "cover.docx", "signoff.docx"):
        path = packaged_template(name)
        assert isinstance(path, Path) and path.is_file()
