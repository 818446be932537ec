"""What every fault test checks: the outcome a user sees, the advice that still comes out, and
that nothing the probes made is left behind, in the engine, in libvirt, in the process table
or on disk.

Other test runs may probe the same daemons at the same time, so "ours" means made by one of
the processes a test names: containers carry their maker's host/pid, domains, QEMU
processes and run files their maker's pid.
"""

from __future__ import annotations

import errno
import os
import re
import socket
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from advisor import engine
from advisor.answers import Answers, load_answers
from advisor.probes.leftovers import OWNER_LABEL, PROBE_LABEL_FILTER, PROBE_NAME_PREFIX
from advisor.probes.places import leftover_places
from advisor.probes.qemu_processes import qemu_pids
from advisor.probes.report import ProbeReport
from advisor.probes.sample_image import SAMPLE_REPOSITORY
from advisor.recommendation import Recommendation

EXAMPLE_ANSWERS = Path(__file__).parents[3] / "examples" / "linux-microservices-postgres.json"
SETTLE_SECONDS = 15.0


def example_answers() -> Answers:
    """A realistic project to advise on (Linux services, standard security)."""
    return load_answers(EXAMPLE_ANSWERS)


def advise(report: ProbeReport) -> Recommendation:
    """The recommendation grounded by `report`, as the CLI and the GUI make it."""
    assert_plain_words(report)
    return engine.advise(example_answers(), report)


def caveat_rules(recommendation: Recommendation) -> set[str]:
    """The rules whose caveats the recommendation carries."""
    return {caveat.rule_id for caveat in recommendation.caveats}


def assert_one_sentence(text: str | None, *words: str) -> None:
    """A reason or fix a user can read: one line, no traceback, holding `words`."""
    assert text, "expected a reason and a fix, got nothing"
    assert "\n" not in text and "Traceback" not in text, text
    assert len(text) < 600, text
    for word in words:
        assert word in text, f"{word!r} not in {text!r}"


# What raw exception text looks like: errno numbers and texts, class names, tracebacks, reprs.
RAW_TEXT = re.compile(
    r"\[Errno|Errno \d|Traceback|\b[A-Z][A-Za-z]*(?:Error|Exception)\b|<class |object at 0x"
)
ERRNO_TEXTS = tuple(
    os.strerror(code)
    for code in (
        errno.ENOENT,
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.ECONNREFUSED,
        errno.ETIMEDOUT,
        errno.ENOTDIR,
        errno.EEXIST,
    )
)


def words_of(result: Any) -> Iterator[tuple[str, str | None, bool]]:
    """Every reason, fix and note a probe result or report holds, with whether a fix must
    go with it: (what, text, needs a fix)."""
    if hasattr(result, "host") and hasattr(result, "container"):  # a whole report
        for part in ("docker", "libvirt"):
            facts = getattr(result.host, part)
            yield f"host.{part}.reason", facts.reason, False
            yield f"host.{part}.fix", facts.fix, False
        for probe in (result.container, result.vm):
            if probe is not None:
                yield from words_of(probe)
        return
    failed = result.status.value != "ok"
    yield f"{result.status.value} reason", result.reason, failed
    yield f"{result.status.value} fix", result.fix, failed
    for note in result.notes:
        yield "note", note, False
    for attempt in getattr(result, "attempts", ()):
        yield f"{attempt.accelerator} attempt", attempt.fallback_reason, False
        yield f"{attempt.accelerator} attempt fix", attempt.fix, False


def assert_plain_words(result: Any) -> None:
    """Every reason is a sentence a user can read, with its fix, and no raw exception text."""
    for what, text, required in words_of(result):
        if text is None:
            assert not required, f"{what}: missing; a probe that did not finish says why and how"
            continue
        assert text.strip() and " " in text.strip(), f"{what}: not a sentence: {text!r}"
        assert "\n" not in text and len(text) < 600, f"{what}: not one sentence: {text!r}"
        assert not RAW_TEXT.search(text), f"{what}: raw exception text: {text!r}"
        shown = [raw for raw in ERRNO_TEXTS if raw in text]
        assert not shown, f"{what}: errno text {shown}: {text!r}"


