"""The questions the window asks in a dialog, each button with a mnemonic (Alt+letter).

Every dialog goes through `ask`, so a test can answer it in one place instead of a person.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def _tr(text: str) -> str:
    return QCoreApplication.translate("Dialogs", text)


def button_texts() -> dict[Button, str]:
    """The words on each button the window's dialogs use, with the letter Alt presses."""
    return {
        Button.Save: _tr("&Save"),
        Button.Open: _tr("&Open It"),
        Button.Discard: _tr("&Discard Changes"),
        Button.Cancel: _tr("&Cancel"),
        Button.Close: _tr("Stop and &Close"),
        Button.Ignore: _tr("&Keep Running"),
    }


def make_question(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: tuple[Button, ...],
    default: Button,
    informative: str = "",
) -> QMessageBox:
    """The dialog `ask` shows, made apart so that its buttons can be checked."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    texts = button_texts()
    for kind in buttons:
        box.addButton(kind)
        button = box.button(kind)
        if button is not None:
            button.setText(texts[kind])
    box.setDefaultButton(default)
    box.setEscapeButton(Button.Cancel if Button.Cancel in buttons else buttons[-1])
    return box


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    buttons: tuple[Button, ...],
    default: Button,
    informative: str = "",
) -> Button:
    """Ask a question in a modal dialog; the button pressed (the escape button on Esc)."""
    box = make_question(parent, title, text, buttons, default, informative)
    box.exec()
    clicked = box.clickedButton()
    return box.standardButton(clicked) if clicked is not None else Button.Cancel
