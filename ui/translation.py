"""The app's language: Qt's translators for the app's own words and Qt's standard dialogs,
switched together with the words of advisor/ (advisor.base.i18n), and remembered in the settings.

The app's words are extracted from ui/ by pyside6-lupdate into ui/translations/*.ts and built
into the .qm files beside them by pyside6-lrelease (`make translations`); Qt's own words
(the buttons of standard dialogs, the context menus of text fields) come from the
qtbase_<language>.qm that PySide6 ships.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from advisor.base.i18n import LANGUAGES, Language, set_language
from advisor.ui.app_settings import AppSettings

LANGUAGE_KEY = "language"
TRANSLATIONS_FOLDER = Path(__file__).resolve().parent / "translations"
APP_CATALOG = "dvm_advisor"
_TRANSLATOR_NAME = "dvm-advisor translator"
_LOCALES = {
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
    "zh_CN": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
}


def saved_language(settings: AppSettings) -> Language | None:
    """The language chosen in View → Language, if one was and it is still offered."""
    value = settings.text(LANGUAGE_KEY)
    return next((language for language in LANGUAGES if language == value), None)


def save_language(settings: AppSettings, language: Language) -> None:
    """Remember the language chosen, for the next start."""
    settings.set(LANGUAGE_KEY, language)


def apply_language(language: Language) -> None:
    """Show the words made from now on in `language`: the app's, Qt's and advisor/'s.

    Widgets already made keep their words; the window is made again to show the new ones."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("the language is applied to a running application")
    for old in app.findChildren(QTranslator, _TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.deleteLater()
    set_language(language)
    QLocale.setDefault(_LOCALES[language])
    if language == "en":
        return
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in ((f"qtbase_{language}", qt_folder), (f"{APP_CATALOG}_{language}", "")):
        translator = QTranslator(app)
        translator.setObjectName(_TRANSLATOR_NAME)
        if translator.load(name, folder or str(TRANSLATIONS_FOLDER)):
            app.installTranslator(translator)
        else:
            # The app's catalog ships with it; Qt's may be missing from a trimmed Qt.
            translator.deleteLater()
