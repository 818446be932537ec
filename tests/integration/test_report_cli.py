"""The headless job end to end, as `make run` starts it where no display exists: real probes
through the real daemons, `report --run-probes` for the bundled example, the PDF read back as
a reader extracts it, and page one rendered to pixels."""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from advisor.grounding import format_seconds
from advisor.report import ReportDocument

pytestmark = [pytest.mark.docker, pytest.mark.libvirt]

ADVISOR = [sys.executable, "-m", "advisor"]
PROBE_RUN_TIMEOUT = 300


def run(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ADVISOR, *arguments],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=PROBE_RUN_TIMEOUT,
        check=False,
    )


def squeezed(text: str) -> str:
    """Text without whitespace or the NULs pypdf puts before each CJK glyph."""
    return "".join(text.replace("\x00", "").split())


def page_one_pixels(pdf: Path) -> tuple[int, int, bytes]:
    """Page one as RGB bytes, rendered by pdftoppm as a binary PPM (P6)."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm not found: install poppler-utils (scripts/provision-host test)")
    ppm = subprocess.run(
        ["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    # Header: "P6", width, height, maximum value, each followed by one whitespace byte.
    fields: list[bytes] = []
    position = 0
    while len(fields) < 4:
        while ppm[position : position + 1].isspace():
            position += 1
        end = position
        while not ppm[end : end + 1].isspace():
            end += 1
        fields.append(ppm[position:end])
        position = end
    assert fields[0] == b"P6" and fields[3] == b"255"
    width, height = int(fields[1]), int(fields[2])
    pixels = ppm[position + 1 :]
    assert len(pixels) == width * height * 3
    return width, height, pixels


@pytest.fixture(scope="module")
def headless(
    docker_client: Any, libvirt_conn: Any, tmp_path_factory: pytest.TempPathFactory
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The headless job, run once with real probes; its output and its report folder."""
    home = tmp_path_factory.mktemp("home")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    result = run("headless", env=env)
    assert result.returncode == 0, result.stderr
    return result, home / ".local" / "share" / "dvm-advisor" / "reports"


def test_the_headless_job_says_where_the_pdf_is(
    headless: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, folder = headless
    pdf = folder / "example-report.pdf"
    assert f"PDF report written to {pdf}" in result.stdout
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert "[container]" in result.stderr and "[vm]" in result.stderr


def test_the_pdf_shows_what_the_probes_measured(
    headless: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, folder = headless
    document = ReportDocument.model_validate_json((folder / "example-report.json").read_text())
    assert document.probe is not None and document.probe.hostname == socket.gethostname()
    assert [figure.kind for figure in document.startup] == ["container", "vm"]
    pages = PdfReader(folder / "example-report.pdf").pages
    text = squeezed("".join(page.extract_text() for page in pages))
    assert squeezed(document.verdict_sentence) in text
    for reason in document.reasons:
        assert reason.rule_id in text
        assert squeezed(reason.excerpt.original) in text
    for figure in document.startup:
        assert squeezed(format_seconds(figure.median_seconds)) in text
    for line in document.grounding:
        if line.measured is not None:
            assert squeezed(line.measured) in text


def test_page_one_renders_to_a_page_that_is_not_blank(
    headless: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, folder = headless
    width, height, pixels = page_one_pixels(folder / "example-report.pdf")
    assert width < height  # portrait
    grey = [sum(pixels[index : index + 3]) // 3 for index in range(0, len(pixels), 3)]
    inked = sum(value < 200 for value in grey) / len(grey)
    # Text, the verdict box and the charts ink a fair share of the page; a blank page inks none.
    assert 0.03 < inked < 0.6, inked
    assert statistics.pstdev(grey) > 20
    # The verdict box and the score bars are in colour, not only black text.
    coloured = sum(
        max(pixels[index : index + 3]) - min(pixels[index : index + 3]) > 60
        for index in range(0, len(pixels), 3)
    )
    assert coloured > 500
