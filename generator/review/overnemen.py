"""Take reviewers' tracked changes back into the source (`overnemen`), and report the rest.

Each changed source field (found by its bookmark `bron_<key>`, see `render/markers.py`) is written
back: YAML through ruamel.yaml's round trip, so comments, key order, quoting and line folding stay
as they were and `git diff` shows only the changed words; amounts into their CSV line. Each file
is read as the build reads it (UTF-8 with or without a byte-order mark, or Windows-1252) and
written back in the same encoding, byte-order mark and line ends. A field whose text in the
document is not the current source text (the document was built from another version) is
reported, not applied. Changes outside fields (totals, template text, new paragraphs) and every
comment are listed per action in a review report. Everything is applied to a copy of the source
and validated first; nothing is written on any error. The source folder is locked from the first
read to the last write, and written as the build writes its documents (`render.write`): all
changed files or none, also when the run is killed.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import html
import io
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import FoldedScalarString

from ..content.years import keep_placeholders
from ..errors import Problem, UserError, ValidationFailed
from ..i18n import _
from ..render.documents import CONTEXTS, is_fictitious
from ..render.markers import Field, field_index
from ..render.write import locked_folder, os_reason, write_held, write_outputs
from ..source.load import display_path, source_encoding
from ..source.progress import load_reports
from ..source.validate import load_agenda
from .diff.words import render_words, shorten, word_diff
from .report import html_page, md_words
from .report import md_escape as _md
from .tracked import Comment, FieldEdit, Loose, Review, key_of, read_review

REPORT_DIR = Path("output") / "diff"


@dataclass
class Applied:
    """A reviewer's change written into the source."""

    field: Field
    old: str
    new: str
    authors: list[str]
    dates: list[str]
    # A value printed in several places (`printed`) that the reviewer changed in only some of them:
    # the places (1 = where it is printed first) left as they were, which change too when rebuilt.
    printed: int = 1
    also: tuple[int, ...] = ()

    @property
    def changed_in(self) -> list[int]:
        """The places where the reviewer changed the value (1 = where it is printed first)."""
        return [n for n in range(1, self.printed + 1) if n not in self.also]


def _places(numbers: Sequence[int]) -> str:
    """`[1, 3]` -> `1 en 3` (the review report is Dutch)."""
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]


@dataclass
class NotApplied:
    """A reviewer's change that was not written, and why."""

    reason: str
    place: str
    action: str | None
    seen: str
    new: str
    authors: list[str]


@dataclass
class DocumentResult:
    """What was taken over from one reviewed document."""

    document: str
    applied: list[Applied] = field(default_factory=list)
    already: list[Applied] = field(default_factory=list)  # the source already says what the reviewer wrote
    not_applied: list[NotApplied] = field(default_factory=list)
    comments: list[tuple[Comment, str, str | None]] = field(default_factory=list)  # comment, place, action


@dataclass
class TakeOverResult:
    """The outcome of `overnemen` over one or more reviewed documents."""

    documents: list[DocumentResult]
    source_diff: str
    changed_files: list[Path]
    written: bool
    reports: list[Path] = field(default_factory=list)


def take_over(documents: list[Path], source: Path, year: int, report_dir: Path = REPORT_DIR,
              dry_run: bool = False) -> TakeOverResult:
    """Apply the tracked changes of each reviewed document, in order, to the source; report the rest."""
    reviews = []
    for path in documents:
        if not path.is_file():
            raise UserError(Problem(str(path), None, "", _("file not found"),
                                    _("check the path of the reviewed document")).format())
        reviews.append((path, read_review(path, str(path))))
    # Locked from the first read to the last write: a second overnemen (or a build completing a killed
    # one) waits, so it neither reads a half-written source nor writes over what this one takes over.
    with locked_folder(source) if source.is_dir() else contextlib.nullcontext(), \
            tempfile.TemporaryDirectory(prefix="overnemen-") as tmp:
        work = Path(tmp) / "source"
        shutil.copytree(source, work)
        results = []
        for path, review in reviews:
            fields = _index(work, year, _("the source"))
            result = DocumentResult(str(path))
            edits = _plan(review, fields, result, work, year)
            _apply(work, edits)
            _index(work, year, _("the source with the reviewer's changes"))  # validates; raises on any error
            _comments(review, fields, result)
            results.append(result)
        changed, diff_text = _changes(source, work)
        if not dry_run:
            _write_all(source, work, changed)
    reports = [] if not results else _write_reports(results, report_dir)
    return TakeOverResult(results, diff_text, [source / c for c in changed], bool(changed) and not dry_run, reports)


