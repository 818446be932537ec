"""A question added as data alone reaches every output: a new optional yes/no question and a rule
reading it, written into data files of the test's own (no source file changed), appear in the
app's steps, in `dvm-advisor schema answers`, in the recommendation's reasons, in the PDF's
answers section and in the Markdown decision record."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from advisor.datafiles import DATA_FOLDER_VARIABLE
from advisor.engine import advise
from advisor.report.markdown import render_markdown
from advisor.report.model import report_for
from advisor.report.pdf import write_report_pdf
from advisor.rulebook import Rulebook, load_rulebook_from
from advisor.ui.app_settings import AppSettings
from advisor.ui.main_window import MainWindow
from tests.ui.conftest import FakeProbes

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "linux-microservices-postgres.json"
QUESTION = "Must a GPU be passed through to the applications?"
STEP = "GPU"
RULE_TITLE = "A GPU passed through is a whole device for one guest"

NEW_QUESTION = f"""
[[question]]
id = "needs_gpu"
role = "decision"
step = "{STEP}"
step_zh = "GPU"
question = "{QUESTION}"
question_zh = "是否必须把 GPU 直通给应用"
explanation = "A VM can be given a whole device of the host."
explanation_zh = "可以把宿主机的一整个设备交给一台虚拟机。"
kind = "yes_no"
default = false
claims = ["VM-1"]
"""

NEW_RULE = f"""
[[rule]]
id = "gpu-passthrough-prefers-a-vm"
factor = "hardware"
title = "{RULE_TITLE}"
title_zh = "直通的 GPU 是一台客户机独占的整个设备"
claims = ["VM-1"]
condition = {{ fact = "answers.needs_gpu", op = "eq", value = true }}
effect = {{ vm = 1 }}
rationale = "A hypervisor can hand a whole device to one guest."
rationale_zh = "hypervisor 可以把一整个设备交给一台客户机。"
"""


def shipped(name: str) -> str:
    return resources.files("advisor.rules").joinpath(name).read_text(encoding="utf-8")


@pytest.fixture
def data_folder(tmp_path: Path) -> Path:
    """A folder of data files: the shipped questions and rules, each with one entry more."""
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "questions.toml").write_text(shipped("questions.toml") + NEW_QUESTION, "utf-8")
    (folder / "rules.toml").write_text(shipped("rules.toml") + NEW_RULE, "utf-8")
    return folder


@pytest.fixture
def rulebook(data_folder: Path) -> Rulebook:
    claims = Path(str(resources.files("advisor.rules").joinpath("claims.toml")))
    return load_rulebook_from(data_folder / "rules.toml", claims, data_folder / "questions.toml")


def run_cli(data_folder: Path, *args: str) -> str:
    environment = {**os.environ, DATA_FOLDER_VARIABLE: str(data_folder)}
    result = subprocess.run(
        [sys.executable, "-m", "advisor", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_the_new_question_is_a_step_of_the_app(
    qtbot: QtBot, rulebook: Rulebook, settings: AppSettings, fake_probes: FakeProbes
) -> None:
    window = MainWindow(rulebook=rulebook, settings=settings, run_probes=fake_probes)
    qtbot.addWidget(window)
    labels = [window.steps.item(row).text() for row in range(window.steps.count())]
    assert STEP in labels
    window.go_to("needs_gpu")
    page = window.question_page("needs_gpu")
    assert page.requirement.text() == "Optional · default: No"
    page.input.set_value(True)
    window.document.set_value("needs_gpu", True)
    assert window.document.value("needs_gpu") is True
    window.probe_page.shutdown(5_000)


def test_the_new_question_is_in_the_json_schema(data_folder: Path) -> None:
    schema = json.loads(run_cli(data_folder, "schema", "answers"))
    entry = schema["oneOf"][0]["properties"]["needs_gpu"]
    assert entry["title"] == QUESTION and entry["type"] == "boolean"
    assert entry["default"] is False and entry["claims"] == ["VM-1"]


def test_the_rule_reading_it_gives_a_reason_in_every_output(
    data_folder: Path, rulebook: Rulebook, tmp_path: Path
) -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    answers = rulebook.questions.answers_model.model_validate_json(
        json.dumps({**document, "needs_gpu": True})
    )
    recommendation = advise(answers, rulebook=rulebook)
    reason = next(r for r in recommendation.reasons if r.rule_id == "gpu-passthrough-prefers-a-vm")
    assert [trigger.fact for trigger in reason.triggers] == ["answers.needs_gpu"]

    view = report_for(answers, rulebook=rulebook)
    entry = next(r for r in view.reasons if r.title == RULE_TITLE)
    assert entry.because == f"{STEP}: Yes"
    assert any(row.question == QUESTION and row.answer == "Yes" for row in view.answers)

    pdf = tmp_path / "report.pdf"
    write_report_pdf(view, pdf)
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert QUESTION in text and RULE_TITLE in text

    record = render_markdown(view)
    assert f"| {QUESTION} | Yes |" in record
    assert RULE_TITLE in record

    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({**document, "needs_gpu": True}), encoding="utf-8")
    assert RULE_TITLE in run_cli(data_folder, "recommend", "--answers", str(answers_file))
