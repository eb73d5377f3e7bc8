"""What the uitvraag workbooks look like: sheet names, columns, the hidden sheet, the action text and its hash.

Shared by the sending side (`send`) and the receiving side (`receive`), so both read the same layout.
"""

from __future__ import annotations

import hashlib
import unicodedata

from ..source.model import STATUS_NEEDS_BESLUIT, STATUS_WITHOUT_TOELICHTING, Action, Agenda

SHEET_ACTIONS = "Acties"
SHEET_INSTRUCTIONS = "Instructie"
SHEET_META = "uitvraag-gegevens"  # hidden: what the import needs to trust a returned workbook

# The columns of sheet "Acties", in order: (key, header). Headers are what a partner sees; the
# import finds columns by header, so a moved column is still read correctly.
COLUMNS: list[tuple[str, str]] = [
    ("id", "ID"),
    ("hoofdstuk", "Hoofdstuk"),
    ("sectie", "Sectie"),
    ("actie", "Actie"),
    ("partners", "Betrokken partners"),
    ("vorige_status", "Status vorige peildatum"),
    ("vorige_toelichting", "Toelichting vorige peildatum"),
    ("status", "Status (kies)"),
    ("toelichting", "Toelichting"),
    ("naar_jaar", "Naar jaar (alleen bij doorgeschoven)"),
    ("voorstel", "Voorstel aan de stuurgroep (bij doorgeschoven of vervallen)"),
]
FILL_COLUMNS = ("status", "toelichting", "naar_jaar", "voorstel")
STATUSES: tuple[str, ...] = ("niet gestart", "op schema", "vraagt aandacht", "afgerond", "doorgeschoven",
                             "vervallen")
STATUS_EXPLAINED: dict[str, str] = {
    "niet gestart": "de actie is nog niet begonnen",
    "op schema": "de actie loopt volgens plan",
    "vraagt aandacht": "vertraging of een knelpunt; bijsturing nodig",
    "afgerond": "de actie is klaar",
    "doorgeschoven": "u stelt voor de actie (deels) naar een later jaar te schuiven; vul 'Naar jaar' in en "
                     "licht het voorstel toe",
    "vervallen": "u stelt voor de actie te laten vervallen; licht het voorstel toe",
}
# Keys of the hidden sheet, in order (column A key, column B value).
META_KEYS = ("formaat", "partner", "partner_naam", "peildatum", "jaar", "agenda_versie", "bronversie")
FORMAT_VERSION = "riec-uitvraag-1"

__all__ = ["COLUMNS", "FILL_COLUMNS", "FORMAT_VERSION", "META_KEYS", "SHEET_ACTIONS", "SHEET_INSTRUCTIONS",
           "SHEET_META", "STATUSES", "STATUS_EXPLAINED", "STATUS_NEEDS_BESLUIT", "STATUS_WITHOUT_TOELICHTING",
           "action_hash", "action_text", "source_version"]


def action_text(action: Action) -> str:
    """The action as a partner reads it in one cell: title, text, then its items as bullets."""
    lines = [f"{action.title}: {action.text}" if action.title else action.text]
    lines += [f"• {item}" for item in action.items]
    return "\n".join(lines)


def _normal(text: str) -> str:
    # Spreadsheet programs may turn line breaks into \r\n or change the Unicode form; neither is an edit.
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def action_hash(text: str) -> str:
    """A short fingerprint of an action's text as sent (16 hex digits of SHA-256)."""
    return hashlib.sha256(_normal(text).encode("utf-8")).hexdigest()[:16]


def source_version(agenda: Agenda) -> str:
    """A fingerprint of every action ID and text of the agenda: which source a workbook was made from."""
    digest = hashlib.sha256()
    for _, _, action in agenda.actions():
        digest.update(f"{action.id}\x1f{_normal(action_text(action))}\x1e".encode())
    return digest.hexdigest()[:16]
