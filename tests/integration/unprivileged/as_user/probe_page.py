"""Run by test_app_as_user.py as the ordinary user, with pytest-qt inside that user's venv:
the app's Run button starts the real probes (root's dockerd, the user's qemu:///session),
and what the page shows and the report it made are written for the test to check.

Only the installed app is imported: the user cannot read the checkout these tests come from.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from advisor.ui import dialogs
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import PROBES_STEP, MainWindow

PROBES_TIMEOUT_MS = 300_000


def test_the_probe_page_runs_both_probes_as_this_user(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
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

    with qtbot.waitSignal(page.reportReady, timeout=PROBES_TIMEOUT_MS) as ready:
        qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=PROBES_TIMEOUT_MS)

    report = ready.args[0]
    shown = {probe: row.step.text() for probe, row in page.rows.items()}
    Path(os.environ["DVM_ADVISOR_PAGE_OUT"]).write_text(
        json.dumps({"report": report.model_dump(mode="json"), "rows": shown})
    )
    assert window.document.probe_report == report
    assert shown["container"].startswith("Done. Ran: started in "), shown
    assert shown["vm"].startswith("Done. Ran: booted in "), shown
