"""Container start: the probe's own measurement against `docker run --rm` from the command line.

A is the probe's code path for each measured run (`ContainerRuns.timed`): the
engine's API creates, attaches and starts a hardened container of the sample image, and the
start is the time from the create call to the first byte of output arriving here.

B is the Docker CLI, `docker run --rm` with the same image, command and confinement (no
network, read-only root, every capability dropped, no-new-privileges, user nobody, the same
memory and pids limits and labels), timed from just before the process starts to the moment
its first output line is read. The CLI creates, attaches and starts just as the probe does,
and pays for its own process start on top.
"""

from __future__ import annotations

from typing import Any

import docker
from common import (
    BenchmarkFailed,
    LineWatcher,
    Row,
    Section,
    interleave,
    pair_ratios,
    pid_tag,
    ratio_text,
    spread,
    verdict,
)

from advisor.probes.container_plan import (
    READY_MARKER,
    ContainerPlan,
    ContainerSettings,
    plan_container_probe,
)
from advisor.probes.container_runs import ContainerRuns
from advisor.probes.docker_engine import connect
from advisor.probes.leftovers import OWNER_LABEL, owner_label
from advisor.probes.models import Stats
from advisor.probes.runner import ProbeRun
from advisor.probes.sample_image import ProbeImage, prepare_sample_image

TARGET_RATIO = 1.0
BUDGET_SECONDS = 300.0


def cli_command(
    plan: ContainerPlan, image: str, name: str, cli: tuple[str, ...] = ("docker",)
) -> list[str]:
    """`docker run --rm` (or another engine's `cli … run --rm`) with the probe's image,
    command, confinement and labels."""
    hardening = plan.hardening
    command = [*cli, "run", "--rm", "--name", name, "--user", hardening.user]
    command += ["--network", hardening.network_mode]
    if hardening.read_only_root:
        command.append("--read-only")
    for capability in hardening.cap_drop:
        command += ["--cap-drop", capability]
    for option in hardening.security_opt:
        command += ["--security-opt", option]
    command += ["--memory", str(hardening.memory_limit_bytes)]
    command += ["--pids-limit", str(hardening.pids_limit)]
    for key, value in {**plan.labels, OWNER_LABEL: owner_label()}.items():
        command += ["--label", f"{key}={value}"]
    return [*command, image, *plan.start_command]


class _Sides:
    """The two ways of starting the sample container, and what they leave to clean up."""

    def __init__(self, client: Any, plan: ContainerPlan, cli: tuple[str, ...]) -> None:
        self.client = client
        self.plan = plan
        self.cli = cli
        # The probe's own runs, with no steps of its own: a deadline for the whole benchmark.
        self.runs = ContainerRuns(client, plan, ProbeRun("container", (), BUDGET_SECONDS))
        self.imported: ProbeImage | None = None
        self._cli_runs = 0
        self.create_to_start: list[float] = []
        self.start_to_output: list[float] = []

    def image(self) -> str:
        # Asked again before every run, which tags it anew should it have gone meanwhile.
        image = prepare_sample_image(self.client, self.plan.call_timeout_seconds)
        if image.made_here:
            self.imported = image
        return image.image_id

    def probe_start(self) -> float:
        timing = self.runs.timed(self.image(), self.plan.start_command)
        self.create_to_start.append(timing.create_to_start)
        self.start_to_output.append(timing.start_to_output)
        return timing.start

    def cli_start(self) -> float:
        self._cli_runs += 1
        name = f"{pid_tag()}-{self._cli_runs}"
        command = cli_command(self.plan, self.image(), name, self.cli)
        watcher = LineWatcher(command)
        try:
            seconds = watcher.seconds_to(READY_MARKER, self.plan.call_timeout_seconds)
            # Waited for, untimed: the next run must not overlap this one's removal.
            code = watcher.wait(self.plan.call_timeout_seconds)
            if code != 0:
                raise BenchmarkFailed(
                    f"{self.cli[0]} run exited with {code}: {watcher.last_words()}"
                )
            return seconds
        finally:
            watcher.close()

    def clean_up(self) -> None:
        api = self.client.api
        leftovers = {
            summary["Id"] for summary in api.containers(all=True, filters={"name": pid_tag()})
        }
        self.runs.remove_all()
        for container_id in leftovers:
            api.remove_container(container_id, force=True)
        if self.imported is not None:
            imported, self.imported = self.imported, None
            try:
                # Only the benchmark's own tag: a probe running beside it holds its own.
                api.remove_image(imported.held_as)
            except docker.errors.APIError as error:
                if error.status_code not in (404, 409):
                    raise


def compare_starts(
    pairs: int, cli: tuple[str, ...] = ("docker",)
) -> tuple[list[float], list[float], _Sides]:
    """The probe's starts (A) and the CLI's (B) on the engine the probe finds, interleaved
    over `pairs` pairs, and what the probe's side measured of its parts."""
    plan = plan_container_probe(ContainerSettings())
    client = connect(plan.call_timeout_seconds)
    sides = _Sides(client, plan, cli)
    try:
        a, b = interleave(sides.probe_start, sides.cli_start, pairs)
    finally:
        try:
            sides.clean_up()
        finally:
            client.close()
    return a, b, sides


def run(pairs: int) -> Section:
    """Container start, A (the probe's path) and B (the CLI) interleaved over `pairs` pairs."""
    a, b, sides = compare_starts(pairs)
    ratios = pair_ratios(a, b)
    row = Row(
        what="Container start: probe (API create → first output)",
        measured=spread(Stats.of(a)),
        compared_with=f"`docker run --rm`, process start → first line: {spread(Stats.of(b))}",
        ratio=ratio_text(ratios),
        target=f"≤ {TARGET_RATIO:g}",
        verdict=verdict(ratios.median <= TARGET_RATIO),
    )
    recorded = slice(-pairs, None)  # the warm-up pair is not reported
    create = Stats.of(sides.create_to_start[recorded])
    output = Stats.of(sides.start_to_output[recorded])
    note = (
        "**Container start.** A is the probe's own code for each measured run "
        "(`ContainerRuns.timed`, probes/container_runs.py): create, attach and start through the "
        "engine's API, timed from the create call to the first byte of output. Of A, "
        f"create and attach took {spread(create, digits=3)}, start to first output "
        f"{spread(output, digits=3)}. B is `docker run --rm` of the same image with the same "
        "command, confinement (`--network none --read-only --cap-drop ALL --security-opt "
        "no-new-privileges --user 65534:65534 --memory 64 MiB --pids-limit 64`) and labels, "
        "timed from just before the process starts to its first line read from its standard "
        "output: it includes the CLI's own start, which A does not pay."
    )
    return Section(rows=(row,), notes=(note,))
