"""Any probe report either loads and renders everywhere it is shown (the `probe` summary, the
advice as text, the PDF, the Markdown record, the app's probe outcomes and host facts) or is
refused in one line; none raises anything else. A report at every bound stays a short PDF."""

from __future__ import annotations

import io
import json
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import MaxLen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pypdf import PdfReader

from advisor.answers import Answers
from advisor.base.errors import InputError
from advisor.probe_command import probe_summary
from advisor.probe_results import ProbeReport, load_probe_report
from advisor.probes.quantities import TEXT_CHARS
from advisor.report.markdown import render_markdown
from advisor.report.pdf import render_report_pdf
from advisor.report.probe_view import probe_outcomes, probe_section
from advisor.report.text import render_text
from advisor.rulebook import Rulebook
from advisor.terminal import for_terminal, is_control
from tests.unit.report.conftest import PROBE_REPORT, report_for

VALID: dict[str, Any] = json.loads(PROBE_REPORT.read_text())
# A report whose every text and list is at its bound: far more than any probe says.
MAX_PDF_PAGES = 32  # four options weighed, each with its bars and its pros and cons

figures = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.sampled_from([0, -0.0, 1e-300, 5e-324, 1e308, 2**63, 2**63 - 1])
)
texts = (
    st.text(max_size=50)
    | st.sampled_from(["\x1b]0;title\x07\x1b[2J", "\u202eexe.txt", "\x9b2J", "a\u2028b"])
    | st.integers(min_value=0, max_value=TEXT_CHARS + 10).map(lambda n: "w " * (n // 2))
)


def leaves(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every number and text in a JSON document, with where it is."""
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in leaves(value, (*path, index))]
    if isinstance(node, bool) or node is None:
        return []
    return [(path, node)]


LEAVES = leaves(VALID)


@st.composite
def changed_reports(draw: st.DrawFn) -> str:
    """The valid report with a few of its numbers and texts replaced by anything at all."""
    document = json.loads(json.dumps(VALID))
    for path, value in draw(st.lists(st.sampled_from(LEAVES), min_size=1, max_size=6)):
        node = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = draw(texts if isinstance(value, str) else figures)
    return json.dumps(document)


def render_everywhere(report: ProbeReport, answers: Answers, rulebook: Rulebook) -> bytes:
    """Every view of a report; returns the PDF."""
    shown = "\n".join(for_terminal(line) for line in probe_summary(report))
    assert not any(is_control(char) for char in shown.replace("\n", ""))
    probe_outcomes(report)
    probe_section(report)
    document = report_for(answers, rulebook, report)
    render_text(document)
    render_markdown(document)
    return render_report_pdf(document)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=changed_reports())
def test_any_report_renders_everywhere_or_is_refused_in_one_line(
    tmp_path: Path, answers: Answers, rulebook: Rulebook, text: str
) -> None:
    path = tmp_path / "probe.json"
    path.write_text(text)
    try:
        report = load_probe_report(path)
    except InputError as refused:
        assert "\n" not in str(refused)
        return
    data = render_everywhere(report, answers, rulebook)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def maximal_report() -> dict[str, Any]:
    """The valid report with every bounded text at its longest (one unbroken word, the
    hardest case for line breaking) and every bounded list full, read from the model."""
    document: dict[str, Any] = at_bound(ProbeReport, json.loads(json.dumps(VALID)))
    return document


def at_bound(annotation: Any, value: Any) -> Any:
    """`value` with what `annotation` bounds pushed to its bound."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if not isinstance(value, dict):
            return value
        fields = annotation.model_fields
        return {
            name: at_bound(_annotated(fields[name]), item) if name in fields else item
            for name, item in value.items()
        }
    origin, arguments = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        base, *metadata = arguments
        limits = [
            limit.max_length
            for meta in metadata
            for limit in [meta, *getattr(meta, "metadata", [])]
            if isinstance(limit, MaxLen)
        ]
        if limits and isinstance(value, str):
            return "w" * limits[0]
        if limits and isinstance(value, list):
            # Filled with copies of its first item at their bound, or with texts.
            item = get_args(base)[0]
            sample = at_bound(item, value[0] if value else "x")
            return [sample] * limits[0] if isinstance(sample, str) or value else value
        return at_bound(base, value)
    if origin in (Union, UnionType):
        arms = [arm for arm in arguments if arm is not type(None)]
        return at_bound(arms[0], value) if len(arms) == 1 else value
    if origin in (list, tuple) and isinstance(value, list) and arguments:
        return [at_bound(arguments[0], item) for item in value]
    return value


def _annotated(field: FieldInfo) -> Any:
    """A field's type with its own constraints put back around it."""
    if field.metadata:
        return Annotated[(field.annotation, *field.metadata)]
    return field.annotation


def test_a_report_at_every_bound_is_a_pdf_of_a_few_pages(
    tmp_path: Path, answers: Answers, rulebook: Rulebook
) -> None:
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(maximal_report()))
    report = load_probe_report(path)
    data = render_everywhere(report, answers, rulebook)
    pages = len(PdfReader(io.BytesIO(data)).pages)
    assert pages <= MAX_PDF_PAGES
