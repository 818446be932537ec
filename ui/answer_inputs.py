"""Input widgets for answers, chosen by the kind of each question of the question table.

One choice is a set of radio buttons, a yes/no question two of them, several choices check
boxes, a whole number a spin box bounded by the question's range, and text a line edit as long
as the question allows. None of them can hold a value the answers format would refuse.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractButton,
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from advisor.base.i18n import _, format_number
from advisor.facts import FactValue
from advisor.questions import NOT_ANSWERED, Question
from advisor.terminal import no_controls_pattern
from advisor.ui.widgets import wrapped_label

SPIN_BOX_LIMIT = 2**31 - 1


class AnswerInput(QWidget):
    """A widget holding one answer; `changed` carries the new value (None: no answer)."""

    changed = Signal(object)

    def __init__(self, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._quiet = False

    def value(self) -> FactValue:
        """The answer shown, or None when there is none."""
        raise NotImplementedError

    def set_value(self, value: FactValue) -> None:
        """Show `value` without emitting `changed`."""
        self._quiet = True
        try:
            self._show(value)
        finally:
            self._quiet = False

    def _show(self, value: FactValue) -> None:
        raise NotImplementedError

    def _emit(self) -> None:
        if not self._quiet:
            self.changed.emit(self.value())


class ChoiceInput(AnswerInput):
    """Exactly one of a few values, as radio buttons; none is checked until answered."""

    def __init__(
        self,
        field: str,
        choices: tuple[tuple[FactValue, str], ...],
        *,
        horizontal: bool = False,
        meanings: tuple[str | None, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        """`meanings`: what each choice means, said under it where its label alone does not."""
        super().__init__(field, parent)
        self._choices = tuple(value for value, _label in choices)
        self._group = QButtonGroup(self)
        layout: QBoxLayout = QHBoxLayout(self) if horizontal else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(18 if horizontal else 6)
        for index, (choice, label) in enumerate(choices):
            button = QRadioButton(label, self)
            button.setObjectName(f"{field}={choice}")
            self._group.addButton(button, index)
            # As wide as its text: a click far to the right of a choice is not that choice.
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            meaning = meanings[index] if index < len(meanings) else None
            if meaning:
                said = wrapped_label(meaning, "choiceMeaning")
                said.setContentsMargins(26, 0, 0, 4)  # under the label, past the radio mark
                button.setAccessibleDescription(meaning)
                layout.addWidget(said)
        layout.addStretch(1)
        self._group.buttonToggled.connect(self._toggled)
        self._set_tab_stop()

    def _set_tab_stop(self) -> None:
        """Tab lands on the choice made (the first one while none is): the arrow keys move
        between the choices, as in any group of radio buttons."""
        buttons = self._group.buttons()
        checked = self._group.checkedButton() or (buttons[0] if buttons else None)
        for button in buttons:
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if button is checked else Qt.FocusPolicy.ClickFocus
            )
        if checked is not None:
            self.setFocusProxy(checked)

    @property
    def choices(self) -> tuple[FactValue, ...]:
        """The values offered, in order."""
        return self._choices

    def buttons(self) -> list[QAbstractButton]:
        """The radio buttons, in the order of the choices."""
        return self._group.buttons()

    def value(self) -> FactValue:
        index = self._group.checkedId()
        return None if index < 0 else self._choices[index]

    def _show(self, value: FactValue) -> None:
        if value in self._choices:
            button = self._group.button(self._choices.index(value))
            if button is not None:
                button.setChecked(True)
            return
        # An exclusive group refuses to uncheck its last button.
        self._group.setExclusive(False)
        for button in self._group.buttons():
            button.setChecked(False)
        self._group.setExclusive(True)
        self._set_tab_stop()

    def _toggled(self, _button: QAbstractButton, checked: bool) -> None:
        if checked:
            self._set_tab_stop()
            self._emit()


class SetInput(AnswerInput):
    """One or more of a few values, as check boxes; none checked means not answered.

    An exclusive choice ("None") stands alone, as the answers format asks: checking it
    clears the others, and checking another clears it.
    """

    def __init__(
        self,
        field: str,
        choices: tuple[tuple[str, str], ...],
        exclusive: tuple[str, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, parent)
        self._boxes: list[tuple[str, QCheckBox]] = []
        self._exclusive = frozenset(exclusive)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for choice, label in choices:
            box = QCheckBox(label, self)
            box.setObjectName(f"{field}={choice}")
            box.toggled.connect(lambda checked, choice=str(choice): self._toggled(choice, checked))
            self._boxes.append((str(choice), box))
            layout.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)
        if self._boxes:
            self.setFocusProxy(self._boxes[0][1])

    def _toggled(self, choice: str, checked: bool) -> None:
        if checked and not self._quiet:
            alone = choice in self._exclusive
            # Cleared quietly: the answer changes once, to what is left checked.
            self._quiet = True
            try:
                for other, box in self._boxes:
                    if other != choice and (alone or other in self._exclusive):
                        box.setChecked(False)
            finally:
                self._quiet = False
        self._emit()

    def boxes(self) -> dict[str, QCheckBox]:
        """The check box of each value offered."""
        return dict(self._boxes)

    def value(self) -> FactValue:
        chosen = tuple(choice for choice, box in self._boxes if box.isChecked())
        return chosen or None

    def _show(self, value: FactValue) -> None:
        chosen = set(value) if isinstance(value, tuple) else set()
        for choice, box in self._boxes:
            box.setChecked(choice in chosen)


class NumberInput(AnswerInput):
    """A whole number within the question's range; until answered it shows 'Not answered'
    (unless the question has a default)."""

    def __init__(
        self,
        field: str,
        lowest: int | None,
        highest: int | None,
        *,
        required: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, parent)
        self._lowest = int(lowest) if lowest is not None else -SPIN_BOX_LIMIT + 1
        self._required = required
        top = int(highest) if highest is not None else SPIN_BOX_LIMIT
        self.spin_box = QSpinBox(self)
        self.spin_box.setObjectName(field)
        # One below the lowest answer stands for "not answered", shown in words.
        self.spin_box.setRange(self._lowest - 1 if required else self._lowest, top)
        if required:
            self.spin_box.setSpecialValueText(_(NOT_ANSWERED))
        self.spin_box.setGroupSeparatorShown(True)
        self.spin_box.setAccelerated(True)
        self.spin_box.setMinimumWidth(160)
        # A wheel turned while scrolling the page must not change an answer by accident.
        self.spin_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # The range in words: a number typed beyond it is refused, so say where it ends.
        self.range_hint = QLabel(range_text(self._lowest, top, required=required), self)
        self.range_hint.setObjectName("rangeHint")
        self.range_hint.setWordWrap(True)
        self.spin_box.setAccessibleDescription(self.range_hint.text())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.spin_box)
        layout.addWidget(self.range_hint, 1)
        self.setFocusProxy(self.spin_box)
        self.spin_box.valueChanged.connect(self._emit)

    def value(self) -> FactValue:
        number = self.spin_box.value()
        return None if self._required and number < self._lowest else number

    def _show(self, value: FactValue) -> None:
        shown = value if isinstance(value, int) else self.spin_box.minimum()
        self.spin_box.setValue(shown)


class TextInput(AnswerInput):
    """One line of free text, as long as the model allows, without control characters, line
    separators or bidirectional controls (which the model refuses)."""

    def __init__(
        self,
        field: str,
        max_chars: int | None,
        placeholder: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(field, parent)
        self.line_edit = QLineEdit(self)
        self.line_edit.setObjectName(field)
        if max_chars is not None:
            self.line_edit.setMaxLength(max_chars)
        self.line_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(no_controls_pattern()), self.line_edit)
        )
        self.line_edit.setClearButtonEnabled(True)
        if placeholder:
            self.line_edit.setPlaceholderText(placeholder)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line_edit)
        self.setFocusProxy(self.line_edit)
        self.line_edit.textChanged.connect(self._emit)

    def value(self) -> FactValue:
        return self.line_edit.text() or None

    def _show(self, value: FactValue) -> None:
        self.line_edit.setText(value if isinstance(value, str) else "")


def range_text(lowest: int, highest: int, *, required: bool) -> str:
    """What a number input accepts, in words: 'A whole number from 1 to 10,000.'"""
    cleared = (
        QCoreApplication.translate("answers", " ({number} clears the answer)").format(
            number=format_number(lowest - 1)
        )
        if required
        else ""
    )
    return QCoreApplication.translate(
        "answers", "A whole number from {lowest} to {highest}{cleared}."
    ).format(lowest=format_number(lowest), highest=format_number(highest), cleared=cleared)


def input_for(question: Question) -> AnswerInput:
    """The input widget for one question."""
    field = question.id
    if question.kind == "text":
        return TextInput(field, question.max_length, question.placeholder)
    if question.kind == "yes_no":
        return ChoiceInput(field, ((True, _("Yes")), (False, _("No"))), horizontal=True)
    choices = tuple((choice.value, choice.label) for choice in question.choices)
    if question.kind == "one_choice":
        meanings = tuple(choice.meaning for choice in question.choices)
        return ChoiceInput(field, choices, meanings=meanings)
    if question.kind == "several_choices":
        return SetInput(field, choices, question.exclusive)
    # Only a question with a default always has a number; the others may be not answered.
    return NumberInput(field, question.minimum, question.maximum, required=question.initial is None)
