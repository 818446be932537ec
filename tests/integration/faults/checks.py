"""What every fault test checks: the outcome a user sees, the advice that still comes out, and
that nothing the probes made is left behind, in the engine, in libvirt, in the process table
or on disk.

Other test runs may probe the same daemons at the same time, so "ours" means made by one of
the processes a test names: containers carry their maker's host/pid, domains, QEMU
processes and run files their maker's pid.
"""

from __future__ import annotations

import socket
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from advisor import engine
from advisor.answers import Answers, load_answers
from advisor.probes.container import NAME_PREFIX, OWNER_LABEL
from advisor.probes.sample_image import PROBE_LABEL_FILTER, SAMPLE_REPOSITORY
from advisor.probes.suite import ProbeReport
from advisor.probes.vm import leftover_places, qemu_pids
from advisor.probes.vm_plan import DOMAIN_PREFIX
from advisor.recommendation import Recommendation

EXAMPLE_ANSWERS = Path(__file__).parents[3] / "examples" / "linux-microservices-postgres.json"
SETTLE_SECONDS = 15.0


def example_answers() -> Answers:
    """A realistic project to advise on (Linux services, standard security)."""
    return load_answers(EXAMPLE_ANSWERS)


def advise(report: ProbeReport) -> Recommendation:
    """The recommendation grounded by `report`, as the CLI and the GUI make it."""
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


def owned_containers(client: Any, pids: Iterable[int]) -> list[str]:
    """Probe containers (by label or name) whose maker is one of `pids` on this host."""
    owners = {f"{socket.gethostname()}/{pid}" for pid in pids}
    found = client.api.containers(all=True, filters={"label": PROBE_LABEL_FILTER})
    found += client.api.containers(all=True, filters={"name": NAME_PREFIX})
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
    return [f"{DOMAIN_PREFIX}{pid}-" for pid in pids]


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
