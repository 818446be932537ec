"""Where the Docker engine runs as root, the probe's summary and the advice say plainly that
reaching its socket (the docker group) is equivalent to root on the host; where it runs
rootless, neither says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.answers import load_answers
from advisor.engine import advise
from advisor.probe_command import probe_summary
from advisor.probes.report import ProbeReport, load_probe_report

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[2] / "examples"
WARNING = (
    "Membership of the 'docker' group (which may use /var/run/docker.sock) is equivalent to "
    "root on this host: whoever can reach the socket can start a container that mounts the "
    "host's root file system."
)


def report_with_engine(rootless: bool) -> ProbeReport:
    report = load_probe_report(DATA / "probe-report.json")
    docker = report.host.docker.model_copy(
        update={
            "rootless": rootless,
            "root_equivalent": not rootless,
            "root_warning": None if rootless else WARNING,
        }
    )
    return report.model_copy(update={"host": report.host.model_copy(update={"docker": docker})})


@pytest.mark.parametrize("security", ["standard", "strict"])
def test_a_rootful_engine_is_said_to_make_the_docker_group_root(security: str) -> None:
    report = report_with_engine(rootless=False)
    answers = load_answers(EXAMPLES / "linux-microservices-postgres.json")
    answers = answers.model_copy(update={"security": security})

    advice = advise(answers, report)

    assert f"Docker engine: {WARNING}" in probe_summary(report)
    caveats = [
        caveat for caveat in advice.caveats if caveat.rule_id == "probe-docker-group-is-root"
    ]
    assert len(caveats) == 1
    assert "docker group on this workstation is equivalent to root" in caveats[0].text


def test_a_rootless_engine_is_not_said_to_be_root() -> None:
    report = report_with_engine(rootless=True)
    answers = load_answers(EXAMPLES / "linux-microservices-postgres.json")

    advice = advise(answers, report)

    assert not any(line.startswith("Docker engine:") for line in probe_summary(report))
    assert "probe-docker-group-is-root" not in {caveat.rule_id for caveat in advice.caveats}
