"""Review a .docx in LibreOffice through UNO, with record changes on, and save it as .docx.

Run with a Python that has LibreOffice's `uno` (as generator/publish/_uno_convert.py is):

    python3 uno_review.py SOFFICE IN.docx OUT.docx EDITS.json

EDITS is a list of {"author": ..., "replace": [old, new]} (the first occurrence of `old`),
{"author": ..., "comment": [anchor, text]} or {"author": ..., "append_paragraph": [after, text]}.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "generator" / "publish"))
import uno  # type: ignore[import-not-found]
from _uno_convert import office_session, prop


def set_author(context: Any, name: str) -> None:
    """LibreOffice records changes under the user's name from its profile."""
    provider = context.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider",
                                                                context)
    access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationUpdateAccess",
                                                  (prop("nodepath", "/org.openoffice.UserProfile/Data"),))
    first, _, last = name.partition(" ")
    access.setPropertyValue("givenname", first)
    access.setPropertyValue("sn", last)
    access.commitChanges()


def find(doc: Any, text: str) -> Any:
    search = doc.createSearchDescriptor()
    search.SearchString = text
    search.SearchCaseSensitive = True
    found = doc.findFirst(search)
    if found is None:
        raise SystemExit(f"ERROR: text not found: {text}")
    return found


def apply_edit(doc: Any, edit: dict[str, Any]) -> None:
    """One reviewer's edit, recorded as a tracked change (or a comment)."""
    if "replace" in edit:
        old, new = edit["replace"]
        find(doc, old).setString(new)
    elif "comment" in edit:
        anchor, text = edit["comment"]
        found = find(doc, anchor)
        note = doc.createInstance("com.sun.star.text.textfield.Annotation")
        note.Author = edit["author"]
        note.Content = text
        found.getText().insertTextContent(found.getStart(), note, False)
    elif "append_paragraph" in edit:
        after, text = edit["append_paragraph"]
        found = find(doc, after)
        cursor = found.getText().createTextCursorByRange(found.getEnd())
        cursor.gotoEndOfParagraph(False)
        found.getText().insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
        found.getText().insertString(cursor, text, False)


def main() -> None:
    soffice, source, target, edits_file = sys.argv[1:5]
    edits = json.loads(Path(edits_file).read_text(encoding="utf-8"))
    with office_session(soffice, "riec-lo-review") as (desktop, pipe, profile):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        # LibreOffice takes the author from its user profile, which must not change while a
        # document is open: each author's edits are one pass (load, edit, save) in the same office.
        current = Path(source).resolve()
        passes: list[list[dict[str, Any]]] = []
        for edit in edits:
            if passes and passes[-1][0]["author"] == edit["author"]:
                passes[-1].append(edit)
            else:
                passes.append([edit])
        for number, group in enumerate(passes):
            set_author(context, group[0]["author"])
            doc = desktop.loadComponentFromURL(current.as_uri(), "_blank", 0, (prop("Hidden", True),))
            if doc is None:
                raise SystemExit(f"ERROR: LibreOffice could not open {current}")
            doc.setPropertyValue("RecordChanges", True)
            for edit in group:
                apply_edit(doc, edit)
            current = Path(target).resolve() if number == len(passes) - 1 else profile / f"pass{number}.docx"
            doc.storeToURL(current.as_uri(), (prop("FilterName", "MS Word 2007 XML"),))
            doc.close(True)


if __name__ == "__main__":
    main()
