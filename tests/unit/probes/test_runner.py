"""The runner: whatever a probe's steps say, its result fits the bounds of a probe report."""

from __future__ import annotations

from typing import ClassVar

from advisor.probes.errors import ProbeFailed
from advisor.probes.models import ProbeStatus
from advisor.probes.quantities import MAX_ITEMS, TEXT_CHARS
from advisor.probes.results import ContainerResult
from advisor.probes.runner import Ending, ProbeJob, ProbeRun, run_probe


class _WordyJob(ProbeJob[str, ContainerResult]):
    """A job whose one step notes a lot and then fails with a very long reason."""

    probe: ClassVar = "container"
    title: ClassVar[str] = "container"
    failed_fix: ClassVar[str] = "run it again"

    def __init__(self, reason_chars: int, notes: int) -> None:
        self.reason_chars = reason_chars
        self.note_count = notes

    def prepare(self, name: str) -> str:
        return name

    def steps(self, plan: str) -> tuple[str, ...]:
        return ("Talk to the engine",)

    def timeout_seconds(self, plan: str) -> float:
        return 10.0

    def run(self, plan: str, run: ProbeRun) -> None:
        run.step("Talk to the engine")
        for number in range(self.note_count):
            run.note(f"note {number}: " + "n" * self.reason_chars)
        raise ProbeFailed("the engine said " + "x" * self.reason_chars, "f" * 5 * TEXT_CHARS)

    def result(self, plan: str, ending: Ending) -> ContainerResult:
        return ContainerResult.model_validate({**ending.fields(), "runs": 1})


def test_long_reasons_and_many_notes_are_shortened_to_fit_the_report() -> None:
    result = run_probe(_WordyJob(reason_chars=50 * TEXT_CHARS, notes=3 * MAX_ITEMS))

    assert result.status is ProbeStatus.FAILED
    assert result.reason is not None and result.fix is not None
    assert result.reason.startswith("the engine said xxx")
    assert result.reason.endswith("…")
    assert len(result.reason) == TEXT_CHARS
    assert len(result.fix) == TEXT_CHARS
    assert len(result.notes) == MAX_ITEMS
    assert result.notes[0].startswith("note 0: ")
    assert result.notes[-1] == f"and {3 * MAX_ITEMS - MAX_ITEMS + 1} more notes like these"


def test_words_within_the_bounds_are_kept_whole() -> None:
    result = run_probe(_WordyJob(reason_chars=10, notes=2))

    assert result.reason == "the engine said " + "x" * 10
    assert [note[:7] for note in result.notes] == ["note 0:", "note 1:"]
