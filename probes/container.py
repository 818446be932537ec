"""The container probe: launch a real, hardened sample container several times and measure it.

Every run is created, attached, started and waited for through the engine's API
(probes/container_runs.py); nothing is pulled. Memory comes from the engine's stats of a
running container; the CPU workload runs in a container and natively, and their ratio is the
container's CPU cost. What the probe makes is removed however it ends, and leftovers of a run
that was killed are swept at the next start (probes/leftovers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import requests

from advisor.base.i18n import N_, _
from advisor.probes.container_confinement import confinement_notes, memory_not_measured
from advisor.probes.container_plan import (
    IMAGE_STEP,
    MEMORY_STEP,
    NATIVE_STEP,
    START_STEP,
    SWEEP_STEP,
    WORKLOAD_STEP,
    ContainerPlan,
    ContainerSettings,
    parse_kernel_release,
    plan_container_probe,
)
from advisor.probes.container_runs import ContainerRuns
from advisor.probes.control import CancelToken, ProgressCallback, ignore_progress
from advisor.probes.docker_engine import connect, explain_engine_error
from advisor.probes.engine_guard import EngineBudget
from advisor.probes.engine_replies import VersionReply, parse_reply
from advisor.probes.errors import ProbeError, ProbeFailed, ProbeUnavailable
from advisor.probes.host_models import DockerFacts
from advisor.probes.leftovers import sweep_docker, sweep_notes
from advisor.probes.models import cpu_cost, stats_of
from advisor.probes.results import ConfinementSeen, ContainerHardening, ContainerResult
from advisor.probes.runner import Ending, ProbeJob, ProbeRun, run_probe
from advisor.probes.sample_image import (
    ProbeImage,
    find_static_busybox,
    is_leftover_tag,
    prepare_sample_image,
    use_named_image,
)
from advisor.probes.workload import measure_native_workload, parse_all_workload_seconds


@dataclass
class _Measured:
    """What has been measured so far; turned into a result however the probe ends."""

    engine_version: str | None = None
    image: ProbeImage | None = None
    create_to_start: list[float] = field(default_factory=list)
    start_to_output: list[float] = field(default_factory=list)
    start: list[float] = field(default_factory=list)
    total: list[float] = field(default_factory=list)
    memory: list[float] = field(default_factory=list)
    memory_not_measured: str | None = None
    native_workload: list[float] = field(default_factory=list)
    container_workload: list[float] = field(default_factory=list)
    kernel_release: str | None = None
    hardening: ContainerHardening | None = None
    confinement: ConfinementSeen | None = None


def run_container_probe(
    settings: ContainerSettings,
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
    engine: DockerFacts | None = None,
) -> ContainerResult:
    """Run the container probe through the real Docker engine and report what it measured.

    Never raises for engine trouble: an engine that is missing or unreachable gives
    `unavailable` with the fix, an error on the way gives `failed` with the reason, and a
    cancel gives `cancelled`; whatever was measured before is kept. `engine`: what the host
    facts of this run found; an engine they could not reach is not asked again.
    """
    return run_probe(ContainerJob(settings, engine), progress, cancel)


class ContainerJob(ProbeJob[ContainerPlan, ContainerResult]):
    """The container probe through the real Docker engine."""

    probe = "container"
    title = N_("container")
    failed_fix = N_("check the container engine and run the probe again")

    def __init__(self, settings: ContainerSettings, engine: DockerFacts | None = None) -> None:
        self.settings = settings
        self.engine = engine
        self.measured = _Measured()
        self.client: Any = None
        self.budget: EngineBudget | None = None
        self.runs: ContainerRuns | None = None

    def prepare(self, name: str) -> ContainerPlan:
        return plan_container_probe(self.settings)

    def steps(self, plan: ContainerPlan) -> tuple[str, ...]:
        return plan.steps

    def timeout_seconds(self, plan: ContainerPlan) -> float:
        return plan.timeout_seconds

    def run(self, plan: ContainerPlan, run: ProbeRun) -> None:
        measured = self.measured
        if self.engine is not None and self.engine.asked and not self.engine.answers:
            # The same reason and fix as the host facts, without waiting on it twice.
            raise ProbeUnavailable(
                self.engine.reason or _("the Docker engine did not answer"), self.engine.fix
            )
        self.budget = EngineBudget(run.deadline, run.cancel)
        self.client = client = connect(run.limit(plan.call_timeout_seconds), self.budget)
        version = parse_reply(VersionReply, client.version(), "GET /version")
        measured.engine_version = version.version or _("unknown")
        runs = self.runs = ContainerRuns(client, plan, run)
        run.step(SWEEP_STEP)
        for note in sweep_notes(sweep_docker(client, is_leftover_tag)):
            run.note(note)
        run.step(IMAGE_STEP)
        if plan.image is not None:
            measured.image = use_named_image(client, plan.image)
        else:
            measured.image = prepare_sample_image(
                client, run.limit(plan.call_timeout_seconds), run=run.name
            )
        image = measured.image.image_id
        for number in range(1, plan.runs + 1):
            run.step(START_STEP, run=number, runs=plan.runs)
            timing = runs.timed(image, plan.start_command)
            measured.create_to_start.append(timing.create_to_start)
            measured.start_to_output.append(timing.start_to_output)
            measured.start.append(timing.start)
            measured.total.append(timing.total)
        run.step(MEMORY_STEP)
        reading = runs.memory(image)
        measured.hardening, measured.confinement = reading.hardening, reading.seen
        for note in confinement_notes(plan.hardening, reading.hardening, reading.seen):
            run.note(note)
        measured.memory_not_measured = memory_not_measured(reading.seen, reading.memory_bytes)
        if measured.memory_not_measured is None:
            measured.memory = reading.memory_bytes
        else:
            run.note(measured.memory_not_measured)
        run.step(NATIVE_STEP)
        self._time_native_workload(plan, run)
        run.step(WORKLOAD_STEP)
        timing = runs.timed(image, plan.workload_command)
        measured.container_workload = parse_all_workload_seconds(timing.output)
        measured.kernel_release = parse_kernel_release(timing.output)
        if len(measured.container_workload) != plan.runs:
            raise ProbeFailed(
                _(
                    "the CPU workload printed {count} of {runs} results in the container: "
                    "{output!r}"
                ).format(
                    count=len(measured.container_workload),
                    runs=plan.runs,
                    output=timing.output.strip()[-200:],
                ),
                _("check that the sample image holds a working busybox, and run the probe again"),
            )

    def _time_native_workload(self, plan: ContainerPlan, run: ProbeRun) -> None:
        """Run the CPU workload with the host's busybox, outside any container."""
        busybox = find_static_busybox()
        if busybox is None:
            run.note(_("no busybox on the host: the CPU workload ran in the container only"))
            return
        self.measured.native_workload = measure_native_workload(
            busybox, plan.runs, run.limit(plan.call_timeout_seconds), run.cancel
        )

    def clean_up(self, plan: ContainerPlan, run: ProbeRun) -> None:
        """Remove this run's containers, then its own tag of the image: the image itself
        goes with the last tag, once no run holds it."""
        if self.client is None:
            return
        if self.budget is not None:  # the run's time may be up, or the run cancelled
            self.budget.for_clean_up(plan.call_timeout_seconds)
        if self.runs is not None:
            self.runs.remove_all()
        image = self.measured.image
        if image is not None and image.held_as is not None:
            self.measured.image = image.model_copy(update={"made_here": False, "held_as": None})
            self._remove_image(image.held_as, run)
        self.client.close()

    def _remove_image(self, tag: str, run: ProbeRun) -> None:
        import docker

        try:
            self.client.api.remove_image(tag)
        except docker.errors.NotFound:
            pass  # removed already
        except docker.errors.APIError as error:
            # The last tag of an image some container still uses: the engine keeps both.
            if error.status_code != 409:
                raise
            run.note(
                _(
                    "left the sample image in the engine because a container uses it now; "
                    "the next start removes it"
                )
            )

    def explain(self, error: Exception) -> ProbeError | None:
        import docker

        # A reply of another shape than the API's is refused where it is read
        # (probes/engine_replies.py): any other Python error here is the probe's own fault.
        if not isinstance(
            error, docker.errors.DockerException | requests.RequestException | OSError
        ):
            return None
        reached = self.measured.engine_version is not None
        reason, fix = explain_engine_error(
            error, self.settings.call_timeout_seconds, reached_before=reached
        )
        if not reached:
            return ProbeUnavailable(reason, fix)
        return ProbeFailed(reason, fix)

    def result(self, plan: ContainerPlan, ending: Ending) -> ContainerResult:
        measured = self.measured
        native = stats_of(measured.native_workload)
        in_container = stats_of(measured.container_workload)
        image = measured.image
        return ContainerResult(
            **ending.fields(),
            engine_version=measured.engine_version,
            image_tag=image.tag if image else None,
            image_origin=image.origin if image else None,
            image_bytes=image.size_bytes if image else None,
            runs=plan.runs,
            create_to_start_seconds=stats_of(measured.create_to_start),
            start_to_output_seconds=stats_of(measured.start_to_output),
            start_seconds=stats_of(measured.start),
            total_seconds=stats_of(measured.total),
            memory_bytes=stats_of(measured.memory),
            memory_not_measured=measured.memory_not_measured,
            **cpu_cost(in_container, native, "container_workload_seconds"),
            kernel_release=measured.kernel_release,
            hardening=measured.hardening,
            confinement=measured.confinement,
        )
