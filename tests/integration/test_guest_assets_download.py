"""The guest kernel from the distribution's package, for real: resolved by apt, downloaded,
checked and unpacked into an empty cache, with nothing else left there."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from advisor.probes.cache_trust import digest_path, read_cached
from advisor.probes.guest_assets import UNCOMPRESSED_FOLDER, prepare_guest_assets
from advisor.probes.kernel_image import has_pvh_entry
from advisor.probes.kernel_package import DEBIAN_KERNEL_METAPACKAGE, is_bzimage
from advisor.probes.leftovers import PROBE_NAME_PREFIX


@pytest.mark.skipif(shutil.which("apt-get") is None, reason="not a Debian-like host")
def test_a_kernel_is_fetched_from_the_distribution_package_into_an_empty_cache(
    tmp_path: Path,
) -> None:
    steps: list[str] = []

    assets = prepare_guest_assets(tmp_path, note=steps.append)

    source = assets.kernel_source
    assert source.kind == "package", steps
    assert source.package and source.package.startswith("linux-image-") and source.version
    assert is_bzimage(source.path)
    assert source.path.is_relative_to(tmp_path / "guest" / "kernels")
    # What boots is the same kernel unpacked, which QEMU enters directly (Debian's has PVH).
    assert assets.kernel.is_relative_to(tmp_path / "guest" / UNCOMPRESSED_FOLDER)
    with assets.kernel.open("rb") as elf:
        assert has_pvh_entry(elf)
    for path in (source.path, assets.kernel):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert any(DEBIAN_KERNEL_METAPACKAGE in step for step in steps)
    assert assets.disk_bytes == assets.kernel.stat().st_size + assets.initrd.stat().st_size
    # Only the kernel was kept: no package, no unpacked modules, no download directory.
    kept = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    assert not any(PROBE_NAME_PREFIX in path or path.endswith(".deb") for path in kept)
    # Its folder, itself, and the digest recorded once it matched the package's own checksum.
    assert sorted((tmp_path / "guest" / "kernels").rglob("*")) == sorted(
        [source.path.parent, source.path, digest_path(source.path)]
    )
    for kept_file in (source.path, assets.kernel):
        assert read_cached(kept_file) == kept_file.read_bytes()
