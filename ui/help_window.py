"""The Help menu's windows: a short guide, the keyboard shortcuts, and About; and the app's icon."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from advisor.base.i18n import _, format_date
from advisor.base.version import __version__
from advisor.report.model import ARTICLE_AUTHOR, ARTICLE_LANGUAGE, ARTICLE_PUBLISHED, ARTICLE_TITLE
from advisor.ui.welcome import guide_html
from advisor.ui.widgets import heading, wrapped_label

APP_NAME = "dvm-advisor"
APP_ID = "io.github.dvm_advisor.DvmAdvisor"  # the desktop entry's and the icon's name
LICENCE = "MIT"
# Run from a checkout, the icon theme does not know the app: its icon is then read from here.
CHECKOUT_ICON = (
    Path(__file__).resolve().parents[1]
    / "packaging/linux/icons/hicolor/scalable/apps"
    / f"{APP_ID}.svg"
)
ABOUT_ICON_SIZE = 64

# Keys that are not menu commands; the menus' own shortcuts are read from their actions.
OTHER_KEYS = (
    ("Up, Down", QT_TRANSLATE_NOOP("Help", "Move through the list of steps")),
    ("Tab, Shift+Tab", QT_TRANSLATE_NOOP("Help", "Move between the answers and buttons of a page")),
    ("Left, Right", QT_TRANSLATE_NOOP("Help", "Choose among the answers of a question")),
    (
        "Space",
        QT_TRANSLATE_NOOP("Help", "Tick a choice, press a button or show the article's words"),
    ),
)


def app_icon() -> QIcon:
    """The app's icon: the installed theme's, else the one in the checkout."""
    icon = QIcon.fromTheme(APP_ID)
    if icon.isNull() and CHECKOUT_ICON.is_file():
        icon = QIcon(str(CHECKOUT_ICON))
    return icon


def _dialog(parent: QWidget, title: str) -> tuple[QDialog, QVBoxLayout]:
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(20, 18, 20, 14)
    layout.setSpacing(10)
    return dialog, layout


def _close_buttons(dialog: QDialog, layout: QVBoxLayout) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)


def guide_dialog(parent: QWidget, question_count: int, required_count: int) -> QDialog:
    """Help > Guide: how an assessment goes, in four steps."""
    dialog, layout = _dialog(
        parent, QCoreApplication.translate("Help", "{app} guide").format(app=APP_NAME)
    )
    layout.addWidget(
        heading(QCoreApplication.translate("Help", "How an assessment goes"), "questionTitle")
    )
    steps = wrapped_label(guide_html(question_count, required_count), "guide")
    steps.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(steps)
    layout.addWidget(
        wrapped_label(
            QCoreApplication.translate(
                "Help",
                "Files: Save keeps the answers and the probe results in one assessment file. "
                "Open reads an assessment, an answers file or a probe report written by the "
                "command line; a file can also be dropped on the window.",
            ),
            "explanation",
        )
    )
    _close_buttons(dialog, layout)
    dialog.setMinimumWidth(520)
    return dialog


def shortcut_rows(parent: QWidget) -> list[tuple[str, str]]:
    """Each key and what it does: the window's commands, then the keys within a page."""
    rows = []
    for action in parent.actions():
        keys = action.shortcut()
        if keys.isEmpty():
            continue
        rows.append(
            (
                keys.toString(QKeySequence.SequenceFormat.NativeText),
                action.text().replace("&", "").rstrip("…"),
            )
        )
    return rows + [
        (keys, QCoreApplication.translate("Help", str(what))) for keys, what in OTHER_KEYS
    ]


def shortcuts_dialog(parent: QWidget) -> QDialog:
    """Help > Keyboard Shortcuts: a table of keys."""
    dialog, layout = _dialog(parent, QCoreApplication.translate("Help", "Keyboard shortcuts"))
    rows = shortcut_rows(parent)
    table = QTableWidget(len(rows), 2)
    table.setObjectName("shortcutTable")
    table.setAccessibleName(QCoreApplication.translate("Help", "Keyboard shortcuts"))
    table.setHorizontalHeaderLabels(
        (
            QCoreApplication.translate("Help", "Keys"),
            QCoreApplication.translate("Help", "What they do"),
        )
    )
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setShowGrid(False)
    for row, (keys, what) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(keys))
        table.setItem(row, 1, QTableWidgetItem(what))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    layout.addWidget(table)
    _close_buttons(dialog, layout)
    dialog.resize(480, 460)
    return dialog


def about_dialog(parent: QWidget) -> QDialog:
    """Help > About: the icon, the version, the licence and the article the advice rests on."""
    dialog, layout = _dialog(
        parent, QCoreApplication.translate("Help", "About {app}").format(app=APP_NAME)
    )
    icon = QLabel()
    icon.setPixmap(app_icon().pixmap(ABOUT_ICON_SIZE, ABOUT_ICON_SIZE))
    icon.setAccessibleName(QCoreApplication.translate("Help", "{app} icon").format(app=APP_NAME))
    layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
    title = heading(f"{APP_NAME} {__version__}", "questionTitle")
    title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    layout.addWidget(title)
    text = wrapped_label(
        QCoreApplication.translate(
            "Help",
            "<p>Should a project run in Docker containers or in virtual machines? "
            "{app} answers with rules drawn claim by claim from the article "
            "“{article}” by {author} ({published}, in {language}), and checks the advice on "
            "this workstation with a real container and a real virtual machine.</p>"
            "<p>Every reason names the claims of the article it rests on; rules that go beyond "
            "the article say where they come from.</p><p>Licence: {licence}.</p>",
        ).format(
            app=APP_NAME,
            article=escape(ARTICLE_TITLE),
            author=escape(ARTICLE_AUTHOR),
            published=format_date(ARTICLE_PUBLISHED),
            language=escape(_(ARTICLE_LANGUAGE)),
            licence=LICENCE,
        ),
        "explanation",
    )
    text.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(text)
    _close_buttons(dialog, layout)
    dialog.setMinimumWidth(460)
    return dialog


def show_guide(parent: QWidget, question_count: int, required_count: int) -> None:
    """Open the guide beside the window."""
    guide_dialog(parent, question_count, required_count).show()


def show_shortcuts(parent: QWidget) -> None:
    """Open the table of keyboard shortcuts beside the window."""
    shortcuts_dialog(parent).show()


def show_about(parent: QWidget) -> None:
    """Open About."""
    about_dialog(parent).exec()
