"""Host facts: the parsers of /proc, /sys and libvirt XML, the /dev/kvm assessment, and the
bounded, explained failures of the Docker and libvirt parts."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from advisor.probes import host, host_kvm, libvirt_access, libvirt_connection
from advisor.probes.docker_engine import (
    connect,
    explain_engine_error,
)
from advisor.probes.engine_endpoint import find_endpoint
from advisor.probes.engine_fixes import host_kind, install_fix, permission_fix, start_fix
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.host_docker import docker_root_warning, gather_docker_facts
from advisor.probes.host_kvm import (
    DeviceMode,
    QemuIdentity,
    assess_kvm,
    dac_access,
    parse_qemu_identity,
    read_nested_setting,
)
from advisor.probes.host_libvirt import (
    format_libvirt_version,
    gather_libvirt_facts,
    parse_domain_types,
)
from advisor.probes.host_models import KvmFacts
from advisor.probes.host_system import (
    group_name,
    parse_cgroup_mounts,
    parse_cpuinfo,
    parse_meminfo,
    parse_os_release,
    parse_proc_cgroups,
)
from advisor.probes.libvirt_access import (
    KNOWN_URIS_FIX,
    LIBVIRT_BINDING_FIX,
    LIBVIRT_SESSION_FIX,
    LIBVIRT_START_FIX,
    explain_connection_error,
    explain_import_error,
)
from advisor.probes.libvirt_connection import LibvirtConnection

NOT_NESTED = (None, "not exposed")
QEMU_USER = QemuIdentity(uid=64055, gid=64055, name=None, groups=frozenset({64055}))

CAPABILITIES = """<capabilities>
  <host>
    <cpu><arch>x86_64</arch></cpu>
    <secmodel><model>none</model><doi>0</doi></secmodel>
    <secmodel>
      <model>dac</model><doi>0</doi>
      <baselabel type='kvm'>+64055:+64055</baselabel>
      <baselabel type='qemu'>+64055:+64055</baselabel>
    </secmodel>
  </host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='i686'><domain type='qemu'/><domain type='kvm'/></arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch>
  </guest>
  <guest>
    <os_type>hvm</os_type>
    <arch name='aarch64'><domain type='qemu'/></arch>
  </guest>
