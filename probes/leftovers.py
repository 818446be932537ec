"""What killed probe runs left behind, and its removal at the next start.

Everything a run makes carries its owner: containers a label with this host and the run's
pid, and a name, like every domain, run folder, log and download, that starts with
`dvm-advisor-probe-<pid>-<run>`. A thing is a leftover when its run has ended: its process
no longer runs, or, in this process, the run is not among those in progress. A live run's
things are never touched. A sweep removes what this user may remove, and notes what
it had to leave (another user's files, a domain libvirt would not remove) without failing
the probe.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import socket
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field

from advisor.base.i18n import N_, _
from advisor.base.models import FrozenModel
from advisor.probes.engine_replies import ContainerSummary, ImageSummary, parse_replies
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.places import leftover_places

PROBE_NAME_PREFIX = "dvm-advisor-probe-"
PROBE_LABEL = "dvm-advisor.probe"  # on every probe container and sample image
PROBE_LABEL_FILTER = f"{PROBE_LABEL}=1"
OWNER_LABEL = "dvm-advisor.owner"  # on every probe container: "<host>/<pid>"

# The names of this process's runs in progress: what this process made outside them is left
# from a run of its own that has ended.
_runs_in_progress: set[str] = set()


def run_name(pid: int | None = None, token: str | None = None) -> str:
    """A name for something a run makes: the prefix, the owner's pid and a unique token."""
    pid = os.getpid() if pid is None else pid
    return f"{PROBE_NAME_PREFIX}{pid}-{secrets.token_hex(4) if token is None else token}"


def owner_pid(name: str) -> int | None:
    """The pid of the process that made a probe domain, container or file, from its name."""
    if not name.startswith(PROBE_NAME_PREFIX):
        return None
    pid = name[len(PROBE_NAME_PREFIX) :].split("-", 1)[0]
    return int(pid) if pid.isdigit() else None


@contextlib.contextmanager
def run_in_progress() -> Iterator[str]:
    """A name for a run, known as live while the block runs; whatever it makes is named so."""
    name = run_name()
    _runs_in_progress.add(name)
    try:
        yield name
    finally:
        _runs_in_progress.discard(name)


def owner_label() -> str:
    """The owner label of this process's containers: this host and this pid."""
    return f"{socket.gethostname()}/{os.getpid()}"


def owner_alive(pid: int | None, host: str | None = None, names: Sequence[str] = ()) -> bool:
    """Whether the run that made a thing, named `names`, still runs (then it is no leftover).

    A thing of another host (a shared engine) is that host's to judge: taken as alive.
    """
    if host is not None and host != socket.gethostname():
        return True
    if pid is None:
        return False
    if pid == os.getpid():
        live = tuple(_runs_in_progress)
        return any(name.startswith(live) for name in names) if live else False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def is_leftover(name: str) -> bool:
    """Whether `name` belongs to a probe run whose process is gone."""
    return name.startswith(PROBE_NAME_PREFIX) and not owner_alive(owner_pid(name), names=[name])


def container_is_leftover(labels: dict[str, str], names: Sequence[str]) -> bool:
    """Whether a probe container's run is gone: by its owner label, else by its name."""
    owner = labels.get(OWNER_LABEL)
    if owner:
        host, _slash, pid = owner.rpartition("/")
        return not owner_alive(int(pid) if pid.isdigit() else None, host, names)
    return any(is_leftover(name) for name in names)


class SweptLeftovers(FrozenModel):
    """What a sweep removed, and what it left because this user may not remove it (another
    user's run, say root's, or a domain libvirt would not end)."""

    containers: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    paths: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)


SKIPPED_NAMES_SHOWN = 3


def sweep_notes(swept: SweptLeftovers) -> list[str]:
    """The sentences a run reports about its sweep: what it removed, what it had to leave."""
    counts = (
        (N_("{count} container(s)"), len(swept.containers)),
        (N_("{count} image(s)"), len(swept.images)),
        (N_("{count} domain(s)"), len(swept.domains)),
        (N_("{count} file(s) or folder(s)"), len(swept.paths)),
    )
    found = [_(what).format(count=count) for what, count in counts if count]
    notes = (
        [_("removed leftovers of an earlier run: {things}").format(things=_(", ").join(found))]
        if found
        else []
    )
    if swept.skipped:
        shown = _(", ").join(swept.skipped[:SKIPPED_NAMES_SHOWN])
        more = len(swept.skipped) - SKIPPED_NAMES_SHOWN
        if more > 0:
            shown += _(" and {count} more").format(count=more)
        notes.append(
            _(
                "left {count} leftover(s) of an earlier run in place because this user may not "
                "remove them: {names}; they do no harm, and the next probe run by their owner "
                "(or root) removes them"
            ).format(count=len(swept.skipped), names=shown)
        )
    return notes


