"""The probes speak the user's language: under zh-CN, the reason, the fix and the notes of a
step that fails are Chinese, with only names, paths and commands left as they are; a report
records the language they were written in, and a report shown in another language says so.

The real twin: tests/integration/faults/test_docker_faults.py runs `dvm-advisor --lang zh-CN
probe --only container` against an engine that refuses."""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from advisor.base.i18n import set_language
from advisor.probes.container import run_container_probe
from advisor.probes.container_confinement import confinement_notes, memory_not_measured
from advisor.probes.container_plan import ContainerSettings, plan_container_probe
from advisor.probes.control import ProgressEvent
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.guest_assets import prepare_guest_assets
from advisor.probes.leftovers import SweptLeftovers, sweep_notes
from advisor.probes.libvirt_access import explain_connection_error
from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport, load_probe_report
from advisor.probes.results import ContainerResult
from advisor.probes.runner import Ending, ProbeJob, ProbeRun, run_probe
from advisor.probes.vm import BOOT_STEP, CONNECT_STEP, boot_step
from advisor.report.probe_view import probe_outcomes, probe_section

REPORT = Path(__file__).parents[1] / "data" / "probe-report.json"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Words of an English sentence that no name, path or command holds: one left over in a
# message means some of its prose was not translated.
ENGLISH_PROSE = {
    "the", "is", "not", "and", "or", "to", "of", "this", "it", "at", "an", "by", "for", "with",
    "which", "its", "be", "may", "cannot", "could", "did", "does", "was", "again", "then",
    "before", "after", "within", "probe", "engine", "container", "guest", "kernel", "folder",
}  # fmt: skip


def english_prose(text: str) -> set[str]:
    """The plain English words of `text`: tokens between spaces and Chinese punctuation that
    are letters alone (a path, an option, a URI or a name with digits is not prose)."""
    tokens = re.split(r"[\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff“”]+", text)
    words = {token.strip("()'\",.;:").lower() for token in tokens}
    return words & ENGLISH_PROSE


def assert_chinese(*texts: str | None) -> None:
    for text in texts:
        assert text is not None
        assert CHINESE.search(text), text
        assert not english_prose(text), (english_prose(text), text)


@pytest.fixture
def chinese() -> Iterator[None]:
    set_language("zh_CN")
    yield
    set_language("en")


