"""Shared test helpers: a tiny plan written from a dict, and the example plan built once.

`make_plan` follows copier's `build_file_tree` and mkdocs' `@tempdir(files=...)`:
each test states the inputs it cares about inline and inherits a small, valid plan
for everything else. `example_build` builds the repository's own example plan once
per session, because reopening it is what the acceptance tests assert on.
"""

from __future__ import annotations

import os
import shutil
import struct
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.document import Document

from plan_builder.pipeline import BuildResult, build

TESTS_DIR = Path(__file__).parent
REPO_ROOT = TESTS_DIR.parent
TEMPLATES_DIR = REPO_ROOT / "templates"

EXAMPLE_OUTPUT_NAME = "calderbrook-youth-justice-service-2025-26-draft.docx"

# The manifest of the tiny plan. Tests that need a bad key prepend a line (so it is
# line 1) or replace one of these lines; the sections list stays last.
PLAN_YAML = """\
service:
  name: Testford Youth Justice Service
  short_name: Testford YJS
  local_authorities: [Testford Borough Council]
board:
  name: Testford Youth Justice Board
  chair:
    name: Alex Chair
    role: Director of Children's Services
    organisation: Testford Borough Council
period: 2025-26
status: draft
version: "0.1"
as_of: 2025-05-30
"""

# One section per required heading of the 2023-24 structure, in YJB order:
# (file, heading id). Appendices come last and are listed under `appendices:`.
SECTION_FILES: list[tuple[str, str]] = [
    ("sections/01-introduction.md", "introduction"),
    ("sections/02-local-context.md", "local-context"),
    ("sections/03-child-first.md", "child-first"),
    ("sections/04-voice-of-the-child.md", "voice-of-the-child"),
    ("sections/05-governance.md", "governance"),
    ("sections/06-board-development.md", "board-development"),
    ("sections/07-progress-on-previous-plan.md", "progress-on-previous-plan"),
    ("sections/08-resources-and-services.md", "resources-and-services"),
    ("sections/09-performance.md", "performance"),
    ("sections/10-priorities.md", "priorities"),
    ("sections/11-standards.md", "standards"),
    ("sections/12-workforce-development.md", "workforce-development"),
    ("sections/13-evidence-based-practice.md", "evidence-based-practice"),
    ("sections/14-service-development.md", "service-development"),
    ("sections/15-challenges-risks-issues.md", "challenges-risks-issues"),
    ("sections/16-sign-off.md", "sign-off"),
]
APPENDIX_FILES: list[tuple[str, str]] = [
    ("sections/90-service-structure.md", "service-structure"),
    ("sections/91-budget.md", "budget"),
    ("sections/92-glossary.md", "glossary"),
]


def section_list_yaml(sections: list[str], appendices: list[str]) -> str:
    """The `sections:` and `appendices:` keys of a manifest listing these files."""
    text = "sections:\n" + "".join(f"  - {name}\n" for name in sections)
    if appendices:
        text += "appendices:\n" + "".join(f"  - {name}\n" for name in appendices)
    return text


def plan_yaml(head: str = PLAN_YAML, *, sections: list[str] | None = None, appendices: list[str] | None = None) -> str:
    """A whole manifest: `head` (the keys above the lists) plus the section lists."""
    if sections is None:
        sections = [name for name, _ in SECTION_FILES]
    if appendices is None:
        appendices = [name for name, _ in APPENDIX_FILES]
    return head + section_list_yaml(sections, appendices)


def section_text(heading: str, body: str = "", **front: str) -> str:
    """A section file: front matter with `heading` (and any other keys), then `body`."""
    lines = [f"heading: {heading}", *(f"{key}: {value}" for key, value in front.items())]
    if not body:
        body = f"Text of the {heading} section.\n"
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def default_files() -> dict[str, str | bytes]:
    """Every file of the tiny valid plan except the templates."""
    files: dict[str, str | bytes] = {"plan.yaml": plan_yaml()}
    for name, heading in [*SECTION_FILES, *APPENDIX_FILES]:
        files[name] = section_text(heading)
    return files


