"""The probe suite and `dvm-advisor probe`: settings handed to each probe, one probe's fault
not stopping the other, the KVM verdict derived from the VM probe, old reports still read,
the report read back with one-line errors, and the command line's arguments. The probes
themselves are replaced by fakes here; tests/integration runs them for real."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from advisor.base.errors import InputError
from advisor.cli import main
from advisor.probes import container, suite
from advisor.probes.container_plan import ContainerSettings
from advisor.probes.control import CancelToken, ProgressEvent
from advisor.probes.fault_log import fault_log_path
from advisor.probes.host import gather_host_facts
from advisor.probes.host_models import HostFacts
from advisor.probes.models import ProbeStatus, Stats
from advisor.probes.report import ProbeReport, ProbeSettings, load_probe_report
from advisor.probes.results import ContainerResult, VmResult
from advisor.probes.suite import container_settings, run_probes, vm_settings
from advisor.probes.vm_plan import VmSettings

RECORDED_REPORT = Path(__file__).parents[1] / "data" / "probe-report.json"


@pytest.fixture(scope="module")
def host_facts() -> HostFacts:
    """Real host facts, gathered once with no daemon to reach."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        return gather_host_facts(libvirt_uri="test:///default", timeout=5)


def container_ok(settings: ContainerSettings, *_: Any) -> ContainerResult:
    return ContainerResult(
        status=ProbeStatus.OK,
        runs=settings.runs,
        image_bytes=2_000_000,
        start_seconds=Stats.of([0.1, 0.2]),
        wall_seconds=1.0,
    )


def vm_ok(settings: VmSettings, *_: Any) -> VmResult:
    return VmResult(
        status=ProbeStatus.OK,
        uri=settings.uri,
        accelerator="tcg",
        kvm_usable=False,
        boot_seconds=Stats.of([4.0, 5.0]),
        disk_bytes=15_000_000,
        wall_seconds=10.0,
    )


@pytest.fixture
def fake_probes(monkeypatch: pytest.MonkeyPatch, host_facts: HostFacts) -> list[str]:
    """Replace host facts and both probes; returns the names of the probes that ran."""
    ran: list[str] = []

    def container(settings: ContainerSettings, *args: Any) -> ContainerResult:
        ran.append("container")
        return container_ok(settings, *args)

    def vm(settings: VmSettings, *args: Any) -> VmResult:
        ran.append("vm")
        return vm_ok(settings, *args)

    monkeypatch.setattr(suite, "gather_host_facts", lambda *_a, **_k: host_facts)
    monkeypatch.setattr(suite, "run_container_probe", container)
    monkeypatch.setattr(suite, "run_vm_probe", vm)
    return ran


def test_unset_choices_leave_each_probe_its_defaults() -> None:
    assert container_settings(ProbeSettings()) == ContainerSettings()
    assert vm_settings(ProbeSettings(libvirt_uri="qemu:///session")) == VmSettings(
        uri="qemu:///session"
    )


def test_runs_and_timeout_reach_both_probes() -> None:
    chosen = ProbeSettings(runs=3, timeout_seconds=5, image="mine:1")
    container = container_settings(chosen)
    assert (container.runs, container.call_timeout_seconds, container.image) == (3, 5, "mine:1")
    vm = vm_settings(chosen)
    assert vm.runs == 3
    limits = {name: value for name, value in vm.model_dump().items() if name.endswith("_seconds")}
    assert limits and all(value <= 5 for value in limits.values())


@pytest.mark.parametrize("settings", [{"runs": 0}, {"runs": 21}, {"timeout_seconds": 0}])
def test_settings_out_of_range_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ProbeSettings.model_validate(settings)


def test_both_probes_run_and_the_guest_decides_kvm_usable(fake_probes: list[str]) -> None:
    events: list[ProgressEvent] = []
    report = run_probes(ProbeSettings(), events.append)
    assert fake_probes == ["container", "vm"]
    assert report.container is not None and report.container.status is ProbeStatus.OK
    assert report.vm is not None and report.vm.accelerator == "tcg"
    assert report.kvm_usable is False
    assert report.kvm_usable_source == "VM probe: a KVM guest did not reach its boot marker"
    assert report.hostname == report.host.hostname
    assert events[0].probe == "host"
    assert report.tool_versions.python and report.tool_versions.docker_sdk
    assert report.schema_version == 1


@pytest.mark.parametrize(("only", "expected"), [("container", ["container"]), ("vm", ["vm"])])
def test_only_runs_the_named_probe(fake_probes: list[str], only: str, expected: list[str]) -> None:
    report = run_probes(ProbeSettings.model_validate({"only": only}))
    assert fake_probes == expected
    assert (report.container is None) == (only == "vm")
    assert (report.vm is None) == (only == "container")


