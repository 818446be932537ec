"""What the packaging tests share: the repository, the app id, and running a program cleanly."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.integration.conftest import in_ci

REPO = Path(__file__).resolve().parents[2]
APP_ID = "io.github.dvm_advisor.DvmAdvisor"
LINUX_DIR = REPO / "packaging/linux"
EXAMPLES = REPO / "examples"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "package_build: builds the self-contained app with PyInstaller"
    )


def package_dirs() -> dict[str, str]:
    """pyproject's package-dir table: each installed package and the folder it comes from."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    table: dict[str, str] = pyproject["tool"]["setuptools"]["package-dir"]
    return table


def package_data_files() -> dict[str, Path]:
    """Every file of the package folders that is not Python code, by its installed path."""
    found = {}
    for package, folder in package_dirs().items():
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and path.suffix not in (".py", ".pyc"):
                relative = path.relative_to(REPO / folder)
                found[f"{package.replace('.', '/')}/{relative}"] = path
    return found


def require_tool(name: str) -> str:
    """The path of a host tool the test needs; CI fails without it, elsewhere the test skips."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (scripts/provision-host test installs it)"
        if in_ci():
            pytest.fail(f"{message}; CI=true: packaging checks never skip")
        pytest.skip(message)
    return path


def run_scrubbed(
    command: list[str], cwd: Path, timeout: float, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `command` as on a machine with no Python environment of the project's.

    Only the system's PATH, no PYTHONPATH or virtual environment, from a folder of its own.
    HOME is kept so that caches (the VM probe's guest kernel) are found as a user's would be.
    """
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(cwd)),
        "LANG": "C.UTF-8",
        **(extra_env or {}),
    }
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
