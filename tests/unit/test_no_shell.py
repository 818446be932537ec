"""No shell is ever handed a string: the app's code starts processes from argument lists only.

A file from another workstation (answers, a probe report) holds text that reaches commands
(an image name, a kernel path); with argument lists, that text can never be read as shell.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SOURCE_ROOTS = ("advisor", "probes", "ui")
REPOSITORY = Path(__file__).parents[2]
SHELL_USES = re.compile(r"shell\s*=\s*True|(?<![\w.])os\.(?:system|popen)\b")
PROCESS_STARTERS = {"run", "Popen", "call", "check_call", "check_output", "getoutput"}


def source_files() -> list[Path]:
    files = sorted(path for root in SOURCE_ROOTS for path in (REPOSITORY / root).rglob("*.py"))
    assert len(files) > 20, "the source tree was not found"
    return files


def test_no_source_file_uses_a_shell() -> None:
    found = [
        f"{path.relative_to(REPOSITORY)}:{number}: {line.strip()}"
        for path in source_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if SHELL_USES.search(line)
    ]
    assert found == []


def starts_a_process_from_a_string(call: ast.Call) -> bool:
    """A subprocess call whose command is a string (or an f-string, or a string sum)."""
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    if name not in PROCESS_STARTERS or not call.args:
        return False
    if isinstance(function, ast.Attribute) and getattr(function.value, "id", None) != "subprocess":
        return False
    command = call.args[0]
    return isinstance(command, ast.JoinedStr | ast.BinOp) or (
        isinstance(command, ast.Constant) and isinstance(command.value, str)
    )


@pytest.mark.parametrize("path", source_files(), ids=lambda path: str(path.relative_to(REPOSITORY)))
def test_processes_start_from_argument_lists(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    from_strings = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and starts_a_process_from_a_string(node)
    ]
    assert from_strings == [], f"{path}: a process started from a string at lines {from_strings}"


def test_the_check_would_see_a_shell_if_there_were_one() -> None:
    assert SHELL_USES.search("subprocess.run(command, shell=True)")
    assert SHELL_USES.search("os.system(f'rm {name}')")
    assert SHELL_USES.search("stream = os.popen(command)")
    assert not SHELL_USES.search("host.os.system")  # a field named system, not a shell
    samples = ["subprocess.run(f'dpkg -x {deb}')", "subprocess.Popen('ls ' + path)"]
    for sample in samples:
        call = ast.parse(sample).body[0].value  # type: ignore[attr-defined]
        assert starts_a_process_from_a_string(call), sample
    argument_list = ast.parse("subprocess.run(['dpkg', '-x', deb])").body[0].value  # type: ignore[attr-defined]
    assert not starts_a_process_from_a_string(argument_list)
