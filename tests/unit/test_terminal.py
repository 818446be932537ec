"""No escape sequence reaches the terminal, whatever the text came from; signals, a closed
pipe and a full output end the command quietly with the conventional status."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.answers import load_answers
from advisor.base.errors import InputError
from advisor.probe_command import probe_summary
from advisor.probes.report import load_probe_report
from advisor.terminal import BIDI_CONTROLS, for_terminal, is_control, json_for_terminal, say

REPO = Path(__file__).resolve().parents[2]
ANSWERS = REPO / "examples" / "linux-microservices-postgres.json"
PROBE_REPORT = REPO / "tests" / "unit" / "data" / "probe-report.json"
COMMAND = [sys.executable, "-m", "advisor"]

# What a hostile engine or file might hold: a title set (OSC ... BEL), the screen cleared
# (CSI 2J), the same through the C1 controls, and text reversed by a bidi override.
ESCAPES = "\x1b]0;owned\x07\x1b[2J\x9b2J\x9d0;x\x9c\u202egnp.exe\u2066\u2069\u0085\u2028\u2029"
DANGEROUS = [chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)]] + sorted(
    BIDI_CONTROLS | {"\u2028", "\u2029"}
)


def no_controls(text: str) -> bool:
    return not any(is_control(char) for char in text.replace("\n", ""))


@given(st.text())
def test_any_text_is_shown_without_controls_but_its_line_breaks(text: str) -> None:
    shown = for_terminal(text)
    assert no_controls(shown)
    assert shown.count("\n") == text.count("\n")


@given(st.recursive(st.text() | st.integers(), lambda inner: st.lists(inner, max_size=3)))
def test_json_for_a_terminal_is_the_same_json(value: object) -> None:
    text = json.dumps({"value": value}, indent=2, ensure_ascii=False)
    shown = json_for_terminal(text)
    assert no_controls(shown)
    assert json.loads(shown) == json.loads(text)


def test_plain_text_of_any_script_is_left_alone() -> None:
    text = "Café — 每个容器 «x» 10\u00a0MB\tok"
    assert for_terminal(text) == text.replace("\t", "\\t")


@pytest.mark.parametrize("char", DANGEROUS, ids=lambda char: f"U+{ord(char):04X}")
def test_a_project_name_with_a_control_or_bidi_character_is_refused(
    tmp_path: Path, char: str
) -> None:
    answers = json.loads(ANSWERS.read_text())
    answers["project_name"] = f"shop{char}backend"
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers))
    with pytest.raises(InputError, match="field 'project_name': expected one line of plain text"):
        load_answers(path)


def test_the_probe_summary_shows_engine_and_environment_text_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(PROBE_REPORT.read_text())
    report["host"]["docker"]["version"] = f"20.10{ESCAPES}"
    report["host"]["docker"]["endpoint"] = f"unix:///run/{ESCAPES}.sock"
    report["host"]["libvirt"]["uri"] = f"qemu:///{ESCAPES}"
    report["host"]["os"]["kernel"] = f"6.1{ESCAPES}"
    report["container"]["reason"] = f"it said {ESCAPES}"
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(report))
    for line in probe_summary(load_probe_report(path)):
        say(line)
    shown = capsys.readouterr().out
    assert no_controls(shown)
    assert "20.10\\x1b]0;owned\\x07\\x1b[2J\\x9b2J" in shown
    assert "\\u202egnp.exe" in shown


def test_a_closed_pipe_ends_quietly_with_the_sigpipe_status() -> None:
    done = subprocess.run(
        f"{sys.executable} -m advisor recommend --answers {ANSWERS} | head -c0; "
        'echo "status ${PIPESTATUS[0]}" >&2',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stderr == "status 141\n"


def test_a_full_output_is_one_line_and_status_1() -> None:
    with open("/dev/full", "w") as full:
        command = [*COMMAND, "recommend", "--answers", str(ANSWERS)]
        done = subprocess.run(command, stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr == "dvm-advisor: cannot write the output (no space left on device)\n"


def waits_on_its_input(pid: int) -> bool:
    """Whether the process is blocked reading a pipe: by the kernel's wait channel, or by the
    system call it is in (read, 0 on x86-64, from file descriptor 0)."""
    wchan = Path(f"/proc/{pid}/wchan").read_text()
    if any(word in wchan for word in ("pipe_read", "pipe_wait")):
        return True
    try:
        return Path(f"/proc/{pid}/syscall").read_text().startswith("0 0x0 ")
    except OSError:
        return False


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)]
)
def test_a_signal_while_reading_ends_quietly_with_its_status(
    signum: signal.Signals, status: int
) -> None:
    process = subprocess.Popen(
        [*COMMAND, "recommend", "--answers", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Sent once the command waits on its standard input, its signal handling in place.
        while not waits_on_its_input(process.pid):
            assert process.poll() is None, "the command ended before reading its input"
            time.sleep(0.02)
        process.send_signal(signum)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == status
    assert out == "" and err == ""
