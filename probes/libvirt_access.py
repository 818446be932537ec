"""Reaching libvirt, and saying in one sentence why it could not be reached.

The host facts and the VM probe both connect to libvirt; a fault gives the same reason and
fix in both places, so the report never contradicts itself.
"""

from __future__ import annotations

import grp
import os
import urllib.parse
from typing import Any

from advisor.base.i18n import N_, _

LIBVIRT_BINDING_FIX = N_(
    "install the libvirt Python binding: pip install libvirt-python "
    "(it builds against libvirt-dev and pkg-config)"
)
LIBVIRT_INSTALL_FIX = N_(
    "install and start libvirt with QEMU: sudo apt-get install libvirt-daemon-system "
    "qemu-system-x86 && sudo systemctl start libvirtd"
)
LIBVIRT_START_FIX = N_(
    "start the libvirt daemon: sudo systemctl start libvirtd "
    "(or `libvirtd -d` where systemd does not run)"
)
LIBVIRT_SESSION_FIX = N_(
    "start your own session daemon as this user (libvirtd --daemon), or use qemu:///session "
    "with no socket named, which libvirt starts by itself at the first connection"
)
LIBVIRT_CHECK_FIX = N_("check the daemon: sudo systemctl status libvirtd")
KNOWN_URIS_FIX = N_("use qemu:///system (as root) or qemu:///session (as a user)")
LIBVIRT_GROUP = "libvirt"
SESSION_FIX = N_("or use your own session: qemu:///session")
# QEMU's URI paths; anything else is refused by its driver.
QEMU_PATHS = ("/system", "/session", "/embed")


def unanswered_fix(uri: str) -> str:
    """What to do when libvirt at `uri` answered too slowly, or not at all, for the probe."""
    return _(
        "check that libvirt at {uri} answers promptly (virsh -c {uri} version; a daemon that "
        "is stopped, overloaded or probing QEMU again answers slowly), then run the probe again"
    ).format(uri=uri)


def import_libvirt() -> Any:
    """The libvirt binding, with its default error handler (which prints) silenced.

    Raises ImportError when the binding is not installed.
    """
    import libvirt

    libvirt.registerErrorHandler(lambda _context, _error: None, None)
    return libvirt


def explain_import_error(error: ImportError) -> tuple[str, str]:
    """A reason and a fix for a libvirt binding that could not be imported.

    A self-contained build carries the binding but links the host's libvirt library, so the
    library can be missing while the binding is there.
    """
    if "libvirt.so" in str(error):
        return (
            _("the libvirt library (libvirt.so.0) is not installed on this host"),
            _("install it: sudo apt-get install libvirt0"),
        )
    return _("the libvirt Python binding is not installed"), _(LIBVIRT_BINDING_FIX)


def is_system_uri(uri: str) -> bool:
    """Whether `uri` names the privileged daemon, which runs QEMU as a user of its own."""
    return urllib.parse.urlsplit(uri).path.rstrip("/") == "/system"


def is_session_uri(uri: str) -> bool:
    """Whether `uri` names the user's own session daemon, which runs QEMU as the user."""
    return urllib.parse.urlsplit(uri).path.rstrip("/") == "/session"


def is_qemu_uri(uri: str) -> bool:
    """Whether `uri` names a daemon's QEMU driver by a path that driver serves."""
    parts = urllib.parse.urlsplit(uri)
    return parts.scheme.split("+", 1)[0] == "qemu" and parts.path.rstrip("/") in QEMU_PATHS


def is_local_uri(uri: str) -> bool:
    """Whether `uri` names a daemon on this machine (no host part)."""
    return not urllib.parse.urlsplit(uri).hostname


def explain_connection_error(error: BaseException, uri: str) -> tuple[str, str]:
    """A reason and a fix for a libvirt connection that failed, in words of this app's own."""
    getter = getattr(error, "get_error_message", None)
    message = str((getter() if callable(getter) else None) or error)
    if "no connection driver available" in message:
        reason = _(
            "libvirt at {uri} does not answer: it has no connection driver for that URI"
        ).format(uri=uri)
        scheme = urllib.parse.urlsplit(uri).scheme.split("+", 1)[0]
        if scheme != "qemu":
            return reason, _("the URI names no hypervisor driver installed here: {fix}").format(
                fix=_(KNOWN_URIS_FIX)
            )
        return reason, _(
            "install libvirt's QEMU driver (sudo apt-get install libvirt-daemon-driver-qemu), "
            "then restart libvirtd"
        )
    if "unexpected qemu URI path" in message:
        return _("libvirt at {uri} does not answer: QEMU has no such URI path").format(uri=uri), _(
            KNOWN_URIS_FIX
        )
    if "system bus" in message:
        return _explain_polkit_unreachable(uri)
    if "ermission denied" in message or "uthentication" in message:
        return _("libvirt at {uri} does not answer: it refuses this user").format(uri=uri), _(
            "add your user to the '{group}' group (sudo usermod -aG {group} $USER, then log in "
            "again), {session}"
        ).format(group=LIBVIRT_GROUP, session=_(SESSION_FIX))
    if not is_local_uri(uri):
        # Nothing to install or start here: the daemon is on another machine.
        host = urllib.parse.urlsplit(uri).hostname
        return _("libvirt at {uri} does not answer: {host} did not take the connection").format(
            uri=uri, host=host
        ), _(
            "check that {host} can be reached and that its libvirtd accepts remote "
            "connections (its TCP or TLS listener), or reach it over SSH: qemu+ssh://{host}/system"
        ).format(host=host)
    if "Failed to connect socket" in message or "No such file" in message:
        return (
            _("libvirt at {uri} does not answer: no daemon listens on its socket").format(uri=uri),
            _(LIBVIRT_SESSION_FIX if is_session_uri(uri) else LIBVIRT_START_FIX),
        )
    return _("libvirt at {uri} does not answer").format(uri=uri), _(LIBVIRT_INSTALL_FIX)


def _explain_polkit_unreachable(uri: str) -> tuple[str, str]:
    """libvirt's client sends every URI but a session one to the system daemon, which asks
    polkit over the system D-Bus whether a user other than root may connect."""
    if not is_qemu_uri(uri):
        # Where root would hear that no driver serves the URI, the user never gets that far.
        return (
            _(
                "libvirt at {uri} does not answer: it is none of QEMU's URIs, and libvirt sends "
                "it to the system daemon, which this user may not use here"
            ).format(uri=uri),
            _(KNOWN_URIS_FIX),
        )
    reason = _(
        "libvirt at {uri} does not answer this user: its system daemon lets a user other than "
        "root in only when polkit agrees, and polkit cannot be asked because no system D-Bus "
        "runs here"
    ).format(uri=uri)
    if not in_group(LIBVIRT_GROUP):
        return reason, _(
            "add your user to the '{group}' group (sudo usermod -aG {group} $USER, then log in "
            "again) and start the system D-Bus, {session}"
        ).format(group=LIBVIRT_GROUP, session=_(SESSION_FIX))
    return reason, _(
        "start the system D-Bus (sudo systemctl start dbus), through which polkit lets the "
        "'{group}' group in, {session}"
    ).format(group=LIBVIRT_GROUP, session=_(SESSION_FIX))


def in_group(name: str) -> bool:
    """Whether this process has the group `name` (none of that name: no)."""
    try:
        gid = grp.getgrnam(name).gr_gid
    except KeyError:
        return False
    return gid in os.getgroups() or gid == os.getegid()