</capabilities>"""


def test_os_release_values_lose_their_quotes_and_comments_are_skipped() -> None:
    fields = parse_os_release(
        "# a comment\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID='12'\n"
    )
    assert fields == {
        "PRETTY_NAME": "Debian GNU/Linux 12 (bookworm)",
        "ID": "debian",
        "VERSION_ID": "12",
    }


@pytest.mark.parametrize(
    ("flags", "extension", "hypervisor"),
    [
        ("fpu vmx sse2", "vmx", False),
        ("fpu svm hypervisor", "svm", True),
        ("fpu sse2 hypervisor", None, True),
    ],
)
def test_cpuinfo_gives_model_count_and_virtualization_flags(
    flags: str, extension: str | None, hypervisor: bool
) -> None:
    block = "processor\t: {n}\nmodel name\t: Example CPU @ 2.0GHz\nflags\t\t: {flags}\n\n"
    text = block.format(n=0, flags=flags) + block.format(n=1, flags=flags)
    facts = parse_cpuinfo(text, source="/proc/cpuinfo")
    assert facts.model == "Example CPU @ 2.0GHz"
    assert facts.count == 2
    assert facts.virtualization_extension == extension
    assert facts.hypervisor_flag is hypervisor
    assert facts.source == "/proc/cpuinfo"


def test_cpuinfo_without_flags_says_the_hypervisor_flag_is_unknown() -> None:
    facts = parse_cpuinfo("processor : 0\nCPU implementer : 0x41\n", source="x")
    assert facts.hypervisor_flag is None
    assert facts.virtualization_extension is None
    assert facts.count == 1


def test_meminfo_is_converted_to_bytes() -> None:
    fields = parse_meminfo(
        "MemTotal:       16384 kB\nMemAvailable:    8192 kB\nHugePages_Total:  4\n"
    )
    assert fields == {"MemTotal": 16384 * 1024, "MemAvailable": 8192 * 1024, "HugePages_Total": 4}


def _mount(point: str, fs_type: str) -> str:
    return f"30 24 0:26 / {point} rw,nosuid shared:9 - {fs_type} {fs_type} rw"


@pytest.mark.parametrize(
    ("mounts", "expected"),
    [
        ([_mount("/sys/fs/cgroup", "cgroup2")], (2, False)),
        (
            [
                _mount("/sys/fs/cgroup", "tmpfs"),
                _mount("/sys/fs/cgroup/unified", "cgroup2"),
                _mount("/sys/fs/cgroup/memory", "cgroup"),
            ],
            (1, True),
        ),
        ([_mount("/sys/fs/cgroup", "tmpfs"), _mount("/sys/fs/cgroup/cpu", "cgroup")], (1, False)),
        ([_mount("/", "ext4")], (None, False)),
    ],
)
def test_cgroup_version_comes_from_the_mount_table(
    mounts: list[str], expected: tuple[int | None, bool]
) -> None:
    assert parse_cgroup_mounts("\n".join(mounts), "/sys/fs/cgroup") == expected


def test_v1_controllers_are_the_enabled_and_mounted_ones() -> None:
    text = (
        "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
        "cpuset\t3\t1\t1\nmemory\t4\t50\t1\nnet_cls\t0\t1\t1\nhugetlb\t5\t1\t0\n"
    )
    assert parse_proc_cgroups(text) == ("cpuset", "memory")


@pytest.mark.parametrize(
    ("mode", "owner", "group", "uid", "gids", "expected"),
    [
        (0o600, 0, 0, 0, frozenset({0}), "root"),
        (0o600, 1000, 1000, 1000, frozenset({1000}), "owner"),
        (0o660, 0, 108, 64055, frozenset({64055, 108}), "group '108'"),
        (0o600, 0, 108, 64055, frozenset({64055, 108}), None),
        (0o666, 0, 0, 64055, frozenset({64055}), "permissions for everyone"),
        # The kernel applies the owner's bits to the owner, even when the group's would allow.
        (0o060, 1000, 1000, 1000, frozenset({1000}), None),
    ],
)
def test_dac_access_follows_the_kernels_order(
    monkeypatch: pytest.MonkeyPatch,
    mode: int,
    owner: int,
    group: int,
    uid: int,
    gids: frozenset[int],
    expected: str | None,
) -> None:
    monkeypatch.setattr(host_kvm, "group_name", str)
    assert dac_access(mode, owner, group, uid, gids) == expected


def test_qemu_identity_comes_from_the_dac_base_label() -> None:
    identity = parse_qemu_identity(CAPABILITIES)
    assert identity is not None
    assert (identity.uid, identity.gid) == (64055, 64055)
    assert 64055 in identity.groups


def test_qemu_identity_of_a_known_user_includes_that_users_groups() -> None:
    identity = parse_qemu_identity(CAPABILITIES.replace("+64055:+64055", "+0:+0"))
    assert identity is not None
    assert identity.name == "root"
    assert set(os.getgrouplist("root", 0)) <= identity.groups


def test_no_dac_security_model_means_no_qemu_identity() -> None:
    assert parse_qemu_identity("<capabilities><host/></capabilities>") is None
    assert parse_qemu_identity("not xml") is None


def test_domain_types_are_those_offered_for_the_host_architecture() -> None:
    assert parse_domain_types(CAPABILITIES, "x86_64") == ("qemu", "kvm")
    assert parse_domain_types(CAPABILITIES, "aarch64") == ("qemu",)
    assert parse_domain_types(CAPABILITIES, "riscv64") == ()


def test_libvirt_version_numbers_are_unpacked() -> None:
    assert format_libvirt_version(9_000_000) == "9.0.0"
    assert format_libvirt_version(7_002_022) == "7.2.22"


def kvm_facts(
    mode: int,
    gid: int = 0,
    qemu: QemuIdentity | None = QEMU_USER,
    uri: str = "qemu:///system",
    accessible_to_user: bool = True,
) -> KvmFacts:
    """The assessment of a root-owned /dev/kvm with `mode` and group `gid`."""
    return assess_kvm(
        DeviceMode(uid=0, gid=gid, mode=mode),
        accessible_to_user=accessible_to_user,
        qemu=qemu,
        libvirt_uri=uri,
        nested=NOT_NESTED,
    )


def test_root_only_kvm_under_the_system_daemon_is_the_capability_cache_trap() -> None:
    facts = kvm_facts(0o600)
    assert facts.capability_cache_trap is True
    assert facts.accessible_to_qemu is False
    assert facts.mode == "0600"
    assert facts.problem is not None and "tens of seconds" in facts.problem
    assert facts.fix is not None
    assert "chmod 0660 /dev/kvm" in facts.fix and "chgrp kvm /dev/kvm" in facts.fix
    assert facts.qemu_uid == QEMU_USER.uid


def test_kvm_closed_to_a_session_qemu_is_no_trap_but_means_emulation() -> None:
    facts = kvm_facts(0o600, uri="qemu:///session", accessible_to_user=False)
    assert facts.capability_cache_trap is False
    assert facts.problem is not None and "software emulation" in facts.problem


def test_kvm_open_to_qemus_group_has_no_problem() -> None:
    in_group = QemuIdentity(uid=64055, gid=64055, name=None, groups=frozenset({64055, 108}))
    facts = kvm_facts(0o660, gid=108, qemu=in_group)
    assert (facts.capability_cache_trap, facts.problem, facts.fix) == (False, None, None)
    assert facts.accessible_to_qemu is True


def test_without_libvirt_qemus_access_is_unknown_not_guessed() -> None:
    facts = kvm_facts(0o600, qemu=None)
    assert facts.accessible_to_qemu is None
    assert facts.capability_cache_trap is False


def test_missing_device_is_reported_as_absent() -> None:
    facts = assess_kvm(
        None, accessible_to_user=False, qemu=None, libvirt_uri="qemu:///system", nested=NOT_NESTED
    )
    assert facts.device_present is False
    assert "not present" in facts.source


def test_nested_setting_is_read_from_the_module_parameter(tmp_path: Path) -> None:
    parameter = tmp_path / "kvm_amd" / "parameters" / "nested"
    parameter.parent.mkdir(parents=True)
    parameter.write_text("1\n")
    assert read_nested_setting(tmp_path) == (True, str(parameter))
    assert read_nested_setting(tmp_path / "absent")[0] is None


@pytest.fixture
def no_engine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Point the Docker SDK at a socket that does not exist: no daemon in unit tests."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/absent.sock")


# --- the Docker part --------------------------------------------------------------------


def _wrapped(cause: BaseException) -> Exception:
    """An error shaped like the SDK's: a DockerException raised from a chain of wrappers."""
    try:
        try:
            raise ConnectionError("Connection aborted.", cause)
        except ConnectionError as middle:
            raise RuntimeError("Error while fetching server API version") from middle
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(
    ("cause", "words", "fix"),
    [
        (
            PermissionError(13, "Permission denied"),
            "permission denied",
            lambda: permission_fix(host_kind()),
        ),
        (
            FileNotFoundError(2, "No such file"),
            "no Docker engine socket",
            lambda: install_fix(find_endpoint(), host_kind()),
        ),
        (
            ConnectionRefusedError(111, "refused"),
            "not running",
            lambda: start_fix(find_endpoint(), host_kind()),
        ),
    ],
)
def test_engine_errors_are_explained_with_their_fix(
    cause: BaseException, words: str, fix: Callable[[], str]
) -> None:
    reason, given_fix = explain_engine_error(_wrapped(cause), timeout=5)
    assert words in reason
    assert given_fix == fix()


