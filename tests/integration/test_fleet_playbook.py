"""The fleet playbook (packaging/ansible/), run for real by ansible-playbook: two hosts probed
and both reports fetched, compared on the command line and in the app, then removed.

The two hosts are this machine reached two ways: through Ansible's local connection as the
user running the tests, and through real SSH to 127.0.0.1 as the ordinary workstation user
(the loopback-only daemon `scripts/provision-host test` starts, a key made here). Both
probes are of the container only, one run each: two full VM probes under TCG on one machine
would take minutes and measure nothing the other tests do not.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from advisor.probes.report import load_probe_report
from tests.integration.conftest import SETUP_HINT, TEST_USER_NAME, daemon_missing, ordinary_user
from tests.integration.unprivileged.workstation import WorkstationUser

REPOSITORY = Path(__file__).parents[2]
PLAYBOOK = REPOSITORY / "packaging" / "ansible" / "probe-fleet.yml"
SSH_PORT = int(os.environ.get("DVM_ADVISOR_TEST_SSH_PORT", "22022"))
SSH_USER = TEST_USER_NAME
HOST_KEY = Path("/etc/ssh/ssh_host_ed25519_key.pub")
KEY_FILE_NAME = "dvm-advisor-test-keys"  # the daemon's AuthorizedKeysFile
PROBE_ARGS = ["--only", "container", "--runs", "1"]
PLAYBOOK_TIMEOUT = 900


def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=PLAYBOOK_TIMEOUT, **options
    )  # type: ignore[call-overload, no-any-return]


@pytest.fixture(scope="module")
def shared() -> Iterator[Path]:
    """A folder both accounts can read: the wheel and the wheels it needs, for hosts that
    install with no index (as a fleet behind a firewall does)."""
    folder = Path(tempfile.mkdtemp(prefix="dvm-advisor-fleet-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def wheels(shared: Path) -> tuple[Path, Path]:
    """The wheel of this checkout, and a folder with it and every wheel it depends on."""
    house = shared / "wheels"
    built = run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(house), "."],
        cwd=REPOSITORY,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = house.glob("dvm_advisor-*.whl")
    deps = run([sys.executable, "-m", "pip", "wheel", "-q", "-w", str(house), str(wheel)])
    assert deps.returncode == 0, deps.stderr[-2000:]
    for path in (house, *house.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return wheel, house


@pytest.fixture
def ssh_login(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A key made for this test, accepted for the ordinary user by the loopback daemon, and a
    known-hosts file holding the daemon's own key: (private key, known hosts)."""
    entry = ordinary_user("giving the ordinary user a key for the loopback SSH daemon needs root")
    if run(["bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{SSH_PORT}"]).returncode != 0:
        daemon_missing(f"no SSH daemon answers on 127.0.0.1:{SSH_PORT}: {SETUP_HINT}")
    key = tmp_path / "key"
    made = run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "dvm-advisor-test", "-f", str(key)]
    )
    assert made.returncode == 0, made.stderr
    known_hosts = tmp_path / "known_hosts"
    known_hosts.write_text(f"[127.0.0.1]:{SSH_PORT} {HOST_KEY.read_text().strip()}\n")
    ssh_folder = Path(entry.pw_dir) / ".ssh"
    made_folder = not ssh_folder.exists()
    ssh_folder.mkdir(mode=0o700, exist_ok=True)
    os.chown(ssh_folder, entry.pw_uid, entry.pw_gid)
    accepted = ssh_folder / KEY_FILE_NAME
    accepted.write_text((tmp_path / "key.pub").read_text())
    accepted.chmod(0o600)
    os.chown(accepted, entry.pw_uid, entry.pw_gid)
    try:
        yield key, known_hosts
    finally:
        accepted.unlink(missing_ok=True)
        if made_folder:
            shutil.rmtree(ssh_folder, ignore_errors=True)


@pytest.fixture
def login() -> Iterator[WorkstationUser]:
    """A login of the ordinary user for the probe over SSH: a runtime folder of its own, so
    that the libvirt session daemon its host facts start is ended when the test ends."""
    entry = pwd.getpwnam(SSH_USER)
    account = WorkstationUser(SSH_USER, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir), Path())
    with account.new_login() as user:
        yield user


