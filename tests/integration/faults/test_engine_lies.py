"""Engines that lie or stall, on sockets of the test's own (fake_engines.py): one that drips
a byte a second, one whose reply never ends, garbage bytes, a broken status line, replies of
the wrong types, and DOCKER_HOST values that are no address. Each gives the container probe
one sentence with a fix within `--timeout` plus a margin and under a memory cap, the VM probe
still runs, `--only vm` never touches the engine, and SIGTERM during a stalled read ends the
command at once.

Most runs are `--only container`: the VM adds nothing to how the engine is read, and one
test shows it beside a stalled and a lying engine."""

from __future__ import annotations

import importlib.util
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from advisor.probes.models import ProbeStatus
from advisor.probes.report import ProbeReport
from tests.integration.conftest import LIBVIRT_URI
from tests.integration.faults.checks import assert_one_sentence, assert_plain_words
from tests.integration.faults.fake_engines import (
    BEHAVIOURS,
    dripping_handshake,
    fake_engine,
    tls_fake_engine,
)
from tests.integration.faults.test_cancel_and_kill import wait_for_line

PROBE = [sys.executable, "-m", "advisor", "probe", "--libvirt-uri", LIBVIRT_URI]
TIMEOUT_SECONDS = 3.0
# The command's own start-up (about 1.5 s on a busy 2-core machine) and the last slice of a
# wait for the engine (0.2 s).
MARGIN_SECONDS = 6.0
MEMORY_CAP_MIB = 200  # the whole command's peak resident memory; an idle probe takes ~60 MiB
SIGTERM_SECONDS = 5.0  # from SIGTERM during a stalled read to the command's end
HOST_FACTS_SECONDS = 10.0  # the host facts' own limit on reading the engine


# The command runs under a small launcher that reports its children's peak memory. Measured
# from pytest itself, the peak would include pytest's own: a forked child keeps its parent's
# high-water mark through exec, and after a few hundred tests pytest holds more than the cap.
LAUNCHER = """
import pathlib, resource, subprocess, sys
status = subprocess.call(sys.argv[2:])
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
pathlib.Path(sys.argv[1]).write_text(str(peak))
sys.exit(status if status >= 0 else 128 - status)
"""


def probe(
    tmp_path: Path, docker_host: str, *arguments: str, environment: dict[str, str] | None = None
) -> tuple[ProbeReport, float, float, str]:
    """Run `dvm-advisor probe` (with `environment` added to its own): its report, wall time,
    peak memory (MiB) and standard error."""
    output = tmp_path / "report.json"
    peak_file = tmp_path / "peak-kib"
    began = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(peak_file), *PROBE, *arguments, "--json", str(output)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "DOCKER_HOST": docker_host, **(environment or {})},
        check=False,
    )
    seconds = time.monotonic() - began
    stderr = process.stderr
    assert process.returncode == 0, stderr
    assert "Traceback" not in stderr, stderr
    report = ProbeReport.model_validate_json(output.read_text())
    assert_plain_words(report)
    return report, seconds, int(peak_file.read_text()) / 1024, stderr


def assert_engine_refused(report: ProbeReport, where: str) -> None:
    container = report.container
    assert container is not None and container.status is ProbeStatus.UNAVAILABLE, container
    assert_one_sentence(container.reason, where)
    assert_one_sentence(container.fix, "DOCKER_HOST")
    assert "systemctl" not in container.fix  # the engine is not this machine's service
    assert report.host.docker.answers is False
    assert report.host.docker.root_equivalent is None  # nothing says it is a rootful engine


@pytest.mark.parametrize("behaviour", BEHAVIOURS)
def test_an_engine_that_stalls_or_lies_is_bounded_in_time_and_memory(
    short_dir: Path, tmp_path: Path, behaviour: str
) -> None:
    with fake_engine(short_dir, behaviour) as engine:
        report, seconds, memory_mib, _ = probe(
            tmp_path,
            engine.docker_host,
            "--only",
            "container",
            "--timeout",
            f"{TIMEOUT_SECONDS:g}",
        )
    assert_engine_refused(report, str(engine.server_address))
    assert seconds <= TIMEOUT_SECONDS + MARGIN_SECONDS
    assert memory_mib <= MEMORY_CAP_MIB
    container = report.container
    assert container is not None and container.reason is not None
    expected = {
        "drip": "did not answer within",
        "endless": "sent a reply larger than the probe reads",
    }.get(behaviour, "answered something that is not the Docker API")
    assert expected in container.reason


@pytest.mark.parametrize("behaviour", ["drip", "endless", "lying types"])
def test_an_engine_over_tls_is_bounded_as_the_local_socket_is(
    short_dir: Path, tmp_path: Path, behaviour: str
) -> None:
    with tls_fake_engine(short_dir, behaviour) as engine:
        arguments = ("--only", "container", "--timeout", f"{TIMEOUT_SECONDS:g}")
        report, seconds, memory_mib, _ = probe(
            tmp_path, engine.docker_host, *arguments, environment=engine.environment
        )
    assert engine.connections >= 1  # the TLS handshake was done: the engine was reached
    assert_engine_refused(report, engine.docker_host)
    assert seconds <= TIMEOUT_SECONDS + MARGIN_SECONDS
    assert memory_mib <= MEMORY_CAP_MIB
    container = report.container
    assert container is not None and container.reason is not None
    expected = {
        "drip": f"did not answer within {TIMEOUT_SECONDS:g} s",
        "endless": "sent a reply larger than the probe reads",
    }.get(behaviour, "answered something that is not the Docker API")
    assert expected in container.reason


