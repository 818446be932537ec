"""The container probe's sample image, made here from the host's static busybox: no registry.

The root file system is a tar built in memory: /bin/busybox and the applet links the probe
runs. The same bytes always give the same content tag, `dvm-advisor-probe:<digest>`, and an
image of that content already present is reused rather than imported again.

Runs side by side share the image but never take it from each other: each run holds it by a
tag of its own, `dvm-advisor-probe:<digest>-<host>-<pid>-<token>` (made by tagging an image
present, or by the import), and at its end removes only that tag. The engine deletes the
image with its last tag, so it goes once no live run holds it; a tag whose run has ended is
swept at the next start.

Engines keep the name differently: Docker as given, Podman qualified with a registry
(`docker.io/library/…` or `localhost/…`), and Podman ignores a tag passed apart from the
repository in an import. So the tag goes inside the repository name, the image is then
found by the ID the import returns, and a name is recognised as the sample's whatever
qualifies it.
"""

from __future__ import annotations

import hashlib
import io
import json
import socket
import struct
import tarfile
from pathlib import Path
from typing import Any, Literal

from advisor.base.i18n import N_, _
from advisor.base.models import FrozenModel
from advisor.probes.deadline import call_with_deadline
from advisor.probes.engine_replies import ImageInspect, ImageSummary, parse_replies, parse_reply
from advisor.probes.errors import ProbeUnavailable
from advisor.probes.leftovers import PROBE_LABEL_FILTER, PROBE_NAME_PREFIX, is_leftover, run_name

SAMPLE_REPOSITORY = "dvm-advisor-probe"
BUSYBOX_CANDIDATES = (Path("/bin/busybox"), Path("/usr/bin/busybox"))
BUSYBOX_FIX = N_("install Debian's static busybox: sudo apt-get install busybox-static")
# The applets the probe's commands and the CPU workload call.
APPLETS = ("sh", "cat", "cut", "dd", "echo", "md5sum", "sleep", "uname")
NOBODY = "65534:65534"
IMAGE_CHANGES = (
    f"LABEL {PROBE_LABEL_FILTER}",
    f"USER {NOBODY}",
    "ENV PATH=/bin",
    'CMD ["/bin/sh"]',
)
_DIGEST_CHARS = 12
_PT_INTERP = 3


class ProbeImage(FrozenModel):
    """The image the container probe runs."""

    tag: str
    image_id: str
    size_bytes: int
    origin: Literal["sample", "named"]  # made from busybox, or named by the user
    made_here: bool  # held by a tag of this run's own, which this run removes
    held_as: str | None = None  # that tag


def find_static_busybox(candidates: tuple[Path, ...] = BUSYBOX_CANDIDATES) -> Path | None:
    """The first statically linked busybox among `candidates`; a dynamic one cannot run alone."""
    for path in candidates:
        try:
            if is_static_elf(path.read_bytes()):
                return path
        except OSError:
            continue
    return None


def is_static_elf(binary: bytes) -> bool:
    """Whether an ELF executable runs with no program interpreter (dynamic loader)."""
    if len(binary) < 52 or binary[:4] != b"\x7fELF":
        return False
    order = "<" if binary[5] == 1 else ">"
    if binary[4] == 2:  # 64-bit
        (table_offset,) = struct.unpack_from(order + "Q", binary, 0x20)
        entry_size, entry_count = struct.unpack_from(order + "HH", binary, 0x36)
    else:
        (table_offset,) = struct.unpack_from(order + "I", binary, 0x1C)
        entry_size, entry_count = struct.unpack_from(order + "HH", binary, 0x2A)
    if table_offset + entry_size * entry_count > len(binary):
        return False
    for index in range(entry_count):
        (segment_type,) = struct.unpack_from(order + "I", binary, table_offset + index * entry_size)
        if segment_type == _PT_INTERP:
            return False
    return True


def build_rootfs_tar(busybox: bytes) -> bytes:
    """A root file system holding /bin/busybox and its applet links, byte-for-byte repeatable."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        directory = tarfile.TarInfo("bin")
        directory.type = tarfile.DIRTYPE
        directory.mode = 0o755
        archive.addfile(directory)
        binary = tarfile.TarInfo("bin/busybox")
        binary.size = len(busybox)
        binary.mode = 0o755
        archive.addfile(binary, io.BytesIO(busybox))
        for applet in APPLETS:
            link = tarfile.TarInfo(f"bin/{applet}")
            link.type = tarfile.SYMTYPE
            link.linkname = "busybox"
            link.mode = 0o777
            archive.addfile(link)
    return buffer.getvalue()


def sample_tag(rootfs_tar: bytes) -> str:
    """The tag for a root file system: the app's name and a digest of what makes the image."""
    digest = hashlib.sha256(rootfs_tar)
    digest.update("\n".join(IMAGE_CHANGES).encode())
    return f"{SAMPLE_REPOSITORY}:{digest.hexdigest()[:_DIGEST_CHARS]}"


