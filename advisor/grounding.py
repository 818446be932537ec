"""The article's measurable claims beside what the probes measured on this workstation.

Each check states what the article says, the figure measured here, and whether the figure
bears the claim out. Where this host disagrees with the article, the check says so plainly;
where nothing was measured, it says that instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from advisor.base.i18n import N_, _
from advisor.base.models import FrozenModel
from advisor.facts import ProbeFacts

CheckVerdict = Literal["holds", "does_not_hold", "not_measured"]

# "几千字节" (a few kilobytes): anything up to this size still reads as kilobytes.
FEW_KILOBYTES = 100 * 1000
# "几毫秒" (a few milliseconds): a start within this counts as milliseconds.
FEW_MILLISECONDS = 0.1
# "接近原生的性能" (near-native performance): at most this much slower than native.
NEAR_NATIVE_RATIO = 1.10


class ClaimCheck(FrozenModel):
    """One measurable aspect of one claim, checked against this host."""

    claim_id: str
    aspect: str
    article_says: str
    measured: str | None
    verdict: CheckVerdict
    explanation: str


@dataclass(frozen=True)
class _Finding:
    measured: str
    holds: bool
    explanation: str


@dataclass(frozen=True)
class _Check:
    claim_id: str
    aspect: str
    article_says: str
    missing: str  # what was not measured, when `find` has nothing to go on
    find: Callable[[ProbeFacts], _Finding | None]

    def run(self, facts: ProbeFacts) -> ClaimCheck:
        finding = self.find(facts)
        if finding is None:
            verdict: CheckVerdict = "not_measured"
            explanation = _("Not measured here: {what}.").format(what=_(self.missing))
        else:
            verdict = "holds" if finding.holds else "does_not_hold"
            explanation = finding.explanation
        return ClaimCheck(
            claim_id=self.claim_id,
            aspect=_(self.aspect),
            article_says=_(self.article_says),
            measured=finding.measured if finding else None,
            verdict=verdict,
            explanation=explanation,
        )


def check_claims(facts: ProbeFacts) -> tuple[ClaimCheck, ...]:
    """Every measurable claim checked against the probe facts, in the article's order."""
    return tuple(check.run(facts) for check in _CHECKS)


