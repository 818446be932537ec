"""One runner for every probe: a run that steps, notes and finishes, and a job per probe.

A probe is a ProbeJob: `prepare()` decides its plan from its settings and the host facts
without touching anything, `steps()` names what the run will do, `run()` does it, and
`result()` turns what was measured into the probe's result however the run ended. The
runner owns what every probe shares: the cancel token, the deadline, progress as fractions of
the named steps, notes, the clean-up, and the one place where errors become statuses.
"""

from __future__ import annotations

import contextlib
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from advisor.base.i18n import N_, _, ngettext
from advisor.probes.control import (
    CancelToken,
    ProbeCancelled,
    ProbeName,
    ProgressCallback,
    ProgressEvent,
    ignore_progress,
)
from advisor.probes.deadline import Deadline
from advisor.probes.errors import ProbeError, ProbeUnavailable
from advisor.probes.fault_log import record_fault
from advisor.probes.leftovers import run_in_progress, run_name
from advisor.probes.models import CANCELLED_FIX, CANCELLED_REASON, ProbeStatus
from advisor.probes.quantities import MAX_ITEMS, clipped

PlanT = TypeVar("PlanT")
ResultT = TypeVar("ResultT")

CLEAN_UP_STEP = N_("clean up")

_log = logging.getLogger(__name__)


class ProbeRun:
    """One run of a probe: its cancel token, its deadline, its steps and its notes."""

    def __init__(
        self,
        probe: ProbeName,
        steps: Sequence[str],
        timeout_seconds: float,
        progress: ProgressCallback = ignore_progress,
        cancel: CancelToken | None = None,
        name: str | None = None,
    ) -> None:
        """`name`: what the run's containers, domains and files are named after."""
        self.probe = probe
        self.name = name or run_name()
        self.steps = (*steps, CLEAN_UP_STEP)
        self.cancel = cancel or CancelToken()
        self.deadline = Deadline(timeout_seconds)
        self.notes: list[str] = []
        self._progress = progress
        self._fraction = 0.0

    def step(self, name: str, detail: str | None = None, **numbers: int) -> None:
        """Begin the named step (one of `steps`; a numbered one by its pattern and numbers,
        "boot {number} of {runs}"): stop here if out of time, or cancelled, even from the
        progress callback that hears of the step."""
        self.deadline.check(_(name).format(**numbers))
        self._begin(name, detail, numbers)
        self.cancel.raise_if_cancelled()

    def say(self, text: str) -> None:
        """Tell the user what the current step is doing now, without moving the progress."""
        self._progress(ProgressEvent(probe=self.probe, step=text, fraction=self._fraction))

    def note(self, text: str) -> None:
        """Keep a remark for the probe's result: something the user should know."""
        self.notes.append(text)

    def limit(self, call_timeout: float) -> float:
        """The time one call may take: its own limit, cut short by what is left of the run."""
        return self.deadline.limit(call_timeout)

    def cleaning_up(self) -> None:
        """Report the clean-up, which runs however the run ended: no check stops it."""
        self._begin(CLEAN_UP_STEP)

    def _begin(
        self, name: str, detail: str | None = None, numbers: Mapping[str, int] | None = None
    ) -> None:
        # The key names the step whatever the language; the user reads it in theirs.
        key, shown = name.format(**numbers or {}), _(name).format(**numbers or {})
        # Repeating a step (a boot tried again under another accelerator) never moves back.
        self._fraction = max(self._fraction, self.steps.index(key) / len(self.steps))
        if detail:
            key, shown = f"{key} ({detail})", f"{shown} ({detail})"
        self._progress(
            ProgressEvent(probe=self.probe, step=key, shown=shown, fraction=self._fraction)
        )

    def finish(self) -> None:
        """Report the run as done."""
        self._progress(ProgressEvent(probe=self.probe, step="done", shown=_("done"), fraction=1.0))


@dataclass(frozen=True)
class Ending:
    """How a run ended, for the job to turn into its result."""

    status: ProbeStatus
    reason: str | None
    fix: str | None
    notes: tuple[str, ...]
    wall_seconds: float

    def fields(self) -> dict[str, Any]:
        """The fields every probe result has, as keyword arguments for its model."""
        # Reasons and notes may quote an engine or a file name: cut to the report's bounds
        # so that a long one is shown shortened rather than refused.
        return {
            "status": self.status,
            "reason": None if self.reason is None else clipped(self.reason),
            "fix": None if self.fix is None else clipped(self.fix),
            "notes": bounded_notes(self.notes),
            "wall_seconds": self.wall_seconds,
        }


