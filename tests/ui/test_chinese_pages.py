"""Every page of the app in Simplified Chinese: no word of English is left in sight but names
(Docker, KVM, QEMU, libvirt, …), rule and claim IDs, and what the files hold (the project's
name, the probe report's host names, versions and the probes' own messages)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from advisor.base.models import texts_of
from advisor.probe_results import load_probe_report
from advisor.report.model import ARTICLE_TITLE
from advisor.rulebook import load_rulebook
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import PROBES_STEP, RESULTS_STEP, MainWindow
from advisor.ui.probe_page import HEADLESS_PROBE_COMMAND
from advisor.ui.results_page import ReasonCard
from advisor.ui.translation import apply_language
from tests.ui.conftest import ANSWERS, WAIT_MS, FakeProbes

ROOT = Path(__file__).resolve().parents[2]
# Names, written the same in every language.
NAMES = {
    "Docker", "KVM", "QEMU", "libvirt", "Linux", "Windows", "macOS", "PDF", "JSON", "Markdown",
    "MADR", "CPU", "CPUs", "GPU", "USB", "HSM", "SR-IOV", "PCI", "DSS", "HIPAA", "CI", "TCG",
    "PREEMPT_RT", "eBPF", "arm64", "x86-64", "hypervisor", "dvm-advisor", "json",
    "FILE", "Ctrl", "Alt", "seccomp", "rootless", "capabilities", "initramfs", "busybox",
    "Debian", "KiB", "MiB", "GiB", "ms", "UTC", "NIST", "SP", "PCI SSC", "Kata",
    "Firecracker", "gVisor", "Hyper-V", "VT-x", "AMD-V", "VM", "Apple", "Mac",
    "PostgreSQL", "vs", "SDK", "Python",
    "Server", "XP", "NVIDIA", "Toolkit", "BPF", "Microsoft",
    "GitHub", "HHS", "CFR", "qemu",
    "KB", "MB", "GB", "s", "alpine", "README", "F1",
    "English",  # each language is named in itself
}  # fmt: skip
# Names of several words: products, the article's title, a command, an option.
PHRASES = (
    ARTICLE_TITLE,
    HEADLESS_PROBE_COMMAND,
    "Docker Desktop",
    "Docker Engine",
    "Windows Server",
    "Kata Containers",
    "HIPAA Security Rule",
    "NVIDIA Container Toolkit",
    "GitHub Actions",
    "Docker Hub",
    "alpinelinux/docker-alpine",
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_'.-]*[A-Za-z0-9]|[A-Za-z]")


@pytest.fixture
def chinese_window(
    qtbot: QtBot, settings: AppSettings, fake_probes: FakeProbes
) -> Iterator[MainWindow]:
    apply_language("zh_CN")
    window = MainWindow(settings=settings, run_probes=fake_probes)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    assert window.probe_page.shutdown(WAIT_MS)


def _visible_texts(root: QWidget) -> Iterator[str]:
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root.window()):
            continue
        if isinstance(widget, QLabel | QAbstractButton | QGroupBox):
            yield widget.text() if not isinstance(widget, QGroupBox) else widget.title()
            yield widget.toolTip()
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            yield widget.placeholderText()
        if isinstance(widget, QListWidget):
            for row in range(widget.count()):
                yield widget.item(row).text()
                yield widget.item(row).toolTip()
        if isinstance(widget, QTableWidget):
            for column in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(column)
                yield header.text() if header else ""
                for row in range(widget.rowCount()):
                    item = widget.item(row, column)
                    yield item.text() if item else ""


def _menu_texts(window: MainWindow) -> Iterator[str]:
    for action in window.menuBar().actions():
        yield action.text()
        menu = action.menu()
        if isinstance(menu, QMenu):
            for inner in menu.actions():
                yield inner.text()
                if isinstance(inner.menu(), QMenu):
                    yield from (each.text() for each in inner.menu().actions())


def _data_texts(window: MainWindow) -> list[str]:
    """What the files hold and the program only shows: the probe report's texts, the
    project's name, rule and claim IDs, the article's own sentences; longest first, so that
    a part never hides a whole."""
    found: list[str] = [str(ANSWERS.project_name)]
    report = window.document.probe_report
    if report is not None:
        found += texts_of(report)
    rulebook = load_rulebook()
    found += [compiled.rule.id for compiled in rulebook.rules] + list(rulebook.claims)
    # The article's own sentences, quoted as they are.
    for claim in rulebook.claims.values():
        found += [*claim.original, claim.section_zh]
    return sorted({text for text in found if text}, key=len, reverse=True)


def _english_words(texts: Iterator[str], data: list[str]) -> set[str]:
    left = set()
    for text in texts:
        plain = re.sub(r"<[^>]+>|&nbsp;", " ", text).replace("\xa0", " ")
        plain = plain.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        plain = plain.replace("/dev/kvm", " ")
        for name in PHRASES:
            plain = plain.replace(name, " ")
        plain = re.sub(r"(?<!\S)--[a-z][a-z-]*", " ", plain)  # a command-line option
        for quoted in data:
            pattern = rf"(?<![A-Za-z0-9]){re.escape(quoted.rstrip('.'))}(?![A-Za-z0-9])"
            plain = re.sub(pattern, " ", plain, flags=re.IGNORECASE)
        # A keyboard accelerator (文件(&F)), key combinations and the device file are names too.
        plain = re.sub(r"\(&[A-Z]\)|\b(Ctrl|Alt)\+\S+", " ", plain).replace("&", "")
        left |= {word for word in _WORD.findall(plain) if word not in NAMES}
    return left


def test_every_page_in_chinese_shows_no_english_but_names(
    chinese_window: MainWindow, fake_probes: FakeProbes
) -> None:
    window = chinese_window
    document = window.document
    for field in ANSWERS.model_fields_set - {"schema_version"}:
        document.set_value(field, ANSWERS.value(field))
    document.set_probe_report(fake_probes.report, window.tr("from this workstation"))
    steps = [*document.questions.by_id, PROBES_STEP, RESULTS_STEP]
    data = _data_texts(window)
    seen: dict[str, set[str]] = {}
    for step in steps:
        window.go_to(step)
        QApplication.processEvents()
        words = _english_words(_visible_texts(window), data)
        if words:
            seen[step] = words
    # The article's own words under each reason, shown.
    window.go_to(RESULTS_STEP)
    for card in window.findChildren(ReasonCard):
        card.quote_button.setChecked(True)
    QApplication.processEvents()
    quotes = _english_words(_visible_texts(window), data)
    if quotes:
        seen["quotes"] = quotes
    seen_menus = _english_words(_menu_texts(window), data)
    assert (seen, seen_menus) == ({}, set())


def test_the_comparison_of_hosts_in_chinese_shows_no_english_but_names(
    chinese_window: MainWindow, qtbot: QtBot
) -> None:
    window = chinese_window
    for field in ANSWERS.model_fields_set - {"schema_version"}:
        window.document.set_value(field, ANSWERS.value(field))
    fleet = sorted((ROOT / "docs" / "fleet").glob("*.json"))
    dialog = window.compare_hosts(fleet)
    qtbot.waitExposed(dialog)
    assert dialog.comparison is not None
    data = _data_texts(window) + [path.name for path in fleet]
    data += [text for path in fleet for text in texts_of(load_probe_report(path))]
    data += [host.label for host in dialog.comparison.hosts]
    shown = list(_visible_texts(dialog))
    assert any("宿主机" in text for text in shown) and len(shown) > 50
    words = _english_words(iter(shown), sorted(set(data), key=len, reverse=True))
    dialog.close()
    assert words == set()