def format_bytes(count: int) -> str:
    """A byte count in binary units, e.g. '1.2 MiB'."""
    size = float(count)
    for unit in ("B", "KiB", "MiB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GiB"


NEAR_NATIVE = 0.05  # a ratio this close to 1 reads as the host's own speed


def format_seconds(seconds: float) -> str:
    """A duration, in milliseconds below one second."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def ratio_text(ratio: float) -> str:
    """A CPU workload's time against the host's own, in words: "8.4 times as long as on the
    host" (a ratio of 8.4 means 8.4 times slower, not faster)."""
    if abs(ratio - 1) < NEAR_NATIVE:
        return _("about as long as on the host")
    return _("{ratio:.1f} times as long as on the host").format(ratio=ratio)


# How the sample VM ran, and the operating systems, as a person names them.
_ACCELERATOR_WORDS = {
    "kvm": N_("hardware virtualization (KVM)"),
    "tcg": N_("software emulation (TCG)"),
}
OS_NAMES = {"linux": "Linux", "windows": "Windows", "macos": "macOS"}


def accelerator_text(name: str | None) -> str | None:
    """How a VM ran, in words: 'software emulation (TCG)'; None for an unknown name."""
    known = _ACCELERATOR_WORDS.get(name) if name else None
    return _(known) if known else None


def os_name(value: str) -> str:
    """An operating system as written: 'Linux' for linux."""
    return OS_NAMES.get(value, value)


def middle_of_runs(seconds: float, runs: int) -> str:
    """A time measured over `runs` runs: '350 ms', or '231 ms (the middle of 5 runs)'."""
    if runs <= 1:
        return format_seconds(seconds)
    return _("{duration} (the middle of {runs} runs)").format(
        duration=format_seconds(seconds), runs=runs
    )


def _judged(measured: str, holds: bool, if_holds: str, otherwise: str) -> _Finding:
    return _Finding(measured, holds, if_holds if holds else otherwise)


def _times(larger: float, smaller: float) -> str:
    if smaller <= 0:
        return _("far more than")
    return _("{ratio:.0f} times").format(ratio=larger / smaller)


def _vm_accelerator(facts: ProbeFacts) -> _Finding | None:
    if facts.vm_probe_status != "ok":
        return None
    accelerator = accelerator_text(facts.vm_accelerator)
    note = _(" Without hardware virtualization, VM figures here are pessimistic.")
    return _Finding(
        measured=accelerator or _("booted"),
        holds=True,
        explanation=_("The sample VM booted its own kernel under {accelerator}.").format(
            accelerator=accelerator or _("an accelerator that was not reported")
        )
        + (note if facts.vm_accelerator == "tcg" else ""),
    )


def _memory_per_instance(facts: ProbeFacts) -> _Finding | None:
    container, vm = facts.container_memory_bytes, facts.vm_memory_bytes
    if container is None or vm is None:
        return None
    holds = container < vm
    return _judged(
        _("container {container}, VM {vm}").format(
            container=format_bytes(container), vm=format_bytes(vm)
        ),
        holds,
        _(
            "The VM used {times} the container's memory. The container's figure is what its "
            "processes use, as the engine counts it; the VM's is what QEMU holds in memory, "
            "the guest's own included."
        ).format(times=_times(vm, container)),
        _("The container used at least as much memory as the VM here."),
    )


def _shares_host_kernel(consequence: str) -> Callable[[ProbeFacts], _Finding | None]:
    def find(facts: ProbeFacts) -> _Finding | None:
        shares = facts.container_shares_host_kernel
        if shares is None:
            return None
        return _judged(
            _("same kernel as the host") if shares else _("a kernel other than the host's"),
            shares,
            _("The container reported the host's own kernel release: {consequence}.").format(
                consequence=_(consequence)
            ),
            _(
                "The container reported a kernel other than the host's (an engine that runs "
                "containers inside a VM does that)."
            ),
        )

    return find


def _docker_ran(facts: ProbeFacts) -> _Finding | None:
    if facts.container_probe_status != "ok":
        return None
    host = os_name(facts.host_os) if facts.host_os else _("this")
    return _Finding(
        measured=_("sample container ran on {host}").format(host=host),
        holds=True,
        explanation=_("A Linux container ran on this {host} workstation.").format(host=host),
    )


def _image_size(facts: ProbeFacts) -> _Finding | None:
    size = facts.image_bytes
    if size is None:
        return None
    holds = size <= FEW_KILOBYTES
    return _judged(
        format_bytes(size),
        holds,
        _("The sample image is within a few kilobytes."),
        _(
            "The sample image is {size}: light, but larger than the article's "
            "'a few kilobytes', as real minimal images are (the official alpine image is "
            "about 5 MB)."
        ).format(size=format_bytes(size)),
    )


def _vm_disk_against_image(facts: ProbeFacts) -> _Finding | None:
    image, disk = facts.image_bytes, facts.vm_disk_bytes
    if image is None or disk is None:
        return None
    holds = disk > image
    return _judged(
        _("VM {vm}, image {image}").format(vm=format_bytes(disk), image=format_bytes(image)),
        holds,
        _(
            "The VM needs {times} the image's size, though this sample "
            "VM is minimal: a full guest OS is far larger."
        ).format(times=_times(disk, image)),
        _("The sample VM is no larger than the image here."),
    )


def _container_start(facts: ProbeFacts) -> _Finding | None:
    seconds = facts.container_start_seconds
    if seconds is None:
        return None
    holds = seconds <= FEW_MILLISECONDS
    return _judged(
        format_seconds(seconds),
        holds,
        _("The sample container gave its first output within milliseconds of being created."),
        _(
            "The sample container took {duration} from the create call to its "
            "first output: quick, but not a few milliseconds."
        ).format(duration=format_seconds(seconds)),
    )


def _vm_boot_against_container(facts: ProbeFacts) -> _Finding | None:
    boot, start = facts.vm_boot_seconds, facts.container_start_seconds
    if boot is None or start is None:
        return None
    holds = boot > start
    return _judged(
        _("VM {vm}, container {container}").format(
            vm=format_seconds(boot), container=format_seconds(start)
        ),
        holds,
        _("The VM took {times} as long to boot as the container took to start.").format(
            times=_times(boot, start)
        ),
        _("The VM booted no slower than the container started here."),
    )


def _cpu_against_native(facts: ProbeFacts) -> _Finding | None:
    ratio = facts.container_cpu_ratio
    if ratio is None:
        return None
    holds = ratio <= NEAR_NATIVE_RATIO
    verdict = (
        _("within 10% of the host's own time")
        if holds
        else _("more than 10% slower than on the host")
    )
    vm_note = (
        _(" In the VM it took {comparison}.").format(comparison=ratio_text(facts.vm_cpu_ratio))
        if facts.vm_cpu_ratio
        else ""
    )
    return _Finding(
        measured=ratio_text(ratio),
        holds=holds,
        explanation=_("In the container the workload took {comparison}, {verdict}.").format(
            comparison=ratio_text(ratio), verdict=verdict
        )
        + vm_note,
    )


def _cost_per_instance(facts: ProbeFacts) -> _Finding | None:
    container_memory, image = facts.container_memory_bytes, facts.image_bytes
    vm_memory, vm_disk = facts.vm_memory_bytes, facts.vm_disk_bytes
    if container_memory is None or image is None or vm_memory is None or vm_disk is None:
        return None
    container, vm = container_memory + image, vm_memory + vm_disk
    holds = container < vm
    return _judged(
        _(
            "container {container} (memory {container_memory} and image {image}), "
            "VM {vm} (memory {vm_memory} and kernel and initramfs {vm_disk})"
        ).format(
            container=format_bytes(container),
            container_memory=format_bytes(container_memory),
            image=format_bytes(image),
            vm=format_bytes(vm),
            vm_memory=format_bytes(vm_memory),
            vm_disk=format_bytes(vm_disk),
        ),
        holds,
        _(
            "Each further VM would cost {times} what a further container costs in memory and disk."
        ).format(times=_times(vm, container)),
        _("A container cost no less than a VM in memory and disk here."),
    )


_ON_HOST_KERNEL = N_("container on the host's kernel")

_CHECKS: tuple[_Check, ...] = (
    _Check(
        "VM-1",
        N_("hypervisor and accelerator"),
        N_("A hypervisor on the host runs each VM with a guest OS of its own."),
        N_("the sample VM did not boot"),
        _vm_accelerator,
    ),
    _Check(
        "CT-2",
        N_("memory per instance"),
        N_("Containers call the host's kernel directly, so each one uses few resources."),
        N_("memory of both the container and the VM"),
        _memory_per_instance,
    ),
    _Check(
        "CT-3",
        _ON_HOST_KERNEL,
        N_("A container does not boot its own OS; it runs on the host's."),
        N_("the kernel seen inside the container"),
        _shares_host_kernel(N_("it booted no OS of its own")),
    ),
    _Check(
        "CMP-COMPAT",
        N_("Docker on this host"),
        N_(
            "Docker containers run on any Linux distribution; on Windows or older Macs Docker "
            "may run into problems."
        ),
        N_("the sample container did not run"),
        _docker_ran,
    ),
    _Check(
        "CMP-SIZE",
        N_("image size"),
        N_(
            "Docker images are light, usually a few kilobytes (too low: real minimal images "
            "are megabytes, the official alpine image about 5 MB)."
        ),
        N_("the sample image's size"),
        _image_size,
    ),
    _Check(
        "CMP-SIZE",
        N_("VM disk against image"),
        N_("A VM instance can be very large, even several gigabytes."),
        N_("the sizes of both the image and the VM"),
        _vm_disk_against_image,
    ),
    _Check(
        "CMP-PERF",
        N_("container start"),
        N_("Containers are light enough to start within a few milliseconds."),
        N_("the sample container's start time"),
        _container_start,
    ),
    _Check(
        "CMP-PERF",
        N_("VM boot against container start"),
        N_("Starting a VM is like setting up a separate machine and can take up to minutes."),
        N_("the start times of both the VM and the container"),
        _vm_boot_against_container,
    ),
    _Check(
        "CMP-PERF",
        N_("CPU time against native"),
        N_("Docker containers give near-native performance."),
        N_("the workload's time in the container"),
        _cpu_against_native,
    ),
    _Check(
        "CMP-SEC",
        _ON_HOST_KERNEL,
        N_("Containers run on the host OS, so a vulnerable host exposes them too."),
        N_("the kernel seen inside the container"),
        _shares_host_kernel(N_("a flaw in the host's kernel reaches the container")),
    ),
    _Check(
        "CMP-REPL",
        N_("memory and disk per instance"),
        N_("One VM per application is inefficient and resource-hungry; containers are lighter."),
        N_("memory and size of both instances"),
        _cost_per_instance,
    ),
)