# How engines qualify a name given without a registry.
_QUALIFIERS = ("docker.io/library/", "docker.io/", "localhost/")


def unqualified(name: str) -> str:
    """An image name without the registry an engine added to it."""
    for qualifier in _QUALIFIERS:
        if name.startswith(qualifier):
            return name[len(qualifier) :]
    return name


def is_sample_tag(tag: str) -> bool:
    """Whether a tag names one of this app's sample images, however the engine qualified it."""
    return unqualified(tag).startswith(f"{SAMPLE_REPOSITORY}:")


def imported_image_id(reply: str) -> str | None:
    """The image ID in an import's reply: JSON lines, the ID as `status` (Docker) or `id`
    (Podman)."""
    for line in reply.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if not isinstance(message, dict):
            continue
        for key in ("id", "status"):
            value = message.get(key)
            if isinstance(value, str) and value.startswith("sha256:"):
                return value
    return None


def run_tag(content_tag: str, run: str) -> str:
    """The tag by which the run named `run` holds the sample image of `content_tag`."""
    return f"{content_tag}-{_host_mark()}-{run.removeprefix(PROBE_NAME_PREFIX)}"


def _host_mark() -> str:
    # A shared engine may serve several hosts: pids are only judged on their own host.
    return "h" + hashlib.sha256(socket.gethostname().encode()).hexdigest()[:6]


def is_leftover_tag(tag: str) -> bool:
    """Whether a sample tag is held by no live run: its run ended, or it is an older
    version's shared tag, which no run holds."""
    if not is_sample_tag(tag):
        return False
    parts = unqualified(tag).partition(":")[2].split("-", 3)
    if len(parts) != 4:
        return True
    _, host, pid, token = parts
    return host == _host_mark() and is_leftover(f"{PROBE_NAME_PREFIX}{pid}-{token}")


def prepare_sample_image(
    client: Any,
    timeout: float,
    candidates: tuple[Path, ...] = BUSYBOX_CANDIDATES,
    run: str | None = None,
) -> ProbeImage:
    """The sample image, held by a tag of the run named `run` (by default, one for this
    process): an image of the same content already present, else one imported from a
    busybox root file system.

    Raises ProbeUnavailable when no static busybox is installed.
    """
    import docker

    busybox = find_static_busybox(candidates)
    if busybox is None:
        raise ProbeUnavailable(
            _("no statically linked busybox found at {paths}").format(
                paths=_(" or ").join(map(str, candidates))
            ),
            _(BUSYBOX_FIX),
        )
    rootfs = build_rootfs_tar(busybox.read_bytes())
    tag = sample_tag(rootfs)
    held_as = run_tag(tag, run or run_name(token="0"))
    repository, _colon, version = held_as.partition(":")
    present = _image_of_content(client, tag)
    if present is not None:
        try:
            client.api.tag(present, repository, version)
            return _describe(_inspect(client, held_as), tag, "sample", held_as)
        except docker.errors.NotFound:
            pass  # its last holder removed it meanwhile: import it again
    # The SDK sends the import with no timeout of its own.
    reply = call_with_deadline(
        lambda: client.api.import_image_from_data(
            rootfs, repository=held_as, changes=list(IMAGE_CHANGES)
        ),
        timeout,
        _("the Docker engine's image import"),
    )
    image_id = imported_image_id(reply if isinstance(reply, str) else "")
    return _describe(_inspect(client, image_id or held_as), tag, "sample", held_as)


def _image_of_content(client: Any, content_tag: str) -> str | None:
    """The id of a sample image of this content in the engine, if there is one."""
    images = parse_replies(
        ImageSummary,
        client.api.images(filters={"label": PROBE_LABEL_FILTER}),
        "GET /images/json",
    )
    for image in images:
        if any(unqualified(tag).startswith(content_tag) for tag in image.repo_tags or ()):
            return image.id
    return None


def use_named_image(client: Any, name: str) -> ProbeImage:
    """An image the user named, which must already be present: the probe never pulls."""
    import docker

    try:
        image = _inspect(client, name)
    except docker.errors.NotFound:
        raise ProbeUnavailable(
            _(
                "the image {name!r} is not present in the Docker engine (the probe never pulls)"
            ).format(name=name),
            _(
                "load it first (docker pull {name}, or docker load), or use the built-in sample"
            ).format(name=name),
        ) from None
    return _describe(image, name, "named")


def _inspect(client: Any, name: str) -> ImageInspect:
    """What the engine says of the image `name`; raises docker.errors.NotFound without one."""
    return parse_reply(ImageInspect, client.api.inspect_image(name), "GET /images/{name}/json")


def _describe(
    image: ImageInspect, tag: str, origin: Literal["sample", "named"], held_as: str | None = None
) -> ProbeImage:
    return ProbeImage(
        tag=tag,
        image_id=image.id,
        size_bytes=image.size or 0,
        origin=origin,
        made_here=held_as is not None,
        held_as=held_as,
    )
