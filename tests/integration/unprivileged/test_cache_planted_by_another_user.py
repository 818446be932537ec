"""A cache another user can write to is never trusted by root's probe.

Root's XDG_CACHE_HOME points at a shared folder (sticky and world-writable, as /tmp is: the
README's fix for a full disk suggests moving the cache, and `sudo -E` keeps a user's
variable). The ordinary user plants, as themselves, an initramfs under its predictable name,
a link in the kernel cache to a file only root may read, or the cache folder itself as a
link to a folder of theirs; or root's own cache folder is writable by its group. Each time
the VM probe refuses the cache with the fix before anything is booted or copied: no domain,
nothing staged in libvirt's boot folder, nothing written through the link.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.probes.cpio import entries_digest
from advisor.probes.guest_assets import initramfs_entries, static_busybox
from advisor.probes.models import ProbeStatus
from advisor.probes.places import DEFAULT_STAGING_ROOT
from advisor.probes.report import ProbeReport
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import assert_one_sentence, owned_domains, owned_files
from tests.integration.unprivileged.workstation import WorkstationUser

pytestmark = pytest.mark.libvirt

PROBE = [sys.executable, "-m", "advisor", "probe", "--only", "vm", "--libvirt-uri", LIBVIRT_URI]
REFUSED_SECONDS = 20.0  # root's `probe --only vm`, refused before any boot, on a busy machine
ROOT_ONLY = b"root's secret, never to be copied"


@pytest.fixture
def shared_cache() -> Iterator[Path]:
    """A folder every user may create things in, as /tmp: sticky and world-writable."""
    folder = Path(tempfile.mkdtemp(prefix="dvm-shared-cache-"))
    folder.chmod(0o1777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def as_user(user: WorkstationUser, script: str) -> None:
    done, _ = user.run(["sh", "-ec", script])
    assert done.returncode == 0, done.stderr


def roots_probe(shared: Path, output: Path) -> tuple[ProbeReport, int]:
    """Root's `probe --only vm` with its cache in `shared`: the report and the probe's pid."""
    process = subprocess.Popen(
        [*PROBE, "--json", str(output)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "XDG_CACHE_HOME": str(shared)},
    )
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 0, stderr
    return ProbeReport.model_validate_json(output.read_text()), process.pid


def copies_of_the_secret() -> list[Path]:
    return [
        path
        for path in DEFAULT_STAGING_ROOT.rglob("*")
        if path.is_file()
        and path.stat().st_size == len(ROOT_ONLY)
        and path.read_bytes() == ROOT_ONLY
    ]


@pytest.mark.parametrize(
    "planted",
    ["an initramfs", "a link in the kernel cache", "the cache folder as a link", "group-writable"],
)
def test_a_cache_another_user_can_write_is_refused_never_booted_or_copied(
    workstation_user: WorkstationUser,
    libvirt_conn: object,
    shared_cache: Path,
    tmp_path: Path,
    planted: str,
) -> None:
    secret = tmp_path / "root-only"
    secret.write_bytes(ROOT_ONLY)
    secret.chmod(0o600)
    cache = shared_cache / "dvm-advisor"
    theirs = workstation_user.scratch()
    try:
        if planted == "an initramfs":
            name = f"initramfs-{entries_digest(initramfs_entries(static_busybox()))[:16]}.cpio.gz"
            folder = cache / "guest" / "initramfs"
            as_user(workstation_user, f"mkdir -p {folder} && echo planted > {folder}/{name}")
        elif planted == "a link in the kernel cache":
            folder = cache / "guest" / "kernels" / "0123456789abcdef"
            as_user(
                workstation_user,
                f"mkdir -p {folder} && ln -s {secret} {folder}/vmlinuz-6.1.0-99-cloud-amd64",
            )
        elif planted == "the cache folder as a link":
            as_user(workstation_user, f"ln -s {theirs} {cache}")
        else:
            (cache / "guest").mkdir(parents=True, mode=0o700)
            cache.chmod(0o770)
            os.chown(cache, 0, workstation_user.gid)

        report, pid = roots_probe(shared_cache, tmp_path / "report.json")

        vm = report.vm
        assert vm is not None and vm.status is ProbeStatus.UNAVAILABLE, vm
        assert_one_sentence(vm.reason, "cannot be trusted", str(cache))
        assert_one_sentence(vm.fix, "XDG_CACHE_HOME")
        assert vm.boot_seconds is None and vm.wall_seconds <= REFUSED_SECONDS
        # Nothing booted, nothing staged, nothing written where the user pointed.
        assert owned_domains(libvirt_conn, [pid]) == []
        assert owned_files([pid]) == []
        assert copies_of_the_secret() == []
        assert list(theirs.iterdir()) == []
    finally:
        shutil.rmtree(theirs, ignore_errors=True)
