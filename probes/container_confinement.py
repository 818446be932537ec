"""The confinement a probe container really has, read inside it, and what follows from it.

Engines echo a request differently (Podman lists dropped capabilities one by one instead of
ALL; a rootless engine on cgroup v1 reports the memory limit asked and enforces none), so
the container reads its own capability sets and control-group limits, and those are what
the probe judges. Where the container has no memory control group of its own, the engine's
memory figure is the host's, and the probe says memory was not measured rather than report it.
"""

from __future__ import annotations

from advisor.base.i18n import N_, _
from advisor.probes.results import ConfinementSeen, ContainerHardening

CGROUP_PREFIX = "DVM_CGROUP "
# Control-group files as a container sees them: cgroup v2's unified tree, then v1's.
MEMORY_LIMIT_FILES = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
PIDS_LIMIT_FILES = ("/sys/fs/cgroup/pids.max", "/sys/fs/cgroup/pids/pids.max")
# cgroup v1 writes "no limit" as the largest page-aligned value.
_NO_LIMIT_FROM = 2**62
SOURCE = "inside the running container: /proc/self/status and " + ", ".join(
    (*MEMORY_LIMIT_FILES, *PIDS_LIMIT_FILES)
)

# Printed before the ready marker, so it is all there once the marker is.
READ_INSIDE = "cat /proc/self/status; " + "".join(
    f'echo "{CGROUP_PREFIX}{path} $(cat {path} 2>/dev/null)"; '
    for path in (*MEMORY_LIMIT_FILES, *PIDS_LIMIT_FILES)
)

HOST_WIDE_MEMORY = N_(
    "memory was not measured: the container has no memory control group of its own here "
    "(the engine cannot enforce limits, as a rootless engine on cgroup v1 cannot), so the "
    "engine's memory figure is the host's, not the container's"
)
NO_MEMORY_FIGURE = N_("memory was not measured: the engine reports no memory usage for containers")


def read_confinement(output: str, asked: ContainerHardening) -> ConfinementSeen | None:
    """The confinement printed by READ_INSIDE, or None when the output does not hold it."""
    status: dict[str, str] = {}
    limits: dict[str, str] = {}
    for line in output.splitlines():
        if line.startswith(CGROUP_PREFIX):
            path, _space, value = line.removeprefix(CGROUP_PREFIX).partition(" ")
            limits[path] = value.strip()
        else:
            key, _colon, value = line.partition(":")
            status[key] = value.strip()
    try:
        effective = int(status["CapEff"], 16)
        bounding = int(status["CapBnd"], 16)
    except (KeyError, ValueError):
        return None
    uid = status.get("Uid", "").split()
    no_new_privileges = status.get("NoNewPrivs")
    return ConfinementSeen(
        effective_capabilities=effective,
        bounding_capabilities=bounding,
        no_new_privileges=None if no_new_privileges is None else no_new_privileges == "1",
        uid=int(uid[0]) if uid and uid[0].isdigit() else None,
        memory_limit_bytes=_limit(limits, MEMORY_LIMIT_FILES),
        pids_limit=_limit(limits, PIDS_LIMIT_FILES),
        asked_memory_limit_bytes=asked.memory_limit_bytes,
        asked_pids_limit=asked.pids_limit,
        source=SOURCE,
    )


def _limit(limits: dict[str, str], files: tuple[str, ...]) -> int | None:
    """The first limit the files show; None for "max", an unlimited value, or none readable."""
    for path in files:
        value = limits.get(path, "")
        if value.isdigit():
            number = int(value)
            return None if number >= _NO_LIMIT_FROM else number
        if value == "max":
            return None
    return None


def memory_not_measured(seen: ConfinementSeen | None, readings: list[float]) -> str | None:
    """Why the engine's memory readings are not the container's, or None when they are."""
    if not readings:
        return _(NO_MEMORY_FIGURE)
    if seen is None or seen.memory_limit_bytes is None:
        return _(HOST_WIDE_MEMORY)
    return None


def confinement_notes(
    asked: ContainerHardening, applied: ContainerHardening, seen: ConfinementSeen | None
) -> list[str]:
    """What the container lacks of the confinement asked, judged inside where it can be."""
    if seen is None:
        return [_("the container's confinement could not be read inside it")]
    notes = []
    if not seen.capabilities_dropped:
        notes.append(
            _(
                "the container kept capabilities (effective {effective:#x}, "
                "bounding {bounding:#x}) although all were dropped"
            ).format(effective=seen.effective_capabilities, bounding=seen.bounding_capabilities)
        )
    if seen.no_new_privileges is False:
        notes.append(_("the container may gain privileges (NoNewPrivs is 0)"))
    not_enforced = [
        _(what)
        for what, enforced in (
            (N_("the memory limit"), seen.memory_limit_enforced),
            (N_("the process limit"), seen.pids_limit_enforced),
        )
        if not enforced
    ]
    if not_enforced:
        notes.append(
            _(
                "the engine does not enforce {limits} here: the container's control group "
                "shows none (a rootless engine on cgroup v1 has none to give)"
            ).format(limits=_(" or ").join(not_enforced))
        )
    # What only the engine can tell: capabilities and limits were judged above.
    echoed = [
        _("{name} {applied!r} instead of {asked!r}").format(
            name=name, applied=getattr(applied, name), asked=getattr(asked, name)
        )
        for name in ("network_mode", "read_only_root", "security_opt", "user")
        if getattr(applied, name) != getattr(asked, name)
    ]
    if echoed:
        notes.append(
            _("the engine applied a different confinement than asked: {differences}").format(
                differences=_("; ").join(echoed)
            )
        )
    return notes
