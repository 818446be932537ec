"""The app's Run button drives the real probes through the GUI worker: a real container and a
real VM, both measured, their figures on the results page, and nothing of theirs left."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from advisor.probes.models import ProbeStatus
from advisor.probes.vm_plan import VmSettings
from advisor.ui import dialogs
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import PROBES_STEP, MainWindow
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.test_container_probe import probe_containers, probe_images
from tests.integration.test_vm_probe import leftovers

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

# One quick run of each probe takes about 20 s here; the VM boots under software emulation.
PROBES_TIMEOUT_MS = 300_000


def test_the_run_button_measures_a_real_container_and_vm_and_leaves_nothing(
    qtbot: QtBot,
    docker_client: Any,
    libvirt_conn: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The window closes at the end with unsaved probe results: no dialog may block that.
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Discard)
    monkeypatch.setattr(dialogs, "ask", lambda *_args, **_kwargs: dialogs.Button.Discard)
    settings = AppSettings(tmp_path / "settings.json")
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    window.go_to(PROBES_STEP)
    page = window.probe_page
    progressed: list[str] = []
    page.log.textChanged.connect(lambda: progressed.append(page.rows["vm"].step.text()))

    with qtbot.waitSignal(page.reportReady, timeout=PROBES_TIMEOUT_MS) as ready:
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=PROBES_TIMEOUT_MS)

    report = ready.args[0]
    assert report.container.status is ProbeStatus.OK, report.container.reason
    assert report.vm.status is ProbeStatus.OK, report.vm.reason
    assert window.document.probe_report == report
    assert page.rows["container"].step.text().startswith("Done. Ran: started in ")
    assert page.rows["vm"].step.text().startswith("Done. Ran: booted in ")
    assert any(text.startswith("Boot 1 of 1") for text in progressed)

    assert probe_containers(docker_client) == []
    assert probe_images(docker_client) == []
    assert leftovers(libvirt_conn, VmSettings(uri=LIBVIRT_URI, runs=1)) == []
