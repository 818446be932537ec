"""The packages depend on each other one way only, read from the source's import statements.

advisor.base imports nothing else of the project; the probes (advisor.probes) import only the
base and themselves; the advice, the report and the app import the probes, never the other way
round; no two packages import each other, even through a third; and only the app (advisor.ui)
imports Qt.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

REPOSITORY = Path(__file__).parents[2]
# The installed package each source folder becomes (pyproject.toml's package-dir); advisor.report
# is part of the advice it renders. The command line is the program's entry point, above every
# package: it opens the app, runs the probes and renders the advice.
SOURCE_FOLDERS = {
    "advisor/cli.py": "advisor.cli",
    "advisor/__main__.py": "advisor.cli",
    "advisor/base": "advisor.base",
    "probes": "advisor.probes",
    "ui": "advisor.ui",
    "rules": "advisor.rules",
    "advisor": "advisor",
}
PROJECT_PACKAGES = (
    "advisor.cli",
    "advisor.base",
    "advisor.probes",
    "advisor.ui",
    "advisor.rules",
    "advisor",
)
ENTRY_MODULES = {"advisor.__main__": "advisor.cli"}
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")
# What each package may import of the project besides itself; None: any package.
ALLOWED: Mapping[str, frozenset[str] | None] = {
    "advisor.base": frozenset(),
    "advisor.probes": frozenset({"advisor.base"}),
}

Import = tuple[str, int, str]  # (file, line, module imported)


def package_of_file(relative: str) -> str:
    """The package a source file (a path relative to the repository) belongs to."""
    return next(
        package
        for folder, package in SOURCE_FOLDERS.items()
        if relative == folder or relative.startswith(folder + "/")
    )


def package_of_module(module: str) -> str | None:
    """The project's package a module name is in; None for a module from elsewhere."""
    if module in ENTRY_MODULES:
        return ENTRY_MODULES[module]
    return next(
        (
            package
            for package in PROJECT_PACKAGES
            if module == package or module.startswith(package + ".")
        ),
        None,
    )


def imported_modules(source: str, filename: str) -> list[tuple[int, str]]:
    """Every module a file imports, at any depth (inside functions and TYPE_CHECKING too)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{filename}:{node.lineno}: a relative import"
            base = node.module or ""
            # `from advisor import probes` imports the package advisor.probes.
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def project_imports(root: Path) -> dict[str, list[Import]]:
    """Per package, the imports its files make: (file, line, module)."""
    files = {
        path.relative_to(root).as_posix()
        for folder in SOURCE_FOLDERS
        for path in ([root / folder] if folder.endswith(".py") else (root / folder).rglob("*.py"))
        if path.is_file()
    }
    imports: dict[str, list[Import]] = {}
    for relative in sorted(files):
        rows = imports.setdefault(package_of_file(relative), [])
        source = (root / relative).read_text(encoding="utf-8")
        rows += [(relative, line, module) for line, module in imported_modules(source, relative)]
    return imports


def forbidden_imports(imports: Mapping[str, Iterable[Import]]) -> list[str]:
    """Imports a package may not make: of the project beyond what it may use, or of Qt."""
    problems = []
    for package, rows in imports.items():
        allowed = ALLOWED.get(package)
        for file, line, module in rows:
            target = package_of_module(module)
            if module.split(".")[0] in QT_MODULES and package != "advisor.ui":
                problems.append(f"{file}:{line}: imports Qt ({module}) outside the app")
            elif allowed is not None and target not in (None, package, *allowed):
                problems.append(f"{file}:{line}: {package} imports {module}")
    return problems


def package_cycles(imports: Mapping[str, Iterable[Import]]) -> list[list[str]]:
    """Each cycle of packages importing each other, as the path round it."""
    edges = {
        package: sorted(
            {
                target
                for _, _, module in rows
                if (target := package_of_module(module)) not in (None, package)
            }
        )
        for package, rows in imports.items()
    }
    cycles = []

    def walk(path: list[str]) -> None:
        for target in edges.get(path[-1], []):
            if target == path[0]:
                cycles.append([*path, target])
            elif target not in path and target > path[0]:
                walk([*path, target])

    for start in sorted(edges):
        walk([start])
    return cycles


def test_each_package_imports_only_what_it_may() -> None:
    imports = project_imports(REPOSITORY)
    assert len(imports.get("advisor.probes", [])) > 50, "the probes' source was not found"
    assert forbidden_imports(imports) == []


def test_no_two_packages_import_each_other() -> None:
    assert package_cycles(project_imports(REPOSITORY)) == []


def write_tree(root: Path, files: Mapping[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_the_check_finds_a_probe_importing_the_advice_and_qt_outside_the_app(
    tmp_path: Path,
) -> None:
    write_tree(
        tmp_path,
        {
            "probes/suite.py": "from advisor.base.models import FrozenModel\n"
            "def later():\n    from advisor.facts import PROBE_NAMESPACE\n",
            "probes/host.py": "from advisor import wording\n",
            "advisor/base/files.py": "import advisor.outputs\n",
            "advisor/facts.py": "from PySide6.QtCore import QObject\n",
            "ui/app.py": "from PySide6.QtWidgets import QApplication\n",
        },
    )

    assert sorted(forbidden_imports(project_imports(tmp_path))) == [
        "advisor/base/files.py:1: advisor.base imports advisor.outputs",
        "advisor/facts.py:1: imports Qt (PySide6.QtCore.QObject) outside the app",
        "probes/host.py:1: advisor.probes imports advisor.wording",
        "probes/suite.py:3: advisor.probes imports advisor.facts.PROBE_NAMESPACE",
    ]


def test_the_check_finds_a_cycle_through_a_third_package(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "advisor/facts.py": "import advisor.ui.app\n",
            "ui/app.py": "from advisor.probes import suite\n",
            "probes/suite.py": "from advisor.facts import PROBE_NAMESPACE\n",
        },
    )

    assert package_cycles(project_imports(tmp_path)) == [
        ["advisor", "advisor.ui", "advisor.probes", "advisor"]
    ]
