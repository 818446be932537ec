"""The container probe: launch a real, hardened sample container several times and measure it.

Every run is created, attached, started and waited for through the engine's API; nothing is
pulled. Times are taken on this side with one clock: the create call, the start call, the
first byte of output arriving, and the exit being reported. Memory comes from the engine's
stats of a running container; the CPU workload runs in a container and natively, and their
ratio is the container's CPU cost. Everything the probe makes is removed in `finally`, and
leftovers of a run that was killed are swept at the next start.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import requests
from pydantic import Field

from advisor.modelbase import FrozenModel
from advisor.probes.commands import CommandFailed
from advisor.probes.control import (
    CancelToken,
    ProbeCancelled,
    ProgressCallback,
    ProgressEvent,
    ignore_progress,
)
from advisor.probes.deadline import Deadline, DeadlineExceeded, call_with_deadline
from advisor.probes.docker_engine import EngineUnavailable, connect, explain_engine_error
from advisor.probes.models import (
    CANCELLED_FIX,
    CANCELLED_REASON,
    DurationStats,
    ProbeStatus,
    Stats,
)
from advisor.probes.quantities import (
    Bytes,
    Count,
    ElapsedSeconds,
    Label,
    Labels,
    Limit,
    Ratio,
    Text,
    Texts,
)
from advisor.probes.sample_image import (
    NOBODY,
    PROBE_LABEL,
    PROBE_LABEL_FILTER,
    ImageUnavailable,
    ProbeImage,
    find_static_busybox,
    is_sample_tag,
    prepare_sample_image,
    use_named_image,
)
from advisor.probes.workload import (
    measure_native_workload,
    parse_all_workload_seconds,
    workload_loop,
)

NAME_PREFIX = "dvm-advisor-probe-"
OWNER_LABEL = "dvm-advisor.owner"
READY_MARKER = "dvm-advisor-ready"
MEBIBYTE = 1024 * 1024
_POLL_SECONDS = 0.02


KERNEL_RELEASE_PREFIX = "DVM_KERNEL_RELEASE="


def parse_kernel_release(output: str) -> str | None:
    """The kernel release a container printed after KERNEL_RELEASE_PREFIX, if it did."""
    for line in output.splitlines():
        if line.startswith(KERNEL_RELEASE_PREFIX):
            return line.removeprefix(KERNEL_RELEASE_PREFIX).strip() or None
    return None


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


class ContainerHardening(FrozenModel):
    """The confinement of every probe container."""

    network_mode: Label
    read_only_root: bool
    cap_drop: Labels
    security_opt: Labels
    user: Label
    memory_limit_bytes: Limit
    pids_limit: Limit


class ContainerPlan(FrozenModel):
    """What the probe will do, decided before it touches the engine."""

    runs: int
    image: str | None
    hardening: ContainerHardening
    labels: dict[str, str]
    start_command: tuple[str, ...]  # prints the marker and exits
    memory_command: tuple[str, ...]  # prints the marker and stays alive to be measured
    workload_command: tuple[str, ...]  # the CPU workload, `runs` times over
    memory_samples: int
    steps: tuple[str, ...]
    timeout_seconds: float
    call_timeout_seconds: float


class ContainerResult(FrozenModel):
    """What the container probe measured, or why it could not."""

    status: ProbeStatus
    reason: Text | None = None
    fix: Text | None = None
    engine_version: Label | None = None
    image_tag: Text | None = None
    image_origin: Literal["sample", "named"] | None = None
    image_bytes: Bytes | None = None  # size of the image on disk, as the engine reports it
    runs: Count
    # From the create call to the start call (creating and attaching).
    create_to_start_seconds: DurationStats | None = None
    # From the start call to the first byte of the container's output arriving here.
    start_to_output_seconds: DurationStats | None = None
    # From the create call to the first output: what a user waits for.
    start_seconds: DurationStats | None = None
    # From the create call to the engine reporting the container's exit.
    total_seconds: DurationStats | None = None
    # Memory in use (the engine's usage less inactive file cache, as `docker stats` shows
    # it), read from one running, idle probe container, once a second for `runs` readings.
    memory_bytes: Stats | None = None
    native_workload_seconds: DurationStats | None = None
    container_workload_seconds: DurationStats | None = None
    cpu_ratio: Ratio | None = None  # container workload median / native median
    kernel_release: Label | None = None  # `uname -r` inside the container
    hardening: ContainerHardening | None = None  # as the engine reports it applied
    notes: Texts = ()
    wall_seconds: ElapsedSeconds


class ProbeFailure(Exception):
    """The engine was there, but a step did not do what it should."""


class SweepReport(FrozenModel):
    """What a sweep of leftovers removed."""

    containers: tuple[str, ...]
    images: tuple[str, ...]


def plan_container_probe(settings: ContainerSettings) -> ContainerPlan:
    """Decide the commands, hardening and steps of a container probe; touches nothing."""
    runs = settings.runs
    # Bounded, so that a container left by a killed probe ends by itself.
    stay_alive_seconds = max(5, round(settings.timeout_seconds))
    steps = (
        "sweep leftovers of earlier runs",
        "prepare the image",
        *(f"start run {n} of {runs}" for n in range(1, runs + 1)),
        "measure memory of a running container",
        "time the CPU workload natively",
        "time the CPU workload in a container",
        "clean up",
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
        memory_command=("sh", "-c", f"echo {READY_MARKER}; exec sleep {stay_alive_seconds}"),
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


def hardening_from_inspect(attributes: dict[str, Any]) -> ContainerHardening:
    """The confinement a container really has, from the engine's inspect answer."""
    host = attributes.get("HostConfig") or {}
    config = attributes.get("Config") or {}
    return ContainerHardening(
        network_mode=str(host.get("NetworkMode") or ""),
        read_only_root=bool(host.get("ReadonlyRootfs")),
        cap_drop=tuple(host.get("CapDrop") or ()),
        security_opt=tuple(host.get("SecurityOpt") or ()),
        user=str(config.get("User") or ""),
        memory_limit_bytes=int(host.get("Memory") or 0),
        pids_limit=int(host.get("PidsLimit") or 0),
    )


