"""What the container probe will do, decided before it touches the engine, and how it
speaks to the engine: the hardening of every run, the arguments of the create call, and how
the engine's answers (inspect, stats) are read. Pure functions of the settings."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from advisor.base.i18n import N_
from advisor.base.models import FrozenModel
from advisor.probes.container_confinement import READ_INSIDE
from advisor.probes.engine_replies import (
    InspectConfig,
    InspectHostConfig,
    InspectReply,
    MemoryDetails,
    StatsReply,
    parse_reply,
)
from advisor.probes.leftovers import OWNER_LABEL, PROBE_LABEL
from advisor.probes.results import ContainerHardening
from advisor.probes.sample_image import NOBODY
from advisor.probes.workload import workload_loop

READY_MARKER = "dvm-advisor-ready"
MEBIBYTE = 1024 * 1024
KERNEL_RELEASE_PREFIX = "DVM_KERNEL_RELEASE="


def parse_kernel_release(output: str) -> str | None:
    """The kernel release a container printed after KERNEL_RELEASE_PREFIX, if it did."""
    for line in output.splitlines():
        if line.startswith(KERNEL_RELEASE_PREFIX):
            return line.removeprefix(KERNEL_RELEASE_PREFIX).strip() or None
    return None


SWEEP_STEP = N_("sweep leftovers of earlier runs")
IMAGE_STEP = N_("prepare the image")
MEMORY_STEP = N_("measure memory of a running container")
NATIVE_STEP = N_("time the CPU workload natively")
WORKLOAD_STEP = N_("time the CPU workload in a container")


START_STEP = N_("start run {run} of {runs}")  # a numbered step: run.step(START_STEP, run=…)


def start_step(run: int, runs: int) -> str:
    """The name of the step that starts measured run `run` of `runs`."""
    return START_STEP.format(run=run, runs=runs)


class ContainerSettings(FrozenModel):
    """What the container probe runs and how long it may take."""

    runs: int = Field(default=5, ge=1, le=50)
    image: str | None = None  # an image already present to use instead of the sample
    memory_limit_bytes: int = Field(default=64 * MEBIBYTE, ge=8 * MEBIBYTE)
    pids_limit: int = Field(default=64, ge=8)
    # Readings of a running container's memory; the engine has a new one each second.
    memory_samples: int = Field(default=1, ge=1, le=10)
    timeout_seconds: float = Field(default=60.0, gt=0)  # the whole probe
    call_timeout_seconds: float = Field(default=20.0, gt=0)  # each call to the engine


class ContainerPlan(FrozenModel):
    """What the probe will do, decided before it touches the engine."""

    runs: int
    image: str | None
    hardening: ContainerHardening
    labels: dict[str, str]
    start_command: tuple[str, ...]  # prints the marker and exits
    # Prints its confinement as seen inside, then the marker, and stays alive to be measured.
    memory_command: tuple[str, ...]
    workload_command: tuple[str, ...]  # the CPU workload, `runs` times over
    memory_samples: int
    steps: tuple[str, ...]
    timeout_seconds: float
    call_timeout_seconds: float


def plan_container_probe(settings: ContainerSettings) -> ContainerPlan:
    """Decide the commands, hardening and steps of a container probe; touches nothing."""
    runs = settings.runs
    # Bounded, so that a container left by a killed probe ends by itself.
    stay_alive_seconds = max(5, round(settings.timeout_seconds))
    steps = (
        SWEEP_STEP,
        IMAGE_STEP,
        *(start_step(n, runs) for n in range(1, runs + 1)),
        MEMORY_STEP,
        NATIVE_STEP,
        WORKLOAD_STEP,
    )
    return ContainerPlan(
        runs=runs,
        image=settings.image,
        hardening=ContainerHardening(
            network_mode="none",
            read_only_root=True,
            cap_drop=("ALL",),
            security_opt=("no-new-privileges",),
            user=NOBODY,
            memory_limit_bytes=settings.memory_limit_bytes,
            pids_limit=settings.pids_limit,
        ),
        labels={PROBE_LABEL: "1"},
        start_command=("sh", "-c", f"echo {READY_MARKER}"),
        memory_command=(
            "sh",
            "-c",
            f"{READ_INSIDE}echo {READY_MARKER}; exec sleep {stay_alive_seconds}",
        ),
        # The kernel release seen inside tells whether the container shares the host's kernel.
        workload_command=(
            "sh",
            "-c",
            f"echo {KERNEL_RELEASE_PREFIX}$(uname -r); {workload_loop(runs)}",
        ),
        memory_samples=settings.memory_samples,
        steps=steps,
        timeout_seconds=settings.timeout_seconds,
        call_timeout_seconds=settings.call_timeout_seconds,
    )


def container_arguments(
    plan: ContainerPlan, image: str, command: tuple[str, ...], name: str, owner: str
) -> dict[str, Any]:
    """Keyword arguments for the engine's create call, hardening excepted."""
    return {
        "image": image,
        "command": list(command),
        "name": name,
        "user": plan.hardening.user,
        "labels": {**plan.labels, OWNER_LABEL: owner},
        "network_disabled": plan.hardening.network_mode == "none",
    }


def host_config_arguments(hardening: ContainerHardening) -> dict[str, Any]:
    """Keyword arguments for the engine's host configuration: the confinement of a run."""
    return {
        "network_mode": hardening.network_mode,
        "read_only": hardening.read_only_root,
        "cap_drop": list(hardening.cap_drop),
        "security_opt": list(hardening.security_opt),
        "mem_limit": hardening.memory_limit_bytes,
        "pids_limit": hardening.pids_limit,
    }


def hardening_from_inspect(attributes: Any) -> ContainerHardening:
    """The confinement a container really has, from the engine's inspect answer; raises
    EngineNotDockerApi when the answer is not of the API's shape."""
    reply = parse_reply(InspectReply, attributes, "GET /containers/{id}/json")
    host = reply.host_config or InspectHostConfig()
    config = reply.config or InspectConfig()
    return ContainerHardening(
        network_mode=host.network_mode or "",
        read_only_root=bool(host.readonly_rootfs),
        cap_drop=tuple(host.cap_drop or ()),
        security_opt=tuple(host.security_opt or ()),
        user=config.user or "",
        memory_limit_bytes=host.memory or 0,
        pids_limit=host.pids_limit or 0,
    )


def memory_in_use(stats: Any) -> int | None:
    """Memory a container uses from a stats answer, as `docker stats` computes it; raises
    EngineNotDockerApi when the answer is not of the API's shape."""
    memory = parse_reply(StatsReply, stats, "GET /containers/{id}/stats").memory_stats
    if memory is None or memory.usage is None:
        return None
    details = memory.stats or MemoryDetails()
    # cgroup v1 reports total_inactive_file, v2 inactive_file: page cache that can go.
    inactive = details.total_inactive_file
    if inactive is None:
        inactive = details.inactive_file or 0
    return max(0, memory.usage - inactive)