def _index(source: Path, year: int, what: str) -> dict[str, list[Field]]:
    """Every value the three documents print, by key, from the source as it is now."""
    try:
        validated = load_agenda(source, year)
        reports = load_reports(source, validated, None)
    except ValidationFailed as exc:
        lines = "\n".join(p.format() for p in exc.problems.errors)
        raise UserError(_("{what} has errors, so nothing was taken over:\n{lines}\n"
                          "(fix them with 'make check', then run overnemen again)")
                        .format(what=what, lines=lines)) from None
    fictitious = is_fictitious(source)
    return field_index([build(validated, reports, fictitious) for build in CONTEXTS.values()])


# --- deciding what to apply -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Edit:
    field: Field
    new: str | int | None  # YAML text, CSV amount (None: empty cell), or "" to delete a list item
    delete: bool = False


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _plan(review: Review, index: dict[str, list[Field]], result: DocumentResult, work: Path,
          year: int) -> list[_Edit]:
    edits: list[_Edit] = []
    raw: dict[str, Any] = {}
    places: dict[str, list[FieldEdit]] = {}
    for edit in review.fields.values():
        places.setdefault(edit.key, []).append(edit)
    for key, printed in places.items():
        changed = [e for e in printed if e.changed]
        if not changed:
            continue
        found = index.get(key)
        if not found:
            first = changed[0]
            result.not_applied.append(NotApplied(
                _("this text is no longer in the source (the document was built from another version, "
                  "or the text was moved or removed since)"), _("a text of the document"), None,
                first.seen, first.new, _authors(changed)))
            continue
        field_ = found[0]
        if field_.computed:
            for edit in changed:
                result.not_applied.append(NotApplied(field_.computed, field_.place,
                                                     field_.action, edit.seen, edit.new, edit.authors))
            continue
        news = list(dict.fromkeys(" ".join(e.new.split()) for e in changed))
        if len(news) > 1:
            result.not_applied.append(NotApplied(
                _("this text is printed in {n} places and was changed differently in them (\"{a}\" and \"{b}\"); "
                  "make the change once, the same everywhere").format(n=len(printed), a=_short(news[0]),
                                                                      b=_short(news[1])),
                field_.place, field_.action, changed[0].seen, " / ".join(news), _authors(changed)))
            continue
        edit = FieldEdit(changed[0].name, key, changed[0].seen, changed[0].new, _authors(changed),
                         list(dict.fromkeys(d for e in changed for d in e.dates)),
                         any(e.split for e in changed))
        planned = _plan_field(edit, field_, result, _source_text(work, field_, raw), year)
        if planned is not None:
            edits.append(planned)
            if len(changed) < len(printed):  # said in the report: the rebuilt document changes there too
                result.applied[-1].printed = len(printed)
                result.applied[-1].also = tuple(sorted(_place_number(e.name) for e in printed if not e.changed))
    fields = {k: v[0] for k, v in index.items()}
    for loose in review.loose:
        near = fields.get(key_of(loose.near or ""))
        result.not_applied.append(NotApplied(_loose_reason(loose, near), _place(near, loose.context),
                                             near.action if near else None, "", loose.text, [loose.author]))
    return edits


def _place_number(name: str) -> int:
    """1 for the bookmark `bron_<key>` (where a value is printed first), n for `bron_<key>_n`."""
    suffix = name.rsplit("_", 1)[-1]
    return int(suffix) if "_" in name.removeprefix("bron_") and suffix.isdigit() else 1


