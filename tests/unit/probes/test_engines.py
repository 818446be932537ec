"""The engines the container probe meets: where it finds them, what it calls them, whether
they run rootless, the fixes it offers on each distribution, and the confinement and memory
it accepts only as seen inside the container. Each faked engine answer here has its real
twin in tests/integration/test_container_engines.py."""

from __future__ import annotations

import hashlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.facts import facts_from_probe_report
from advisor.grounding import check_claims
from advisor.probes.container_confinement import (
    HOST_WIDE_MEMORY,
    NO_MEMORY_FIGURE,
    READ_INSIDE,
    confinement_notes,
    memory_not_measured,
    read_confinement,
)
from advisor.probes.container_plan import ContainerSettings, plan_container_probe
from advisor.probes.engine_endpoint import (
    DEFAULT_DOCKER_HOST,
    Endpoint,
    current_context,
    default_sockets,
    find_endpoint,
)
from advisor.probes.engine_fixes import (
    HostKind,
    check_fix,
    host_kind,
    install_fix,
    permission_fix,
    start_fix,
)
from advisor.probes.engine_replies import InfoReply, VersionReply
from advisor.probes.host_docker import docker_root_warning, engine_identity, engine_is_rootless
from advisor.probes.report import load_probe_report
from advisor.probes.sample_image import imported_image_id, is_sample_tag, unqualified

REPORT = Path(__file__).parents[1] / "data" / "probe-report.json"
ASKED = plan_container_probe(ContainerSettings()).hardening
MEBIBYTE = 1024 * 1024


@pytest.fixture
def user_places(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """No DOCKER_HOST, no context, a runtime folder of the test's own."""
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "docker-config"))
    runtime = tmp_path / "run"
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    yield runtime


def listening(path: Path) -> socket.socket:
    path.parent.mkdir(parents=True, exist_ok=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


def test_docker_host_comes_first(user_places: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with listening(user_places / "docker.sock"):
        monkeypatch.setenv("DOCKER_HOST", "tcp://10.0.0.1:2375")
        found = find_endpoint()
    assert (found.address, found.found_by, found.kind) == (
        "tcp://10.0.0.1:2375",
        "DOCKER_HOST",
        "named",
    )


def write_context(config: Path, name: str, host: str, current: bool = True) -> None:
    config.mkdir(parents=True, exist_ok=True)
    if current:
        (config / "config.json").write_text(json.dumps({"currentContext": name}))
    meta = config / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(
        json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host}}})
    )


def test_the_current_context_comes_before_any_socket(
    user_places: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_context(tmp_path / "docker-config", "remote", "ssh://builder@example.org")
    with listening(user_places / "docker.sock"):
        found = find_endpoint()
    assert found.address == "ssh://builder@example.org"
    assert found.found_by == "Docker context 'remote'"
    # DOCKER_CONTEXT chooses another one, as it does for the docker command.
    write_context(tmp_path / "docker-config", "other", "unix:///srv/other.sock", current=False)
    monkeypatch.setenv("DOCKER_CONTEXT", "other")
    assert find_endpoint().address == "unix:///srv/other.sock"


@pytest.mark.parametrize(
    "config",
    ['{"currentContext": "default"}', "not json", '{"currentContext": "missing"}', "[]"],
)
def test_a_default_unreadable_or_missing_context_is_passed_over(
    user_places: Path, tmp_path: Path, config: str
) -> None:
    folder = tmp_path / "docker-config"
    folder.mkdir()
    (folder / "config.json").write_text(config)
    assert current_context(folder) is None


def test_the_rootless_docker_socket_comes_before_the_root_one(user_places: Path) -> None:
    with listening(user_places / "docker.sock"), listening(user_places / "podman" / "podman.sock"):
        found = find_endpoint()
    assert found.address == f"unix://{user_places / 'docker.sock'}"
    assert found.kind == "rootless-docker"


def test_the_users_podman_socket_is_found_when_no_docker_socket_is_usable(
    user_places: Path,
) -> None:
    root_socket = Path(DEFAULT_DOCKER_HOST.removeprefix("unix://"))
    with listening(user_places / "podman" / "podman.sock"):
        found = find_endpoint()
    if root_socket.exists() and os.access(root_socket, os.R_OK | os.W_OK):
        assert found.kind == "docker"  # the root engine answers this user first
    else:
        assert found.kind == "rootless-podman"
        assert found.found_by == "the user's Podman socket"


def test_with_no_socket_at_all_the_root_engines_is_named(
    user_places: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    absent = [c for c in default_sockets() if c.kind.startswith("rootless")]
    monkeypatch.setattr(
        "advisor.probes.engine_endpoint.default_sockets",
        lambda: (
            absent[0],
            Endpoint(f"unix://{user_places}/absent.sock", "docker", "root"),
            absent[1],
        ),
    )
    found = find_endpoint()
    assert found.address == f"unix://{user_places}/absent.sock" and found.kind == "docker"


def os_release(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "os-release"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "manager"),
    [
        ('ID=debian\nVERSION_ID="12"\n', "apt-get"),
        ("ID=ubuntu\nID_LIKE=debian\n", "apt-get"),
        ("ID=fedora\nVERSION_ID=40\n", "dnf"),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "dnf"),
        ("ID=arch\n", None),
    ],
)
def test_the_package_manager_follows_the_distribution(
    tmp_path: Path, text: str, manager: str | None
) -> None:
    kind = host_kind(os_release(tmp_path, text), tmp_path / "no-systemd")
    assert kind == HostKind(package_manager=manager, systemd=False)  # type: ignore[arg-type]
    (tmp_path / "systemd").mkdir()
    assert host_kind(os_release(tmp_path, text), tmp_path / "systemd").systemd is True