def test_a_tls_handshake_that_drips_ends_by_the_deadline(short_dir: Path, tmp_path: Path) -> None:
    with tls_fake_engine(short_dir, "lying types") as engine, dripping_handshake(engine) as host:
        arguments = ("--only", "container", "--timeout", f"{TIMEOUT_SECONDS:g}")
        environment = {**engine.environment, "DOCKER_HOST": host}
        report, seconds, _, _ = probe(tmp_path, host, *arguments, environment=environment)
    assert_engine_refused(report, host)
    assert report.container is not None and report.container.reason is not None
    assert f"did not answer within {TIMEOUT_SECONDS:g} s" in report.container.reason
    assert seconds <= TIMEOUT_SECONDS + MARGIN_SECONDS


def test_an_engine_over_ssh_without_the_sdks_ssh_support_is_one_sentence_with_the_fix(
    tmp_path: Path,
) -> None:
    if importlib.util.find_spec("paramiko") is not None:
        pytest.skip("the Docker SDK's SSH support is installed here")
    # The loopback sshd scripts/provision-host starts; the SDK refuses before connecting.
    address = "ssh://root@127.0.0.1:22022"
    report, seconds, _, _ = probe(tmp_path, address, "--only", "container", "--timeout", "3")
    assert_engine_refused(report, f"the engine at {address} (DOCKER_HOST) is reached over SSH")
    assert report.container is not None
    assert_one_sentence(report.container.fix, "ssh -nNT -L", "DOCKER_HOST=unix://")
    assert seconds <= TIMEOUT_SECONDS + MARGIN_SECONDS


def test_a_later_reply_of_the_wrong_shape_is_named_as_not_the_docker_api(
    short_dir: Path, tmp_path: Path
) -> None:
    with fake_engine(short_dir, "lying later") as engine:
        arguments = ("--only", "container", "--timeout", f"{TIMEOUT_SECONDS:g}")
        report, seconds, _, _ = probe(tmp_path, engine.docker_host, *arguments)
    assert report.host.docker.answers is True  # version and info were the API's
    container = report.container
    assert container is not None and container.status is ProbeStatus.FAILED, container
    assert_one_sentence(
        container.reason, str(engine.server_address), "not the Docker API (GET /containers/json)"
    )
    assert_one_sentence(container.fix, "DOCKER_HOST")
    assert "fault of its own" not in container.reason
    assert seconds <= TIMEOUT_SECONDS + MARGIN_SECONDS


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:99999", "http://[::1"])
def test_a_docker_host_that_is_no_address_is_one_sentence_with_the_fix(
    tmp_path: Path, address: str
) -> None:
    report, seconds, _, _ = probe(tmp_path, address, "--only", "container", "--timeout", "3")
    assert_engine_refused(report, f"DOCKER_HOST={address} is not an address")
    assert seconds <= TIMEOUT_SECONDS + MARGIN_SECONDS


@pytest.mark.libvirt
def test_the_vm_probe_runs_beside_an_engine_that_drips(short_dir: Path, tmp_path: Path) -> None:
    with fake_engine(short_dir, "drip") as engine:
        arguments = ("--runs", "1", "--timeout", "30")
        report, seconds, _, _ = probe(tmp_path, engine.docker_host, *arguments)
    assert_engine_refused(report, str(engine.server_address))
    assert report.vm is not None and report.vm.status is ProbeStatus.OK, report.vm
    # The engine cost the run no more than the host facts' limit on reading it.
    assert seconds - report.vm.wall_seconds <= HOST_FACTS_SECONDS + MARGIN_SECONDS


@pytest.mark.parametrize("behaviour", ["drip", "lying types"])
def test_only_vm_never_touches_the_engine(short_dir: Path, tmp_path: Path, behaviour: str) -> None:
    with fake_engine(short_dir, behaviour) as engine:
        # A libvirt URI no driver serves: the VM probe answers at once, no boot needed here.
        report, _, _, _ = probe(
            tmp_path, engine.docker_host, "--only", "vm", "--libvirt-uri", "bogus:///x"
        )
    assert engine.connections == 0
    assert report.container is None and report.host.docker.asked is False
    assert report.vm is not None and report.vm.status is ProbeStatus.UNAVAILABLE


def test_sigterm_during_a_stalled_read_ends_the_command_promptly(short_dir: Path) -> None:
    with fake_engine(short_dir, "drip") as engine:
        process = subprocess.Popen(
            [*PROBE, "--only", "container", "--timeout", "60"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "DOCKER_HOST": engine.docker_host},
        )
        try:
            wait_for_line(process.stderr, "read host facts")
            time.sleep(1.5)  # the engine has begun to drip its answer
            assert engine.connections >= 1
            sent = time.monotonic()
            process.send_signal(signal.SIGTERM)
            process.wait(SIGTERM_SECONDS + 30)
            ended = time.monotonic() - sent
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(30)
    assert process.returncode == 128 + signal.SIGTERM
    assert ended <= SIGTERM_SECONDS