def inventory(
    tmp_path: Path, key: Path, known_hosts: Path, local_home: Path, runtime: Path
) -> Path:
    """Two hosts, this machine twice: through the local connection and through SSH."""
    ssh_options = f"-o UserKnownHostsFile={known_hosts} -o StrictHostKeyChecking=yes"
    hosts = {
        "this-machine": {"ansible_connection": "local", "dvm_advisor_home": str(local_home)},
        "loopback": {
            "ansible_host": "127.0.0.1",
            "ansible_port": SSH_PORT,
            "ansible_user": SSH_USER,
            "ansible_ssh_private_key_file": str(key),
            "ansible_ssh_common_args": ssh_options,
            "dvm_advisor_probe_environment": {"XDG_RUNTIME_DIR": str(runtime)},
        },
    }
    path = tmp_path / "inventory.yml"  # JSON is YAML too
    fleet = {"hosts": hosts, "vars": {"ansible_python_interpreter": "/usr/bin/python3"}}
    path.write_text(json.dumps({"fleet": fleet}))
    return path


def playbook(tmp_path: Path, hosts: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    program = Path(sys.executable).with_name("ansible-playbook")
    if not program.exists():
        daemon_missing("ansible-playbook is not installed: pip install -e '.[test]'")
    env = {
        **os.environ,
        "ANSIBLE_HOME": str(tmp_path / "ansible-home"),
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_STDOUT_CALLBACK": "default",
        # No SSH master connection left running after the playbook ends.
        "ANSIBLE_SSH_ARGS": "-o ControlMaster=no",
    }
    return run([str(program), "-i", str(hosts), str(PLAYBOOK), *extra], env=env)


@pytest.mark.docker
@pytest.mark.timeout(PLAYBOOK_TIMEOUT * 2)
def test_the_playbook_probes_two_hosts_fetches_both_reports_and_removes_itself(
    tmp_path: Path,
    wheels: tuple[Path, Path],
    ssh_login: tuple[Path, Path],
    login: WorkstationUser,
    docker_client: object,
    qtbot: QtBot,
) -> None:
    wheel, house = wheels
    key, known_hosts = ssh_login
    local_home = tmp_path / "local-install"
    remote_home = Path(pwd.getpwnam(SSH_USER).pw_dir) / ".local/share/dvm-advisor-fleet"
    assert login.runtime_dir is not None
    hosts = inventory(tmp_path, key, known_hosts, local_home, login.runtime_dir)
    reports = tmp_path / "reports"
    settings = {
        "dvm_advisor_wheel": str(wheel),
        "dvm_advisor_pip_args": f"--no-index --find-links {house}",
        "dvm_advisor_reports": str(reports),
        "dvm_advisor_probe_args": PROBE_ARGS,
    }
    probed = playbook(tmp_path, hosts, "-e", json.dumps(settings))
    try:
        assert probed.returncode == 0, probed.stdout[-4000:] + probed.stderr[-2000:]
        assert sorted(path.name for path in reports.iterdir()) == [
            "loopback.json",
            "this-machine.json",
        ]
        local = load_probe_report(reports / "this-machine.json")
        remote = load_probe_report(reports / "loopback.json")
        assert local.host.user == pwd.getpwuid(os.getuid()).pw_name
        assert remote.host.user == SSH_USER
        for report in (local, remote):
            assert report.settings.only == "container" and report.vm is None
            assert report.container is not None and report.container.status == "ok"
        assert local_home.is_dir() and remote_home.is_dir()

        compared = run(
            [
                sys.executable,
                "-m",
                "advisor",
                "compare",
                str(reports / "this-machine.json"),
                str(reports / "loopback.json"),
                "--json",
                str(tmp_path / "fleet.json"),
            ]
        )
        assert compared.returncode == 0, compared.stderr
        assert f"{SSH_USER}@{remote.hostname}" in compared.stdout
        assert f"{local.host.user}@{local.hostname}" in compared.stdout

        from advisor.rulebook import load_rulebook
        from advisor.ui.compare_view import CompareDialog
        from advisor.ui.document import AssessmentDocument

        dialog = CompareDialog(AssessmentDocument(load_rulebook()))
        qtbot.addWidget(dialog)
        assert dialog.import_reports([reports / "this-machine.json", reports / "loopback.json"])
        assert dialog.comparison is not None
        assert dialog.table.columnCount() == 4
        assert dialog.comparison.generated_at <= datetime.now(UTC)
    finally:
        removed = playbook(tmp_path, hosts, "-e", "dvm_advisor_state=absent")
    assert removed.returncode == 0, removed.stdout[-4000:] + removed.stderr[-2000:]
    assert not local_home.exists()
    assert not remote_home.exists()
