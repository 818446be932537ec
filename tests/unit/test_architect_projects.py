"""The reference projects of the decision model are coherent, before any engine is held to them.

Each project's advice must be a verdict kind, must not also be listed as wrong, and must cite
the article's claims by IDs that exist; a split says which applications go where, and an
advice that nothing serves says what would.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECTS_FILE = ROOT / "tests" / "unit" / "data" / "architect_projects.toml"
CLAIMS_FILE = ROOT / "rules" / "claims.toml"

VERDICT_KINDS = {"container", "vm", "containers_in_vms", "split", "host", "none"}
LEVELS = ["low", "medium", "high"]
CONFIDENCES = set(LEVELS)
REQUIRED_KEYS = {"id", "story", "facts", "advice", "acceptable", "never", "confidence", "why"}
ARTICLE_SOURCE = re.compile(r"^article: (?P<ids>[A-Z0-9-]+(?:, [A-Z0-9-]+)*)$")


def load_projects() -> list[dict[str, Any]]:
    projects: list[dict[str, Any]] = tomllib.loads(PROJECTS_FILE.read_text("utf-8"))["project"]
    return projects


def claim_ids() -> set[str]:
    return {claim["id"] for claim in tomllib.loads(CLAIMS_FILE.read_text("utf-8"))["claim"]}


PROJECTS = load_projects()


def test_there_are_at_least_thirty_projects_with_distinct_ids() -> None:
    ids = [project["id"] for project in PROJECTS]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("project", PROJECTS, ids=lambda project: project["id"])
def test_each_project_is_coherent(project: dict[str, Any]) -> None:
    assert project.keys() >= REQUIRED_KEYS
    advice = project["advice"]
    assert advice in VERDICT_KINDS
    assert set(project["acceptable"]) <= VERDICT_KINDS
    assert set(project["never"]) <= VERDICT_KINDS
    assert advice not in project["never"]
    assert advice not in project["acceptable"]
    assert not set(project["acceptable"]) & set(project["never"])
    assert project["confidence"] in CONFIDENCES
    also = project.get("confidence_acceptable", [])
    # Only a neighbouring level, and only with the reason written down.
    assert all(
        abs(LEVELS.index(level) - LEVELS.index(project["confidence"])) == 1 for level in also
    )
    assert bool(also) == bool(project.get("confidence_why", "").strip())
    assert project["facts"]["app_count"] >= 1
    if advice == "split":
        # A part may be one that nothing on these hosts serves; another part is served.
        assert set(project["split"]) <= VERDICT_KINDS - {"split"}
        assert len(project["split"]) >= 2
    if advice == "none" or "none" in project.get("split", {}):
        assert project["instead"].strip()


@pytest.mark.parametrize("project", PROJECTS, ids=lambda project: project["id"])
def test_each_project_cites_claims_that_exist(project: dict[str, Any]) -> None:
    known = claim_ids()
    article_sources = [ARTICLE_SOURCE.match(source) for source in project["sources"]]
    cited = {
        claim
        for match in article_sources
        if match is not None
        for claim in match["ids"].split(", ")
    }
    assert cited, "every project rests on at least one of the article's claims"
    assert cited <= known
