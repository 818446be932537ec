"""The container probe's plan and the pure pieces around it: hardening, the engine's create
arguments, reading back what was applied, memory from stats, and explained failures."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from docker.types import HostConfig
from pydantic import ValidationError

from advisor.probes.container import run_container_probe
from advisor.probes.container_plan import (
    KERNEL_RELEASE_PREFIX,
    READY_MARKER,
    ContainerSettings,
    container_arguments,
    hardening_from_inspect,
    host_config_arguments,
    memory_in_use,
    parse_kernel_release,
    plan_container_probe,
)
from advisor.probes.control import CancelToken
from advisor.probes.docker_engine import EngineNotDockerApi
from advisor.probes.engine_endpoint import find_endpoint
from advisor.probes.engine_fixes import host_kind, install_fix
from advisor.probes.leftovers import (
    OWNER_LABEL,
    PROBE_LABEL,
    PROBE_NAME_PREFIX,
    container_is_leftover,
    owner_label,
    run_in_progress,
    run_name,
)
from advisor.probes.models import ProbeStatus
from advisor.probes.results import ContainerResult
from advisor.probes.workload import RESULT_PREFIX


def test_every_run_is_hardened_as_the_issue_asks() -> None:
    plan = plan_container_probe(ContainerSettings(memory_limit_bytes=32 * 1024 * 1024))
    hardening = plan.hardening
    assert hardening.network_mode == "none"
    assert hardening.read_only_root is True
    assert hardening.cap_drop == ("ALL",)
    assert hardening.security_opt == ("no-new-privileges",)
    assert hardening.user == "65534:65534"
    assert hardening.memory_limit_bytes == 32 * 1024 * 1024
    assert hardening.pids_limit == 64


def test_the_plan_has_one_step_per_run_around_the_fixed_steps() -> None:
    plan = plan_container_probe(ContainerSettings(runs=3))
    assert plan.runs == 3
    assert [s for s in plan.steps if s.startswith("start run")] == [
        "start run 1 of 3",
        "start run 2 of 3",
        "start run 3 of 3",
    ]
    assert plan.steps[0].startswith("sweep") and plan.steps[-1].startswith("time the CPU")
    assert len(plan.steps) == 3 + 5


def test_commands_print_the_marker_and_the_workload_loops_once_per_run() -> None:
    plan = plan_container_probe(ContainerSettings(runs=4, timeout_seconds=30))
    assert plan.start_command == ("sh", "-c", f"echo {READY_MARKER}")
    assert READY_MARKER in plan.memory_command[2] and "sleep 30" in plan.memory_command[2]
    assert "for run in 1 2 3 4;" in plan.workload_command[2]
    assert RESULT_PREFIX in plan.workload_command[2]


def test_create_arguments_carry_the_user_the_labels_and_the_owner() -> None:
    plan = plan_container_probe(ContainerSettings())
    arguments = container_arguments(plan, "sha256:abc", plan.start_command, "n", owner="h/1")
    assert arguments["user"] == "65534:65534"
    assert arguments["labels"] == {PROBE_LABEL: "1", OWNER_LABEL: "h/1"}
    assert arguments["command"] == list(plan.start_command)
    assert arguments["network_disabled"] is True


def test_the_engines_host_config_round_trips_to_the_planned_hardening() -> None:
    plan = plan_container_probe(ContainerSettings(pids_limit=32))
    config = HostConfig(version="1.41", **host_config_arguments(plan.hardening))
    assert config["NetworkMode"] == "none"
    assert config["ReadonlyRootfs"] is True
    assert config["CapDrop"] == ["ALL"]
    assert config["SecurityOpt"] == ["no-new-privileges"]
    assert config["PidsLimit"] == 32
    inspected = {"HostConfig": dict(config), "Config": {"User": plan.hardening.user}}
    assert hardening_from_inspect(inspected) == plan.hardening


def test_a_missing_setting_reads_back_as_absent_not_as_applied() -> None:
    applied = hardening_from_inspect({"HostConfig": {"NetworkMode": "default"}, "Config": {}})
    assert applied.read_only_root is False
    assert applied.cap_drop == ()
    assert applied.user == ""
    assert applied != plan_container_probe(ContainerSettings()).hardening


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({"memory_stats": {"usage": 900, "stats": {"total_inactive_file": 100}}}, 800),
        ({"memory_stats": {"usage": 900, "stats": {"inactive_file": 300}}}, 600),
        ({"memory_stats": {"usage": 900}}, 900),
        ({"memory_stats": {}}, None),
        ({}, None),
    ],
)
def test_memory_in_use_leaves_out_inactive_file_cache(
    stats: dict[str, object], expected: int | None
) -> None:
    assert memory_in_use(stats) == expected


@pytest.mark.parametrize(
    "settings", [{"runs": 0}, {"runs": 51}, {"memory_limit_bytes": 1024}, {"timeout_seconds": 0}]
)
def test_settings_out_of_range_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        ContainerSettings.model_validate(settings)


def test_the_sweep_spares_containers_of_live_probes_elsewhere_only() -> None:
    exited = subprocess.Popen(["true"])
    exited.wait()
    here = socket.gethostname()

    def leftover(owner: str | None, name: str = "someone-elses") -> bool:
        return container_is_leftover({OWNER_LABEL: owner} if owner else {}, [name])

    assert leftover(None) is False  # neither label nor name says it is a probe's
    assert leftover(None, run_name(exited.pid)) is True  # no label: the name's pid is gone
    assert leftover(owner_label()) is True  # this process's own, of no run in progress
    with run_in_progress() as name:
        assert leftover(owner_label(), f"{name}-1") is False  # a live run's
        assert leftover(owner_label(), run_name()) is True
    assert leftover(f"{here}/{exited.pid}") is True
    assert leftover(f"{here}/1") is False
    assert leftover(f"another-host/{exited.pid}") is False  # that host's sweep judges it
    assert PROBE_NAME_PREFIX == "dvm-advisor-probe-"


@pytest.fixture
def no_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/absent.sock")


@pytest.mark.usefixtures("no_engine")
def test_no_engine_means_unavailable_with_the_fix() -> None:
    result = run_container_probe(ContainerSettings(runs=1))
    assert result.status is ProbeStatus.UNAVAILABLE
    assert result.reason is not None and "no Docker engine socket" in result.reason
    assert result.fix == install_fix(find_endpoint(), host_kind())
    assert result.start_seconds is None and result.cpu_ratio is None


@pytest.mark.usefixtures("no_engine")
def test_a_cancelled_probe_reports_cancelled() -> None:
    token = CancelToken()
    token.cancel()
    result = run_container_probe(ContainerSettings(runs=1), cancel=token)
    assert result.status is ProbeStatus.CANCELLED


def test_results_survive_a_json_round_trip() -> None:
    result = ContainerResult(status=ProbeStatus.FAILED, reason="x", runs=2, wall_seconds=0.5)
    assert ContainerResult.model_validate_json(result.model_dump_json()) == result


def test_the_workload_run_reports_the_kernel_it_sees() -> None:
    plan = plan_container_probe(ContainerSettings())
    assert f"echo {KERNEL_RELEASE_PREFIX}$(uname -r)" in plan.workload_command[2]
    output = f"DVM_WORKLOAD_CS=12\n{KERNEL_RELEASE_PREFIX}6.1.0-28-amd64\n"
    assert parse_kernel_release(output) == "6.1.0-28-amd64"
    assert parse_kernel_release("DVM_WORKLOAD_CS=12\n") is None


@pytest.mark.parametrize(
    ("read", "reply", "call"),
    [
        (hardening_from_inspect, ["HostConfig"], "GET /containers/{id}/json"),
        (hardening_from_inspect, {"HostConfig": {"CapDrop": "ALL"}}, "GET /containers/{id}/json"),
        (memory_in_use, {"memory_stats": {"usage": "lots"}}, "GET /containers/{id}/stats"),
        (memory_in_use, "memory", "GET /containers/{id}/stats"),
    ],
)
def test_an_answer_of_another_shape_is_named_as_not_the_docker_api(
    read: Any, reply: object, call: str
) -> None:
    with pytest.raises(EngineNotDockerApi) as refused:
        read(reply)
    assert refused.value.reason.endswith(f"answered something that is not the Docker API ({call})")