def write_plan(root: Path, files: Mapping[str, str | bytes | None] | None = None) -> Path:
    """Write the tiny plan into `root`, with `files` replacing (or, when None, removing) entries.

    Templates are copied from the repository's `templates/`; a test can replace one
    by giving its own bytes for `templates/<name>.docx`.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(TEMPLATES_DIR, root / "templates", dirs_exist_ok=True)
    merged: dict[str, str | bytes | None] = {**default_files(), **(files or {})}
    for name, content in merged.items():
        path = root / name
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


MakePlan = Callable[..., Path]


@pytest.fixture
def make_plan(tmp_path: Path) -> MakePlan:
    """Return `make(files=None) -> plan folder`, a tiny valid plan under `tmp_path/plan`."""

    def make(files: Mapping[str, str | bytes | None] | None = None) -> Path:
        return write_plan(tmp_path / "plan", files)

    return make


def png_bytes(width: int = 40, height: int = 20) -> bytes:
    """A small, valid, solid-colour RGB PNG, written by hand so no imaging library is needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x00\x50\x5c" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class BuiltPlan:
    """A build's result and the document reopened from disk."""

    result: BuildResult
    document: Document


def build_and_open(plan_dir: Path, output_dir: Path) -> BuiltPlan:
    """Build `plan_dir` into `output_dir` and reopen the written .docx with python-docx."""
    result = build(plan_dir, output_dir)
    return BuiltPlan(result=result, document=docx.Document(str(result.path)))


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> BuiltPlan:
    """The repository's example plan (Calderbrook), built once per session into a temporary folder."""
    return build_and_open(REPO_ROOT, tmp_path_factory.mktemp("example-output"))


# The name the tiny plan's document gets: '<service slug>-<period>-<status>.docx'.
TINY_OUTPUT_NAME = "testford-youth-justice-service-2025-26-draft.docx"
PREVIOUS_BUILD = b"the previous build, which a failed build must leave alone\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative name -> bytes), to compare before and after a build."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@dataclass(frozen=True)
class CliRun:
    """Exit code and captured output of one `plan-builder` invocation."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliRun]:
    """Return `run(args, cwd=None) -> CliRun`, calling `plan_builder.commands.cli.main` in-process.

    Running from inside the plan folder (`plan-builder build`) is how authors use it,
    and it makes every path in a message relative, so messages can be asserted exactly.
    """
    from plan_builder.commands.cli import main

    def run(args: list[str], cwd: Path | None = None) -> CliRun:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()  # drop anything printed before this run
        code = main(args)
        out, err = capsys.readouterr()
        return CliRun(code=code, out=out, err=err)

    return run


@pytest.fixture
def build_fails(make_plan: MakePlan, run_cli: Callable[..., CliRun]) -> Callable[..., None]:
    """Return `check(files, *errors)`: building the tiny plan with `files` fails with exactly `errors`.

    The check is the contract from the README: exit status 1, one `error: ...` line
    per problem on stderr and nothing else (no traceback), nothing on stdout, and no
    output file written or changed (a previous build in `output/` stays byte-identical).
    """

    def check(files: Mapping[str, str | bytes | None], *errors: str) -> None:
        root = make_plan(files)
        output = root / "output"
        output.mkdir()
        (output / TINY_OUTPUT_NAME).write_bytes(PREVIOUS_BUILD)
        before = snapshot(output)

        run = run_cli(["build"], cwd=root)

        assert run.err == "".join(f"error: {error}\n" for error in errors)
        assert "Traceback" not in run.err
        assert run.out == ""
        assert run.code == 1
        assert snapshot(output) == before

    return check


def copy_example_plan(tmp_path: Path) -> Path:
    """A copy of the repository's example plan (manifest, sections, data, templates) to change freely."""
    plan = tmp_path / "plan"
    plan.mkdir()
    shutil.copy(REPO_ROOT / "plan.yaml", plan / "plan.yaml")
    for folder in ("sections", "data", "templates"):
        shutil.copytree(REPO_ROOT / folder, plan / folder)
    return plan


REQUIRE_LIBREOFFICE = os.environ.get("PLAN_BUILDER_REQUIRE_LIBREOFFICE") == "1"
"""Set by CI (.ci/run): a LibreOffice test then fails without LibreOffice instead of being skipped."""

needs_libreoffice = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        not REQUIRE_LIBREOFFICE and (shutil.which("soffice") is None or shutil.which("pdftotext") is None),
        reason="LibreOffice and poppler are not installed; apt-get install libreoffice-writer-nogui poppler-utils",
    ),
]
"""Marks for a test that converts with LibreOffice: `@pytest.mark.libreoffice` plus a skip without it."""