@pytest.fixture
def silent_socket(tmp_path: Path) -> Iterator[str]:
    """A unix socket that accepts connections and never answers."""
    path = tmp_path / "silent.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.listen(8)
    yield f"unix://{path}"
    server.close()


def test_an_engine_that_never_answers_costs_only_the_timeout(
    monkeypatch: pytest.MonkeyPatch, silent_socket: str
) -> None:
    monkeypatch.setenv("DOCKER_HOST", silent_socket)
    began = time.monotonic()
    with pytest.raises(ProbeUnavailable) as raised:
        connect(timeout=0.5)
    assert time.monotonic() - began < 5
    assert "did not answer within 0.5 s" in raised.value.reason


@pytest.mark.usefixtures("no_engine")
def test_docker_facts_without_an_engine_say_so_with_the_fix() -> None:
    facts = gather_docker_facts(timeout=2)
    assert facts.answers is False
    assert facts.reason is not None and "no Docker engine socket" in facts.reason
    # DOCKER_HOST points elsewhere than the default socket: the fix says so too.
    assert facts.fix == install_fix(find_endpoint(), host_kind())
    assert "DOCKER_HOST points at unix://" in facts.fix
    assert facts.user_reaches_socket is False
    assert facts.version is None
    assert facts.root_warning is None  # no socket, no engine: nothing to warn about


