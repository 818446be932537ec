"""The libvirt connection's one total deadline: a daemon that answers slowly call after call
costs the block its deadline in all, not a fresh limit per call, and a cancel ends a call
that waits on the daemon. The real twin: tests/integration/faults/test_libvirt_stalls.py."""

from __future__ import annotations

import threading
import time

import pytest

from advisor.probes.control import CancelToken, ProbeCancelled
from advisor.probes.deadline import Deadline, DeadlineExceeded
from advisor.probes.libvirt_connection import LibvirtConnection

ANSWER_SECONDS = 0.3  # each of the stand-in daemon's answers
PER_CALL_SECONDS = 5.0  # far more than any one answer takes


class SlowConn:
    """A daemon that answers every call, each after ANSWER_SECONDS."""

    def __init__(self) -> None:
        self.calls = 0

    def getVersion(self) -> int:
        self.calls += 1
        time.sleep(ANSWER_SECONDS)
        return 7002000


class Binding:
    libvirtError = RuntimeError


def test_calls_that_each_answer_in_time_end_by_the_blocks_deadline_in_all() -> None:
    conn = SlowConn()
    connection = LibvirtConnection.of(Binding, conn, "qemu:///system", PER_CALL_SECONDS)
    began = time.monotonic()
    with connection.bounded(Deadline(1.0)), pytest.raises(DeadlineExceeded) as overran:
        for _ in range(20):
            connection.call(conn.getVersion, "getVersion")
    spent = time.monotonic() - began
    assert conn.calls < 20  # the deadline, not the calls running out, ended the block
    assert spent < 1.0 + ANSWER_SECONDS
    assert overran.value.reason == (
        "libvirt at qemu:///system did not answer within 1 s (getVersion)"
    )
    assert overran.value.fix is not None and "virsh -c qemu:///system version" in overran.value.fix
    # Outside the block, a call has its own limit again.
    assert connection.call(conn.getVersion, "getVersion") == 7002000


def test_a_cancel_ends_a_call_that_waits_on_the_daemon() -> None:
    release = threading.Event()
    connection = LibvirtConnection.of(Binding, object(), "qemu:///system", PER_CALL_SECONDS)
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    began = time.monotonic()
    with connection.bounded(Deadline(PER_CALL_SECONDS), cancel), pytest.raises(ProbeCancelled):
        connection.call(lambda: release.wait(PER_CALL_SECONDS), "getCapabilities")
    release.set()
    assert time.monotonic() - began < 0.3 + 1.0