def memory_in_use(stats: dict[str, Any]) -> int | None:
    """Memory a container uses from a stats answer, as `docker stats` computes it."""
    memory = stats.get("memory_stats") or {}
    usage = memory.get("usage")
    if usage is None:
        return None
    details = memory.get("stats") or {}
    # cgroup v1 reports total_inactive_file, v2 inactive_file: page cache that can go.
    inactive = details.get("total_inactive_file", details.get("inactive_file", 0))
    return max(0, int(usage) - int(inactive))


def owner_label() -> str:
    """Who made a probe container: this host and process, so a sweep spares live runs."""
    return f"{socket.gethostname()}/{os.getpid()}"


def sweep_leftovers(client: Any) -> SweepReport:
    """Remove probe containers and sample images left by runs that were killed.

    Containers of a probe still running in another process of this host are spared, and
    so is an image such a container uses (the engine refuses to remove it).
    """
    import docker

    api = client.api
    found: dict[str, dict[str, Any]] = {}
    for filters in ({"label": PROBE_LABEL_FILTER}, {"name": NAME_PREFIX}):
        for summary in api.containers(all=True, filters=filters):
            names = [name.lstrip("/") for name in summary.get("Names") or []]
            labelled = (summary.get("Labels") or {}).get(PROBE_LABEL) == "1"
            if labelled or any(name.startswith(NAME_PREFIX) for name in names):
                found[summary["Id"]] = summary
    removed_containers = []
    for container_id, summary in found.items():
        if _owned_by_live_process((summary.get("Labels") or {}).get(OWNER_LABEL)):
            continue
        try:
            api.remove_container(container_id, force=True)
            removed_containers.append(container_id[:12])
        except docker.errors.NotFound:
            pass
    removed_images = []
    for image in api.images(filters={"label": PROBE_LABEL_FILTER}):
        tags = image.get("RepoTags") or []
        if tags and not all(is_sample_tag(tag) for tag in tags if tag != "<none>:<none>"):
            continue  # labelled by someone else's build; not ours to remove
        try:
            api.remove_image(image["Id"])
            removed_images.append(image["Id"])
        except docker.errors.APIError:
            pass  # in use by a live probe, or already gone
    return SweepReport(containers=tuple(removed_containers), images=tuple(removed_images))