ROOT = Endpoint(DEFAULT_DOCKER_HOST, "docker", "the Docker engine's socket")
ROOTLESS_DOCKER = Endpoint("unix:///run/user/1000/docker.sock", "rootless-docker", "x")
USER_PODMAN = Endpoint("unix:///run/user/1000/podman/podman.sock", "rootless-podman", "x")
ROOT_PODMAN = Endpoint("unix:///run/podman/podman.sock", "podman", "x")
NAMED = Endpoint("unix:///srv/engine.sock", "named", "DOCKER_HOST")
DEBIAN = HostKind("apt-get", systemd=True)
DEBIAN_NO_SYSTEMD = HostKind("apt-get", systemd=False)
FEDORA = HostKind("dnf", systemd=True)


def test_install_fixes_speak_the_distributions_own_commands() -> None:
    assert "sudo apt-get install docker.io" in install_fix(ROOT, DEBIAN)
    assert "service docker start" not in install_fix(ROOT, DEBIAN)
    assert install_fix(ROOT, DEBIAN_NO_SYSTEMD).endswith("&& sudo service docker start")
    fedora = install_fix(ROOT, FEDORA)
    assert "sudo dnf install podman" in fedora and "apt-get" not in fedora
    assert "systemctl --user enable --now podman.socket" in fedora
    assert "podman system service" in install_fix(ROOT, HostKind("dnf", systemd=False))
    assert "apt-get" not in install_fix(ROOT, HostKind(None, systemd=True))
    assert "DOCKER_HOST points at unix:///srv/engine.sock" in install_fix(NAMED, DEBIAN)


@pytest.mark.parametrize(
    ("endpoint", "with_systemd", "without_systemd"),
    [
        (ROOT, "sudo systemctl start docker", "sudo service docker start"),
        (ROOTLESS_DOCKER, "systemctl --user start docker", "dockerd-rootless.sh &"),
        (ROOT_PODMAN, "sudo systemctl start podman.socket", "sudo podman system service"),
        (USER_PODMAN, "systemctl --user start podman.socket", "podman system service --time=0"),
    ],
)
def test_start_fixes_name_the_engine_and_whether_systemd_runs(
    endpoint: Endpoint, with_systemd: str, without_systemd: str
) -> None:
    assert with_systemd in start_fix(endpoint, DEBIAN)
    assert without_systemd in start_fix(endpoint, DEBIAN_NO_SYSTEMD)
    assert "systemctl" not in start_fix(endpoint, DEBIAN_NO_SYSTEMD)
    assert "systemctl" not in check_fix(endpoint, DEBIAN_NO_SYSTEMD)


def test_the_permission_fix_names_the_group_and_a_rootless_engine_for_the_distribution() -> None:
    debian, fedora = permission_fix(DEBIAN), permission_fix(FEDORA)
    for fix in (debian, fedora):
        assert "'docker' group" in fix and "equivalent to root" in fix
    assert "sudo apt-get install rootlesskit uidmap slirp4netns" in debian
    assert "dockerd-rootless-setuptool.sh install" in debian
    assert "rootless Podman" in fedora and "apt-get" not in fedora


