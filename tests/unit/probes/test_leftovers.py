"""Leftovers of killed runs: one owner tag and one liveness test for containers, domains and
files; the sweep removes what dead runs left, spares live runs, and notes, without failing,
what this user may not remove. Domains on libvirt's test driver; the real twins are in
tests/integration/test_vm_probe.py and tests/integration/test_container_probe.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.probes.leftovers import (
    PROBE_NAME_PREFIX,
    SweptLeftovers,
    is_leftover,
    owner_alive,
    owner_pid,
    run_in_progress,
    run_name,
    sweep_libvirt,
    sweep_notes,
)
from advisor.probes.libvirt_connection import LibvirtConnection


def dead_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_names_carry_their_owner_and_only_dead_owners_make_leftovers() -> None:
    dead = dead_pid()
    assert owner_pid(run_name(4242, "cafe0001") + "-kvm-trial") == 4242
    assert owner_pid(run_name(4242, "cafe0001") + "-tcg.log") == 4242
    assert owner_pid(f"{PROBE_NAME_PREFIX}smoke") is None
    assert owner_pid("someone-elses-vm") is None
    assert run_name().startswith(f"{PROBE_NAME_PREFIX}{os.getpid()}-")
    assert is_leftover(run_name(dead))
    assert is_leftover(run_name())  # this process's, of a run that has ended
    with run_in_progress() as name:
        assert not is_leftover(f"{name}-tcg") and is_leftover(run_name())
    assert not is_leftover(run_name(1))  # pid 1 runs
    assert not is_leftover("unrelated") and is_leftover(f"{PROBE_NAME_PREFIX}smoke")
    assert owner_alive(dead, host="another-host")  # that host's to judge


def test_sweep_removes_only_what_dead_runs_left(tmp_path: Path) -> None:
    libvirt = pytest.importorskip("libvirt")
    conn = libvirt.open("test:///default")
    dead_name = run_name(dead_pid(), "dead")
    live_name = run_name(1, "live")  # pid 1 runs: a live run of another process
    domain_xml = (
        "<domain type='test'><name>{}</name><memory>8192</memory><os><type>hvm</type></os></domain>"
    )
    try:
        conn.createXML(domain_xml.format(f"{dead_name}-tcg"), 0)
        conn.defineXML(domain_xml.format(f"{dead_name}-kvm"))
        conn.createXML(domain_xml.format(f"{live_name}-tcg"), 0)
        for entry in (f"{dead_name}", f"{live_name}", "unrelated"):
            (tmp_path / entry).mkdir()
        (tmp_path / f"{dead_name}-tcg.log").write_text("log")
        connection = LibvirtConnection.of(libvirt, conn, "test:///default", timeout=10)

        swept = sweep_libvirt(connection, [tmp_path, tmp_path / "absent"])

        names = {str(domain.name()) for domain in conn.listAllDomains(0)}
        assert sorted(swept.domains) == [f"{dead_name}-kvm", f"{dead_name}-tcg"]
        assert f"{live_name}-tcg" in names and "test" in names
        assert not any(name.startswith(dead_name) for name in names)
        assert sorted(Path(path).name for path in swept.paths) == [
            dead_name,
            f"{dead_name}-tcg.log",
        ]
        assert swept.skipped == []
        assert sorted(entry.name for entry in tmp_path.iterdir()) == [live_name, "unrelated"]
        assert sweep_notes(swept) == [
            "removed leftovers of an earlier run: 2 domain(s), 2 file(s) or folder(s)"
        ]
    finally:
        for domain in conn.listAllDomains(0):
            if str(domain.name()).startswith(PROBE_NAME_PREFIX):
                if domain.isPersistent():
                    domain.undefine()
                if domain.isActive():
                    domain.destroy()
        conn.close()


def test_what_this_user_may_not_remove_is_left_and_noted_never_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    libvirt = pytest.importorskip("libvirt")
    dead = run_name(dead_pid(), "root")
    theirs = tmp_path / f"{dead}-kvm-trial.log"
    theirs.write_text("another user's log")
    (tmp_path / f"{dead}-tcg.log").write_text("a log this user may remove")
    real_unlink = Path.unlink

    def refusing_unlink(path: Path, missing_ok: bool = False) -> None:
        # As for a file in a folder of root's, which a workstation user cannot write.
        if path == theirs:
            raise PermissionError(13, "Permission denied", str(path))
        real_unlink(path, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refusing_unlink)
    conn = libvirt.open("test:///default")
    try:
        swept = sweep_libvirt(
            LibvirtConnection.of(libvirt, conn, "test:///default", 10), [tmp_path]
        )
    finally:
        conn.close()

    assert swept.skipped == [str(theirs)] and theirs.exists()
    assert [Path(path).name for path in swept.paths] == [f"{dead}-tcg.log"]
    removed, left = sweep_notes(swept)
    assert removed == "removed leftovers of an earlier run: 1 file(s) or folder(s)"
    assert left.startswith("left 1 leftover(s) of an earlier run in place because this user")
    assert "Errno" not in left and "PermissionError" not in left


def test_a_sweep_that_found_nothing_says_nothing() -> None:
    assert sweep_notes(SweptLeftovers()) == []
