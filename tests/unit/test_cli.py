"""The command line's own behaviour: version, GUI without a display, bad arguments."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from advisor import __version__
from advisor.cli import main


def test_version_names_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"dvm-advisor {__version__}"


def test_gui_without_display_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no display" in err and "recommend" in err and "probe" in err


def test_unknown_command_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no-such-command" in err


def test_module_entry_point_runs_without_display(tmp_path: Path) -> None:
    # The headless job itself runs real probes: tests/integration/test_report_cli.py runs it.
    pdf = tmp_path / "report.pdf"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    answers = Path(__file__).resolve().parents[2] / "examples" / "payment-service-strict.json"
    result = subprocess.run(
        [sys.executable, "-m", "advisor", "report", "--answers", str(answers), "--pdf", str(pdf)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"PDF report written to {pdf}" in result.stdout
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_the_command_line_loads_no_probe_backend_until_a_probe_runs() -> None:
    # The GUI starts through this module: the Docker SDK and libvirt must not slow it down.
    code = (
        "import sys, advisor.cli; "
        "heavy = ('docker', 'libvirt', 'advisor.probes.suite'); "
        "print(sorted(name for name in heavy if name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"


def test_gui_with_a_missing_assessment_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.json"
    assert main(["gui", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(missing) in err and "assessment" in err