def sweep_docker(client: Any, is_leftover_tag: Callable[[str], bool]) -> SweptLeftovers:
    """Remove probe containers of runs that are gone, and the sample images' tags that
    `is_leftover_tag` says no live run holds.

    Each run holds the sample image by a tag of its own, so only the tags of ended runs
    are removed; the engine deletes an image with its last tag. An untagged probe image
    is removed whole (the engine refuses while a container uses it).
    """
    import docker

    api = client.api
    found: dict[str, ContainerSummary] = {}
    for filters in ({"label": PROBE_LABEL_FILTER}, {"name": PROBE_NAME_PREFIX}):
        listed = api.containers(all=True, filters=filters)
        for summary in parse_replies(ContainerSummary, listed, "GET /containers/json"):
            names = [name.lstrip("/") for name in summary.names or []]
            labels = summary.labels or {}
            if labels.get(PROBE_LABEL) == "1" or any(
                name.startswith(PROBE_NAME_PREFIX) for name in names
            ):
                found[summary.id] = summary
    containers: list[str] = []
    images: list[str] = []
    skipped: list[str] = []
    for container_id, summary in found.items():
        names = [name.lstrip("/") for name in summary.names or []]
        if not container_is_leftover(summary.labels or {}, names):
            continue
        try:
            api.remove_container(container_id, force=True)
            containers.append(container_id[:12])
        except docker.errors.NotFound:
            pass  # removed meanwhile
        except docker.errors.APIError:
            skipped.append(_("container {id}").format(id=container_id[:12]))
    listed = api.images(filters={"label": PROBE_LABEL_FILTER})
    for image in parse_replies(ImageSummary, listed, "GET /images/json"):
        tags = [tag for tag in image.repo_tags or [] if tag != "<none>:<none>"]
        # Tags of someone else's build that copied the label are never ours to remove.
        for reference in [tag for tag in tags if is_leftover_tag(tag)] or (
            [] if tags else [image.id]
        ):
            try:
                api.remove_image(reference)
                images.append(reference)
            except docker.errors.APIError:
                pass  # in use by a container, or already gone
    return SweptLeftovers(containers=containers, images=images, skipped=skipped)


def sweep_libvirt(
    connection: LibvirtConnection, directories: Sequence[Path] | None = None
) -> SweptLeftovers:
    """Destroy and undefine probe domains of runs that are gone, and remove their files from
    `directories` (by default, every place a run leaves files)."""
    libvirt = connection.libvirt
    conn = connection.conn
    domains: list[str] = []
    skipped: list[str] = []
    for domain in connection.call(lambda: conn.listAllDomains(0), "listAllDomains"):
        name = str(domain.name())
        if not is_leftover(name):
            continue
        try:
            if connection.call(domain.isActive, f"state of {name}"):
                connection.call(domain.destroy, f"destroy {name}")
            if connection.call(domain.isPersistent, f"persistence of {name}"):
                connection.call(domain.undefine, f"undefine {name}")
        except libvirt.libvirtError as error:
            if error.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                skipped.append(_("domain {name}").format(name=name))
                continue
        domains.append(name)
    paths: list[str] = []
    for directory in leftover_places() if directories is None else directories:
        try:
            entries = list(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            if is_leftover(entry.name):
                (paths if _remove_entry(entry) else skipped).append(str(entry))
    return SweptLeftovers(domains=domains, paths=paths, skipped=skipped)


def _remove_entry(entry: Path) -> bool:
    """Remove a file or folder tree; False when it stays (this user may not remove it)."""
    try:
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink(missing_ok=True)
    except FileNotFoundError:
        return True  # removed meanwhile, by its owner or another sweep
    except OSError:
        return not os.path.lexists(entry)
    return True
