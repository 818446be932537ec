"""Container start on the other engines: the probe's start against each engine's own CLI.

For Podman's Docker-compatible service as root, and for the ordinary test user's rootless
Docker and rootless Podman, the benchmark starts the engine the way the integration tests do
(tests/integration/engines.py: a socket and storage of its own, ended with everything it
kept), points the probe at it, and interleaves the probe's code path for a measured run with
`docker -H SOCKET run --rm` or `podman --url SOCKET run --rm` of the same image, command and
confinement. Rootless engines need root to switch to the user; without root, or without
the user, those rows say so.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pwd
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from common import Row, Section, pair_ratios, ratio_text, spread, verdict
from container_start import TARGET_RATIO, compare_starts

from advisor.probes.models import Stats

REPO = Path(__file__).resolve().parents[1]
TEST_USER = os.environ.get("DVM_ADVISOR_TEST_USER", "dvm-advisor-user")


def _engines_module() -> Any:
    # The engines are started as the integration tests start them: one way, in one place.
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    return importlib.import_module("tests.integration.engines")


def _workstation_user() -> Any:
    workstation = importlib.import_module("tests.integration.unprivileged.workstation")
    entry = pwd.getpwnam(TEST_USER)
    return workstation.WorkstationUser(
        TEST_USER, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir), Path("/nonexistent")
    )


@contextlib.contextmanager
def _root_podman() -> Iterator[Any]:
    engines = _engines_module()
    folder = engines.short_folder()
    try:
        with engines.root_podman(folder) as engine:
            yield engine
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _users(start: Callable[[Any, Any, Path], Any]) -> Callable[[], Any]:
    @contextlib.contextmanager
    def started() -> Iterator[Any]:
        user = _workstation_user()
        with user.new_login() as login:
            folder = login.scratch()
            try:
                with start(_engines_module(), login, folder) as engine:
                    yield engine
            finally:
                shutil.rmtree(folder, ignore_errors=True)

    return started


ENGINES: tuple[tuple[str, Callable[[], Any], str], ...] = (
    ("Podman as root", _root_podman, "podman"),
    (
        "rootless Docker",
        _users(lambda engines, user, folder: engines.user_rootless_docker(user, folder)),
        "docker",
    ),
    (
        "rootless Podman",
        _users(lambda engines, user, folder: engines.user_podman(user, folder)),
        "podman",
    ),
)


def _cli(program: str, address: str) -> tuple[str, ...]:
    return ("docker", "-H", address) if program == "docker" else ("podman", "--url", address)


def _one(what: str, started: Callable[[], Any], program: str, pairs: int) -> Row:
    title = f"Container start on {what}: probe (API create → first output)"
    if os.geteuid() != 0:
        return Row(what=title, measured="not run: starting this engine needs root", verdict="—")
    with started() as engine:
        previous = os.environ.get("DOCKER_HOST")
        os.environ["DOCKER_HOST"] = engine.address
        try:
            a, b, _ = compare_starts(pairs, _cli(program, engine.address))
        finally:
            if previous is None:
                os.environ.pop("DOCKER_HOST", None)
            else:
                os.environ["DOCKER_HOST"] = previous
    ratios = pair_ratios(a, b)
    return Row(
        what=title,
        measured=spread(Stats.of(a)),
        compared_with=f"`{program} run --rm` on it, process start → first line: "
        f"{spread(Stats.of(b))}",
        ratio=ratio_text(ratios),
        target=f"≤ {TARGET_RATIO:g}",
        verdict=verdict(ratios.median <= TARGET_RATIO),
    )


def run(pairs: int) -> Section:
    """The probe's start against each engine's CLI, on each engine in turn."""
    rows = []
    for what, started, program in ENGINES:
        try:
            rows.append(_one(what, started, program, pairs))
        except Exception as error:  # one engine's trouble must not cost the others their row
            rows.append(
                Row(
                    what=f"Container start on {what}",
                    measured=f"failed: {error}"[:300],
                    verdict="failed",
                )
            )
    note = (
        "**Container start on other engines.** The same comparison as above on Podman's "
        "Docker-compatible service as root and on the test user's rootless Docker and "
        "rootless Podman, each started for the benchmark on a socket and storage of its own "
        "(as `tests/integration/engines.py` does) and removed after it; B is that engine's "
        "own CLI (`docker -H SOCKET run --rm`, `podman --url SOCKET run --rm`). On this "
        "cgroup-v1 host the rootless engines apply no memory or pids limit: the flags are "
        "passed all the same."
    )
    return Section(rows=tuple(rows), notes=(note,))
