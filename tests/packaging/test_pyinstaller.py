"""The self-contained one-folder build: it runs with no Python environment of the project's."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from advisor import __version__
from advisor.answers import load_answers
from advisor.engine import advise
from advisor.probes.models import ProbeStatus
from advisor.report import ReportDocument
from advisor.wording import PROBE_STATUS_LABELS
from tests.integration.conftest import daemon_missing, in_ci
from tests.packaging.conftest import (
    EXAMPLES,
    REPO,
    package_data_files,
    require_tool,
    run_scrubbed,
)

pytestmark = pytest.mark.package_build

SPEC = REPO / "packaging/pyinstaller/dvm-advisor.spec"
EXAMPLE = EXAMPLES / "linux-microservices-postgres.json"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built program, dvm-advisor/dvm-advisor in a folder of its own."""
    if importlib.util.find_spec("PyInstaller") is None:
        message = "PyInstaller is not installed in this environment (make package-test)"
        if in_ci():
            pytest.fail(f"{message}; CI=true: packaging checks never skip")
        pytest.skip(message)
    out = tmp_path_factory.mktemp("pyinstaller")
    subprocess.run(
        [
            *(sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR"),
            *("--distpath", str(out / "dist"), "--workpath", str(out / "work"), str(SPEC)),
        ],
        check=True,
        timeout=900,
        cwd=out,
    )
    return out / "dist/dvm-advisor/dvm-advisor"


def test_reports_its_version(app: Path, tmp_path: Path) -> None:
    result = run_scrubbed([str(app), "--version"], tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"dvm-advisor {__version__}"


def test_recommends_as_the_source_tree_does(app: Path, tmp_path: Path) -> None:
    command = [str(app), "recommend", "--answers", str(EXAMPLE), "--json"]
    result = run_scrubbed(command, tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    expected = advise(load_answers(str(EXAMPLE)))
    assert json.loads(result.stdout) == json.loads(expected.model_dump_json())


def test_bad_input_is_one_line_not_a_traceback(app: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    result = run_scrubbed([str(app), "recommend", "--answers", str(missing)], tmp_path, 60)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(missing) in result.stderr


def test_headless_job_reports_with_real_probes(app: Path, tmp_path: Path) -> None:
    """What `make run` does where no display exists, done by the built program."""
    documents = tmp_path / "documents"
    documents.mkdir()
    config = tmp_path / "config"
    config.mkdir()
    (config / "user-dirs.dirs").write_text(f'XDG_DOCUMENTS_DIR="{documents}"\n')
    result = run_scrubbed(
        [str(app), "headless"], tmp_path, timeout=900, extra_env={"XDG_CONFIG_HOME": str(config)}
    )
    assert result.returncode == 0, result.stderr
    (pdf,) = documents.rglob("*.pdf")
    (content,) = documents.rglob("*.json")
    document = ReportDocument.model_validate_json(content.read_text(encoding="utf-8"))
    assert document.project_name is not None
    assert document.project_name in PdfReader(pdf).pages[0].extract_text()
    # The probes ran inside the built program: its Docker SDK and libvirt binding both worked.
    assert document.probe is not None
    outcomes = {row.label: row.value for row in document.probe.outcomes}
    for probe in ("Container probe", "VM probe"):
        # The row begins with the status as the report words it: "completed; start 205 ms…",
        # "completed under software emulation (TCG); boot …".
        row = outcomes[probe]
        if row.startswith(PROBE_STATUS_LABELS[ProbeStatus.UNAVAILABLE.value]):
            daemon_missing(f"{probe}: {row}")
        assert row.startswith(PROBE_STATUS_LABELS[ProbeStatus.OK.value]), row


def test_ships_every_data_file(app: Path) -> None:
    internal = app.parent / "_internal"
    for name, source in package_data_files().items():
        assert (internal / name).read_bytes() == source.read_bytes(), name


def test_bundles_every_qt_module_the_gui_imports(app: Path) -> None:
    imported = set()
    for source in (REPO / "ui").glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("PySide6."):
                imported.add((node.module or "").split(".")[1])
    assert imported, "ui/ imports nothing from PySide6"
    for module in sorted(imported):
        assert (app.parent / f"_internal/PySide6/{module}.abi3.so").is_file(), module


def test_gui_starts_offscreen(app: Path, tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    process = subprocess.Popen(
        [str(app), "gui"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # The window either comes up and waits for the user, or the program ends with an error.
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        still_running = process.poll() is None
    finally:
        process.kill()
        _, stderr = process.communicate(timeout=30)
    assert still_running, stderr
    assert "Traceback" not in stderr


def host_libvirt(app: Path) -> str:
    """Where the bundled libvirt binding finds libvirt.so.0."""
    ldd = require_tool("ldd")
    (binding,) = (app.parent / "_internal").glob("libvirtmod.cpython-*.so")
    links = subprocess.run(
        [ldd, str(binding)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    found = re.search(r"libvirt\.so\.0 => (\S+)", links)
    assert found is not None, links
    return found.group(1)


def test_leaves_libvirt_to_the_host(app: Path) -> None:
    internal = app.parent / "_internal"
    assert not list(internal.rglob("libvirt.so*"))
    assert not host_libvirt(app).startswith(str(internal))


def test_vm_probe_is_unavailable_with_a_fix_where_libvirt_is_missing(
    app: Path, tmp_path: Path
) -> None:
    """The host's libvirt.so.0 hidden in a private mount namespace, as on a host without it."""
    if os.geteuid() != 0:
        pytest.skip("hiding the host's libvirt in a mount namespace needs root")
    unshare = require_tool("unshare")
    hidden = f'mount --bind /dev/null {host_libvirt(app)} && exec "$0" "$@"'
    hide_libvirt = [unshare, "--mount", "--propagation", "private", "sh", "-c", hidden]
    probe = [str(app), "probe", "--only", "vm", "--json", "-"]
    result = run_scrubbed([*hide_libvirt, *probe], tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr
    vm = json.loads(result.stdout)["vm"]
    assert vm["status"] == "unavailable"
    assert "libvirt" in vm["reason"]
    assert "apt-get install libvirt0" in vm["fix"]
