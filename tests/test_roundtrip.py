"""The round trip from Word, as a property: every marked value, changed in a review, comes back exactly.

For each of the three documents, built from the real source and from the examples: every value the
document prints from the source is changed in one Word-shaped review (texts get a word in front,
amounts and figures are retyped whole, "€ -" typed over, empty cells typed into), `overnemen` takes
the review over, and the document is built again. Its text must equal the reviewed text (with every change
accepted), apart from what the generator computes (totals follow from the changed amounts), and
the source must differ in exactly the changed fields: no other field of any file. The same for a
seeded random sample of single values, and for a sample changed in LibreOffice.
"""

from __future__ import annotations

import csv
import io
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from lxml import etree

from generator import pipeline
from generator.render.documents import CONTEXTS, is_fictitious
from generator.render.markers import Field, field_index
from generator.review.overnemen import parse_amount
from tests.conftest import EXAMPLES, FILES, SOURCE
from tests.test_overnemen import _overnemen, libreoffice_review
from tests.wordedit import WordReview, w

ANNA = "Anna de Vries"
SOURCES = {"real": SOURCE, "examples": EXAMPLES}


def _index(source: Path) -> dict[str, list[Field]]:
    validated, reports = pipeline.load_all(source, 2026)
    fictitious = is_fictitious(source)
    return field_index([build(validated, reports, fictitious) for build in CONTEXTS.values()])


def _build(source: Path, out: Path, kind: str) -> bytes:
    pipeline.build(source, 2026, out, [kind])
    return (out / FILES[kind]).read_bytes()


def _new_value(field: Field, printed: str) -> str:
    """What the reviewer types: an amount or figure one more, a text with a word in front."""
    if field.is_amount or (not field.is_csv and field.path[-1] in ("waarde", "vorig_jaar")):
        amount = parse_amount(printed)
        if isinstance(amount, bool) or amount is None:
            amount = 0
        return f"€ {amount + 1:,}".replace(",", ".") if field.is_csv else f"{amount + 1:,}".replace(",", ".")
    return "Herzien " + printed


def _change(review: WordReview, name: str, field: Field) -> str:
    printed = review.field_text(name)
    new = _new_value(field, printed)
    if field.is_amount or not printed or new[:1].isdigit():
        review.retype_field(name, new, ANNA)
    else:
        review.insert_in_field(name, "Herzien ", ANNA)
    return new


def _accepted_lines(data: bytes, index: dict[str, list[Field]]) -> list[str]:
    """The document's text with every tracked change accepted; what the generator computes masked."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for deleted in list(root.iter(w("del"), w("moveFrom"))):
        deleted.getparent().remove(deleted)
    names = {b.get(w("id")): b.get(w("name"), "") for b in root.iter(w("bookmarkStart"))}
    lines = []
    for paragraph in root.iter(w("p")):
        text, masked = [], set()
        for node in paragraph.iter(w("bookmarkStart"), w("bookmarkEnd"), w("t")):
            if node.tag == w("bookmarkStart"):
                name = names[node.get(w("id"))]
                found = index.get(re.sub(r"_\d+$", "", name.removeprefix("bron_")))
                if name.startswith("bron_") and found and found[0].computed:
                    masked.add(node.get(w("id")))
            elif node.tag == w("bookmarkEnd"):
                masked.discard(node.get(w("id")))
            elif not any(a.tag == w("del") for a in node.iterancestors()):
                text.append("#" if masked else node.text or "")
        line = re.sub("#+", "#", "".join(text))
        if line.strip():
            lines.append(line)
    return lines


def _differing(old: Any, new: Any, path: tuple[Any, ...] = ()) -> set[tuple[Any, ...]]:
    """The paths at which two parsed YAML values differ."""
    if isinstance(old, dict) and isinstance(new, dict) and old.keys() == new.keys():
        return set().union(*(_differing(old[k], new[k], (*path, k)) for k in old)) if old else set()
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return set().union(*(_differing(a, b, (*path, i)) for i, (a, b) in enumerate(zip(old, new, strict=True))))
    return set() if old == new else {path}


def _csv_cells(text: str) -> dict[tuple[str, str], str]:
    rows = list(csv.DictReader(io.StringIO(text)))
    keys = ["tabel", "regel"] if rows and "tabel" in rows[0] else ["regel"]
    return {("/".join(row[k] for k in keys), column): value for row in rows for column, value in row.items()}


def _parsed(text: str) -> Any:
    """A YAML file's data (libyaml's parser where installed: ten times faster, the same data)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _changed_fields(repo: Path) -> set[tuple[str, tuple[Any, ...]]]:
    """Every field that `git diff` shows changed, read from both versions of each changed file."""
    names = subprocess.run(["git", "diff", "--name-only"], cwd=repo, capture_output=True, text=True,
                           check=True).stdout.split()
    out: set[tuple[str, tuple[Any, ...]]] = set()
    for name in names:
        old = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=repo, capture_output=True, text=True,
                             check=True).stdout
        new = (repo / name).read_text(encoding="utf-8")
        file = name.removeprefix("source/")
        if name.endswith(".csv"):
            before, after = _csv_cells(old), _csv_cells(new)
            out |= {(file, cell) for cell in before.keys() | after.keys() if before.get(cell) != after.get(cell)}
        else:
            out |= {(file, path) for path in _differing(_parsed(old), _parsed(new))}
    return out


