"""The wheel: what it holds, and that an installed copy runs."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(REPO)],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("dvm_advisor-*.whl")
    return built


def test_wheel_ships_every_rule_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_files = sorted(p.name for p in (REPO / "rules").glob("*.toml"))
    assert rule_files, "the source tree has no rule files"
    for name in rule_files:
        assert f"advisor/rules/{name}" in names


def test_wheel_has_no_generic_top_level_packages(wheel: Path) -> None:
    top_levels = {
        name.split("/", 1)[0]
        for name in zipfile.ZipFile(wheel).namelist()
        if not name.split("/", 1)[0].endswith(".dist-info")
    }
    assert top_levels == {"advisor"}


def test_installed_wheel_reports_its_version(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin/pip"), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
    )
    result = subprocess.run(
        [str(venv / "bin/dvm-advisor"), "--version"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=tmp_path,
    )
    version = wheel.name.split("-")[1]
    assert result.stdout.strip() == f"dvm-advisor {version}"
