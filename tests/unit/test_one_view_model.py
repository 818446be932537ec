"""Every word about a recommendation is chosen in one place, the view model.

Read from the source itself (its syntax tree), so that a renderer that starts wording the
advice on its own fails here: no table of option names outside advisor/wording.py, and no
effect text, trigger formatter or choice of the article's sentences outside the view model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from advisor.rulebook import OPTIONS

REPO = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for folder in ("advisor", "ui", "probes")
    for path in (REPO / folder).rglob("*.py")
    if "__pycache__" not in path.parts
)
VIEW_MODEL = {Path("advisor/report/model.py"), Path("advisor/report/probe_view.py")}
OPTION_NAMES_TABLE = Path("advisor/wording.py")
# Where the engine makes triggers and quotes, and the rule loader checks them: not words.
ENGINE = {Path("advisor/engine.py"), Path("advisor/rulebook.py")}


def relative(path: Path) -> Path:
    return path.relative_to(REPO)


def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def option_name_tables(module: ast.Module) -> list[int]:
    """Lines of dict literals keyed by every option, whose values are words."""
    found = []
    for node in ast.walk(module):
        if not isinstance(node, ast.Dict):
            continue
        keys = {key.value for key in node.keys if isinstance(key, ast.Constant)}
        if set(OPTIONS) <= keys and not all(
            isinstance(value, ast.Tuple | ast.Call) and not _is_words(value)
            for value in node.values
        ):
            found.append(node.lineno)
    return found


def _is_words(node: ast.expr) -> bool:
    return any(
        isinstance(part, ast.Constant) and isinstance(part.value, str) for part in ast.walk(node)
    )


def signed_number_formats(module: ast.Module) -> list[int]:
    """Lines formatting points with a sign ('+3 Containers'): effect texts."""
    return [
        node.lineno
        for node in ast.walk(module)
        if isinstance(node, ast.FormattedValue)
        and isinstance(node.format_spec, ast.JoinedStr)
        and any(
            isinstance(part, ast.Constant) and "+" in str(part.value)
            for part in node.format_spec.values
        )
    ]


def reads_of(module: ast.Module, attribute: str) -> list[int]:
    """Lines reading `<something other than self>.<attribute>`."""
    return [
        node.lineno
        for node in ast.walk(module)
        if isinstance(node, ast.Attribute)
        and node.attr == attribute
        and not (isinstance(node.value, ast.Name) and node.value.id == "self")
    ]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(relative(path)))
def test_no_words_about_the_advice_outside_the_view_model(path: Path) -> None:
    where = relative(path)
    module = tree(path)
    if where != OPTION_NAMES_TABLE:
        assert option_name_tables(module) == [], "a table of option names"
    if where not in VIEW_MODEL:
        assert signed_number_formats(module) == [], "an effect text"
        assert where in ENGINE or reads_of(module, "triggers") == [], "a trigger formatter"
        assert where in ENGINE or reads_of(module, "quote") == [], "a choice of sentences"


def test_the_checks_find_what_they_look_for() -> None:
    sample = ast.parse(
        'NAMES = {"container": "Containers", "vm": "VMs", "hybrid": "Both", "host": "Host"}\n'
        'text = f"{points:+d} {name}"\n'
        "because = [t.fact for t in reason.triggers]\n"
        "sentence = reason.quote or claim.original[0]\n"
    )
    assert option_name_tables(sample) == [1]
    assert signed_number_formats(sample) == [2]
    assert reads_of(sample, "triggers") == [3]
    assert reads_of(sample, "quote") == [4]
    colours = ast.parse('COLOURS = {"container": (1, 2, 3), "vm": (4, 5, 6), "hybrid": (7, 8, 9)}')
    assert option_name_tables(colours) == []