def _source_text(work: Path, found: Field, raw: dict[str, Any]) -> str | None:
    """The text of a YAML field as the source holds it (with its year placeholders, `{jaar}`); None for a CSV cell."""
    if found.is_csv:
        return None
    if found.file not in raw:
        raw[found.file] = _yaml().load(_read_source(work / found.file, work)[0].replace("\r\n", "\n"))
    value: Any = raw[found.file]
    for part in found.path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value if isinstance(value, str) else None


def _plan_field(edit: FieldEdit, found: Field, result: DocumentResult, source: str | None,
                year: int) -> _Edit | None:
    def refuse(reason: str) -> None:
        result.not_applied.append(NotApplied(reason, found.place, found.action, edit.seen, edit.new, edit.authors))

    if edit.split:
        refuse(_("the change splits the text into paragraphs or joins it with the next one; "
                 "make this change in the source by hand"))
        return None
    if not _same(edit.seen, found.text):
        if _same(edit.new, found.text):
            result.already.append(Applied(found, edit.seen, edit.new, edit.authors, edit.dates))
        else:
            refuse(_("the document was built from another version of the source: the text the reviewer saw "
                     "is not the current text ({text}); compare and change the source by hand")
                   .format(text=_short(found.text)))
        return None
    new = " ".join(edit.new.split()) if "\n" not in found.text else edit.new.strip()
    if found.is_amount:
        amount = parse_amount(new)
        if amount is False:
            refuse(_("'{value}' is not an amount (write it as € 1.234.567, € - for zero, or leave it empty)")
                   .format(value=new))
            return None
        result.applied.append(Applied(found, edit.seen, edit.new, edit.authors, edit.dates))
        return _Edit(found, amount if isinstance(amount, int) else None)
    if not new:
        if isinstance(found.path[-1], int):
            result.applied.append(Applied(found, edit.seen, "", edit.authors, edit.dates))
            return _Edit(found, "", delete=True)
        refuse(_("the whole text was deleted; a text the document needs is not removed automatically "
                 "(delete or replace it in the source if that is meant)"))
        return None
    result.applied.append(Applied(found, edit.seen, new, edit.authors, edit.dates))
    # A year the reviewer left as it was stays a placeholder (`{jaar}`) in the source.
    return _Edit(found, keep_placeholders(source, new, year) if source else new)


def _decimal(text: str) -> float | bool:
    try:
        return float(text.replace(".", "").replace(",", "."))
    except ValueError:
        return False


def parse_amount(text: str) -> int | bool | None:
    """`€ 7.525.087` -> 7525087, `€ -` -> 0, `` -> None (empty cell); False if it is not an amount."""
    cleaned = text.replace("€", "").replace("\u00a0", " ").strip()
    if not cleaned:
        return None
    if cleaned in ("-", "–"):
        return 0
    cleaned = cleaned.replace("−", "-").replace("–", "-").replace(" ", "")
    if not re.fullmatch(r"-?\d{1,3}(\.\d{3})*|-?\d+", cleaned):
        return False
    return int(cleaned.replace(".", ""))


def _loose_reason(loose: Loose, near: Field | None) -> str:
    if loose.kind == "new-paragraph":
        if near and near.action:
            return _("new paragraph after {action}: a proposed new action or text; add it to the source by hand "
                     "(a new action gets the next free ID of its chapter)").format(action=near.action)
        return _("new paragraph: a proposed new action or text; add it to the source by hand "
                 "(a new action gets the next free ID of its chapter)")
    if loose.kind == "joined":
        return _("two paragraphs were joined into one: a change spanning two texts is not taken over")
    if loose.kind == "deleted-outside":
        return _("deleted text that does not come from the source (a heading or sentence of the template, "
                 "an ID, or a computed total)")
    return _("inserted text outside every source text (in a heading of the template, a computed total, "
             "or between two texts)")


def _place(near: Field | None, context: str) -> str:
    if near:
        return _("after {place}, in the paragraph \"{text}\"").format(place=near.place, text=_short(context))
    return _("in the document, in the paragraph \"{text}\"").format(text=_short(context))


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _authors(edits: list[FieldEdit]) -> list[str]:
    return list(dict.fromkeys(a for e in edits for a in e.authors))