@pytest.mark.parametrize("cause", [FileNotFoundError(2, "gone"), ConnectionRefusedError(111, "no")])
def test_an_engine_that_went_away_during_the_probe_is_said_to_have_stopped(
    cause: BaseException,
) -> None:
    reason, fix = explain_engine_error(_wrapped(cause), timeout=5, reached_before=True)
    assert "stopped during the probe" in reason
    assert fix == start_fix(find_endpoint(), host_kind())


def test_the_root_warning_names_the_group_that_may_use_the_socket(tmp_path: Path) -> None:
    path = tmp_path / "docker.sock"
    path.touch(mode=0o660)
    info = path.stat()

    in_group = docker_root_warning(f"unix://{path}", str(path), info)
    over_tcp = docker_root_warning("tcp://10.0.0.1:2375", None, None)

    group = group_name(info.st_gid)
    if group != "root":
        assert in_group.startswith(f"Membership of the '{group}' group")
    assert "equivalent to root on this host" in in_group
    assert over_tcp.startswith("Access to the Docker engine at tcp://10.0.0.1:2375 is")
    assert "equivalent to root" in over_tcp


# --- the libvirt part -------------------------------------------------------------------


def test_missing_libvirt_binding_is_reported_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_binding() -> None:
        raise ImportError("No module named 'libvirt'")

    monkeypatch.setattr(libvirt_connection, "import_libvirt", no_binding)
    facts = gather_libvirt_facts(LibvirtConnection("qemu:///system", 1), timeout=1)
    assert facts.answers is False
    assert facts.fix == LIBVIRT_BINDING_FIX


def test_a_libvirt_that_hangs_costs_only_the_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()

    class HangingLibvirt:
        libvirtError = RuntimeError

        @staticmethod
        def open(_uri: str) -> None:
            release.wait(30)
            raise RuntimeError("released")

    monkeypatch.setattr(libvirt_connection, "import_libvirt", lambda: HangingLibvirt)
    began = time.monotonic()
    facts = gather_libvirt_facts(LibvirtConnection("qemu:///system", 0.3), timeout=0.3)
    release.set()
    assert time.monotonic() - began < 3
    assert facts.answers is False
    assert facts.reason is not None and "did not answer within 0.3 s" in facts.reason


def test_libvirts_test_driver_answers_through_the_real_binding() -> None:
    connection = LibvirtConnection("test:///default", 5)
    try:
        facts = gather_libvirt_facts(connection, timeout=5)
        capabilities = connection.capabilities()
    finally:
        connection.close()
    assert facts.answers is True, facts.reason
    assert facts.version is not None and facts.version.count(".") == 2
    assert "<capabilities>" in capabilities


