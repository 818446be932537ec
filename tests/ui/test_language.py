"""View → Language: the assessment shown again in the other language, nothing of it lost, and
the choice remembered; Qt's own dialogs follow."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot

from advisor.base.i18n import current_language
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import MainWindow
from advisor.ui.translation import apply_language, saved_language
from tests.ui.conftest import ANSWERS, WAIT_MS, FakeProbes


def _open_window(qtbot: QtBot, settings: AppSettings, fake_probes: FakeProbes) -> MainWindow:
    window = MainWindow(settings=settings, run_probes=fake_probes)
    window.show()
    qtbot.waitExposed(window)
    return window


def _main_windows() -> list[MainWindow]:
    return [
        widget
        for widget in QApplication.topLevelWidgets()
        if isinstance(widget, MainWindow) and widget.isVisible()
    ]


def test_choosing_chinese_shows_the_same_assessment_in_chinese_and_remembers_it(
    qtbot: QtBot, settings: AppSettings, fake_probes: FakeProbes
) -> None:
    window = _open_window(qtbot, settings, fake_probes)
    for field in ANSWERS.model_fields_set - {"schema_version"}:
        window.document.set_value(field, ANSWERS.value(field))
    window.document.set_probe_report(fake_probes.report, "from this workstation")
    window.go_to("security")
    document = window.document
    english_verdict = document.view()
    assert english_verdict is not None

    window.language_actions["zh_CN"].trigger()

    shown = _main_windows()
    assert len(shown) == 1 and shown[0] is not window
    chinese = shown[0]
    qtbot.addWidget(chinese)
    assert current_language() == "zh_CN"
    assert saved_language(settings) == "zh_CN"
    # The same assessment: every answer, the probe results, the unsaved state, the step shown.
    assert chinese.document is document
    assert document.answers() == ANSWERS
    assert document.probe_report == fake_probes.report
    assert document.modified
    assert chinese.current_step == "security"
    assert chinese.isWindowModified()
    # Worded again: the advice and the window's own words are Chinese now.
    view = document.view()
    assert view is not None and view.verdict == english_verdict.verdict
    assert view.verdict_label != english_verdict.verdict_label
    assert any("\u4e00" <= char <= "\u9fff" for char in view.confidence_sentence)
    menus = [action.text() for action in chinese.menuBar().actions()]
    assert "视图(&V)" in menus
    assert chinese.language_actions["zh_CN"].isChecked()

    chinese.language_actions["en"].trigger()
    english = _main_windows()[0]
    qtbot.addWidget(english)
    assert current_language() == "en" and saved_language(settings) == "en"
    assert english.document is document and document.answers() == ANSWERS
    assert document.view() == english_verdict.model_copy(
        update={"generated_at": document.view().generated_at}  # type: ignore[union-attr]
    )
    assert english.probe_page.shutdown(WAIT_MS)


def test_the_language_cannot_change_while_probes_run(
    qtbot: QtBot, settings: AppSettings, fake_probes: FakeProbes
) -> None:
    window = _open_window(qtbot, settings, fake_probes)
    qtbot.addWidget(window)
    fake_probes.hold = True
    window.go_to("probes")
    window.probe_page.start()
    qtbot.waitUntil(fake_probes.holding.is_set, timeout=WAIT_MS)
    assert not window.language_menu.isEnabled()
    fake_probes.release.set()
    qtbot.waitUntil(lambda: not window.probe_page.running, timeout=WAIT_MS)
    assert window.language_menu.isEnabled()


def test_qt_standard_buttons_are_translated_too(qtbot: QtBot) -> None:
    apply_language("zh_CN")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel is not None and cancel.text().replace("&", "").startswith("取消")
