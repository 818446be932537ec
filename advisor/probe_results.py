"""The probe report as the advice reads it: the one place advisor/ and ui/ import it from.

It loads only the report's models (probes/report.py), never a probe runner, the Docker SDK
or libvirt: the runners depend on these models, not the other way round.
"""

from advisor.probes.models import Stats
from advisor.probes.report import ProbeReport, load_probe_report
from advisor.probes.results import ContainerResult

__all__ = ["ContainerResult", "ProbeReport", "Stats", "load_probe_report"]
