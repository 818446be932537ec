"""The VM probe run's own folder: the guest's kernel and initramfs where QEMU can read them,
the serial console logs; removed, with the domain logs libvirt wrote, when the run ends."""

from __future__ import annotations

import shutil
from pathlib import Path

from advisor.base.files import make_private_dir
from advisor.base.i18n import _
from advisor.probes.cache_trust import copy_cached, copy_file, trusted_folder
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.guest_assets import GuestAssets
from advisor.probes.places import domain_log_dirs
from advisor.probes.vm_plan import VmPlan


def prepare_run_dir(plan: VmPlan, assets: GuestAssets) -> None:
    """Create the run's folder, holding the kernel and initramfs as the domain names them:
    copies QEMU's user may read under a privileged daemon, links to the cache otherwise.

    A copy holds exactly what the probe checked: the cached file, opened without following a
    link, is copied to a new file, and the copy must match the digest recorded in the cache."""
    try:
        if plan.stage_assets:
            plan.run_dir.parent.mkdir(mode=0o711, parents=True, exist_ok=True)
            plan.run_dir.mkdir(mode=0o711)
            plan.run_dir.chmod(0o711)
            for source, target, cached in (
                (assets.kernel, plan.kernel, assets.kernel_source.kind == "package"),
                (assets.initrd, plan.initrd, assets.initrd_built),
            ):
                _copy_checked(source, target, cached)
        else:
            trusted_folder(plan.run_dir.parent)
            make_private_dir(plan.run_dir)
            plan.kernel.symlink_to(assets.kernel)
            plan.initrd.symlink_to(assets.initrd)
    except OSError as error:
        raise ProbeUnavailable(
            _(
                "cannot prepare {folder} for the guest's files: this user may not write there"
            ).format(folder=plan.run_dir),
            _(
                "run the probe as root to use qemu:///system, or probe your own session with "
                "qemu:///session"
            ),
        ) from error


def _copy_checked(source: Path, target: Path, cached: bool) -> None:
    """Copy `source` for QEMU: from the cache only what the probe wrote there."""
    if not cached:
        copy_file(source, target, 0o644)  # the user's own file, or the host's in /boot
        return
    if not copy_cached(source, target, 0o644):
        raise ProbeUnavailable(
            _("{file} changed in the cache after the probe checked it").format(file=source),
            _(
                "run the probe again; should it happen again, remove the cache folder "
                "{folder} and run the probe again"
            ).format(folder=source.parent),
        )


def remove_run_files(plan: VmPlan) -> None:
    """Remove the run's folder and the domain logs of its guests."""
    shutil.rmtree(plan.run_dir, ignore_errors=True)
    for name in plan.boot_names():
        for log_dir in domain_log_dirs():
            # A log this user may not remove is swept by its owner's next run.
            try:
                (log_dir / f"{name}.log").unlink(missing_ok=True)
            except OSError:
                continue