def test_an_unreachable_libvirt_is_explained() -> None:
    uri = "qemu+unix:///system?socket=/nonexistent"
    facts = gather_libvirt_facts(LibvirtConnection(uri, 5), timeout=5)
    assert facts.answers is False
    assert facts.reason is not None and "does not answer" in facts.reason
    assert facts.fix == LIBVIRT_START_FIX


@pytest.mark.usefixtures("no_engine")
def test_facts_name_their_source() -> None:
    facts = host.gather_host_facts(libvirt_uri="test:///default", timeout=5)
    for part in (facts.os, facts.cpu, facts.memory, facts.kvm, facts.cgroup, facts.docker):
        assert part.source, part
    assert facts.libvirt.source.startswith("libvirt test:///default")
    assert facts.hostname == socket.gethostname()


@pytest.mark.parametrize(
    ("message", "fix_names"),
    [
        ("No module named 'libvirt'", "pip install libvirt-python"),
        ("libvirt.so.0: cannot open shared object file", "apt-get install libvirt0"),
    ],
)
def test_a_missing_binding_and_a_missing_library_have_their_own_fix(
    message: str, fix_names: str
) -> None:
    reason, fix = explain_import_error(ImportError(message))
    assert fix_names in fix
    assert ("library" in reason) == ("libvirt.so" in message)


NO_SYSTEM_BUS = (
    "internal error: Unable to get system bus connection: Could not connect: "
    "No such file or directory"
)


@pytest.mark.parametrize("in_group", [True, False], ids=["in the group", "outside the group"])
def test_polkit_that_cannot_be_asked_is_said_with_the_session_as_the_way_out(
    monkeypatch: pytest.MonkeyPatch, in_group: bool
) -> None:
    monkeypatch.setattr(libvirt_access, "in_group", lambda _name: in_group)

    reason, fix = explain_connection_error(RuntimeError(NO_SYSTEM_BUS), "qemu:///system")

    assert "polkit" in reason and "D-Bus" in reason
    assert "no daemon listens" not in reason and "systemctl start libvirtd" not in fix
    assert "qemu:///session" in fix
    assert ("usermod -aG libvirt" in fix) is not in_group


@pytest.mark.parametrize("uri", ["bogus:///x", "qemu:///bogus"])
def test_a_wrong_uri_sent_to_a_system_daemon_the_user_may_not_use_names_the_right_ones(
    uri: str,
) -> None:
    reason, fix = explain_connection_error(RuntimeError(NO_SYSTEM_BUS), uri)

    assert "none of QEMU's URIs" in reason and uri in reason
    assert fix == KNOWN_URIS_FIX


def test_a_remote_daemon_that_refuses_is_not_told_to_install_libvirt_here() -> None:
    uri = "qemu+tcp://192.0.2.7/system"
    message = "unable to connect to server at '192.0.2.7:16509': Connection refused"

    reason, fix = explain_connection_error(RuntimeError(message), uri)

    assert reason.startswith(f"libvirt at {uri} does not answer") and "192.0.2.7" in reason
    assert "apt-get" not in fix and "systemctl" not in fix
    assert "qemu+ssh://192.0.2.7/system" in fix


def test_a_session_socket_that_does_not_answer_gets_the_sessions_fix() -> None:
    socket_path = "/run/user/1001/libvirt/libvirt-sock"
    message = f"Failed to connect socket to '{socket_path}': No such file or directory"

    session = explain_connection_error(
        RuntimeError(message), f"qemu:///session?socket={socket_path}"
    )
    system = explain_connection_error(RuntimeError(message), "qemu:///system")

    assert "no daemon listens" in session[0] and "no daemon listens" in system[0]
    assert session[1] == LIBVIRT_SESSION_FIX and "sudo" not in session[1]
    assert system[1] == LIBVIRT_START_FIX
