"""The probe report as the advice reads it: the one place advisor/ and ui/ import it from.

Importing this module loads the probe package (and with it the Docker SDK): modules that
only need the type import it under TYPE_CHECKING, and the rest import it when used.
"""

from advisor.probes.models import Stats
from advisor.probes.suite import ProbeReport, load_probe_report

__all__ = ["ProbeReport", "Stats", "load_probe_report"]
