"""Keep the message catalogs current: `make messages` (extract, merge, compile) or `--check`.

Extracts every message of the generator (`_`, `ngettext`, `N_`) with Babel, merges the Dutch
translations already in `generator/locale/nl/LC_MESSAGES/messages.po` into the new list (messages no
longer in the code are dropped, new ones get an empty translation for the editor of the catalog to
fill in), and compiles the `.mo` file gettext reads. `--check` changes nothing and lists what is wrong:
a message without Dutch, a translation whose `{fields}` differ from the English, a `.po` or `.mo` that
is not what `make messages` would write. `tests/test_messages.py` runs the same check.
"""

from __future__ import annotations

import datetime
import io
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "generator"
LOCALE = PACKAGE / "locale"
LANGUAGE = "nl"
PO = LOCALE / LANGUAGE / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
# Click's own words that our help and usage errors show. Click asks Python's gettext for them, which
# generator/i18n.py points at our catalog, so the catalog keeps their Dutch too.
CLICK_MESSAGES: list[str | tuple[str, str]] = [
    "Usage:", "Options", "Commands", "Show this message and exit.", "default: {default}", "required",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
]
FIXED_DATE = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
HEADER = ("# Dutch messages of the RIEC document generator.\n"
          "# Written by `make messages`: translate each empty msgstr, keep the {fields} as they are,\n"
          "# then run `make messages` again to compile the .mo file.")


def extract() -> Catalog:
    """Every message in the generator's code, as an empty catalog."""
    # Fixed header fields: the catalog's history is git's, and `make messages` twice writes the same bytes.
    catalog = Catalog(locale=LANGUAGE, project="RIEC-documenten", version="", copyright_holder="RIEC Den Haag",
                      header_comment=HEADER, msgid_bugs_address="", last_translator="RIEC-documenten",
                      language_team="Nederlands", creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("NOTE:",),
            strip_comment_tags=True):
        catalog.add(message, None, [(f"generator/{filename}", lineno)], auto_comments=comments, context=context)
    for message in CLICK_MESSAGES:
        catalog.add(message, None, [("click", 0)])
    return catalog


def merged(old: Catalog | None) -> Catalog:
    """The extracted messages with the translations of `old` kept (matched on the English text)."""
    new = extract()
    if old is not None:
        for message in new:
            if message.id and (previous := old.get(message.id, message.context)) is not None:
                message.string = previous.string
    return new


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    # No line numbers and no wrapping: a moved or edited line elsewhere does not change the catalog.
    write_po(out, catalog, width=0, sort_output=True, include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=LANGUAGE, abort_invalid=True)


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def problems() -> list[str]:
    """What is wrong with the catalog, one line each; empty when it is complete and current."""
    if not PO.exists():
        return [f"{PO.relative_to(ROOT)} is missing (run make messages)"]
    current = read(PO)
    found = []
    expected = merged(current)
    for message in expected:
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        dutch = message.string if isinstance(message.string, tuple) else (message.string,)
        where = ", ".join(f for f, _ in message.locations)
        if not all(dutch):
            found.append(f"no Dutch translation: {english[0]!r} ({where})")
            continue
        if message.fuzzy:
            found.append(f"translation marked fuzzy: {english[0]!r} ({where})")
        for text in dutch:
            try:
                if _fields(text) != _fields(english[-1]):
                    found.append(f"the fields of {text!r} differ from those of {english[-1]!r} ({where})")
            except ValueError as exc:
                found.append(f"{text!r} is not a valid format string: {exc} ({where})")
    if not found:
        if PO.read_bytes() != po_bytes(expected):
            found.append(f"{PO.relative_to(ROOT)} is not current (run make messages)")
        if not MO.exists() or MO.read_bytes() != mo_bytes(expected):
            found.append(f"{MO.relative_to(ROOT)} is not current (run make messages)")
    return found


def update() -> int:
    """Write the merged .po and the compiled .mo; return how many messages still need Dutch."""
    catalog = merged(read(PO) if PO.exists() else None)
    PO.parent.mkdir(parents=True, exist_ok=True)
    PO.write_bytes(po_bytes(catalog))
    MO.write_bytes(mo_bytes(catalog))
    return sum(1 for m in catalog if m.id and not all(m.string if isinstance(m.string, tuple) else (m.string,)))


def main(argv: list[str]) -> int:
    if argv[1:] == ["--check"]:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    missing = update()
    print(f"{PO.relative_to(ROOT)}: {missing} message(s) without a Dutch translation")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