def test_an_engine_socket_that_is_missing_is_explained_in_chinese(
    chinese: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "absent.sock"
    monkeypatch.setenv("DOCKER_HOST", f"unix://{missing}")
    result = run_container_probe(ContainerSettings(timeout_seconds=10, call_timeout_seconds=5))
    assert result.status is ProbeStatus.UNAVAILABLE
    assert_chinese(result.reason, result.fix)
    assert result.reason is not None and str(missing) in result.reason
    assert result.fix is not None and "DOCKER_HOST" in result.fix


def test_an_engine_socket_nobody_listens_on_is_explained_in_chinese(
    chinese: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "silent.sock"
    bound = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    bound.bind(str(path))  # bound but not listening: a connection is refused
    monkeypatch.setenv("DOCKER_HOST", f"unix://{path}")
    try:
        result = run_container_probe(ContainerSettings(timeout_seconds=10, call_timeout_seconds=5))
    finally:
        bound.close()
    assert result.status is ProbeStatus.UNAVAILABLE
    assert_chinese(result.reason, result.fix)
    assert result.reason is not None and str(path) in result.reason


class _LibvirtError(Exception):
    def get_error_message(self) -> str:
        return str(self)


@pytest.mark.parametrize(
    ("uri", "said"),
    [
        ("qemu:///system", "Failed to connect socket to '/var/run/libvirt/libvirt-sock'"),
        ("qemu:///session", "Failed to connect socket to '/run/user/1000/libvirt/virtqemud'"),
        ("xen:///system", "no connection driver available for xen:///system"),
        ("qemu+tcp://far.example/system", "unable to connect to server"),
        ("qemu:///system", "authentication failed: access denied"),
    ],
)
def test_libvirt_that_does_not_answer_is_explained_in_chinese(
    chinese: None, uri: str, said: str
) -> None:
    reason, fix = explain_connection_error(_LibvirtError(said), uri)
    assert_chinese(reason, fix)
    assert uri in reason


def test_a_configured_kernel_that_is_missing_is_explained_in_chinese(
    chinese: None, tmp_path: Path
) -> None:
    kernel = tmp_path / "no-such-vmlinuz"
    with pytest.raises(ProbeUnavailable) as refused:
        prepare_guest_assets(tmp_path / "cache", configured_kernel=kernel)
    assert_chinese(refused.value.reason, refused.value.fix)
    assert str(kernel) in refused.value.reason


def test_notes_of_a_sweep_and_of_the_confinement_are_chinese(chinese: None) -> None:
    swept = SweptLeftovers(
        containers=["0123456789ab"], domains=["dvm-advisor-probe-1-ab"], skipped=["/var/x"]
    )
    notes = sweep_notes(swept)
    assert len(notes) == 2
    assert_chinese(*notes)
    assert "/var/x" in notes[1]
    asked = plan_container_probe(ContainerSettings()).hardening
    assert_chinese(*confinement_notes(asked, asked, None), memory_not_measured(None, [1.0]))


class _Stops(ProbeJob[str, ContainerResult]):
    """A job whose one step fails as it is told: with an error nobody explained, or cancelled."""

    probe: ClassVar = "container"
    title: ClassVar[str] = "container"
    failed_fix: ClassVar[str] = "check the container engine and run the probe again"

    def __init__(self, error: Exception | None) -> None:
        self.error = error

    def prepare(self, name: str) -> str:
        return name

    def steps(self, plan: str) -> tuple[str, ...]:
        return ("prepare the image",)

    def timeout_seconds(self, plan: str) -> float:
        return 10.0

    def run(self, plan: str, run: ProbeRun) -> None:
        if self.error is None:
            run.cancel.cancel()
        run.step("prepare the image")
        raise self.error or AssertionError("cancelled before")

    def result(self, plan: str, ending: Ending) -> ContainerResult:
        return ContainerResult.model_validate({**ending.fields(), "runs": 1})


def test_a_step_that_fails_unexplained_or_is_cancelled_says_so_in_chinese(chinese: None) -> None:
    failed = run_probe(_Stops(RuntimeError("boom")))
    assert failed.status is ProbeStatus.FAILED
    assert_chinese(failed.reason, failed.fix)
    assert "boom" not in (failed.reason or "")
    cancelled = run_probe(_Stops(None))
    assert cancelled.status is ProbeStatus.CANCELLED
    assert_chinese(cancelled.reason, cancelled.fix)


def test_the_same_steps_in_english_are_english() -> None:
    # The check above would pass on any text holding Chinese: here it must refuse English.
    failed = run_probe(_Stops(RuntimeError("boom")))
    assert failed.reason is not None and english_prose(failed.reason)
    assert not CHINESE.search(failed.reason)


def _report(language: str | None) -> ProbeReport:
    data = json.loads(REPORT.read_text(encoding="utf-8"))
    data.pop("language", None)
    if language is not None:
        data["language"] = language
    return ProbeReport.model_validate(data)


def test_a_report_without_a_language_was_written_in_english() -> None:
    assert "language" not in json.loads(REPORT.read_text(encoding="utf-8"))
    assert load_probe_report(REPORT).language == "en"
    assert _report("zh_CN").language == "zh_CN"


def test_a_report_shown_in_another_language_says_once_its_messages_are_as_recorded(
    chinese: None,
) -> None:
    english = _report(None)
    said = [outcome.summary for outcome in probe_outcomes(english) if "英语" in outcome.summary]
    assert len(said) == 1 and "原文" in said[0]
    rows = [row for row in probe_section(english).outcomes if "英语" in row.value]
    assert len(rows) == 1
    own = _report("zh_CN")
    assert not any("原文" in outcome.summary for outcome in probe_outcomes(own))
    assert not any("原文" in row.value for row in probe_section(own).outcomes)


def test_a_chinese_report_opened_in_english_names_its_language() -> None:
    rows = [row.value for row in probe_section(_report("zh_CN")).outcomes]
    assert any("as recorded, in Simplified Chinese" in value for value in rows)
    assert not any("as recorded" in row.value for row in probe_section(_report("en")).outcomes)


def test_steps_are_shown_in_chinese_and_named_in_english_for_the_estimates(chinese: None) -> None:
    heard: list[ProgressEvent] = []
    run = ProbeRun("vm", (CONNECT_STEP, boot_step(1, 2), boot_step(2, 2)), 10.0, heard.append)
    run.step(CONNECT_STEP, "qemu:///system")
    run.step(BOOT_STEP, "TCG", number=2, runs=2)
    run.finish()
    assert [event.step for event in heard] == [
        "connect to libvirt (qemu:///system)",
        "boot 2 of 2 (TCG)",
        "done",
    ]
    assert_chinese(*(event.text for event in heard))
    assert "qemu:///system" in heard[0].text and "TCG" in heard[1].text
    assert heard[1].fraction > heard[0].fraction