def _comments(review: Review, index: dict[str, list[Field]], result: DocumentResult) -> None:
    for comment in review.comments:
        found = index.get(key_of(comment.near or ""))
        near = found[0] if found else None
        place = near.place if near else _("the document")
        result.comments.append((comment, place, near.action if near else None))


# --- applying to a copy of the source ---------------------------------------------------------------


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line we do not change
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null",
                                                                                     "null"))
    return yaml


def _apply(work: Path, edits: list[_Edit]) -> None:
    by_file: dict[str, list[_Edit]] = {}
    for edit in edits:
        by_file.setdefault(edit.field.file, []).append(edit)
    for name, file_edits in by_file.items():
        path = work / name
        if name.endswith(".csv"):
            _apply_csv(path, file_edits)
        else:
            _apply_yaml(path, name, file_edits)


def _apply_yaml(path: Path, name: str, edits: list[_Edit]) -> None:
    yaml = _yaml()
    saved, encoding, bom = _read_source(path, path.parents[len(Path(name).parts) - 1])
    text = saved.replace("\r\n", "\n")
    data = yaml.load(text)
    if _dump(yaml, data) != text:
        raise UserError(f"{name}: this file's layout cannot be kept when it is rewritten, so nothing was taken "
                        "over (indent lists by 2 spaces under their key, as the other source files do)")
    # Replacements first, then deletions from the last list index back, so indexes stay valid.
    ordered = sorted(edits, key=lambda e: (e.delete, [(-p if isinstance(p, int) else 0) for p in e.field.path]))
    for edit in ordered:
        parent = data
        for part in edit.field.path[:-1]:
            parent = parent[part]
        last = edit.field.path[-1]
        if edit.delete:
            del parent[last]
            continue
        assert isinstance(edit.new, str)
        parent[last] = _restyled(parent[last], edit.new, edit.field)
    _write_source(path, _line_ends_kept(saved, _dump(yaml, data)), encoding, bom)


