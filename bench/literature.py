"""Published figures to read ours against: quoted, not measured here.

Only what the sources state, in our words. Beside them, what this machine's probe run
measured of the same kind, which differs in setup as each row says.
"""

from __future__ import annotations

from common import Row

from advisor.probes.report import ProbeReport

QUOTED = "quoted, not measured here"
FIRECRACKER_SPEC = "https://github.com/firecracker-microvm/firecracker/blob/main/SPECIFICATION.md"
FELTER_2014 = (
    "W. Felter, A. Ferreira, R. Rajamony, J. Rubio, “An Updated Performance Comparison of "
    "Virtual Machines and Linux Containers”, IBM Research Report RC25482, July 2014 "
    "(also ISPASS 2015, doi:10.1109/ISPASS.2015.7095802)"
)
MEBIBYTE = 1024 * 1024


def rows(report: ProbeReport | None) -> list[Row]:
    """The quoted figures, each with the closest figure this machine's probe run measured."""
    vm = report.vm if report else None
    container = report.container if report else None
    boot = (
        f"here: {vm.boot_seconds.median:.1f} s to the marker under {vm.accelerator.upper()}, "
        "serial console on (the probe's boots in the last full run)"
        if vm and vm.boot_seconds and vm.accelerator
        else "here: not measured"
    )
    rss = (
        f"here: QEMU's resident memory {vm.hypervisor_rss_bytes / MEBIBYTE:.0f} MiB, guest "
        "memory it touched included (not the same measure)"
        if vm and vm.hypervisor_rss_bytes
        else "here: not measured"
    )
    cpu = []
    if container and container.cpu_ratio:
        cpu.append(f"container {container.cpu_ratio:.2f} times native")
    if vm and vm.cpu_ratio and vm.accelerator:
        cpu.append(f"VM {vm.cpu_ratio:.2f} times native under {vm.accelerator.upper()}")
    return [
        Row(
            what=f"Firecracker microVM: boot to guest init ({QUOTED})",
            measured="≤ 125 ms",
            compared_with="Firecracker SPECIFICATION.md: InstanceStart API call → guest "
            "/sbin/init starting; 1 vCPU, 128 MiB, KVM on an i3.metal host, serial console "
            f"off, minimal kernel. {boot}",
            verdict="quoted",
        ),
        Row(
            what=f"Firecracker microVM: VMM memory overhead ({QUOTED})",
            measured="≤ 5 MiB per microVM",
            compared_with="Firecracker SPECIFICATION.md: the VMM's own threads, 1 vCPU and "
            f"128 MiB guest. {rss}",
            verdict="quoted",
        ),
        Row(
            what=f"Felter et al. 2014, IBM Research: Docker against KVM ({QUOTED})",
            measured="Docker equal to or better than KVM in nearly every case tested",
            compared_with="CPU, memory, storage and network benchmarks, Redis and MySQL; "
            "native, Docker and KVM on the same server",
            verdict="quoted",
        ),
        Row(
            what=f"Felter et al. 2014: CPU and memory overhead ({QUOTED})",
            measured="negligible for both Docker and KVM; I/O-heavy work needs tuning in "
            "both (Docker's NAT, its AUFS storage against volumes)",
            compared_with="here, the probe's CPU workload: " + (", ".join(cpu) or "not measured"),
            verdict="quoted",
        ),
    ]


SOURCES = (
    f"- Firecracker, SPECIFICATION.md: {FIRECRACKER_SPEC}",
    f"- {FELTER_2014}",
)
