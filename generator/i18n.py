"""Messages in the users' language: Dutch by default, English on request.

Message IDs in the code are English. `generator/locale/nl/LC_MESSAGES/messages.po` holds the Dutch
text; `make messages` extracts new IDs with Babel, merges them into the catalog and compiles it to the
`.mo` file that gettext reads (both are kept in the repository; a test checks the `.mo` is current and
every message has a Dutch translation). Variable parts are `{name}` fields filled in after translating:
`_("unknown partner '{partner}'").format(partner=p)`. A message built before the language is known
(a module constant) is marked with `N_` and translated where it is used.

Click writes its own words (Usage:, Options, [default: ...]) with Python's gettext functions, the way
GNU gettext programs do: from the domain bound with `gettext.bindtextdomain`, in the language of
$LANGUAGE. `set_language` sets both, so click speaks the language we chose; our catalog holds the
Dutch of those words too (tools/messages.py adds them).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("nl", "en")
DEFAULT = "nl"

_translation: gettext.NullTranslations | None = None
_language = DEFAULT


def choose_language(option: str | None = None) -> str:
    """The language asked for: the --lang option, else $RIEC_LANG, else the locale (English for en_*), else Dutch."""
    if option:
        return option
    wanted = os.environ.get("RIEC_LANG", "").strip().lower()
    if wanted in LANGUAGES:
        return wanted
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):  # the order in which POSIX consults them
        value = os.environ.get(var, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT
    return DEFAULT


def set_language(lang: str | None = None) -> str:
    """Use `lang` (or the one `choose_language` finds) for every message from now on; return it."""
    global _translation, _language
    lang = choose_language(lang)
    _language = lang
    if lang == "en":
        _translation = gettext.NullTranslations()  # the message IDs are the English text
    else:
        _translation = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang])
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    os.environ["LANGUAGE"] = lang  # gettext's own setting: the one language for click's words
    return lang


def current_language() -> str:
    """The language messages are given in now ('nl' or 'en')."""
    _current()
    return _language


def _current() -> gettext.NullTranslations:
    if _translation is None:
        set_language()
    assert _translation is not None
    return _translation


def _(message: str) -> str:
    """`message` in the current language."""
    return _current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    return _current().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (translate with `_` where it is used)."""
    return message
