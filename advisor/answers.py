"""The answers a team gives about its project: a public, versioned JSON file format.

Each field is one question. Its `title` is the question, its `description` a one-line
explanation, and `json_schema_extra["claims"]` the article's claim IDs that make the question
matter: the GUI, the JSON Schema and the rule checks all read them from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from pydantic import ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from advisor.errors import load_json_model
from advisor.modelbase import FrozenModel
from advisor.terminal import is_control

HostOS = Literal["linux", "windows", "macos"]
AppOS = Literal["linux", "windows", "macos", "other"]
SecurityLevel = Literal["standard", "elevated", "strict"]

PROJECT_NAME_MAX_CHARS = 120
MAX_APP_COUNT = 10_000


def _claims(*claim_ids: str) -> JsonDict:
    return {"claims": [*claim_ids]}


class Answers(FrozenModel):
    """One team's answers; the input of every recommendation."""

    model_config = ConfigDict(strict=True, title="dvm-advisor answers")

    schema_version: Literal[1] = Field(
        title="Format version",
        description="Version of this file format; 1 is the only version so far.",
    )
    project_name: str | None = Field(
        default=None,
        max_length=PROJECT_NAME_MAX_CHARS,
        title="Project name",
        description="Free text shown in reports; optional.",
    )
    host_os: HostOS = Field(
        title="Which operating system runs on the machine that will host the applications?",
        description="Containers share this host's kernel; a VM brings its own operating system.",
        json_schema_extra=_claims("CT-3", "CMP-COMPAT"),
    )
    app_oses: tuple[AppOS, ...] = Field(
        # At least one: checked below, to say so in plain words; minItems tells the schema.
        max_length=len(get_args(AppOS)),
        title="Which operating systems do the applications need?",
        description="Each VM can run a different OS; Docker containers run Linux distributions.",
        json_schema_extra={**_claims("VM-2", "CMP-COMPAT"), "minItems": 1},
    )
    security: SecurityLevel = Field(
        title="How strict are the security constraints?",
        description="Strict: sensitive applications under strict constraints, where the "
        "article advises a VM.",
        json_schema_extra=_claims("CMP-SEC", "CT-1"),
    )
    app_count: int = Field(
        ge=1,
        le=MAX_APP_COUNT,
        title="How many applications must run?",
        description="One VM per application grows costly as the count rises.",
        json_schema_extra=_claims("CMP-REPL"),
    )
    dependency_conflicts: bool = Field(
        title="Do applications need different versions of the same software?",
        description="The article's example: two applications needing different PostgreSQL "
        "versions.",
        json_schema_extra=_claims("ENV-2"),
    )
    fast_startup_matters: bool = Field(
        default=False,
        title="Must environments start quickly?",
        description="Containers start in moments; a VM boots a whole operating system.",
        json_schema_extra=_claims("CMP-PERF", "CT-2"),
    )
    resources_scarce: bool = Field(
        default=False,
        title="Are memory, CPU or disk scarce?",
        description="Containers share the host kernel and are small; VM instances can be "
        "gigabytes.",
        json_schema_extra=_claims("CT-2", "CMP-SIZE"),
    )
    replicate_across_machines: bool = Field(
        default=False,
        title="Must the same environment be replicated on many machines?",
        description="Every developer and every server needs the same environment.",
        json_schema_extra=_claims("ENV-1", "CMP-REPL"),
    )
    needs_own_kernel: bool = Field(
        default=False,
        title="Do the applications need their own kernel or kernel modules?",
        description="A container uses the host's kernel; only a VM boots a kernel of its own.",
        json_schema_extra=_claims("CT-3", "CMP-VIRT", "VM-1"),
    )

    @field_validator("project_name")
    @classmethod
    def _one_line_of_text(cls, value: str | None) -> str | None:
        # Control characters (C0, DEL, C1), other line breaks and bidirectional controls
        # could rewrite or reorder what a terminal or a report shows around the name.
        if value is not None and any(is_control(char) for char in value):
            raise ValueError(
                "expected one line of plain text, without control characters, line "
                "separators or bidirectional controls"
            )
        return value

    @field_validator("app_oses")
    @classmethod
    def _each_os_once(cls, value: tuple[AppOS, ...]) -> tuple[AppOS, ...]:
        if not value:
            raise ValueError("choose at least one operating system")
        if len(set(value)) != len(value):
            raise ValueError("expected each operating system at most once")
        return value


class Question(FrozenModel):
    """One question of the answers form, for display."""

    field: str
    title: str
    explanation: str
    claims: tuple[str, ...]


def questions() -> tuple[Question, ...]:
    """The questions a user answers, in form order, with the claims behind each."""
    table = []
    for name, info in Answers.model_fields.items():
        extra = info.json_schema_extra
        if not isinstance(extra, dict):
            continue
        claims = extra.get("claims")
        table.append(
            Question(
                field=name,
                title=info.title or name,
                explanation=info.description or "",
                claims=tuple(str(claim) for claim in claims) if isinstance(claims, list) else (),
            )
        )
    return tuple(table)


def load_answers(source: str | Path) -> Answers:
    """Load answers from a JSON file, or standard input when `source` is '-'.

    Raises InputError with one line naming the field and what was expected.
    """
    return load_json_model(Answers, source)
