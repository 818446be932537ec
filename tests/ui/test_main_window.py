"""The main window opens."""

from pytestqt.qtbot import QtBot

from advisor import __version__
from advisor.ui.main_window import MainWindow


def test_main_window_shows_with_versioned_title(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert __version__ in window.windowTitle()