def owned_containers(client: Any, pids: Iterable[int]) -> list[str]:
    """Probe containers (by label or name) whose maker is one of `pids` on this host."""
    owners = {f"{socket.gethostname()}/{pid}" for pid in pids}
    found = client.api.containers(all=True, filters={"label": PROBE_LABEL_FILTER})
    found += client.api.containers(all=True, filters={"name": PROBE_NAME_PREFIX})
    return sorted(
        {
            summary["Id"][:12]
            for summary in found
            if (summary.get("Labels") or {}).get(OWNER_LABEL) in owners
        }
    )


def sample_images(client: Any) -> set[str]:
    """The ids of the sample images in the engine."""
    return {image["Id"] for image in client.api.images(name=SAMPLE_REPOSITORY)}


def new_sample_images(client: Any, before: set[str]) -> set[str]:
    """Sample images that appeared since `before` and stay.

    A probe running beside the test may import one for its own run and remove it when it
    ends, so an image is only counted once it has outlived SETTLE_SECONDS.
    """
    ends = time.monotonic() + SETTLE_SECONDS
    while True:
        appeared = sample_images(client) - before
        if not appeared or time.monotonic() >= ends:
            return appeared
        time.sleep(0.5)


def own_prefixes(pids: Iterable[int]) -> list[str]:
    return [f"{PROBE_NAME_PREFIX}{pid}-" for pid in pids]


def owned_domains(conn: Any, pids: Iterable[int]) -> list[str]:
    """libvirt domains named after a run of one of `pids`."""
    prefixes = tuple(own_prefixes(pids))
    names = [str(domain.name()) for domain in conn.listAllDomains(0)]
    return [name for name in names if name.startswith(prefixes)]


def owned_qemu(pids: Iterable[int], wait_seconds: float = 10.0) -> list[str]:
    """QEMU processes (from /proc) running a guest of one of `pids`, once given time to end."""
    ends = time.monotonic() + wait_seconds
    while True:
        found = [
            f"{pid} ({guest})"
            for prefix in own_prefixes(pids)
            for pid, guest in qemu_pids(prefix).items()
        ]
        if not found or time.monotonic() >= ends:
            return found
        time.sleep(0.2)


def owned_files(pids: Iterable[int], cache_dir: Path | None = None) -> list[str]:
    """Run folders, staged boot files, console and domain logs and downloads of `pids`,
    in every place a run writes to, and the temporary folder."""
    places = [*leftover_places(cache_dir), Path(tempfile.gettempdir())]
    return sorted(
        str(path)
        for place in places
        if place.is_dir()
        for prefix in own_prefixes(pids)
        for path in place.glob(f"{prefix}*")
    )


def unfinished_writes(folder: Path) -> list[str]:
    """Temporary files of atomic writes (".<name>.<random>") left in `folder`'s tree."""
    if not folder.is_dir():
        return []
    return sorted(str(path) for path in folder.rglob(".*") if path.is_file())


def assert_nothing_left(
    docker_client: Any | None,
    libvirt_conn: Any | None,
    pids: Iterable[int],
    images_before: set[str] | None = None,
    cache_dir: Path | None = None,
) -> None:
    """Nothing made by the probe processes `pids` remains anywhere."""
    pids = list(pids)
    if docker_client is not None:
        assert owned_containers(docker_client, pids) == []
        if images_before is not None:
            assert new_sample_images(docker_client, images_before) == set()
    if libvirt_conn is not None:
        assert owned_domains(libvirt_conn, pids) == []
    assert owned_qemu(pids) == []
    assert owned_files(pids, cache_dir) == []
    if cache_dir is not None:
        assert unfinished_writes(cache_dir) == []
