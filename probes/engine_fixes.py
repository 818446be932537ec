"""The fixes offered when the container engine cannot be used, in this host's own terms.

A fix names the command that works here: the distribution's package manager (apt-get on
Debian and Ubuntu, dnf on Fedora and RHEL), systemd's units where systemd runs the machine
and the engine's own command where it does not, and the engine the socket belongs to
(rootful or rootless Docker, Podman).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from advisor.base.i18n import _
from advisor.probes.engine_endpoint import Endpoint
from advisor.probes.host_system import parse_os_release, read_text

PackageManager = Literal["apt-get", "dnf"]
# Debian ships the rootless scripts outside PATH.
DEBIAN_DOCKER_CONTRIB = Path("/usr/share/docker.io/contrib")
_APT_FAMILY = {"debian", "ubuntu"}
_DNF_FAMILY = {"fedora", "rhel", "centos"}


@dataclass(frozen=True)
class HostKind:
    """What decides the words of a fix: how packages are installed, how services start."""

    package_manager: PackageManager | None
    systemd: bool


def host_kind(
    os_release: Path = Path("/etc/os-release"), systemd_dir: Path = Path("/run/systemd/system")
) -> HostKind:
    """This host's package manager (from ID and ID_LIKE) and whether systemd runs it."""
    fields = parse_os_release(read_text(os_release) or "")
    family = {fields.get("ID", ""), *fields.get("ID_LIKE", "").split()}
    manager: PackageManager | None = None
    if family & _APT_FAMILY:
        manager = "apt-get"
    elif family & _DNF_FAMILY:
        manager = "dnf"
    return HostKind(package_manager=manager, systemd=systemd_dir.is_dir())


def start_command(endpoint: Endpoint, kind: HostKind) -> str:
    """The command that starts the engine behind `endpoint`."""
    if endpoint.kind == "rootless-docker":
        if kind.systemd:
            return "systemctl --user start docker"
        return f"{rootless_script('dockerd-rootless.sh')} &"
    if endpoint.kind == "podman":
        if kind.systemd:
            return "sudo systemctl start podman.socket"
        return "sudo podman system service --time=0 &"
    if endpoint.kind == "rootless-podman":
        if kind.systemd:
            return "systemctl --user start podman.socket"
        return "podman system service --time=0 &"
    return "sudo systemctl start docker" if kind.systemd else "sudo service docker start"


def install_fix(endpoint: Endpoint, kind: HostKind) -> str:
    """Install an engine and start it; a word on DOCKER_HOST or the context where one chose."""
    if kind.package_manager == "dnf":
        fix = _(
            "install Podman and start its Docker-compatible service: "
            "sudo dnf install podman && {start}"
        ).format(
            start="systemctl --user enable --now podman.socket"
            if kind.systemd
            else "podman system service --time=0 &"
        )
    elif kind.package_manager == "apt-get":
        # Installing docker.io starts it where systemd runs; elsewhere it must be started.
        install = "sudo apt-get install docker.io" + (
            "" if kind.systemd else " && sudo service docker start"
        )
        fix = _("install the Docker engine and start it: {command}").format(command=install)
    else:
        fix = _(
            "install the Docker engine or Podman from your distribution's packages, and start it"
        )
    return _elsewhere(fix, endpoint)


def start_fix(endpoint: Endpoint, kind: HostKind) -> str:
    """Start the engine."""
    return _elsewhere(
        _("start the engine: {command}").format(command=start_command(endpoint, kind)), endpoint
    )


def look_command(endpoint: Endpoint, kind: HostKind) -> str:
    """Where to look when the engine behind `endpoint` misbehaves."""
    if endpoint.kind in ("rootless-docker", "rootless-podman") and kind.systemd:
        unit = "docker" if endpoint.kind == "rootless-docker" else "podman.socket"
        return f"systemctl --user status {unit}"
    if endpoint.kind == "podman" and kind.systemd:
        return "sudo systemctl status podman.socket"
    if endpoint.kind == "docker" and kind.systemd:
        return "sudo systemctl status docker"
    return _("its log")


def check_fix(endpoint: Endpoint, kind: HostKind) -> str:
    """Look at the engine, then run the probe again."""
    if endpoint.named_by_user:
        return _(
            "check the engine at {address}, which {chooser} names, then run the probe again; "
            "or unset {variable} to use this machine's engine"
        ).format(address=endpoint.address, chooser=endpoint.found_by, variable=_chooser(endpoint))
    return _("check the engine ({command}), then run the probe again").format(
        command=look_command(endpoint, kind)
    )


def permission_fix(kind: HostKind) -> str:
    """Reach a root engine through its group, or run an engine of one's own, rootless."""
    group = _(
        "ask an administrator to add you to the 'docker' group (sudo usermod -aG docker $USER, "
        "then log in again; note that this group is equivalent to root)"
    )
    if kind.package_manager == "dnf":
        return _(
            "{group}, or use rootless Podman (sudo dnf install podman, then "
            "systemctl --user enable --now podman.socket)"
        ).format(group=group)
    setup = f"{rootless_script('dockerd-rootless-setuptool.sh')} install"
    if kind.package_manager == "apt-get":
        setup = _("sudo apt-get install rootlesskit uidmap slirp4netns, then {command}").format(
            command=setup
        )
    return _("{group}, or set up rootless Docker ({setup})").format(group=group, setup=setup)


def rootless_script(name: str) -> str:
    """A rootless Docker script by the path that runs it: on PATH, else Debian's folder."""
    if shutil.which(name):
        return name
    debian = DEBIAN_DOCKER_CONTRIB / name
    return str(debian) if debian.exists() else name


def _chooser(endpoint: Endpoint) -> str:
    """What the user changes to leave a named address: the variable, or the context."""
    if endpoint.found_by == "DOCKER_HOST":
        return "DOCKER_HOST"
    return _("DOCKER_CONTEXT, or run docker context use default,")


def _elsewhere(fix: str, endpoint: Endpoint) -> str:
    """A fix, plus a word on what chose the address when the user did."""
    if not endpoint.named_by_user:
        return fix
    return _("{fix}; or, as {chooser} points at {address}, point it at a running engine").format(
        fix=fix, chooser=endpoint.found_by, address=endpoint.address
    )