def _owned_by_live_process(owner: str | None) -> bool:
    if not owner:
        return False
    host, _, pid_text = owner.rpartition("/")
    if host != socket.gethostname():
        return True  # another machine's run on a shared engine: its own sweep handles it
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Measurements:
    """What has been measured so far; turned into a result however the probe ends."""

    engine_version: str | None = None
    image: ProbeImage | None = None
    create_to_start: list[float] = field(default_factory=list)
    start_to_output: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    native_workload: list[float] = field(default_factory=list)
    container_workload: list[float] = field(default_factory=list)
    kernel_release: str | None = None
    hardening: ContainerHardening | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class _RunTiming:
    create_to_start: float
    start_to_output: float
    total: float
    output: str


class _OutputWatcher:
    """Reads an attached container's output on a thread, noting when the first byte came."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._chunks: list[bytes] = []
        self._first_output = threading.Event()
        self._finished = threading.Event()
        self.first_output_at: float | None = None
        self._thread = threading.Thread(target=self._read, name="probe output", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            for chunk in self._stream:
                if self.first_output_at is None:
                    self.first_output_at = time.perf_counter()
                    self._first_output.set()
                self._chunks.append(chunk)
        except Exception:  # the stream breaks when the container is removed: nothing to read
            pass
        finally:
            self._finished.set()

    def wait_for_output(self, timeout: float, cancel: CancelToken) -> float:
        """The time the first output arrived; raises on cancel, timeout, or silent exit."""
        ends = time.monotonic() + timeout
        while not self._first_output.wait(_POLL_SECONDS):
            cancel.raise_if_cancelled()
            if self._finished.is_set():
                raise ProbeFailure("the container ended without printing anything")
            if time.monotonic() >= ends:
                raise ProbeFailure(f"the container printed nothing within {timeout:g} s")
        assert self.first_output_at is not None
        return self.first_output_at

    def output(self, timeout: float) -> str:
        """Everything the container printed, once its output has ended (or `timeout` passed)."""
        self._finished.wait(timeout)
        return b"".join(self._chunks).decode("utf-8", errors="replace")

    def close(self) -> None:
        """Stop reading."""
        # Closing a stream that already broke is not worth reporting.
        with contextlib.suppress(Exception):
            self._stream.close()


def run_container_probe(
    settings: ContainerSettings,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
) -> ContainerResult:
    """Run the container probe through the real Docker engine and report what it measured.

    Never raises for engine trouble: an engine that is missing or unreachable gives
    `unavailable` with the fix, an error on the way gives `failed` with the reason, and a
    cancel gives `cancelled`; whatever was measured before is kept.
    """
    plan = plan_container_probe(settings)
    token = cancel or CancelToken()
    began = time.perf_counter()
    deadline = Deadline(plan.timeout_seconds)
    measured = _Measurements()
    step_index = 0

    def step(name: str) -> None:
        nonlocal step_index
        deadline.check(name)
        progress(ProgressEvent(probe="container", step=name, fraction=step_index / len(plan.steps)))
        step_index += 1
        token.raise_if_cancelled()

    def finish(
        status: ProbeStatus, reason: str | None = None, fix: str | None = None
    ) -> ContainerResult:
        return _result(plan, measured, status, reason, fix, time.perf_counter() - began)

    try:
        token.raise_if_cancelled()
        client = connect(deadline.limit(plan.call_timeout_seconds))
    except ProbeCancelled:
        return finish(ProbeStatus.CANCELLED, CANCELLED_REASON, CANCELLED_FIX)
    except EngineUnavailable as error:
        return finish(ProbeStatus.UNAVAILABLE, error.reason, error.fix)
    made: list[str] = []  # containers to remove, by id
    try:
        measured.engine_version = client.version().get("Version")
        _run_steps(client, plan, measured, made, step, deadline, token)
        step("clean up")
        _clean_up(client, measured, made)
        progress(ProgressEvent(probe="container", step="done", fraction=1.0))
        return finish(ProbeStatus.OK)
    except ProbeCancelled:
        return finish(ProbeStatus.CANCELLED, CANCELLED_REASON, CANCELLED_FIX)
    except DeadlineExceeded as error:
        return finish(ProbeStatus.FAILED, str(error))
    except ImageUnavailable as error:
        return finish(ProbeStatus.UNAVAILABLE, error.reason, error.fix)
    except ProbeFailure as error:
        return finish(ProbeStatus.FAILED, str(error))
    except Exception as error:  # the SDK raises its own errors and requests' alike
        if not _is_engine_error(error):
            raise
        reason, fix = explain_engine_error(error, plan.call_timeout_seconds, reached_before=True)
        return finish(ProbeStatus.FAILED, reason, fix)
    finally:
        _clean_up(client, measured, made, quietly=True)
        client.close()


def _run_steps(
    client: Any,
    plan: ContainerPlan,
    measured: _Measurements,
    made: list[str],
    step: Callable[[str], None],
    deadline: Deadline,
    cancel: CancelToken,
) -> None:
    step("sweep leftovers of earlier runs")
    swept = sweep_leftovers(client)
    if swept.containers or swept.images:
        measured.notes.append(
            f"removed leftovers of an earlier run: {len(swept.containers)} container(s), "
            f"{len(swept.images)} image(s)"
        )
    step("prepare the image")
    if plan.image is not None:
        measured.image = use_named_image(client, plan.image)
    else:
        measured.image = prepare_sample_image(client, deadline.limit(plan.call_timeout_seconds))
    image = measured.image.image_id
    for run in range(1, plan.runs + 1):
        step(f"start run {run} of {plan.runs}")
        timing = _timed_run(client, plan, image, plan.start_command, made, deadline, cancel)
        measured.create_to_start.append(timing.create_to_start)
        measured.start_to_output.append(timing.start_to_output)
        measured.start.append(timing.create_to_start + timing.start_to_output)
        measured.total.append(timing.total)
    step("measure memory of a running container")
    _measure_memory(client, plan, image, measured, made, deadline, cancel)
    step("time the CPU workload natively")
    _time_native_workload(plan, measured, deadline, cancel)
    step("time the CPU workload in a container")
    timing = _timed_run(client, plan, image, plan.workload_command, made, deadline, cancel)
    measured.container_workload = parse_all_workload_seconds(timing.output)
    measured.kernel_release = parse_kernel_release(timing.output)
    if len(measured.container_workload) != plan.runs:
        raise ProbeFailure(
            f"the CPU workload printed {len(measured.container_workload)} of {plan.runs} "
            f"results in the container: {timing.output.strip()[-200:]!r}"
        )


def _create(
    client: Any, plan: ContainerPlan, image: str, command: tuple[str, ...], made: list[str]
) -> str:
    api = client.api
    name = f"{NAME_PREFIX}{uuid.uuid4().hex[:12]}"
    created = api.create_container(
        **container_arguments(plan, image, command, name, owner_label()),
        host_config=api.create_host_config(**host_config_arguments(plan.hardening)),
    )
    container_id: str = created["Id"]
    made.append(container_id)
    return container_id


def _timed_run(
    client: Any,
    plan: ContainerPlan,
    image: str,
    command: tuple[str, ...],
    made: list[str],
    deadline: Deadline,
    cancel: CancelToken,
) -> _RunTiming:
    """Create, attach, start and wait for one container that exits by itself, then remove it."""
    api = client.api
    created_at = time.perf_counter()
    container_id = _create(client, plan, image, command, made)
    watcher = _OutputWatcher(api.attach(container_id, stdout=True, stderr=True, stream=True))
    try:
        started_at = time.perf_counter()
        api.start(container_id)
        first_output_at = watcher.wait_for_output(deadline.limit(plan.call_timeout_seconds), cancel)
        exit_status = api.wait(container_id, timeout=deadline.limit(plan.call_timeout_seconds))
        exited_at = time.perf_counter()
        output = watcher.output(deadline.limit(plan.call_timeout_seconds))
    finally:
        watcher.close()
    code = exit_status.get("StatusCode")
    if code != 0:
        raise ProbeFailure(
            f"a probe container exited with status {code}: {output.strip()[-200:]!r}"
        )
    api.remove_container(container_id, force=True)
    made.remove(container_id)
    return _RunTiming(
        create_to_start=started_at - created_at,
        start_to_output=first_output_at - started_at,
        total=exited_at - created_at,
        output=output,
    )


def _measure_memory(
    client: Any,
    plan: ContainerPlan,
    image: str,
    measured: _Measurements,
    made: list[str],
    deadline: Deadline,
    cancel: CancelToken,
) -> None:
    """Start a container that stays alive, read back its confinement and sample its memory."""

    api = client.api
    container_id = _create(client, plan, image, plan.memory_command, made)
    watcher = _OutputWatcher(api.attach(container_id, stdout=True, stderr=True, stream=True))
    try:
        api.start(container_id)
        watcher.wait_for_output(deadline.limit(plan.call_timeout_seconds), cancel)
        measured.hardening = hardening_from_inspect(api.inspect_container(container_id))
        if measured.hardening != plan.hardening:
            measured.notes.append(
                "the engine applied a different confinement than asked: "
                + _differences(plan.hardening, measured.hardening)
            )
        # The engine samples a container's stats once a second: each reading waits for it.
        readings = api.stats(container_id, stream=True, decode=True)
        try:
            for _ in range(plan.memory_samples):
                cancel.raise_if_cancelled()
                stats = call_with_deadline(
                    lambda: next(readings),
                    deadline.limit(plan.call_timeout_seconds),
                    "the engine's container stats",
                )
                in_use = memory_in_use(stats)
                if in_use is None:
                    measured.notes.append("the engine reports no memory usage for containers")
                    break
                measured.memory.append(float(in_use))
        finally:
            # A reading still waiting on its thread keeps the generator busy; removing the
            # container ends that stream anyway.
            with contextlib.suppress(ValueError):
                readings.close()
    finally:
        watcher.close()
    api.remove_container(container_id, force=True)
    made.remove(container_id)


def _time_native_workload(
    plan: ContainerPlan, measured: _Measurements, deadline: Deadline, cancel: CancelToken
) -> None:
    """Run the CPU workload with the host's busybox, outside any container."""
    busybox = find_static_busybox()
    if busybox is None:
        measured.notes.append("no busybox on the host: the CPU workload ran in the container only")
        return
    try:
        measured.native_workload = measure_native_workload(
            busybox, plan.runs, deadline.limit(plan.call_timeout_seconds), cancel
        )
    except CommandFailed as error:
        raise ProbeFailure(str(error)) from error


