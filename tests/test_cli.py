"""The command line (`plan_builder.commands.cli`): commands, exit codes, and how problems are reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest
from conftest import PLAN_YAML, TINY_OUTPUT_NAME, plan_yaml

from plan_builder import __version__
from plan_builder.commands.cli import main


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["--help"])

    out = capsys.readouterr().out
    assert caught.value.code == 0
    assert out.startswith("usage: plan-builder [-h] [--version] COMMAND ...")
    # argparse wraps to the terminal width, so compare with whitespace collapsed.
    flat = " ".join(out.split())
    first_words = [line.split()[0] for line in out.splitlines() if line.strip()]
    for command, summary in (
        ("build", "build the plan into a Word document"),
        ("make-templates", "write editable copies of the Word templates (styles, cover, sign-off)"),
        ("structures", "list the YJB section lists and their heading ids"),
    ):
        assert command in first_words
        assert f"{command} {summary}" in flat


def test_build_help_describes_its_arguments(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["build", "--help"])

    out = capsys.readouterr().out
    assert caught.value.code == 0
    assert " ".join(out.split()).startswith(
        "usage: plan-builder build [-h] [--output DIR] [--pdf] [--board-pack] [--document NAME] [--all DIR] [--jobs N] [PLAN_DIR]"
    )
    assert "folder with plan.yaml (default: .)" in " ".join(out.split())


def test_python_m_version():
    run = subprocess.run(
        [sys.executable, "-m", "plan_builder", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert (run.returncode, run.stdout, run.stderr) == (0, f"plan-builder {__version__}\n", "")


def test_version_matches_the_package_metadata():
    from importlib.metadata import version

    assert version("plan-builder") == __version__


def test_no_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        main([])

    assert caught.value.code == 2
    assert "the following arguments are required: COMMAND" in capsys.readouterr().err


def test_structures_lists_every_year_the_periods_it_serves_and_its_heading_ids(run_cli):
    run = run_cli(["structures"])

    lines = run.out.splitlines()
    assert run.code == 0
    assert lines[0] == "2022-23: YJB youth justice plan template 2022-23 (default for 2022-23)"
    assert "2023-24: YJB youth justice plan structure 2023-24 (default for 2023-24)" in lines
    assert (
        "2024-25: YJB youth justice plan structure, 2024-25 onward (default for 2024-25 and every later period)"
        in lines
    )
    assert f"  {'child-first':28} Child First" in lines
    assert f"  {'board-development':28} Board development" in lines
    assert f"  {'':28}   - Remands" in lines


def test_successful_build_reports_where_the_document_went(make_plan, run_cli):
    root = make_plan()

    run = run_cli(["build"], cwd=root)

    assert run.code == 0
    assert run.err == ""
    assert run.out == (
        f"Wrote output/{TINY_OUTPUT_NAME}\n16 sections, 3 appendices, 1 table, 0 figures, 95 words, 0 warnings\n"
    )
    assert docx.Document(str(root / "output" / TINY_OUTPUT_NAME)).paragraphs[0].text == (
        "Testford Youth Justice Service"
    )


def test_the_build_command_keeps_its_imports_out_of_cycle_collection_only_as_a_whole_process(make_plan, tmp_path):
    """`gc.freeze()` speeds up a build run as the program; called in-process (tests, scripts) it must not
    freeze the caller's objects, which would then never be collected."""
    import gc

    root = make_plan()
    before = gc.get_freeze_count()
    assert main(["build", str(root), "--output", str(tmp_path / "in-process")]) == 0
    assert gc.get_freeze_count() == before
    probe = (
        "import gc, sys; from plan_builder.commands.cli import main; sys.argv = ['plan-builder', 'build', sys.argv[1]]; "
        "main(); print(gc.get_freeze_count() > 0)"
    )
    run = subprocess.run([sys.executable, "-c", probe, str(root)], capture_output=True, text=True, timeout=120)
    assert run.stdout.splitlines()[-1] == "True", run.stderr


def test_build_from_another_folder_with_output_option(make_plan, run_cli, tmp_path: Path):
    root = make_plan()
    target = tmp_path / "elsewhere"

    run = run_cli(["build", str(root), "--output", str(target)], cwd=tmp_path)

    assert run.code == 0
    assert run.out.splitlines()[0] == f"Wrote {target / TINY_OUTPUT_NAME}"
    # The document, its build manifest beside it, the manifest history and the render cache.
    assert sorted(p.name for p in target.iterdir()) == sorted(
        [TINY_OUTPUT_NAME, TINY_OUTPUT_NAME.replace(".docx", ".json"), "manifests", ".cache"]
    )
    assert not (root / "output").exists()


