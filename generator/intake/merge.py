"""All partners' answers -> one `voortgang/<peildatum>.yaml`, in the existing format.

The rule when partners disagree about one action: the partner named first in the action's
"Betrokken partners" (among those who answered) leads; the conflict is reported, and the other
answers are kept as comments under the entry, for the secretary to decide. An entry already in the
file is never replaced without `overwrite`; the comments and order the editors wrote are kept (ruamel.yaml).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..content.context import FICTITIOUS_NOTICE
from ..errors import UserError
from ..source.model import STATUS_NEEDS_BESLUIT, Agenda, Voortgang
from .receive import Answer, Returned


@dataclass
class Conflict:
    """Partners gave different answers about one action."""

    action_id: str
    chosen: Answer
    others: list[Answer]


@dataclass
class Merged:
    """The outcome of merging, before anything is written."""

    text: str
    added: list[str] = field(default_factory=list)
    replaced: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    kept: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # would change
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    needs_besluit: list[str] = field(default_factory=list)
    not_reported: list[str] = field(default_factory=list)


def entry_of(answer: Answer) -> dict[str, Any]:
    """One answer as a voortgang entry; a partner's voorstel goes into the toelichting (the stuurgroep decides)."""
    entry: dict[str, Any] = {"status": answer.status}
    toelichting = answer.toelichting or ""
    if answer.voorstel:
        toelichting = f"{toelichting} Voorstel aan de stuurgroep: {answer.voorstel}".strip()
    if toelichting:
        entry["toelichting"] = toelichting
    if answer.naar_jaar is not None:
        entry["naar_jaar"] = answer.naar_jaar
    return entry


def _yaml() -> YAML:
    y = YAML()
    y.width = 100_000  # never fold a toelichting over lines
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def merge(agenda: Agenda, returned: list[Returned], existing: Path, peildatum: dt.date, overwrite: bool,
          fictitious: bool) -> Merged:
    """Merge every answer into the voortgang file's text (not written here)."""
    per_action: dict[str, list[Answer]] = {}
    for workbook in returned:
        for action_id, answer in workbook.answers.items():
            per_action.setdefault(action_id, []).append(answer)
    y = _yaml()
    if existing.exists():
        try:
            data = y.load(existing.read_text(encoding="utf-8-sig"))
        except Exception as exc:  # any parse error: the file is checked by `make check`
            raise UserError(f"{existing}: cannot be read ({exc}); run 'make check' and fix it first") from None
        if not isinstance(data, CommentedMap):
            raise UserError(f"{existing}: not a voortgang file; run 'make check' and fix it first")
    else:
        data = CommentedMap()
        notice = f"{FICTITIOUS_NOTICE}. " if fictitious else ""
        data.yaml_set_start_comment(f"{notice}Voortgang per actie op de peildatum {peildatum.isoformat()}, "
                                    "verwerkt uit de uitvraag (python -m generator uitvraag verwerk).")
        data["peildatum"] = peildatum
    if not data.get("acties"):
        data["acties"] = CommentedMap()  # also for `acties: {}`, which would otherwise stay in flow style
    acties: CommentedMap = data["acties"]
    result = Merged(text="")
    order = [a.id for _, _, a in agenda.actions()]
    position = {action_id: i for i, action_id in enumerate(order)}
    lead_order = {a.id: list(a.partners or s.partners) for _, s, a in agenda.actions()}
    for action_id in order:
        answers = per_action.get(action_id)
        if not answers:
            if action_id not in acties:
                result.not_reported.append(action_id)
            continue
        partners = lead_order[action_id]
        answers.sort(key=lambda a: (partners.index(a.partner) if a.partner in partners else len(partners),
                                    a.workbook))
        chosen = answers[0]
        others = [a for a in answers[1:] if a.key != chosen.key]
        new = entry_of(chosen)
        if new["status"] in STATUS_NEEDS_BESLUIT:
            result.needs_besluit.append(action_id)
        if others:
            result.conflicts.append(Conflict(action_id, chosen, others))
        old = _plain(acties[action_id]) if action_id in acties else None
        if old is not None:
            comparable = {k: v for k, v in old.items() if k in ("status", "toelichting", "naar_jaar")}
            if comparable == new:
                result.unchanged.append(action_id)
                continue
            if not overwrite:
                result.kept.append((action_id, old, new))
                continue
            result.replaced.append((action_id, old, new))
            # The stuurgroep's besluit (and a resultaat) are the secretary's, never the partner's: keep them.
            new = {**new, **{k: v for k, v in old.items() if k not in ("status", "toelichting", "naar_jaar")}}
        else:
            result.added.append(action_id)
        node = CommentedMap()
        for key, value in new.items():
            node[key] = DoubleQuotedScalarString(value) if key == "toelichting" else value
        if action_id in acties:
            acties[action_id] = node
        else:
            # In agenda order: after the last entry that comes before it in the agenda.
            keys = list(acties.keys())
            index = sum(1 for k in keys if position.get(k, -1) < position[action_id])
            acties.insert(index, action_id, node)
        if others:
            lines = [f"uitvraag: partners answered differently; '{chosen.partner}' (named first) is taken."]
            lines += [f"  {a.partner} ({a.workbook}, row {a.row}): {a.describe()}" for a in others]
            acties.yaml_set_comment_before_after_key(action_id, before="\n".join(lines), indent=2)
    buffer = io.StringIO()
    y.dump(data, buffer)
    result.text = buffer.getvalue()
    _check_round_trip(result.text, data)
    return result


def _check_round_trip(text: str, data: Any) -> None:
    """The file must read back, with the loader `make voortgang` uses, as exactly what was merged."""
    loaded = yaml.safe_load(text)
    if _plain(loaded) != _plain(data):
        raise AssertionError("the merged voortgang file does not read back as written")
    Voortgang.model_validate(loaded)