# /version as each engine answers it (Docker 20.10 from Debian, Podman 4.3, Docker Desktop).
DOCKER_VERSION = {
    "Platform": {"Name": ""},
    "Components": [{"Name": "Engine", "Version": "20.10.24+dfsg1"}],
    "Version": "20.10.24+dfsg1",
}
PODMAN_VERSION = {
    "Platform": {"Name": "linux/amd64/debian-12"},
    "Components": [
        {"Name": "Podman Engine", "Version": "4.3.1"},
        {"Name": "Conmon", "Version": "conmon version 2.1.6"},
    ],
    "Version": "4.3.1",
}
DESKTOP_VERSION = {
    "Platform": {"Name": "Docker Desktop 4.25.0 (126437)"},
    "Components": [{"Name": "Engine", "Version": "24.0.6"}],
    "Version": "24.0.6",
}


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        (DOCKER_VERSION, ("Docker Engine", "20.10.24+dfsg1")),
        (PODMAN_VERSION, ("Podman", "4.3.1")),
        (DESKTOP_VERSION, ("Docker Desktop", "24.0.6")),
        ({"Version": "1.0"}, ("Docker Engine", "1.0")),
    ],
)
def test_the_engine_is_named_from_its_own_version_answer(
    answer: dict[str, object], named: tuple[str, str]
) -> None:
    assert engine_identity(VersionReply.model_validate(answer)) == named


def socket_owned_by(uid: int) -> os.stat_result:
    return os.stat_result((0o140660, 0, 0, 1, uid, 0, 0, 0, 0, 0))


SECCOMP = "name=seccomp,profile=default"


@pytest.mark.parametrize(
    ("info", "owner", "by_socket", "by_info"),
    [
        ({"Rootless": True, "SecurityOptions": [SECCOMP]}, 1001, True, True),  # Podman
        ({"SecurityOptions": [SECCOMP, "name=rootless"]}, 1001, True, True),  # Docker
        # An engine makes its socket as the user it runs as.
        ({"SecurityOptions": []}, 1001, True, False),
        ({"Rootless": False, "SecurityOptions": [SECCOMP]}, 0, False, False),
        ({"SecurityOptions": [SECCOMP]}, 0, False, False),
    ],
)
def test_rootless_is_read_from_every_place_engines_report_it(
    info: dict[str, object], owner: int, by_socket: bool, by_info: bool
) -> None:
    reply = InfoReply.model_validate(info)
    assert engine_is_rootless(reply, socket_owned_by(owner)) is by_socket
    assert engine_is_rootless(reply, None) is by_info  # over TCP: the engine's word only


def test_the_root_warning_is_worded_for_how_this_user_reaches_the_socket(tmp_path: Path) -> None:
    path = tmp_path / "engine.sock"
    path.touch(mode=0o660)
    info = path.stat()
    address = f"unix://{path}"
    as_root = docker_root_warning(address, str(path), info, "root")
    as_owner = docker_root_warning(address, str(path), info, "owner")
    for_everyone = docker_root_warning(address, str(path), info, "permissions for everyone")
    assert as_root.startswith(f"This run reaches {path} as root")
    assert as_owner.startswith(f"Access to {path}, which this user owns")
    assert "open to every user of this host" in for_everyone
    for text in (as_root, as_owner, for_everyone):
        assert "equivalent to root on this host" in text


@pytest.mark.parametrize(
    "tag",
    [
        "dvm-advisor-probe:393f9c99a4b7",
        "docker.io/library/dvm-advisor-probe:393f9c99a4b7",
        "localhost/dvm-advisor-probe:393f9c99a4b7",
    ],
)
def test_the_sample_is_recognised_however_the_engine_qualifies_its_name(tag: str) -> None:
    assert is_sample_tag(tag)
    assert unqualified(tag) == "dvm-advisor-probe:393f9c99a4b7"


@pytest.mark.parametrize(
    "tag", ["busybox:latest", "docker.io/library/busybox:1", "quay.io/dvm-advisor-probe:1"]
)
def test_other_images_are_not_taken_for_the_sample(tag: str) -> None:
    assert not is_sample_tag(tag)


IMAGE_ID = "sha256:" + "ab" * 32


@pytest.mark.parametrize(
    "reply",
    [
        json.dumps({"status": IMAGE_ID}) + "\r\n",  # Docker
        json.dumps({"status": IMAGE_ID, "progress": "", "id": IMAGE_ID}) + "\n",  # Podman
        "not json\n" + json.dumps({"status": "Importing"}) + "\n" + json.dumps({"id": IMAGE_ID}),
    ],
)
def test_the_imported_image_is_found_by_the_id_the_import_returns(reply: str) -> None:
    assert imported_image_id(reply) == IMAGE_ID


