"""The probe report: everything one probe run learned about a workstation, in one document.

`dvm-advisor probe --json` writes it, the app shows it and saves it in an assessment, and
`recommend --probe` and `report --probe` read it, also from another workstation. The runner
(probes/suite.py) makes it; nothing here runs a probe. Reports of earlier versions, which
kept copies of what is derived now, still load.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator

from advisor.base.errors import load_json_model
from advisor.base.i18n import DEFAULT_LANGUAGE, Language
from advisor.base.models import FrozenModel
from advisor.probes.host_models import HostFacts
from advisor.probes.models import MAX_RUNS, MAX_TIMEOUT_SECONDS, without_copies
from advisor.probes.quantities import ElapsedSeconds, FilePath, Label, Text
from advisor.probes.results import ContainerResult, VmResult


class ProbeSettings(FrozenModel):
    """What the user chose for a probe run; None means each probe's own default."""

    runs: int | None = Field(default=None, ge=1, le=MAX_RUNS)
    only: Literal["container", "vm"] | None = None
    # The longest any one wait may take: a call to a daemon, a container run, a guest boot.
    timeout_seconds: float | None = Field(default=None, gt=0, le=MAX_TIMEOUT_SECONDS)
    libvirt_uri: Text | None = None
    image: Text | None = None  # an image already in the engine, instead of the sample
    kernel_path: FilePath | None = None
    initrd_path: FilePath | None = None
    try_kvm: bool = True  # off: the VM probe goes straight to software emulation
    # Off: the VM probe uses a kernel already cached, configured or in /boot, and never
    # downloads the distribution's kernel package.
    allow_kernel_download: bool = True


class ToolVersions(FrozenModel):
    """The software of this app that took the measurements; the engine's, libvirt's and the
    hypervisor's versions are in the host facts."""

    dvm_advisor: Label
    python: Label
    docker_sdk: Label | None
    libvirt_python: Label | None

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports copied these from the host facts.
        return without_copies(data, ("docker_engine", "libvirt", "hypervisor"))


class ProbeReport(FrozenModel):
    """Everything one probe run learned about this workstation."""

    schema_version: Literal[1] = 1
    taken_at: datetime
    tool_versions: ToolVersions
    settings: ProbeSettings
    host: HostFacts
    container: ContainerResult | None  # None when not asked for (--only vm)
    vm: VmResult | None  # None when not asked for (--only container)
    wall_seconds: ElapsedSeconds
    # The language the probes wrote their reasons, fixes and notes in; they are kept as
    # written. Reports made before it was recorded were all written in English.
    language: Language = DEFAULT_LANGUAGE

    @model_validator(mode="before")
    @classmethod
    def _forget_copies(cls, data: Any) -> Any:
        # Earlier reports kept the host name here as well as in the host facts.
        return without_copies(data, ("hostname",))

    @property
    def hostname(self) -> str:
        """The workstation's name, as its host facts read it."""
        return self.host.hostname

    @property
    def kvm_usable(self) -> bool | None:
        """Whether a KVM guest reached its boot marker in the VM probe; None when not tried."""
        return self.vm.kvm_usable if self.vm is not None else None

    @property
    def kvm_usable_source(self) -> str | None:
        """What `kvm_usable` rests on, in a phrase."""
        if self.kvm_usable is None:
            return None
        verdict = "reached" if self.kvm_usable else "did not reach"
        return f"VM probe: a KVM guest {verdict} its boot marker"


def load_probe_report(path: str | Path) -> ProbeReport:
    """Read a report written by `dvm-advisor probe --json`; raises InputError in one line."""
    return load_json_model(ProbeReport, path)
