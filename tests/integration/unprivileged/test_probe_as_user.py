"""The ordinary workstation user's path, for real: `dvm-advisor probe` and `report
--run-probes` from the user's own venv, reaching root's dockerd through the docker group and
libvirt through the user's qemu:///session; also right after a root run was killed during a
VM boot and left its files where the user cannot remove them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from advisor.probes.leftovers import sweep_libvirt
from advisor.probes.libvirt_access import import_libvirt
from advisor.probes.libvirt_connection import LibvirtConnection
from advisor.probes.places import SYSTEM_DOMAIN_LOG_DIR
from advisor.probes.report import load_probe_report
from advisor.report import ReportDocument
from tests.integration.faults.checks import (
    EXAMPLE_ANSWERS,
    assert_one_sentence,
    assert_plain_words,
    owned_domains,
    owned_files,
    owned_qemu,
    sample_images,
)
from tests.integration.faults.test_cancel_and_kill import wait_until
from tests.integration.unprivileged.checks import (
    assert_both_probes_ok,
    assert_user_left_nothing,
    kill_during_boot,
    probe_as,
)
from tests.integration.unprivileged.workstation import WorkstationUser

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

KILLED_GUEST_GONE_SECONDS = 30.0


def test_the_users_probe_starts_its_session_daemon_runs_both_probes_and_leaves_nothing(
    fresh_login: WorkstationUser, user_folder: Path, docker_client: Any, libvirt_conn: Any
) -> None:
    images_before = sample_images(docker_client)
    assert fresh_login.session_daemons() == []  # libvirt is not running for this login yet
    out = user_folder / "probe.json"

    done, pid = fresh_login.run(
        [fresh_login.program("dvm-advisor"), "probe", "--runs", "1", "--json", str(out)]
    )

    assert done.returncode == 0, done.stderr
    assert f"report written to {out}" in done.stdout
    report = load_probe_report(out)
    assert_both_probes_ok(report)
    assert_plain_words(report)
    assert fresh_login.session_daemons(), "the probe did not start the user's session daemon"
    assert_user_left_nothing(fresh_login, docker_client, libvirt_conn, [pid], images_before)


def test_the_users_report_runs_the_probes_and_writes_the_pdf_in_the_users_folder(
    workstation_user: WorkstationUser, user_folder: Path, docker_client: Any, libvirt_conn: Any
) -> None:
    images_before = sample_images(docker_client)
    answers = workstation_user.give(EXAMPLE_ANSWERS, user_folder)
    pdf, content = user_folder / "report.pdf", user_folder / "report.json"
    command = [workstation_user.program("dvm-advisor"), "report", "--answers", str(answers)]

    done, pid = workstation_user.run(
        [*command, "--run-probes", "--pdf", str(pdf), "--json", str(content)]
    )

    assert done.returncode == 0, done.stderr
    assert f"PDF report written to {pdf}" in done.stdout
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert pdf.stat().st_uid == workstation_user.uid
    document = ReportDocument.model_validate_json(content.read_text())
    assert document.probe is not None
    # A startup figure for each kind means each probe measured its start.
    assert [figure.kind for figure in document.startup] == ["container", "vm"]
    assert "[container]" in done.stderr and "[vm]" in done.stderr
    assert_user_left_nothing(workstation_user, docker_client, libvirt_conn, [pid], images_before)


def kill_a_root_probe_during_its_boot(libvirt_conn: Any) -> int:
    """A probe run by root through the system daemon, as `sudo dvm-advisor probe` would be,
    killed while QEMU boots its guest; once libvirt has destroyed the guest (auto-destroy),
    the pid the killed run's files are named after."""
    probe = subprocess.Popen(
        [sys.executable, "-m", "advisor", "probe", "--only", "vm", "--runs", "1"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    pid = kill_during_boot(probe)
    wait_until(
        lambda: not owned_domains(libvirt_conn, [pid]) and not owned_qemu([pid], 0),
        KILLED_GUEST_GONE_SECONDS,
        "libvirt destroyed the killed root probe's guest",
    )
    return pid


# Root probes of other test runs on the same machine sweep a killed root run's files too; the
# user cannot remove them, so files gone unnamed were taken by such a run, and the scenario is
# played again. Alone on a machine (CI), the first attempt is the only one.
ATTEMPTS_BESIDE_OTHER_RUNS = 3


def test_after_a_root_run_killed_mid_boot_the_users_probe_runs_and_names_what_it_left(
    workstation_user: WorkstationUser, docker_client: Any, libvirt_conn: Any
) -> None:
    images_before = sample_images(docker_client)
    for _ in range(ATTEMPTS_BESIDE_OTHER_RUNS):
        root_pid = kill_a_root_probe_during_its_boot(libvirt_conn)
        # What the user's sweep sees and may not remove: root's domain logs, in root's folder.
        root_logs = [
            path for path in owned_files([root_pid]) if Path(path).parent == SYSTEM_DOMAIN_LOG_DIR
        ]

        report, pid = probe_as(workstation_user, "--runs", "1")

        assert_both_probes_ok(report)
        assert_plain_words(report)
        assert_user_left_nothing(
            workstation_user, docker_client, libvirt_conn, [pid], images_before
        )
        assert report.vm is not None
        left_in_place = [note for note in report.vm.notes if "may not remove" in note]
        named = [path for path in root_logs if any(path in note for note in left_in_place)]
        if root_logs and named == root_logs:
            break
        assert all(not Path(path).exists() for path in root_logs if path not in named), (
            f"the user's probe neither named nor removed {root_logs}: {report.vm.notes}"
        )
    else:
        pytest.fail("other root probes swept the killed run's files first, every time")
    assert len(left_in_place) == 1, report.vm.notes
    assert_one_sentence(left_in_place[0], "earlier run", *root_logs)

    # Root's next start takes what its killed run left; then nothing of either remains.
    sweep_libvirt(LibvirtConnection.of(import_libvirt(), libvirt_conn, "qemu:///system", 30))
    assert owned_files([root_pid]) == []
    assert owned_domains(libvirt_conn, [root_pid]) == []