@pytest.mark.parametrize(
    "fault",
    [
        RuntimeError("something unforeseen\nwith a second line"),
        # Python errors a lying reply once gave: now refused where replies are read, so
        # one of these is a bug of the probe's own, never "not the Docker API".
        KeyError("something unforeseen"),
        AttributeError("something unforeseen"),
        TypeError("something unforeseen"),
    ],
    ids=lambda fault: type(fault).__name__,
)
def test_a_fault_of_the_probe_itself_is_said_so_and_its_traceback_kept_in_the_log(
    monkeypatch: pytest.MonkeyPatch,
    fake_probes: list[str],
    host_facts: HostFacts,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    fault: Exception,
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def broken(*_: Any) -> None:
        raise fault

    def with_engine_answering(*args: Any) -> ContainerResult:
        # An engine the host facts reached, so that the probe connects itself.
        engine = host_facts.docker.model_copy(update={"answers": True})
        return container.run_container_probe(*args[:3], engine)

    monkeypatch.setattr(suite, "run_container_probe", with_engine_answering)
    monkeypatch.setattr(container, "connect", broken)
    report = run_probes(ProbeSettings())
    assert report.container is not None and report.container.status is ProbeStatus.FAILED
    reason = report.container.reason or ""
    assert reason == (
        "the container probe stopped on a fault of its own, not of the engine or this host"
    )
    assert "Docker API" not in reason
    log = fault_log_path()
    assert report.container.fix and "report it" in report.container.fix
    assert str(log) in report.container.fix
    assert report.vm is not None and report.vm.status is ProbeStatus.OK
    # The details are not lost: the traceback is in the fault log, private, and not shown.
    written = log.read_text()
    assert "Traceback" in written and "something unforeseen" in written
    assert log.stat().st_mode & 0o077 == 0
    assert "Traceback" not in capsys.readouterr().err


def test_a_fault_log_that_cannot_be_written_leaves_the_details_on_standard_error(
    monkeypatch: pytest.MonkeyPatch,
    fake_probes: list[str],
    host_facts: HostFacts,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the state folder would be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))

    def broken(*_: Any) -> None:
        raise KeyError("something unforeseen")

    def with_engine_answering(*args: Any) -> ContainerResult:
        engine = host_facts.docker.model_copy(update={"answers": True})
        return container.run_container_probe(*args[:3], engine)

    monkeypatch.setattr(suite, "run_container_probe", with_engine_answering)
    monkeypatch.setattr(container, "connect", broken)
    report = run_probes(ProbeSettings(only="container"))
    assert report.container is not None and report.container.status is ProbeStatus.FAILED
    assert report.container.fix and "in a terminal" in report.container.fix
    assert "something unforeseen" in caplog.text


def test_the_cancel_token_reaches_the_probes(
    monkeypatch: pytest.MonkeyPatch, fake_probes: list[str]
) -> None:
    seen: list[CancelToken] = []
    monkeypatch.setattr(
        suite, "run_container_probe", lambda s, _p, c, _e: seen.append(c) or container_ok(s)
    )
    token = CancelToken()
    run_probes(ProbeSettings(only="container"), cancel=token)
    assert seen == [token]


def test_a_report_reads_back_equal(fake_probes: list[str], tmp_path: Path) -> None:
    report = run_probes(ProbeSettings())
    path = tmp_path / "probe.json"
    path.write_text(report.model_dump_json())
    assert load_probe_report(path) == report


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "expected a JSON object"),
        ('{"schema_version": 2}', "schema_version"),
    ],
)
def test_a_bad_report_is_one_line_naming_the_problem(
    tmp_path: Path, content: str, words: str
) -> None:
    path = tmp_path / "probe.json"
    path.write_text(content)
    with pytest.raises(InputError) as raised:
        load_probe_report(path)
    message = str(raised.value)
    assert words in message and str(path) in message and "\n" not in message


def test_a_report_of_an_earlier_version_still_loads_with_its_copies_derived() -> None:
    recorded = json.loads(RECORDED_REPORT.read_text())
    assert "hostname" in recorded and "usable" in recorded["host"]["kvm"]  # the old layout
    report = load_probe_report(RECORDED_REPORT)
    assert report.hostname == recorded["hostname"] == report.host.hostname
    assert report.kvm_usable == recorded["host"]["kvm"]["usable"]
    assert "hostname" not in report.model_dump() and "hostname" not in report.model_dump()["vm"]


def test_a_missing_report_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_probe_report(tmp_path / "absent.json")


def test_the_schema_names_the_fields_tools_rely_on(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "probe"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert {"host", "container", "vm", "taken_at", "tool_versions"} <= set(schema["properties"])
    definitions = schema["$defs"]
    assert "device_present" in definitions["KvmFacts"]["properties"]
    assert {"status", "image_bytes", "start_seconds", "cpu_ratio"} <= set(
        definitions["ContainerResult"]["properties"]
    )
    assert {"status", "boot_seconds", "accelerator", "disk_bytes", "cpu_ratio"} <= set(
        definitions["VmResult"]["properties"]
    )
    assert set(definitions["Stats"]["properties"]) == {"median", "min", "max", "runs"}
    assert ProbeReport.model_json_schema() == schema


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        (["--runs", "0"], "--runs: expected a whole number from 1 to 20, got '0'"),
        (["--runs", "two"], "--runs: expected a whole number"),
        (["--timeout", "-1"], "--timeout: expected a number of seconds"),
        (["--only", "both"], "--only: invalid choice"),
        (["--json", "/nonexistent/folder/out.json"], "does not exist"),
    ],
)
def test_bad_probe_arguments_are_one_line_and_exit_2(
    fake_probes: list[str], capsys: pytest.CaptureFixture[str], arguments: list[str], words: str
) -> None:
    assert main(["probe", *arguments]) == 2
    error = capsys.readouterr().err
    assert words in error and error.count("\n") == 1
    assert fake_probes == []


def test_probe_writes_the_report_and_says_what_it_found(
    fake_probes: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "out.json"
    assert main(["probe", "--json", str(path), "--runs", "2"]) == 0
    captured = capsys.readouterr()
    report = load_probe_report(path)
    assert report.settings.runs == 2
    assert "[container] " not in captured.out
    assert "Sample container: Done." in captured.out and "software emulation (TCG)" in captured.out
    assert "dvm-advisor probe: [host] read host facts" in captured.err.splitlines()


def test_probe_with_json_to_stdout_prints_only_the_report(
    fake_probes: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["probe", "--json", "-", "--only", "container"]) == 0
    report = ProbeReport.model_validate_json(capsys.readouterr().out)
    assert report.vm is None and report.container is not None
