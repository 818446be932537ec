"""The wheel and the sdist: what they hold, and that an installed copy runs."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor import __version__
from advisor.answers import load_answers
from advisor.engine import advise
from tests.packaging.conftest import (
    EXAMPLES,
    REPO,
    package_data_files,
    package_dirs,
    run_scrubbed,
)

EXAMPLE = EXAMPLES / "windows-line-of-business.json"
PROBE_REPORT = REPO / "tests/unit/data/probe-report.json"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel that `python -m build` makes, the wheel built from the sdist."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(REPO)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (built,) = dist.glob("dvm_advisor-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin folder of a clean virtual environment with the wheel and its dependencies."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    subprocess.run(
        [str(venv / "bin/pip"), "install", "--quiet", str(wheel)],
        check=True,
        timeout=900,
        capture_output=True,
    )
    return venv / "bin"


def test_wheel_ships_every_data_file(wheel: Path) -> None:
    data_files = package_data_files()
    assert any(name.startswith("advisor/rules/") for name in data_files), "no rule files"
    with zipfile.ZipFile(wheel) as archive:
        missing = set(data_files) - set(archive.namelist())
        assert missing == set(), "package-data in pyproject.toml leaves these out"
        for name, source in data_files.items():
            assert archive.read(name) == source.read_bytes(), name


def test_wheel_has_no_generic_top_level_packages(wheel: Path) -> None:
    top_levels = {
        name.split("/", 1)[0]
        for name in zipfile.ZipFile(wheel).namelist()
        if not name.split("/", 1)[0].endswith(".dist-info")
    }
    assert top_levels == {"advisor"}


def test_sdist_holds_every_source_and_data_file(dist: Path) -> None:
    (sdist,) = dist.glob("dvm_advisor-*.tar.gz")
    root = sdist.name.removesuffix(".tar.gz")
    with tarfile.open(sdist) as archive:
        names = set(archive.getnames())
    sources = [p for folder in package_dirs().values() for p in (REPO / folder).rglob("*.py")]
    sources += package_data_files().values()
    expected = {f"{root}/{path.relative_to(REPO)}" for path in sources}
    expected |= {f"{root}/pyproject.toml", f"{root}/README.md"}
    assert expected - names == set()


def test_installed_wheel_reports_its_version(installed: Path, tmp_path: Path) -> None:
    result = run_scrubbed([str(installed / "dvm-advisor"), "--version"], tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"dvm-advisor {__version__}"


def test_installed_wheel_recommends_as_the_source_tree_does(
    installed: Path, tmp_path: Path
) -> None:
    command = [str(installed / "dvm-advisor"), "recommend", "--answers", str(EXAMPLE), "--json"]
    result = run_scrubbed(command, tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = advise(load_answers(EXAMPLE))
    assert json.loads(result.stdout) == json.loads(expected.model_dump_json())


def test_installed_wheel_writes_a_report(installed: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    command = [str(installed / "dvm-advisor"), "report", "--answers", str(EXAMPLE)]
    command += ["--probe", str(PROBE_REPORT), "--pdf", str(pdf)]
    result = run_scrubbed(command, tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    project_name = load_answers(EXAMPLE).project_name
    assert project_name is not None
    assert project_name in PdfReader(pdf).pages[0].extract_text()
