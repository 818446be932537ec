"""One probe container at a time, through the engine's API: created hardened, attached,
started, timed on this side with one clock, and removed.

Times are taken here: the create call, the start call, the first byte of output arriving,
and the exit being reported. A container that stays alive is what memory is read from.
Nothing is pulled: the image is already in the engine.
"""

from __future__ import annotations

import contextlib
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from advisor.base.i18n import _
from advisor.probes.container_confinement import read_confinement
from advisor.probes.container_plan import (
    READY_MARKER,
    ContainerPlan,
    container_arguments,
    hardening_from_inspect,
    host_config_arguments,
    memory_in_use,
)
from advisor.probes.control import CancelToken
from advisor.probes.deadline import call_with_deadline
from advisor.probes.engine_replies import CreatedReply, WaitReply, parse_reply
from advisor.probes.errors import ProbeFailed
from advisor.probes.leftovers import owner_label
from advisor.probes.results import ConfinementSeen, ContainerHardening
from advisor.probes.runner import ProbeRun

_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class RunTiming:
    """One container run, timed from the create call."""

    create_to_start: float
    start_to_output: float
    total: float
    output: str

    @property
    def start(self) -> float:
        """From the create call to the first output: what a user waits for."""
        return self.create_to_start + self.start_to_output


@dataclass(frozen=True)
class MemoryReading:
    """What a running container showed: its confinement as the engine reports it applied
    and as read inside it, and the engine's readings of its memory in use."""

    hardening: ContainerHardening
    seen: ConfinementSeen | None
    memory_bytes: list[float]  # empty when the engine reports no memory usage


class OutputWatcher:
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
                raise ProbeFailed(_("the container ended without printing anything"))
            if time.monotonic() >= ends:
                raise ProbeFailed(
                    _("the container printed nothing within {seconds:g} s").format(seconds=timeout)
                )
        assert self.first_output_at is not None
        return self.first_output_at

    def wait_for_line(self, marker: str, timeout: float, cancel: CancelToken) -> str:
        """The output up to and with the line `marker`; raises on cancel, timeout or exit."""
        ends = time.monotonic() + timeout
        while True:
            ended = self._finished.is_set()  # before reading: then every chunk is in
            printed = b"".join(self._chunks).decode("utf-8", errors="replace")
            if marker in printed.splitlines():
                return printed
            if ended:
                raise ProbeFailed(
                    _("the container ended before printing {marker!r}").format(marker=marker)
                )
            cancel.raise_if_cancelled()
            if time.monotonic() >= ends:
                raise ProbeFailed(
                    _("the container did not print {marker!r} within {seconds:g} s").format(
                        marker=marker, seconds=timeout
                    )
                )
            self._finished.wait(_POLL_SECONDS)

    def output(self, timeout: float) -> str:
        """Everything the container printed, once its output has ended (or `timeout` passed)."""
        self._finished.wait(timeout)
        return b"".join(self._chunks).decode("utf-8", errors="replace")

    def close(self) -> None:
        """Stop reading."""
        # Closing a stream that already broke is not worth reporting.
        with contextlib.suppress(Exception):
            self._stream.close()


class ContainerRuns:
    """The containers of one probe run, each made, measured and removed in turn.

    What could not be removed yet stays in `made` for remove_all(), which the run's
    clean-up calls however it ends.
    """

    def __init__(self, client: Any, plan: ContainerPlan, run: ProbeRun) -> None:
        self.client = client
        self.plan = plan
        self.run = run
        self.made: list[str] = []  # container ids not removed yet

    def _name(self) -> str:
        return f"{self.run.name}-{len(self.made) + 1}-{secrets.token_hex(2)}"

    def _limit(self) -> float:
        return self.run.limit(self.plan.call_timeout_seconds)

    def _create(self, image: str, command: tuple[str, ...]) -> str:
        api = self.client.api
        created = api.create_container(
            **container_arguments(self.plan, image, command, self._name(), owner_label()),
            host_config=api.create_host_config(**host_config_arguments(self.plan.hardening)),
        )
        container_id = parse_reply(CreatedReply, created, "POST /containers/create").id
        self.made.append(container_id)
        return container_id

    def _remove(self, container_id: str) -> None:
        self.client.api.remove_container(container_id, force=True)
        self.made.remove(container_id)

    def timed(self, image: str, command: tuple[str, ...]) -> RunTiming:
        """Create, attach, start and wait for one container that exits by itself; remove it."""
        api = self.client.api
        created_at = time.perf_counter()
        container_id = self._create(image, command)
        watcher = OutputWatcher(api.attach(container_id, stdout=True, stderr=True, stream=True))
        try:
            started_at = time.perf_counter()
            api.start(container_id)
            first_output_at = watcher.wait_for_output(self._limit(), self.run.cancel)
            exit_status = api.wait(container_id, timeout=self._limit())
            exited_at = time.perf_counter()
            output = watcher.output(self._limit())
        finally:
            watcher.close()
        code = parse_reply(WaitReply, exit_status, "POST /containers/{id}/wait").status_code
        if code != 0:
            raise ProbeFailed(
                _("a probe container exited with status {status}: {output!r}").format(
                    status=code, output=output.strip()[-200:]
                )
            )
        self._remove(container_id)
        return RunTiming(
            create_to_start=started_at - created_at,
            start_to_output=first_output_at - started_at,
            total=exited_at - created_at,
            output=output,
        )

    def memory(self, image: str) -> MemoryReading:
        """Start a container that stays alive, read its confinement (from the engine and from
        inside), sample its memory."""
        api = self.client.api
        container_id = self._create(image, self.plan.memory_command)
        watcher = OutputWatcher(api.attach(container_id, stdout=True, stderr=True, stream=True))
        try:
            api.start(container_id)
            printed = watcher.wait_for_line(READY_MARKER, self._limit(), self.run.cancel)
            seen = read_confinement(printed, self.plan.hardening)
            hardening = hardening_from_inspect(api.inspect_container(container_id))
            # The engine samples a container's stats once a second: each reading waits for it.
            readings: Iterator[dict[str, Any]] = api.stats(container_id, stream=True, decode=True)
            memory: list[float] = []
            try:
                for _sample in range(self.plan.memory_samples):
                    self.run.cancel.raise_if_cancelled()
                    stats = call_with_deadline(
                        lambda: next(readings), self._limit(), _("the engine's container stats")
                    )
                    in_use = memory_in_use(stats)
                    if in_use is None:
                        break
                    memory.append(float(in_use))
            finally:
                # A reading still waiting on its thread keeps the generator busy; removing the
                # container ends that stream anyway.
                with contextlib.suppress(ValueError):
                    readings.close()  # type: ignore[attr-defined]
        finally:
            watcher.close()
        self._remove(container_id)
        return MemoryReading(hardening=hardening, seen=seen, memory_bytes=memory)

    def remove_all(self) -> None:
        """Remove every container of this run still there."""
        for container_id in list(self.made):
            self._remove(container_id)
