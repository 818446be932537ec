"""Outputs never replace a device, a link, an input or another output, and are refused before
any work; inputs are regular files, read without waiting on a FIFO. Run as root in CI, where
permissions do not protect a device node."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.answers import load_answers
from advisor.base.errors import InputError
from advisor.cli import main
from advisor.outputs import Output, check_outputs, write_output

REPO = Path(__file__).resolve().parents[2]
ANSWERS = REPO / "examples" / "linux-microservices-postgres.json"
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"

Capture = pytest.CaptureFixture[str]


def refused(capsys: Capture, *argv: str) -> str:
    """Run the command line, expecting one line on stderr and exit status 2."""
    assert main(list(argv)) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert captured.out == ""
    return lines[0]


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.json"
    path.write_bytes(ANSWERS.read_bytes())
    return path


@pytest.mark.parametrize("device", ["/dev/null", "/dev/full"])
def test_a_device_node_is_refused_and_stays_a_device(
    capsys: Capture, answers: Path, tmp_path: Path, device: str
) -> None:
    line = refused(capsys, "report", "--answers", str(answers), "--pdf", device)
    assert f"{device}: is a character device, not a regular file" in line
    assert stat.S_ISCHR(os.stat(device).st_mode)
    line = refused(
        capsys,
        "report",
        "--answers",
        str(answers),
        "--pdf",
        str(tmp_path / "r.pdf"),
        "--json",
        device,
    )
    assert "character device" in line
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert not (tmp_path / "r.pdf").exists()  # refused before anything was written


def test_the_probe_report_to_a_device_is_refused_before_any_probe(capsys: Capture) -> None:
    # No probe runs: this test has no engine, and would be slow if one were tried.
    line = refused(capsys, "probe", "--json", "/dev/null")
    assert "/dev/null: is a character device" in line
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_symlink_is_refused_unless_followed(
    capsys: Capture, answers: Path, tmp_path: Path
) -> None:
    target = tmp_path / "kept.pdf"
    target.write_bytes(b"an older report")
    link = tmp_path / "link.pdf"
    link.symlink_to(target.name)

    line = refused(capsys, "report", "--answers", str(answers), "--pdf", str(link))
    assert "is a symbolic link (to kept.pdf)" in line and "--follow-symlinks" in line
    assert link.is_symlink() and target.read_bytes() == b"an older report"

    command = ["report", "--answers", str(answers), "--pdf", str(link), "--follow-symlinks"]
    assert main(command) == 0
    assert link.is_symlink()  # the link stays a link; the file it names is replaced
    assert target.read_bytes().startswith(b"%PDF-")


def test_dev_stdout_is_a_symlink_and_refused(capsys: Capture, answers: Path) -> None:
    line = refused(capsys, "report", "--answers", str(answers), "--pdf", "/dev/stdout")
    assert "/dev/stdout: is a symbolic link" in line


@pytest.mark.parametrize("option", ["--pdf", "--json"])
def test_an_output_that_is_an_input_is_refused(
    capsys: Capture, answers: Path, tmp_path: Path, option: str
) -> None:
    before = answers.read_bytes()
    other = "--json" if option == "--pdf" else "--pdf"
    command = ["report", "--answers", str(answers), option, str(answers)]
    line = refused(capsys, *command, other, str(tmp_path / "other"))
    assert "would overwrite the answers" in line
    assert answers.read_bytes() == before


def test_an_output_hard_linked_to_an_input_is_refused(
    capsys: Capture, answers: Path, tmp_path: Path
) -> None:
    probe = tmp_path / "probe.json"
    probe.write_bytes(PROBE_REPORT.read_bytes())
    alias = tmp_path / "alias.json"
    os.link(probe, alias)
    command = ["report", "--answers", str(answers), "--probe", str(probe), "--pdf"]
    line = refused(capsys, *command, str(alias))
    assert f"would overwrite the probe report ({probe})" in line
    assert probe.read_bytes() == PROBE_REPORT.read_bytes()


def test_an_input_redirected_from_the_output_is_refused(answers: Path) -> None:
    command = [sys.executable, "-m", "advisor", "report", "--answers", "-", "--pdf", str(answers)]
    with answers.open("rb") as stdin:
        done = subprocess.run(command, stdin=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "would overwrite the answers (standard input)" in done.stderr
    assert answers.read_bytes() == ANSWERS.read_bytes()


def test_two_equal_outputs_are_refused(capsys: Capture, answers: Path, tmp_path: Path) -> None:
    same = tmp_path / "x"
    line = refused(
        capsys, "report", "--answers", str(answers), "--pdf", str(same), "--json", str(same)
    )
    assert "would overwrite the PDF, written by the same command" in line
    assert not same.exists()


def test_two_outputs_that_are_hard_links_are_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.write_text("old")
    os.link(first, second)
    with pytest.raises(InputError, match="would overwrite the PDF"):
        check_outputs([Output(first, "the PDF"), Output(second, "the JSON")])


def test_a_fifo_or_socket_output_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=r"is a FIFO \(named pipe\), not a regular file"):
        write_output(b"data", Output(fifo, "the PDF"))
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s"))
        with pytest.raises(InputError, match="is a socket"):
            check_outputs([Output(tmp_path / "s", "the JSON")])


def test_a_missing_folder_and_too_little_room_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        check_outputs([Output(tmp_path / "none" / "r.pdf", "the PDF")])
    free = os.statvfs(tmp_path).f_bavail * os.statvfs(tmp_path).f_frsize
    with pytest.raises(InputError, match="KiB free in"):
        check_outputs([Output(tmp_path / "r.pdf", "the PDF")], min_free_bytes=free + 2**40)


@pytest.mark.timeout(20)  # a read that waited on the FIFO would hang here
def test_a_fifo_input_is_refused_at_once(capsys: Capture, tmp_path: Path) -> None:
    fifo = tmp_path / "answers.json"
    os.mkfifo(fifo)
    line = refused(capsys, "recommend", "--answers", str(fifo))
    assert "is a FIFO (named pipe), expected a regular file" in line


@pytest.mark.parametrize(
    ("path", "kind"), [("/dev/zero", "a character device"), ("/dev/full", "a character device")]
)
def test_a_device_input_is_refused(path: str, kind: str) -> None:
    with pytest.raises(InputError, match=f"is {kind}, expected a regular file"):
        load_answers(path)


def test_a_socket_input_is_refused(tmp_path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s"))
        with pytest.raises(InputError, match="is a socket, expected a regular file"):
            load_answers(tmp_path / "s")


@pytest.mark.parametrize(
    ("content", "named"),
    [
        (b"\xef\xbb\xbf{}", "UTF-8 with a byte-order mark"),
        ("{}".encode("utf-16"), "UTF-16"),
        ("{}".encode("utf-16-le"), "UTF-16 (no byte-order mark)"),
        ("{}".encode("utf-32"), "UTF-32"),
        (b'{"project_name": "caf\xe9"}', "not UTF-8 (byte 22 is 0xe9)"),
    ],
    ids=["utf8-bom", "utf16", "utf16-no-bom", "utf32", "latin1"],
)
def test_an_encoding_other_than_utf8_is_named(tmp_path: Path, content: bytes, named: str) -> None:
    path = tmp_path / "answers.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match="not valid JSON") as caught:
        load_answers(path)
    assert named in str(caught.value)


def test_a_duplicate_key_is_refused_naming_it(tmp_path: Path) -> None:
    text = ANSWERS.read_text().replace('"security": ', '"security": "strict", "security": ', 1)
    assert text.count('"security"') == 2
    path = tmp_path / "answers.json"
    path.write_text(text)
    with pytest.raises(InputError, match="the key 'security' appears twice"):
        load_answers(path)


def test_a_duplicate_key_deep_in_a_probe_report_is_refused(tmp_path: Path) -> None:
    from advisor.probes.report import load_probe_report

    text = PROBE_REPORT.read_text().replace(
        '"source": "/proc/meminfo"', '"source": "a", "source": "b"'
    )
    path = tmp_path / "probe.json"
    path.write_text(text)
    with pytest.raises(InputError, match="the key 'source' appears twice"):
        load_probe_report(path)


def test_a_read_only_error_is_not_called_a_permission_problem() -> None:
    from advisor.base.errors import describe_os_error

    assert describe_os_error(OSError(30, "Read-only file system")) == "the file system is read-only"
    assert describe_os_error(OSError(13, "Permission denied")) == "permission denied"


def test_the_written_json_is_whole_and_readable_by_others(answers: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    write_output(json.dumps({"a": 1}).encode(), Output(target, "the JSON"))
    assert json.loads(target.read_text()) == {"a": 1}
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(os.listdir(tmp_path)) == ["answers.json", "report.json"]


def test_the_probe_report_never_replaces_the_answers(capsys: Capture, answers: Path) -> None:
    # `probe` reads no file, so nothing but the file's content says it is the user's answers.
    before = answers.read_bytes()
    line = refused(capsys, "probe", "--json", str(answers), "--only", "container")
    assert line == (
        f"dvm-advisor: {answers}: holds the answers file, which the probe report would "
        "replace; expected a new file name, or remove that file first"
    )
    assert answers.read_bytes() == before


def test_a_report_never_replaces_an_assessment_or_a_probe_report(
    capsys: Capture, answers: Path, tmp_path: Path
) -> None:
    assessment = tmp_path / "saved.json"
    assessment.write_text(
        json.dumps({"schema_version": 1, "answers": json.loads(ANSWERS.read_text())})
    )
    probe_report = tmp_path / "probe.json"
    probe_report.write_bytes(PROBE_REPORT.read_bytes())
    for held, kind in [(assessment, "the assessment"), (probe_report, "the probe report")]:
        before = held.read_bytes()
        line = refused(capsys, "report", "--answers", str(answers), "--markdown", str(held))
        assert f"{held}: holds {kind}, which the Markdown record would replace" in line
        assert held.read_bytes() == before


def test_a_file_of_the_kind_written_or_of_no_kind_may_be_replaced(tmp_path: Path) -> None:
    earlier_probe = tmp_path / "probe.json"
    earlier_probe.write_bytes(PROBE_REPORT.read_bytes())
    notes = tmp_path / "notes.json"
    notes.write_text('{"anything": "else"}')
    check_outputs([Output(earlier_probe, "the probe report", writes="probe")])
    check_outputs([Output(notes, "the JSON")])
    with pytest.raises(InputError, match="holds the probe report"):
        check_outputs([Output(earlier_probe, "the JSON")])
