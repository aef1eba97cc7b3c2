"""The layout's rules, checked on the source: the stages depend on each other in one direction only.

An ast walk over every module of `plan_builder/` collects what it imports (at module level,
inside functions, and under TYPE_CHECKING alike: a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plan_builder"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every module `path` imports, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(path): imports_of(path) for path in sorted(PACKAGE.rglob("*.py"))}


def internal(name: str) -> str | None:
    """The plan_builder module `name` refers to (a module, or a package's __init__), if any."""
    while name.startswith("plan_builder"):
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def depends_on(module: str) -> set[str]:
    return {target for name in MODULES[module] if (target := internal(name)) and target != module}


def is_renderer(module: str) -> bool:
    return (
        module in ("plan_builder.word", "plan_builder.documents")
        or module.startswith(("plan_builder.word.", "plan_builder.documents."))
        or module.endswith(".render")
        or module == "plan_builder.parts.registry"
    )


def uses_python_docx(module: str) -> bool:
    return any(name == "docx" or name.startswith(("docx.", "docxtpl")) for name in MODULES[module])


@pytest.mark.parametrize(
    ("rule", "modules"),
    [
        (
            "inputs/ and figures/ never import a renderer or python-docx",
            ("plan_builder.inputs", "plan_builder.figures"),
        ),
        ("starter/ (plan-builder new) never imports a renderer or python-docx", ("plan_builder.starter",)),
        ("checks/ never imports a renderer", ("plan_builder.checks",)),
    ],
)
def test_stages_do_not_import_renderers(rule: str, modules: tuple[str, ...]) -> None:
    broken = [
        f"{module} -> {target}"
        for module in MODULES
        if module.startswith(modules)
        for target in depends_on(module)
        if is_renderer(target)
    ]
    if modules[0] != "plan_builder.checks":
        broken += [
            f"{module} -> python-docx" for module in MODULES if module.startswith(modules) and uses_python_docx(module)
        ]
    assert broken == [], rule


def test_only_the_importers_reader_knows_word() -> None:
    importer = [m for m in MODULES if m.startswith("plan_builder.importing.")]
    assert len(importer) >= 7
    assert sorted(m for m in importer if uses_python_docx(m)) == [
        "plan_builder.importing.reader",
        "plan_builder.importing.tables",
    ]


def test_part_models_never_import_renderers() -> None:
    models = [m for m in MODULES if m.startswith("plan_builder.parts.") and m.endswith(".model")]
    assert len(models) >= 7
    broken = [f"{m} -> {t}" for m in models for t in depends_on(m) if is_renderer(t)]
    broken += [f"{m} -> python-docx" for m in models if uses_python_docx(m)]
    assert broken == []


def test_no_import_cycles() -> None:
    graph = {module: depends_on(module) for module in MODULES}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if target == "plan_builder":  # the package's lazy public API, imported only for __version__ and errors
                continue
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_the_public_api_is_cheap_to_import() -> None:
    import subprocess
    import sys

    code = (
        "import sys, plan_builder; "
        "heavy = sorted(m for m in ('docx', 'pandas', 'jinja2', 'pydantic', 'PIL', 'markdown') if m in sys.modules); "
        "print(heavy, callable(plan_builder.build), callable(plan_builder.run_checks), callable(plan_builder.load_plan))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[] True True True\n"


MODULE_LINES = 400
FUNCTION_LINES = 60


def test_modules_and_functions_stay_small_enough_to_read() -> None:
    """A module over 400 lines or a function over 60 is a sign that a concern wants its own place."""
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MODULE_LINES:
            too_long.append(f"{module_name(path)}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > FUNCTION_LINES:
                    too_long.append(f"{module_name(path)}.{node.name}: {length} lines")
    assert too_long == []
