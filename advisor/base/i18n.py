"""The language every word is shown in: English or Simplified Chinese, chosen once per run.

The system locale chooses it (LC_ALL, then LC_MESSAGES, then LANG, as the C library does),
`--lang` on the command line and View → Language in the app override it. The words of the
code come from gettext catalogs (advisor/locale/, made from the source with Babel: `make
translations`); the words of the data files (questions, rules, claims) are written in both
languages beside each other and picked with `localized`. The app's own words are Qt's
business (ui/translations/), switched together with these by the app.

Nothing here imports Qt, and nothing else in advisor/ keeps a language of its own.
"""

from __future__ import annotations

import functools
import gettext
import os
from collections.abc import Mapping
from datetime import date, datetime
from importlib import resources
from typing import Literal, get_args

Language = Literal["en", "zh_CN"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "en"
# The language's name as `--lang` takes it (BCP 47) and as a menu shows it, in itself.
LANGUAGE_TAGS: Mapping[Language, str] = {"en": "en", "zh_CN": "zh-CN"}
LANGUAGE_NAMES: Mapping[Language, str] = {"en": "English", "zh_CN": "简体中文"}
DOMAIN = "dvm-advisor"
# Locales whose people read Simplified Chinese; zh_TW and zh_HK write Traditional Chinese.
_SIMPLIFIED_CHINESE = ("zh", "zh_cn", "zh_sg", "zh_hans")
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_current: Language = DEFAULT_LANGUAGE


class UnknownLanguage(ValueError):
    """A language name that is neither `en` nor `zh-CN`; the message names the choices."""


def current_language() -> Language:
    """The language words are shown in now."""
    return _current


def set_language(language: Language) -> None:
    """Show every word from now on in `language`."""
    global _current
    _current = language


def choices_text() -> str:
    """The languages `--lang` accepts, as a message names them: 'en, zh-CN'."""
    return ", ".join(LANGUAGE_TAGS.values())


def parse_language(tag: str) -> Language:
    """The language a `--lang` value names ('en', 'zh-CN', also 'zh_CN'), or UnknownLanguage."""
    wanted = tag.strip().replace("-", "_").lower()
    for language in LANGUAGES:
        if language.lower() == wanted:
            return language
    raise UnknownLanguage(
        _("unknown language {tag!r}, expected one of: {choices}").format(
            tag=tag, choices=choices_text()
        )
    )


def language_from_environment(environ: Mapping[str, str] | None = None) -> Language:
    """The language the system locale asks for: the first of LC_ALL, LC_MESSAGES and LANG
    that is set decides; Simplified Chinese for zh, zh_CN, zh_SG and zh_Hans, else English."""
    environ = os.environ if environ is None else environ
    for variable in _LOCALE_VARIABLES:
        value = environ.get(variable, "")
        if value:
            return _language_of_locale(value)
    return DEFAULT_LANGUAGE


def _language_of_locale(locale: str) -> Language:
    # 'zh_CN.UTF-8@stroke' names language, territory, encoding and modifier.
    name = locale.split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    if name in _SIMPLIFIED_CHINESE:
        return "zh_CN"
    return DEFAULT_LANGUAGE


@functools.cache
def _catalog(language: Language) -> gettext.NullTranslations:
    if language == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    folder = resources.files("advisor").joinpath("locale", language, "LC_MESSAGES")
    with folder.joinpath(f"{DOMAIN}.mo").open("rb") as stream:
        return gettext.GNUTranslations(stream)


def _(message: str) -> str:
    """`message` in the current language (English is the source)."""
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form for `count`, in the current language."""
    return _catalog(_current).ngettext(singular, plural, count)


def catalog_text() -> str:
    """Every translation of the current language run together: what a font set for the
    program's own words must cover."""
    catalog = _catalog(_current)
    # The compiled catalog's messages by their source; gettext keeps them under this name.
    messages: dict[object, str] = getattr(catalog, "_catalog", {})
    return "".join(messages.values())


def N_(message: str) -> str:
    """Mark a string of a table for the catalog; it is translated where it is shown."""
    return message


def localized(english: str, chinese: str | None) -> str:
    """A text of a data file in the current language; English where no translation is given."""
    if _current == "zh_CN" and chinese is not None:
        return chinese
    return english


def format_number(value: int) -> str:
    """A whole number with its thousands grouped, as the language writes it: '10,000'."""
    return f"{value:,}"


def format_date(day: date) -> str:
    """A date as the language writes it: '2022-06-10', '2022年6月10日'."""
    if _current == "zh_CN":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def format_datetime(moment: datetime) -> str:
    """A moment to the minute, with its zone: '2026-12-01 23:40 UTC', '2026年12月1日 23:40 UTC'."""
    zone = moment.tzname() or ""
    clock = moment.strftime("%H:%M")
    if _current == "zh_CN":
        return f"{format_date(moment.date())} {clock} {zone}".rstrip()
    return f"{moment.strftime('%Y-%m-%d')} {clock} {zone}".rstrip()