def test_failed_build_creates_no_output_folder(make_plan, run_cli):
    root = make_plan({"plan.yaml": "colour: teal\n" + plan_yaml()})

    run = run_cli(["build"], cwd=root)

    assert (run.code, run.out, run.err) == (1, "", "error: plan.yaml:1: colour: unknown key\n")
    assert not (root / "output").exists()


def test_manifest_errors_name_the_plan_folder_when_built_from_elsewhere(make_plan, run_cli, tmp_path: Path):
    make_plan({"plan.yaml": "colour: teal\n" + plan_yaml()})

    run = run_cli(["build", "plan"], cwd=tmp_path)

    assert (run.code, run.err) == (1, "error: plan/plan.yaml:1: colour: unknown key\n")


def test_problems_from_different_files_are_each_on_their_own_line(build_fails):
    head = PLAN_YAML.replace("period: 2025-26", "period: 2025-27")
    build_fails(
        {"plan.yaml": "colour: teal\n" + plan_yaml(head)},
        "plan.yaml:12: period: expected a plan period like '2025-26' (two consecutive years); got '2025-27'",
        "plan.yaml:1: colour: unknown key",
    )


def test_a_bug_keeps_its_traceback(make_plan, monkeypatch):
    # Only author errors become 'error:' lines; anything else is a bug and must not be hidden.
    root = make_plan()
    monkeypatch.chdir(root)

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in plan-builder")

    monkeypatch.setattr("plan_builder.pipeline.render_document", broken)

    with pytest.raises(ZeroDivisionError, match="a bug in plan-builder"):
        main(["build"])
    assert not (root / "output").exists()


@pytest.mark.slow
def test_make_templates_writes_three_usable_templates(make_plan, run_cli, tmp_path: Path):
    folder = tmp_path / "fresh-templates"

    run = run_cli(["make-templates", str(folder)])

    assert run.code == 0
    assert run.out.splitlines() == [
        f"Wrote {folder / 'plan-template.docx'}",
        f"Wrote {folder / 'cover.docx'}",
        f"Wrote {folder / 'signoff.docx'}",
    ]
    files = {f"templates/{p.name}": p.read_bytes() for p in folder.iterdir()}
    root = make_plan(files)
    build = run_cli(["build"], cwd=root)
    assert (build.code, build.err) == (0, "")
    # The same bytes as the committed and packaged copies: `make templates` leaves the repository unchanged.
    from conftest import REPO_ROOT

    for name, data in files.items():
        assert (REPO_ROOT / name).read_bytes() == data, name
        assert (REPO_ROOT / "plan_builder/inputs/defaults" / name).read_bytes() == data, name

    # An edited copy is kept (and named) unless --force; the others are written again as they are.
    (folder / "cover.docx").write_bytes(b"edited by the council")
    again = run_cli(["make-templates", str(folder)])
    assert again.code == 1
    assert again.out.splitlines() == [
        f"Wrote {folder / 'plan-template.docx'}",
        f"Wrote {folder / 'signoff.docx'}",
        f"Kept {folder / 'cover.docx'}: it differs from plan-builder's (edited?); to replace it, run again with --force",
    ]
    assert (folder / "cover.docx").read_bytes() == b"edited by the council"
    assert run_cli(["make-templates", str(folder), "--force"]).code == 0
    assert (folder / "cover.docx").read_bytes() == files["templates/cover.docx"]


@pytest.mark.slow
def test_console_script_is_installed():
    script = Path(sys.executable).parent / "plan-builder"
    if not script.exists():
        pytest.skip(f"no console script beside {sys.executable} (package not installed in this environment)")

    run = subprocess.run(  # noqa: S603 - our own console script
        [str(script), "structures"], capture_output=True, text=True, timeout=60, check=False
    )

    assert run.returncode == 0
    assert "child-first" in run.stdout


def test_output_cut_short_by_a_pager_or_head_is_not_an_error():
    from conftest import REPO_ROOT

    # As `plan-builder figures | head -1`: the reader takes one line and closes the pipe.
    command = [sys.executable, "-m", "plan_builder", "figures", str(REPO_ROOT)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as process:  # noqa: S603
        assert process.stdout is not None and process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read()
        code = process.wait()
    assert first.startswith("fte.")
    assert "Traceback" not in errors and "BrokenPipeError" not in errors
    assert code == 0