def bounded_notes(notes: Sequence[str]) -> tuple[str, ...]:
    """The notes as a report may hold them: each cut to length, and past the most a report
    keeps, one last note saying how many more there were."""
    kept = [clipped(note) for note in notes]
    if len(kept) > MAX_ITEMS:
        more = len(kept) - (MAX_ITEMS - 1)
        kept = [
            *kept[: MAX_ITEMS - 1],
            ngettext(
                "and {count} more note like these", "and {count} more notes like these", more
            ).format(count=more),
        ]
    return tuple(kept)


class ProbeJob(ABC, Generic[PlanT, ResultT]):
    """One probe: its plan, its steps and its result; the runner does the rest.

    A job is used for one run: it keeps what the run measured as it goes, so that a run
    that stops early still reports it.
    """

    probe: ClassVar[ProbeName]
    title: ClassVar[str]  # how messages name the probe: "container", "VM"
    # What to do when a step failed and said no fix of its own.
    failed_fix: ClassVar[str]

    @abstractmethod
    def prepare(self, name: str) -> PlanT:
        """The plan of the run named `name`, from the settings and facts alone; touches
        nothing."""

    @abstractmethod
    def steps(self, plan: PlanT) -> tuple[str, ...]:
        """The named steps of the run, in order, without the clean-up the runner adds."""

    @abstractmethod
    def timeout_seconds(self, plan: PlanT) -> float:
        """The longest the whole run may take."""

    @abstractmethod
    def run(self, plan: PlanT, run: ProbeRun) -> None:
        """Do the steps, raising ProbeError (or ProbeCancelled) when one cannot be done."""

    def clean_up(self, plan: PlanT, run: ProbeRun) -> None:
        """Remove what the run made; called however it ended, and may be called twice."""

    def explain(self, error: Exception) -> ProbeError | None:
        """A reason and fix for an error a library raised, where this probe knows it."""
        return None

    @abstractmethod
    def result(self, plan: PlanT, ending: Ending) -> ResultT:
        """The probe's result: what was measured, and how the run ended."""


def run_probe(
    job: ProbeJob[PlanT, ResultT],
    progress: ProgressCallback = ignore_progress,
    cancel: CancelToken | None = None,
) -> ResultT:
    """Run `job` to its end and return its result; never raises for the probe's trouble.

    The status says how it ended: ok, unavailable or failed (each with its reason and fix),
    or cancelled; whatever was measured before is kept, and what the run made is removed.
    """
    with run_in_progress() as name:
        return _run(job, name, progress, cancel)


def _run(
    job: ProbeJob[PlanT, ResultT],
    name: str,
    progress: ProgressCallback,
    cancel: CancelToken | None,
) -> ResultT:
    began = time.perf_counter()
    plan = job.prepare(name)
    steps = job.steps(plan)
    run = ProbeRun(job.probe, steps, job.timeout_seconds(plan), progress, cancel, name)
    status, reason, fix = ProbeStatus.OK, None, None
    try:
        run.cancel.raise_if_cancelled()
        job.run(plan, run)
        run.cleaning_up()
        # Here a clean-up that fails fails the run; after a failure it only may not hide it.
        job.clean_up(plan, run)
    except ProbeCancelled:
        status, reason, fix = ProbeStatus.CANCELLED, _(CANCELLED_REASON), _(CANCELLED_FIX)
    except Exception as error:  # one probe's fault must never cost the other its run
        explained = _explain(job, error)
        status = (
            ProbeStatus.UNAVAILABLE
            if isinstance(explained, ProbeUnavailable)
            else ProbeStatus.FAILED
        )
        reason, fix = explained.reason, explained.fix or _(job.failed_fix)
    finally:
        if status is not ProbeStatus.OK:
            run.cleaning_up()
        # What cannot be removed now is swept at the next start (probes/leftovers.py).
        with contextlib.suppress(Exception):
            job.clean_up(plan, run)
    if status is ProbeStatus.OK:
        run.finish()
    ending = Ending(status, reason, fix, tuple(run.notes), time.perf_counter() - began)
    return job.result(plan, ending)


def _explain(job: ProbeJob[PlanT, ResultT], error: Exception) -> ProbeError:
    if isinstance(error, ProbeError):
        return error
    explained = job.explain(error)
    if explained is not None:
        return explained
    # A fault of the probe itself, never taken for the engine's or the host's: the user gets
    # a sentence, the traceback goes to the fault log for whoever looks into it.
    log = record_fault(f"the {job.title} probe stopped on an unexpected error", error)
    if log is None:
        _log.error("the %s probe stopped on an unexpected error", job.title, exc_info=error)
        fix = _(
            "please report it as a fault of dvm-advisor, with the output of `dvm-advisor "
            "probe` run in a terminal; running the probe again may get past it"
        )
    else:
        fix = _(
            "please report it as a fault of dvm-advisor, with the details written to {log}; "
            "running the probe again may get past it"
        ).format(log=log)
    return ProbeError(
        _("the {probe} probe stopped on a fault of its own, not of the engine or this host").format(
            probe=_(job.title)
        ),
        fix,
    )