def _clean_up(client: Any, measured: _Measurements, made: list[str], quietly: bool = False) -> None:
    """Remove this run's containers, then the image if this run imported it."""
    api = client.api
    for container_id in list(made):
        try:
            api.remove_container(container_id, force=True)
            made.remove(container_id)
        except Exception:
            if not quietly:
                raise
    image = measured.image
    if image is not None and image.made_here:
        try:
            api.remove_image(image.image_id)
            measured.image = image.model_copy(update={"made_here": False})
        except Exception:
            if not quietly:
                raise


def _differences(wanted: ContainerHardening, applied: ContainerHardening) -> str:
    changed = [
        f"{name} {getattr(applied, name)!r} instead of {getattr(wanted, name)!r}"
        for name in ContainerHardening.model_fields
        if getattr(applied, name) != getattr(wanted, name)
    ]
    return "; ".join(changed)


def _is_engine_error(error: Exception) -> bool:
    import docker

    return isinstance(error, docker.errors.DockerException | requests.RequestException | OSError)


def _result(
    plan: ContainerPlan,
    measured: _Measurements,
    status: ProbeStatus,
    reason: str | None,
    fix: str | None,
    wall_seconds: float,
) -> ContainerResult:
    def stats(values: list[float]) -> Stats | None:
        return Stats.of(values) if values else None

    native = stats(measured.native_workload)
    in_container = stats(measured.container_workload)
    ratio = None
    if native is not None and in_container is not None and native.median > 0:
        ratio = in_container.median / native.median
    image = measured.image
    return ContainerResult(
        status=status,
        reason=reason,
        fix=fix,
        engine_version=measured.engine_version,
        image_tag=image.tag if image else None,
        image_origin=image.origin if image else None,
        image_bytes=image.size_bytes if image else None,
        runs=plan.runs,
        create_to_start_seconds=stats(measured.create_to_start),
        start_to_output_seconds=stats(measured.start_to_output),
        start_seconds=stats(measured.start),
        total_seconds=stats(measured.total),
        memory_bytes=stats(measured.memory),
        native_workload_seconds=native,
        container_workload_seconds=in_container,
        cpu_ratio=ratio,
        kernel_release=measured.kernel_release,
        hardening=measured.hardening,
        notes=tuple(measured.notes),
        wall_seconds=wall_seconds,
    )
