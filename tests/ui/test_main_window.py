"""The main window opens with its title, menus and first step."""

from pytestqt.qtbot import QtBot

from advisor import __version__
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import MainWindow


def test_main_window_shows_with_its_title(qtbot: QtBot, settings: AppSettings) -> None:
    window = MainWindow(settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.isVisible()
    assert __version__ not in window.windowTitle()  # the version is in Help > About
    assert window.windowTitle().startswith("Untitled assessment")
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&View", "&Go", "&Help"]
    assert window.current_step == "project_name"