def _explain_zero_lines(source: Path) -> None:
    """A toelichting for each realisatie or prognose of zero that has none.

    A reviewer who types an amount over a budget of "€ -" makes the line's realisatie (still zero)
    differ from it by 100%, which needs a toelichting (the 5% rule of `make check`); with one, the
    amount typed over "€ -" is a valid change, and the round trip can be checked for it.
    """
    for path in sorted(source.rglob("*.csv")):
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        header = rows[0]
        amounts = [header.index(c) for c in ("realisatie", "prognose") if c in header]
        if "toelichting" not in header or not amounts:
            continue
        column = header.index("toelichting")
        for row in rows[1:]:
            if not row[column] and all(row[i] in ("0", "") for i in amounts):
                row[column] = "Niets begroot en niets besteed (fictief)."
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")


def _repo(source: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(source, repo / "source")
    _explain_zero_lines(repo / "source")
    for command in (["init", "-q", "-b", "main"], ["add", "-A"],
                    ["-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "bron"]):
        subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    return repo


def _round_trip(repo: Path, tmp_path: Path, kind: str, review: WordReview, changed: set[tuple[str, Any]],
                index: dict[str, list[Field]]) -> None:
    reviewed = tmp_path / "review.docx"
    reviewed.write_bytes(review.save())
    code, output = _overnemen(repo / "source", tmp_path / "report", reviewed)
    assert code == 0, output
    assert "0 not taken over" in output, (tmp_path / "report" / "overnemen-review.md").read_text(encoding="utf-8")
    assert _changed_fields(repo) == changed
    rebuilt = _build(repo / "source", tmp_path / "again", kind)
    expected, got = _accepted_lines(reviewed.read_bytes(), index), _accepted_lines(rebuilt, _index(repo / "source"))
    assert got == expected


def _field_key(field: Field) -> tuple[str, Any]:
    return (field.file, tuple(field.path))


@pytest.mark.parametrize("kind", list(FILES))
@pytest.mark.parametrize("name", list(SOURCES))
def test_every_marked_value_changed_at_once_comes_back_exactly(name: str, kind: str, tmp_path: Path) -> None:
    repo = _repo(SOURCES[name], tmp_path)
    index = _index(repo / "source")
    review = WordReview(_build(repo / "source", tmp_path / "out", kind))
    changed: set[tuple[str, Any]] = set()
    for bookmark in review.bookmarks():
        field = index[re.sub(r"_\d+$", "", bookmark)][0]
        if not field.computed:
            _change(review, bookmark, field)
            changed.add(_field_key(field))
    assert len(changed) > 20
    _round_trip(repo, tmp_path, kind, review, changed, index)


@pytest.mark.parametrize("name", list(SOURCES))
def test_a_seeded_sample_of_single_values_comes_back_exactly(name: str, tmp_path: Path) -> None:
    rng = random.Random(23)
    kind = rng.choice(list(FILES)) if name == "real" else "jaarverslag"
    repo = _repo(SOURCES[name], tmp_path)
    built = _build(repo / "source", tmp_path / "out", kind)
    for round_ in range(3 if name == "real" else 2):
        subprocess.run(["git", "checkout", "-q", "--", "."], cwd=repo, check=True)
        index = _index(repo / "source")
        review = WordReview(built)
        bookmark = rng.choice(sorted(b for b in review.bookmarks()
                                     if not index[re.sub(r"_\d+$", "", b)][0].computed))
        field = index[re.sub(r"_\d+$", "", bookmark)][0]
        for other in review.bookmarks():  # the value in every place it is printed
            if re.sub(r"_\d+$", "", other) == field.key:
                _change(review, other, field)
        work = tmp_path / f"round{round_}"
        work.mkdir()
        _round_trip(repo, work, kind, review, {_field_key(field)}, index)


def test_a_sample_changed_in_libreoffice_comes_back_exactly(tmp_path: Path) -> None:
    repo = _repo(EXAMPLES, tmp_path)
    index = _index(repo / "source")
    built = tmp_path / "out" / FILES["voortgang"]
    _build(repo / "source", tmp_path / "out", "voortgang")
    review = WordReview(built.read_bytes())
    rng = random.Random(23)
    once = [b for b in review.bookmarks() if "_" not in b and f"{b}_2" not in review.bookmarks()
            and not index[b][0].computed and not index[b][0].is_csv and len(review.field_text(b)) > 12
            and "\n".join(_accepted_lines(built.read_bytes(), index)).count(review.field_text(b)) == 1]
    chosen = rng.sample(once, 3)
    edits: list[dict[str, object]] = []
    changed = set()
    for bookmark in chosen:
        text = review.field_text(bookmark)
        edits.append({"author": ANNA, "replace": [text, "Herzien " + text]})
        changed.add(_field_key(index[bookmark][0]))
    reviewed = libreoffice_review(built, edits, tmp_path)
    code, output = _overnemen(repo / "source", tmp_path / "report", reviewed)
    assert code == 0 and "3 changes taken over, 0 not taken over" in output, output
    assert _changed_fields(repo) == changed
    rebuilt = _build(repo / "source", tmp_path / "again", "voortgang")
    assert _accepted_lines(rebuilt, _index(repo / "source")) == _accepted_lines(reviewed.read_bytes(), index)
