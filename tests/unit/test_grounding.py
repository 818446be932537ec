"""The article's measurable claims checked against probe facts."""

from __future__ import annotations

from typing import get_args

import pytest

from advisor.facts import ProbeFacts, ProbeOutcome
from advisor.grounding import ClaimCheck, check_claims, format_bytes, format_seconds
from advisor.probes.models import ProbeStatus
from advisor.rulebook import load_rulebook

# Figures of the kind measured on a workstation without usable KVM.
MEASURED = ProbeFacts(
    host_os="linux",
    docker_engine_reachable=True,
    container_probe_status="ok",
    vm_probe_status="ok",
    vm_accelerator="tcg",
    kvm_usable=False,
    container_shares_host_kernel=True,
    container_start_seconds=0.37,
    vm_boot_seconds=7.2,
    container_cpu_ratio=1.03,
    vm_cpu_ratio=6.5,
    image_bytes=1_300_000,
    vm_disk_bytes=15_000_000,
    container_memory_bytes=1_000_000,
    vm_memory_bytes=180_000_000,
)


def find(checks: tuple[ClaimCheck, ...], claim_id: str, aspect: str) -> ClaimCheck:
    return next(c for c in checks if c.claim_id == claim_id and c.aspect == aspect)


def test_probe_outcomes_match_the_probe_status_values() -> None:
    assert set(get_args(ProbeOutcome)) == {status.value for status in ProbeStatus}


def test_every_measurable_claim_is_checked() -> None:
    measurable = {c.id for c in load_rulebook().claims.values() if c.measurable} - {"CT-1"}
    assert {check.claim_id for check in check_claims(ProbeFacts())} == measurable


def test_nothing_measured_means_not_measured_everywhere() -> None:
    checks = check_claims(ProbeFacts())
    assert all(check.verdict == "not_measured" and check.measured is None for check in checks)
    assert all(check.explanation.startswith("Not measured here: ") for check in checks)


@pytest.mark.parametrize(
    ("claim_id", "aspect", "verdict", "measured"),
    [
        ("VM-1", "hypervisor and accelerator", "holds", "software emulation (TCG)"),
        ("CT-2", "memory per instance", "holds", "container 976.6 KiB, VM 171.7 MiB"),
        ("CT-3", "container on the host's kernel", "holds", "same kernel as the host"),
        ("CMP-COMPAT", "Docker on this host", "holds", "sample container ran on Linux"),
        ("CMP-SIZE", "image size", "does_not_hold", "1.2 MiB"),
        ("CMP-SIZE", "VM disk against image", "holds", "VM 14.3 MiB, image 1.2 MiB"),
        ("CMP-PERF", "container start", "does_not_hold", "370 ms"),
        ("CMP-PERF", "VM boot against container start", "holds", "VM 7.2 s, container 370 ms"),
        ("CMP-PERF", "CPU time against native", "holds", "about as long as on the host"),
        ("CMP-SEC", "container on the host's kernel", "holds", "same kernel as the host"),
        (
            "CMP-REPL",
            "memory and disk per instance",
            "holds",
            "container 2.2 MiB (memory 976.6 KiB and image 1.2 MiB), "
            "VM 186.0 MiB (memory 171.7 MiB and kernel and initramfs 14.3 MiB)",
        ),
    ],
)
def test_measured_figures_against_the_article(
    claim_id: str, aspect: str, verdict: str, measured: str
) -> None:
    check = find(check_claims(MEASURED), claim_id, aspect)
    assert (check.verdict, check.measured) == (verdict, measured)
    assert check.article_says and check.explanation


def test_the_article_is_contradicted_where_this_host_disagrees() -> None:
    facts = MEASURED.model_copy(
        update={
            "container_cpu_ratio": 1.4,
            "container_shares_host_kernel": False,
            "vm_boot_seconds": 0.03,
            "image_bytes": 40_000,
            "vm_disk_bytes": 30_000,
            "container_memory_bytes": 200_000_000,
            "container_start_seconds": 0.05,
        }
    )
    checks = check_claims(facts)
    assert find(checks, "CMP-PERF", "CPU time against native").verdict == "does_not_hold"
    assert find(checks, "CMP-SEC", "container on the host's kernel").verdict == "does_not_hold"
    assert find(checks, "CMP-PERF", "VM boot against container start").verdict == "does_not_hold"
    assert find(checks, "CMP-SIZE", "VM disk against image").verdict == "does_not_hold"
    assert find(checks, "CT-2", "memory per instance").verdict == "does_not_hold"
    assert find(checks, "CMP-REPL", "memory and disk per instance").verdict == "does_not_hold"
    assert find(checks, "CMP-SIZE", "image size").verdict == "holds"
    assert find(checks, "CMP-PERF", "container start").verdict == "holds"


def test_vm_that_did_not_boot_is_not_measured_not_refuted() -> None:
    facts = MEASURED.model_copy(update={"vm_probe_status": "failed"})
    check = find(check_claims(facts), "VM-1", "hypervisor and accelerator")
    assert check.verdict == "not_measured"
    assert "did not boot" in check.explanation


def test_hardware_acceleration_is_named() -> None:
    facts = MEASURED.model_copy(update={"vm_accelerator": "kvm"})
    check = find(check_claims(facts), "VM-1", "hypervisor and accelerator")
    assert "KVM" in check.explanation and "pessimistic" not in check.explanation


def test_partly_measured_pairs_are_not_measured() -> None:
    checks = check_claims(ProbeFacts(image_bytes=1_000, container_start_seconds=0.3))
    assert find(checks, "CMP-SIZE", "image size").verdict == "holds"
    assert find(checks, "CMP-SIZE", "VM disk against image").verdict == "not_measured"
    assert find(checks, "CMP-PERF", "VM boot against container start").verdict == "not_measured"


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KiB"), (5 * 1024**2, "5.0 MiB"),
     (3 * 1024**3, "3.0 GiB"), (5000 * 1024**3, "5000.0 GiB")],
)  # fmt: skip
def test_format_bytes(count: int, text: str) -> None:
    assert format_bytes(count) == text


@pytest.mark.parametrize(("seconds", "text"), [(0.0042, "4 ms"), (0.999, "999 ms"), (75, "75.0 s")])
def test_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text


def test_the_few_kilobytes_overstatement_is_qualified_wherever_it_is_quoted() -> None:
    claim = load_rulebook().claims["CMP-SIZE"]
    assert any("几千字节" in sentence for sentence in claim.original)
    assert claim.qualification is not None and "alpine" in claim.qualification
    assert claim.reading.startswith(claim.digest) and claim.qualification in claim.reading
    size_checks = [
        check
        for check in check_claims(ProbeFacts(image_bytes=2_000_000))
        if "kilobytes" in check.article_says
    ]
    assert size_checks and all("megabytes" in check.article_says for check in size_checks)
    assert all("alpine" in check.explanation for check in size_checks)