def test_an_import_reply_without_an_id_gives_none() -> None:
    assert imported_image_id('{"status": "done"}\n[1, 2]\n') is None


def inside(cap_eff: str = "0" * 16, memory: str = "67108864", pids: str = "64") -> str:
    """What READ_INSIDE prints in a container on cgroup v1."""
    return (
        f"Name:\tcat\nUid:\t65534\t65534\t65534\t65534\nCapEff:\t{cap_eff}\n"
        f"CapBnd:\t{cap_eff}\nNoNewPrivs:\t1\n"
        "DVM_CGROUP /sys/fs/cgroup/memory.max \n"
        f"DVM_CGROUP /sys/fs/cgroup/memory/memory.limit_in_bytes {memory}\n"
        "DVM_CGROUP /sys/fs/cgroup/pids.max \n"
        f"DVM_CGROUP /sys/fs/cgroup/pids/pids.max {pids}\n"
    )


def test_the_command_reads_the_capability_sets_and_both_cgroup_layouts() -> None:
    for wanted in ("/proc/self/status", "memory.max", "memory.limit_in_bytes", "pids.max"):
        assert wanted in READ_INSIDE


def test_a_confined_container_is_read_as_such() -> None:
    seen = read_confinement(inside(), ASKED)
    assert seen is not None
    assert seen.capabilities_dropped and seen.no_new_privileges and seen.uid == 65534
    assert seen.memory_limit_enforced and seen.pids_limit_enforced
    # The engine's echo does not matter where the inside shows the truth: Podman lists the
    # capabilities it dropped one by one.
    podman_echo = ASKED.model_copy(update={"cap_drop": ("CHOWN", "KILL"), "memory_limit_bytes": 0})
    assert confinement_notes(ASKED, podman_echo, seen) == []
    assert memory_not_measured(seen, [400_000.0]) is None


def test_limits_a_rootless_engine_on_cgroup_v1_cannot_enforce_are_said_not_enforced() -> None:
    seen = read_confinement(inside(memory="9223372036854771712", pids=""), ASKED)
    assert seen is not None
    assert not seen.memory_limit_enforced and not seen.pids_limit_enforced
    notes = confinement_notes(ASKED, ASKED, seen)  # Docker echoes the limits it did not set
    assert len(notes) == 1 and "does not enforce the memory limit or the process limit" in notes[0]
    # Its stats are the host's then: no figure is taken for the container's.
    assert memory_not_measured(seen, [880_000_000.0]) == HOST_WIDE_MEMORY
    assert memory_not_measured(seen, []) == NO_MEMORY_FIGURE


def test_cgroup_v2_limits_are_read_too() -> None:
    printed = (
        "CapEff:\t0000000000000000\nCapBnd:\t0000000000000000\n"
        f"DVM_CGROUP /sys/fs/cgroup/memory.max {64 * MEBIBYTE}\n"
        "DVM_CGROUP /sys/fs/cgroup/pids.max max\n"
    )
    seen = read_confinement(printed, ASKED)
    assert seen is not None
    assert seen.memory_limit_bytes == 64 * MEBIBYTE and seen.pids_limit is None


def test_capabilities_kept_are_named() -> None:
    seen = read_confinement(inside(cap_eff="00000000a80425fb"), ASKED)
    assert seen is not None and not seen.capabilities_dropped
    assert any("kept capabilities" in note for note in confinement_notes(ASKED, ASKED, seen))


def test_output_without_the_capability_sets_reads_as_unknown() -> None:
    assert read_confinement("dvm-advisor-ready\n", ASKED) is None
    assert confinement_notes(ASKED, ASKED, None)
    assert memory_not_measured(None, [1.0]) == HOST_WIDE_MEMORY


def test_memory_not_measured_is_judged_not_measured_by_the_claim_check() -> None:
    report = load_probe_report(REPORT)
    assert report.container is not None and report.container.memory_bytes is not None
    unmeasured = report.model_copy(
        update={
            "container": report.container.model_copy(
                update={"memory_bytes": None, "memory_not_measured": HOST_WIDE_MEMORY}
            )
        }
    )
    for probe, expected in ((report, {"holds", "does_not_hold"}), (unmeasured, {"not_measured"})):
        checks = check_claims(facts_from_probe_report(probe))
        memory = [
            c for c in checks if c.aspect in ("memory per instance", "memory and disk per instance")
        ]
        assert len(memory) == 2
        assert {check.verdict for check in memory} <= expected
