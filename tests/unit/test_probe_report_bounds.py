"""A probe report holds only figures that can be: each impossible one is refused in one line
naming its field, and the report before the change loads."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from advisor.base.errors import InputError
from advisor.probes.quantities import LABEL_CHARS, MAX_ITEMS, TEXT_CHARS
from advisor.probes.report import load_probe_report

DATA = Path(__file__).parent / "data"
VALID: dict[str, Any] = json.loads((DATA / "probe-report.json").read_text())

# (where, the impossible value written there as JSON text); where is a dotted path.
IMPOSSIBLE = [
    ("container.image_bytes", "-1"),
    ("container.start_seconds.median", "-0.1"),
    ("container.start_seconds.min", "0"),
    ("container.start_seconds.max", "1e309"),
    ("container.start_seconds.median", "NaN"),
    ("container.start_seconds.max", "Infinity"),
    ("container.start_seconds.min", "-Infinity"),
    ("container.start_seconds.median", "5"),  # above max: out of order
    ("container.start_seconds.runs", "0"),
    ("container.memory_bytes.median", "-1"),
    ("container.cpu_ratio", "0"),
    ("container.cpu_ratio", "-2"),
    ("container.cpu_ratio", "NaN"),
    ("container.cpu_ratio", "1e309"),
    ("container.wall_seconds", "-1"),
    ("container.runs", "0"),
    ("vm.boot_seconds.median", "0"),
    ("vm.boot_seconds.min", "0"),
    ("vm.boot_seconds.max", "1e12"),
    ("vm.cpu_ratio", "0"),
    ("vm.disk_bytes", "-5"),
    ("vm.hypervisor_rss_bytes", "1e309"),
    ("vm.wall_seconds", "NaN"),
    ("host.memory.total_bytes", "-1"),
    ("host.cpu.count", "0"),
    ("wall_seconds", "-0.5"),
]

TOO_LONG = [
    ("container.reason", TEXT_CHARS + 1),
    ("vm.fix", TEXT_CHARS + 1),
    ("host.docker.version", LABEL_CHARS + 1),
    ("host.hostname", LABEL_CHARS + 1),
    ("host.os.source", TEXT_CHARS + 1),
]


def _set(document: dict[str, Any], where: str, raw: str) -> str:
    """`document` as JSON text with the value at `where` replaced by the JSON text `raw`."""
    changed = copy.deepcopy(document)
    *parents, last = where.split(".")
    node = changed
    for part in parents:
        node = node[part]
    node[last] = "__PLACEHOLDER__"
    return json.dumps(changed).replace('"__PLACEHOLDER__"', raw)


def _refusal(tmp_path: Path, text: str) -> str:
    path = tmp_path / "report.json"
    path.write_text(text)
    with pytest.raises(InputError) as refused:
        load_probe_report(path)
    message = str(refused.value)
    assert "\n" not in message
    return message


def test_the_report_the_changes_start_from_loads(tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(VALID))
    assert load_probe_report(path).container is not None


@pytest.mark.parametrize(("where", "raw"), IMPOSSIBLE)
def test_an_impossible_figure_is_refused_naming_its_field(
    tmp_path: Path, where: str, raw: str
) -> None:
    message = _refusal(tmp_path, _set(VALID, where, raw))
    field = where.rsplit(".", 1)[0] if where.split(".")[-1] in {"median", "min", "max"} else where
    assert f"'{field}" in message


@pytest.mark.parametrize(("where", "length"), TOO_LONG)
def test_an_overlong_text_is_refused_naming_its_field(
    tmp_path: Path, where: str, length: int
) -> None:
    message = _refusal(tmp_path, _set(VALID, where, json.dumps("x" * length)))
    assert f"'{where}'" in message
    assert "at most" in message


def test_an_overlong_list_is_refused_naming_its_field(tmp_path: Path) -> None:
    notes = json.dumps(["a note"] * (MAX_ITEMS + 1))
    message = _refusal(tmp_path, _set(VALID, "container.notes", notes))
    assert "'container.notes'" in message
