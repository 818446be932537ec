"""The desktop entry, the AppStream metainfo and the icon: valid, consistent, installable."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from advisor import __version__
from tests.packaging.conftest import APP_ID, LINUX_DIR, REPO, require_tool

DESKTOP_FILE = LINUX_DIR / f"{APP_ID}.desktop"
METAINFO_FILE = LINUX_DIR / f"{APP_ID}.metainfo.xml"
ICON_FILE = LINUX_DIR / f"icons/hicolor/scalable/apps/{APP_ID}.svg"
MIME_FILE = LINUX_DIR / f"{APP_ID}.mime.xml"
MIME_NAMESPACE = "{http://www.freedesktop.org/standards/shared-mime-info}"
EXAMPLE = REPO / "examples/linux-microservices-postgres.json"
SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"


def desktop_entry(path: Path = DESKTOP_FILE) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def install_desktop(data_home: Path) -> Path:
    """Run `make install-desktop` into `data_home`; the program the entry launches."""
    require_tool("make")
    program = REPO / ".venv/bin/dvm-advisor"
    if not program.exists():
        pytest.skip(f"{program} is not installed (make run installs it)")
    result = subprocess.run(
        ["make", "--no-print-directory", "install-desktop", f"DATA_HOME={data_home}"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return program


def metainfo() -> ET.Element:
    return ET.parse(METAINFO_FILE).getroot()


def test_desktop_entry_passes_desktop_file_validate_without_remarks() -> None:
    validate = require_tool("desktop-file-validate")
    result = subprocess.run(
        [validate, str(DESKTOP_FILE)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""


def test_metainfo_passes_appstreamcli_validate() -> None:
    appstreamcli = require_tool("appstreamcli")
    result = subprocess.run(
        [appstreamcli, "validate", "--no-net", "--explain", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # Errors fail the validator; warnings and infos do not, but they are still faults here.
    remarks = [line for line in result.stdout.splitlines() if line[:2] in ("E:", "W:", "I:")]
    assert remarks == []


def test_newest_release_is_the_version_the_program_reports() -> None:
    releases = metainfo().findall("releases/release")
    assert releases, "the metainfo lists no release"
    newest_first = sorted(releases, key=lambda release: release.get("date", ""), reverse=True)
    # AppStream lists releases newest first; the first one is what software centres show.
    assert releases[0] is newest_first[0]
    assert releases[0].get("version") == __version__


def test_metainfo_desktop_entry_icon_and_command_name_one_app() -> None:
    root = metainfo()
    entry = desktop_entry()
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP_FILE.name
    assert entry["Icon"] == ICON_FILE.stem == APP_ID
    assert root.findtext("provides/binary") in scripts
    assert shlex.split(entry["Exec"])[0] == root.findtext("provides/binary")
    assert entry["Name"] == root.findtext("name")

    from advisor.ui.main_window import APP_ID as GUI_APP_ID

    # The window is matched to its entry and icon by this id (Wayland's app id).
    assert GUI_APP_ID == APP_ID


def test_the_entry_the_metainfo_and_the_file_type_name_one_mime_type() -> None:
    declared = [
        node.get("type")
        for node in ET.parse(MIME_FILE).getroot().iter(f"{MIME_NAMESPACE}mime-type")
    ]
    assert declared == ["application/x-dvm-advisor+json"]
    assert desktop_entry()["MimeType"].rstrip(";").split(";") == declared
    assert [node.text for node in metainfo().findall("provides/mediatype")] == declared


def test_an_installed_file_type_opens_an_assessment_with_the_app(tmp_path: Path) -> None:
    """Installed into an XDG data folder of its own, as `make install-desktop` installs it for a
    user, an assessment (by its name or by its content) is the app's file type and the app is
    the one that opens it; an answers file stays plain JSON."""
    require_tool("update-mime-database")
    require_tool("update-desktop-database")
    gio = require_tool("gio")
    data_home = tmp_path / "share"
    program = install_desktop(data_home)
    assert (data_home / "mime/mime.cache").is_file()

    from advisor.answers import load_answers
    from advisor.assessment import make_assessment, save_assessment

    assessment = make_assessment(load_answers(EXAMPLE), None)
    by_name = tmp_path / "team-assessment.json"
    by_content = tmp_path / "kept.json"
    for path in (by_name, by_content):
        save_assessment(assessment, path)
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(data_home),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_DIRS": "/usr/share",
        # A desktop entry whose program cannot be found is skipped by the lookup.
        "PATH": f"{program.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }

    def content_type(path: Path) -> str:
        result = subprocess.run(
            [gio, "info", "--attributes=standard::content-type", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env=env,
        )
        return result.stdout.rsplit(":", 1)[-1].strip()

    assert content_type(by_name) == "application/x-dvm-advisor+json"
    assert content_type(by_content) == "application/x-dvm-advisor+json"
    assert content_type(EXAMPLE) == "application/json"
    handler = subprocess.run(
        [gio, "mime", "application/x-dvm-advisor+json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env=env,
    )
    first_line = handler.stdout.splitlines()[0]
    assert first_line.endswith(f": {APP_ID}.desktop"), handler.stdout


def test_metainfo_screenshots_are_the_ones_kept_in_docs() -> None:
    images = [image.text or "" for image in metainfo().findall("screenshots/screenshot/image")]
    assert images, "the metainfo shows no screenshot"
    for url in images:
        assert url.startswith("https://"), url
        _, _, path_in_repo = url.partition("/main/")
        assert (REPO / path_in_repo).is_file(), f"{url} names no file of docs/"


def test_icon_is_a_square_svg_that_qt_can_render() -> None:
    root = ET.parse(ICON_FILE).getroot()
    assert root.tag == f"{SVG_NAMESPACE}svg"
    _, _, width, height = (float(number) for number in root.get("viewBox", "").split())
    assert width == height > 0

    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(ICON_FILE))
    assert renderer.isValid()
    assert renderer.defaultSize().width() == renderer.defaultSize().height() > 0


def test_make_install_desktop_installs_a_launcher_that_runs(tmp_path: Path) -> None:
    validate = require_tool("desktop-file-validate")
    data_home = tmp_path / "share"
    program = install_desktop(data_home)
    installed = data_home / f"applications/{APP_ID}.desktop"
    assert (data_home / f"metainfo/{METAINFO_FILE.name}").read_bytes() == METAINFO_FILE.read_bytes()
    icon = data_home / f"icons/hicolor/scalable/apps/{ICON_FILE.name}"
    assert icon.read_bytes() == ICON_FILE.read_bytes()
    check = subprocess.run(
        [validate, str(installed)], capture_output=True, text=True, timeout=60, check=False
    )
    assert check.returncode == 0, check.stdout + check.stderr
    command = shlex.split(desktop_entry(installed)["Exec"])
    assert command == [str(program), "gui", "%f"]
    version = subprocess.run(
        [command[0], "--version"], capture_output=True, text=True, timeout=60, check=True
    )
    assert version.stdout.strip() == f"dvm-advisor {__version__}"


def test_the_menu_entry_and_the_metainfo_speak_simplified_chinese_too() -> None:
    entry = desktop_entry()
    for key in ("Name", "GenericName", "Comment"):
        translated = entry.get(f"{key}[zh_CN]")
        assert translated, key
    assert any("\u4e00" <= char <= "\u9fff" for char in entry["Comment[zh_CN]"])
    root = ET.parse(METAINFO_FILE).getroot()
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    summaries = {item.get(lang): item.text for item in root.findall("summary")}
    assert summaries.get("zh-CN") and summaries.get(None)
    description = root.find("description")
    assert description is not None
    for tag in ("p", "li"):
        english = [item for item in description.iter(tag) if item.get(lang) is None]
        chinese = [item for item in description.iter(tag) if item.get(lang) == "zh-CN"]
        assert len(chinese) >= len(english), tag