def _dump(yaml: YAML, data: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _restyled(old: Any, new: str, field_: Field) -> Any:
    """The new text in the old value's style: same quotes, same folding where the words are the same."""
    if isinstance(old, int | float) and not isinstance(old, bool):
        number = parse_amount(new) if "," not in new else _decimal(new)
        if number is False or number is None:
            raise UserError(_("{place}: '{value}' is not a number, so nothing was taken over (write it in digits, "
                              "as 1.234 or 3,4)").format(place=field_.place, value=new))
        return number
    if isinstance(old, FoldedScalarString):
        folded = FoldedScalarString(new)
        folds = _moved_folds(str(old), new, list(getattr(old, "fold_pos", [])))
        folded.fold_pos = folds  # type: ignore[attr-defined]
        return folded
    if type(old) is not str and isinstance(old, str):
        return type(old)(new)
    return new


def _moved_folds(old: str, new: str, folds: list[int]) -> list[int]:
    """Line breaks of a folded text kept where the words around them did not change; long lines folded anew."""
    width = max([b - a for a, b in zip([0, *folds], [*folds, len(old)], strict=True)] + [60])
    kept: list[int] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, __ in matcher.get_opcodes():
        if tag == "equal":
            kept += [j1 + (f - i1) for f in folds if i1 <= f < i2]
    out: list[int] = []
    start = 0
    for stop in [*kept, len(new)]:
        while stop - start > width:
            cut = new.rfind(" ", start + 1, start + width)
            if cut <= start:
                break
            out.append(cut)
            start = cut + 1
        if stop < len(new):
            out.append(stop)
            start = stop + 1
    return [f for f in out if 0 < f < len(new) - 1 and new[f] == " "]


_BOM = b"\xef\xbb\xbf"


def _read_source(path: Path, root: Path) -> tuple[str, str, bool]:
    """(text with the file's own line ends, encoding, byte-order mark): the file read as the build reads it."""
    raw = path.read_bytes()
    encoding = source_encoding(raw)  # the one decision of `source.load`
    if encoding is None:
        raise UserError(_("{file}: the file is neither UTF-8 nor Windows-1252 text, so nothing was taken over")
                        .format(file=display_path(path, root)))
    bom = encoding == "utf-8" and raw.startswith(_BOM)
    return raw[len(_BOM) * bom:].decode(encoding), encoding, bom


def _write_source(path: Path, text: str, encoding: str, bom: bool) -> None:
    """Write a changed file of the work copy in the encoding and with the byte-order mark it was read with."""
    try:
        out = text.encode(encoding)
    except UnicodeEncodeError as exc:
        raise UserError(_("{file}: the new text holds a character ({char}) that this Windows-1252 file cannot hold, "
                          "so nothing was taken over; save the file as UTF-8 and run this again")
                        .format(file=path.name, char=f"U+{ord(exc.object[exc.start]):04X}")) from None
    path.write_bytes(_BOM * bom + out)


def _line_ends_kept(before: str, after: str) -> str:
    """`after` (lines ending in \\n) with the line ends of `before`: an unchanged line keeps its own, a new
    one ends as most lines of `before` do, so a Windows (CRLF) file stays CRLF and no other line changes."""
    old = before.split("\n")
    new = after.split("\n")
    crlf = 2 * sum(line.endswith("\r") for line in old) > len(old) - 1
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, [line.removesuffix("\r") for line in old], new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += old[i1:i2]
        else:  # the last piece follows the last line end: it has none of its own
            out += [line + "\r" * (crlf and j < len(new) - 1) for j, line in enumerate(new[j1:j2], start=j1)]
    return "\n".join(out)


def _apply_csv(path: Path, edits: list[_Edit]) -> None:
    text, encoding, bom = _read_source(path, path.parent)
    lines = text.splitlines(keepends=True)
    delimiter = ";" if lines and lines[0].count(";") > lines[0].count(",") else ","
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    keys = ["tabel", "regel"] if "tabel" in header else ["regel"]
    for edit in edits:
        line_id, column = str(edit.field.path[0]), str(edit.field.path[1])
        for number, line in enumerate(lines[1:], start=1):
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if "/".join(cells[header.index(k)] for k in keys if header.index(k) < len(cells)) != line_id:
                continue
            cells[header.index(column)] = "" if edit.new is None else str(edit.new)
            ending = line[len(line.rstrip("\r\n")):]
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(cells)
            lines[number] = buffer.getvalue() + ending
            break
        else:  # never silently dropped
            raise UserError(_("{place}: this line is not in the file, so nothing was taken over")
                            .format(place=edit.field.place))
    _write_source(path, "".join(lines), encoding, bom)


def _changes(source: Path, work: Path) -> tuple[list[str], str]:
    changed: list[str] = []
    parts: list[str] = []
    for path in sorted(work.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(work).as_posix()
        original = source / name
        if original.is_file() and original.read_bytes() == path.read_bytes():
            continue
        changed.append(name)
        old = _shown(original, source)
        new = _shown(path, work)
        shown = display_path(source / name, source)
        parts.append("".join(difflib.unified_diff(old, new, f"{shown} (now)", f"{shown} (reviewed)")))
    return changed, "".join(parts)


def _shown(path: Path, root: Path) -> list[str]:
    """A file's lines for the diff on screen (as the build reads it; Windows line ends shown as plain ones)."""
    return _read_source(path, root)[0].replace("\r\n", "\n").splitlines(keepends=True) if path.is_file() else []


def _write_all(source: Path, work: Path, changed: list[str]) -> None:
    """All changed files or none, as the build writes its documents (the caller holds the source's lock)."""
    try:
        write_held(source, {name: (work / name).read_bytes() for name in changed})
    except OSError as exc:
        raise UserError(_("cannot write the source ({reason}); nothing was changed")
                        .format(reason=os_reason(exc))) from None


# --- the review report ------------------------------------------------------------------------------


def _per_action(result: DocumentResult) -> dict[str, list[str]]:
    """Markdown lines grouped by action (or 'Overig' for everything that is not an action)."""
    groups: dict[str, list[str]] = {}
    for item in result.applied:
        change = render_words(shorten(word_diff(item.old, item.new)), md_words) if item.new else "(verwijderd)"
        also = (f" (deze tekst staat op {item.printed} plaatsen in het document; de reviewer wijzigde hem op "
                f"plaats {_places(item.changed_in)}; in het opnieuw gebouwde document verandert hij ook op plaats "
                f"{_places(item.also)})") if item.also else ""
        groups.setdefault(item.field.action or "Overig", []).append(
            f"- Overgenomen ({', '.join(item.authors)}): {item.field.place}: {change}{also}")
    for item in result.already:
        groups.setdefault(item.field.action or "Overig", []).append(
            f"- Staat al in de bron ({', '.join(item.authors)}): {item.field.place}: {_md(_short(item.new, 200))}")
    for miss in result.not_applied:
        groups.setdefault(miss.action or "Overig", []).append(
            f"- **Niet overgenomen** ({', '.join(a for a in miss.authors if a) or 'onbekend'}): {miss.place}: "
            f"{_md(miss.reason)}. Tekst van de reviewer: \"{_md(_short(miss.new, 300))}\"")
    for comment, place, action in result.comments:
        groups.setdefault(action or "Overig", []).append(
            f"- Opmerking van {_md(comment.author or 'onbekend')} ({_date(comment.date)}) bij "
            f"\"{_md(_short(comment.anchor, 80))}\" ({place}): {_md(comment.text)}")
    return dict(sorted(groups.items(), key=lambda kv: (kv[0] == "Overig", kv[0])))


def report_markdown(results: list[DocumentResult]) -> str:
    """The review report: per document, per action, what was taken over, what not, and every comment."""
    out = ["# Overnemen: reacties van reviewers", ""]
    for result in results:
        out += [f"## {Path(result.document).name}", "",
                _report_counts(result) + ".", ""]
        for action, lines in _per_action(result).items():
            out += [f"### {action}", "", *lines, ""]
    return "\n".join(out)


def _report_counts(result: DocumentResult) -> str:
    # Dutch in every language, like the rest of the review report.
    n = len(result.comments)
    return (f"{len(result.applied)} overgenomen, {len(result.not_applied)} niet overgenomen, "
            f"{n} {'opmerking' if n == 1 else 'opmerkingen'}")


def report_html(results: list[DocumentResult]) -> str:
    """The review report as a small accessible HTML page."""
    body = []
    for result in results:
        body.append(f"<h2>{html.escape(Path(result.document).name)}</h2>")
        body.append(f"<p>{html.escape(_report_counts(result))}.</p>")
        for action, lines in _per_action(result).items():
            items = "".join(f"<li>{_md_to_html(line[2:])}</li>" for line in lines)
            body.append(f"<h3>{html.escape(action)}</h3><ul>{items}</ul>")
    return html_page("Overnemen: reacties van reviewers", body)


def _md_to_html(line: str) -> str:
    text = html.escape(re.sub(r"\\(.)", "\x00\\1", line))
    text = re.sub(r"~~(.*?)~~", r"<del>\1</del>", text)
    text = re.sub(r"\*\*(.*?)\*\*", r"<strong>\1</strong>", text)
    return text.replace("\x00", "")


def _date(value: str) -> str:
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).strftime("%d-%m-%Y %H:%M")
    except ValueError:
        return value or "geen datum"


def _write_reports(results: list[DocumentResult], report_dir: Path) -> list[Path]:
    stem = "overnemen-" + Path(results[0].document).stem if len(results) == 1 else "overnemen"
    reports = {stem + ".md": report_markdown(results).encode("utf-8"),
               stem + ".html": report_html(results).encode("utf-8")}
    write_outputs(report_dir, reports)
    return [report_dir / name for name in reports]


__all__ = ["TakeOverResult", "parse_amount", "report_markdown", "take_over"]
