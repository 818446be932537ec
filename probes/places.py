"""Where probe runs keep files: the app's cache, the system daemon's boot folder, and the
folders libvirt writes each domain's log to."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

# Under a privileged daemon QEMU runs as a user of its own, who reads boot files from here.
DEFAULT_STAGING_ROOT = Path("/var/lib/libvirt/boot")
SYSTEM_DOMAIN_LOG_DIR = Path("/var/log/libvirt/qemu")


def default_cache_dir() -> Path:
    """The per-user cache directory of the app."""
    return Path(platformdirs.user_cache_dir("dvm-advisor"))


def guest_cache_dir(cache_dir: Path) -> Path:
    """Where guest kernels and initramfs archives are kept inside the app's cache."""
    return cache_dir / "guest"


def domain_log_dirs() -> list[Path]:
    """Where libvirt writes each domain's QEMU log: the privileged daemon's, the session's.

    Which daemon serves a URI is not always in it (root's qemu:///session is the privileged
    one), and the probe's names are unique, so both places are cleaned.
    """
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [SYSTEM_DOMAIN_LOG_DIR, Path(cache_home) / "libvirt" / "qemu" / "log"]


def leftover_places(
    cache_dir: Path | None = None, staging_root: Path = DEFAULT_STAGING_ROOT
) -> list[Path]:
    """Every directory where a probe run leaves files named after it."""
    guest_dir = guest_cache_dir(cache_dir or default_cache_dir())
    return [guest_dir, guest_dir / "runs", staging_root, *domain_log_dirs()]
