"""All partners' answers -> one `voortgang/<peildatum>.yaml`, in the existing format.

The rule when partners disagree about one action's status: the partner named first in the action's
"Betrokken partners" (among those who answered) leads; the conflict is reported, and the other
answers are kept as comments above the entry, for the secretary to decide. Another toelichting under
the same status is no conflict: it is kept beside the lead's, as a comment.

A partner may send a corrected workbook. What each import took from the workbooks is recorded in
`uitvraag/<peildatum>/verwerkt.yaml`, so the next import knows what changed since: an entry is replaced
only when the partners' answer changed since the last import and the secretary did not edit it in the
meantime. An entry both changed is kept as the secretary left it, with the partner's new answer shown
above it. Without that record (or with `overwrite`) the older rule holds: an entry already in the file
is never replaced without `overwrite`. Comments and order the editors wrote are kept (ruamel.yaml).

A partner who answers 'doorgeschoven' or 'vervallen' proposes it: only the stuurgroep decides. Until
an earlier report holds an agreed voorstel to do just that, the entry gets the status 'vraagt aandacht'
and a `voorstel:` (wat, waarom, naar_jaar); the secretary records the stuurgroep's `besluit:` under it.
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
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from ..content.context import FICTITIOUS_NOTICE
from ..errors import UserError
from ..i18n import _
from ..source.model import STATUS_NEEDS_BESLUIT, Agenda, Voortgang
from ..source.progress import Proposal
from .receive import Answer, Returned

# The status of an action a partner proposes to move or drop, while the stuurgroep has not agreed:
# it deviates from the agenda and the stuurgroep is asked to steer (its toelichting says why).
STATUS_PROPOSED = "vraagt aandacht"
# What a partner's answer fills in an entry; everything else (a besluit, a resultaat) is the secretary's.
PARTNER_KEYS = ("status", "toelichting", "naar_jaar", "voorstel")


@dataclass
class Conflict:
    """Partners gave different statuses (or years) for one action."""

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
    beside: list[str] = field(default_factory=list)  # another toelichting under the same status, as a comment
    edited: list[str] = field(default_factory=list)  # the secretary's edit kept: the partners' answer is as before
    both_changed: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)  # kept, both shown
    state: dict[str, dict[str, Answer]] = field(default_factory=dict)  # what this import took, per partner
    proposed: list[str] = field(default_factory=list)  # a voorstel the stuurgroep has yet to decide
    dropped_besluit: list[str] = field(default_factory=list)  # --overwrite: a besluit no longer fits
    not_reported: list[str] = field(default_factory=list)
    changed: bool = False  # the file's text differs from what it was (an entry, or a comment for the secretary)


def _decides(answer: Answer, decision: Proposal | None, old: dict[str, Any] | None) -> bool:
    """Whether the stuurgroep already agreed to what the partner answers ('doorgeschoven' or 'vervallen')."""
    if decision is not None and decision.status == answer.status and (
            answer.status == "vervallen" or decision.voorstel.naar_jaar == answer.naar_jaar):
        return True
    # A decision recorded directly on the entry in this file (the older way) for this very status.
    return (old is not None and old.get("besluit") is not None and old.get("status") == answer.status
            and old.get("naar_jaar") == answer.naar_jaar)


def entry_of(answer: Answer, decision: Proposal | None = None, old: dict[str, Any] | None = None) -> dict[str, Any]:
    """One answer as a voortgang entry.

    'doorgeschoven' or 'vervallen' is the partner's voorstel: it becomes `voorstel:` (waarom: the
    partner's voorstel text, else its toelichting) with the status 'vraagt aandacht', unless the
    stuurgroep already agreed to it (`decision`: the latest agreed voorstel of an earlier report).
    """
    proposes = answer.status in STATUS_NEEDS_BESLUIT and not _decides(answer, decision, old)
    entry: dict[str, Any] = {"status": STATUS_PROPOSED if proposes else answer.status}
    if answer.toelichting:
        entry["toelichting"] = answer.toelichting
    if proposes:
        # In the order of the README's example: wat, naar_jaar, waarom (the besluit is added under it).
        voorstel: dict[str, Any] = {"wat": "doorschuiven" if answer.status == "doorgeschoven" else "vervallen"}
        if answer.naar_jaar is not None:
            voorstel["naar_jaar"] = answer.naar_jaar
        voorstel["waarom"] = answer.voorstel or answer.toelichting
        entry["voorstel"] = voorstel
    elif answer.naar_jaar is not None:
        entry["naar_jaar"] = answer.naar_jaar
    return entry


def _partner_part(entry: dict[str, Any]) -> dict[str, Any]:
    """What of an entry a partner's answer gives: the stuurgroep's besluit under a voorstel is left out."""
    part = {k: v for k, v in entry.items() if k in PARTNER_KEYS}
    if isinstance(part.get("voorstel"), dict):
        part["voorstel"] = {k: v for k, v in part["voorstel"].items() if k != "besluit"}
    return part


def _keep_secretary_part(new: dict[str, Any], old: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """`new` with what the secretary added to `old` (a besluit, a resultaat) where it still applies.

    Returns the entry and whether a besluit was dropped because the answer no longer fits it.
    """
    merged = {**new, **{k: v for k, v in old.items() if k not in PARTNER_KEYS and k != "besluit"}}
    dropped = False
    if old.get("besluit") is not None:  # recorded directly with a status 'doorgeschoven' or 'vervallen'
        if new["status"] == old.get("status") and new.get("naar_jaar") == old.get("naar_jaar"):
            merged["besluit"] = old["besluit"]
        else:
            dropped = True
    old_voorstel = old.get("voorstel")
    if isinstance(old_voorstel, dict) and old_voorstel.get("besluit") is not None:
        new_voorstel = new.get("voorstel")
        if (isinstance(new_voorstel, dict) and new_voorstel["wat"] == old_voorstel.get("wat")
                and new_voorstel.get("naar_jaar") == old_voorstel.get("naar_jaar")):
            merged["voorstel"] = {**new_voorstel, "besluit": old_voorstel["besluit"]}
        else:
            dropped = True
    return merged, dropped


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
          fictitious: bool, decisions: dict[str, Proposal] | None = None,
          last: dict[str, dict[str, Answer]] | None = None) -> Merged:
    """Merge every answer into the voortgang file's text (not written here).

    `decisions`: per action the latest voorstel the stuurgroep agreed to in an earlier report.
    `last`: per partner the answers the previous import took (None: no record). A partner whose
    workbook is not read this time (a corrected workbook processed on its own) keeps those answers.
    """
    decisions = decisions or {}
    record = {partner: dict(answers) for partner, answers in (last or {}).items()}
    for workbook in returned:
        record[workbook.partner] = dict(workbook.answers)
    per_action = _per_action(record)
    before_per_action = _per_action(last or {})
    y = _yaml()
    existing_text = ""
    if existing.exists():
        try:
            existing_text = existing.read_text(encoding="utf-8-sig")
            data = y.load(existing_text)
        except Exception:  # any parse error: the file is checked by `make check`
            raise UserError(_("{file}: cannot be read; run 'make check' and fix it first")
                            .format(file=existing)) from None
        if not isinstance(data, CommentedMap):
            raise UserError(_("{file}: not a voortgang file; run 'make check' and fix it first").format(file=existing))
    else:
        data = CommentedMap()
        notice = f"{FICTITIOUS_NOTICE}. " if fictitious else ""
        data.yaml_set_start_comment(f"{notice}Voortgang per actie op de peildatum {peildatum.isoformat()}, "
                                    "verwerkt uit de uitvraag (python -m generator uitvraag verwerk).")
        data["peildatum"] = peildatum
    if not data.get("acties"):
        data["acties"] = CommentedMap()  # also for `acties: {}`, which would otherwise stay in flow style
    acties: CommentedMap = data["acties"]
    result = Merged(text="", state=record)
    order = [a.id for _, _, a in agenda.actions()]
    position = {action_id: i for i, action_id in enumerate(order)}
    lead_order = {a.id: list(a.partners or s.partners) for _, s, a in agenda.actions()}
    for action_id in order:
        answers = per_action.get(action_id)
        if not answers:
            if action_id not in acties:
                result.not_reported.append(action_id)
            continue
        chosen, others, beside = _choose(answers, lead_order[action_id])
        if others:
            result.conflicts.append(Conflict(action_id, chosen, others))
        if beside:
            result.beside.append(action_id)
        old = _plain(acties[action_id]) if action_id in acties else None
        new = entry_of(chosen, decisions.get(action_id), old)
        earlier = before_per_action.get(action_id)
        before = None if last is None or not earlier else entry_of(
            _choose(earlier, lead_order[action_id])[0], decisions.get(action_id), old)
        comment: list[str] = []
        if old is not None:
            # A besluit recorded under the voorstel is not part of the answer: the same answer is unchanged.
            current = _partner_part(old)
            if current == new:
                result.unchanged.append(action_id)
                continue
            if not overwrite and before is not None and new == before:
                result.edited.append(action_id)  # the partners said the same as last time: the edit stands
                continue
            if not overwrite and not (before is not None and current == before):
                if before is None:
                    result.kept.append((action_id, old, new))
                else:
                    # Changed in the workbook and in the file since the last import: the file's entry
                    # stays, and the partner's new answer is written above it for the secretary to decide.
                    result.both_changed.append((action_id, old, new))
                    comment = ["uitvraag: na de vorige verwerking gaf de partner een nieuw antwoord, en is deze "
                               "ingang ook in dit bestand gewijzigd; de ingang is gelaten zoals hij was.",
                               *_described(chosen, "  nieuw antwoord van ")]
                    _comment(acties, action_id, comment, existing_text)
                continue
            result.replaced.append((action_id, old, new))
            # The stuurgroep's besluit (and a resultaat) are the secretary's, never the partner's: keep them.
            new, dropped = _keep_secretary_part(new, old)
            if dropped:
                result.dropped_besluit.append(action_id)
        else:
            result.added.append(action_id)
        node = CommentedMap()
        for key, value in new.items():
            node[key] = _node(key, value)
        if action_id in acties:
            acties[action_id] = node
        else:
            # In agenda order: after the last entry that comes before it in the agenda.
            keys = list(acties.keys())
            index = sum(1 for k in keys if position.get(k, -1) < position[action_id])
            acties.insert(index, action_id, node)
        if others:
            comment += [f"uitvraag: de partners antwoorden verschillend; het antwoord van '{chosen.partner}' "
                        "(als eerste genoemd) is genomen. Beslis en pas zo nodig aan:"]
            for a in others:
                comment += _described(a, "  ")
        if beside:
            comment += ["uitvraag: andere toelichting bij dezelfde status:"]
            for a in beside:
                comment += _described(a, "  ")
        _comment(acties, action_id, comment, existing_text)
    for action_id in order:
        # Every answered action whose entry (new or kept) asks the stuurgroep something it has not decided yet.
        voorstel = acties[action_id].get("voorstel") if action_id in per_action and action_id in acties else None
        if isinstance(voorstel, dict) and voorstel.get("besluit") is None:
            result.proposed.append(action_id)
    buffer = io.StringIO()
    y.dump(data, buffer)
    result.text = buffer.getvalue()
    result.changed = result.text != existing_text
    _check_round_trip(result.text, data)
    return result


def _per_action(record: dict[str, dict[str, Answer]]) -> dict[str, list[Answer]]:
    per_action: dict[str, list[Answer]] = {}
    for answers in record.values():
        for action_id, answer in answers.items():
            per_action.setdefault(action_id, []).append(answer)
    return per_action


def _choose(answers: list[Answer], partners: list[str]) -> tuple[Answer, list[Answer], list[Answer]]:
    """The answer taken (of the partner named first), the conflicting ones, and other toelichtingen beside it."""
    answers = sorted(answers, key=lambda a: (partners.index(a.partner) if a.partner in partners else len(partners),
                                             a.workbook))
    chosen = answers[0]
    # A conflict is another status (or year); another toelichting under the same status is kept beside it.
    others = [a for a in answers[1:] if (a.status, a.naar_jaar) != (chosen.status, chosen.naar_jaar)]
    beside = [a for a in answers[1:] if a not in others and a.key != chosen.key]
    return chosen, others, beside


def _described(answer: Answer, prefix: str) -> list[str]:
    """An answer as comment lines: who, where, and what, a toelichting with its own lines."""
    head = f"{prefix}{answer.partner} ({answer.workbook}, rij {answer.row}): status '{answer.status}'"
    if answer.naar_jaar:
        head += f", naar jaar {answer.naar_jaar}"
    lines = [head]
    for label, text in (("toelichting", answer.toelichting), ("voorstel", answer.voorstel)):
        if text:
            lines.append(f"{prefix}  {label}: " + text.split("\n")[0])
            lines += [f"{prefix}    {line}" for line in text.split("\n")[1:]]
    return lines


def _comment(acties: CommentedMap, action_id: str, lines: list[str], existing_text: str) -> None:
    """Comment lines above an entry, unless the file already shows them (a second run adds them once)."""
    if lines and not all(f"# {line}" in existing_text for line in lines):
        acties.yaml_set_comment_before_after_key(action_id, before="\n".join(lines), indent=2)


_ANSWER_FIELDS = ("workbook", "row", "status", "toelichting", "naar_jaar", "voorstel")


def state_text(state: dict[str, dict[str, Answer]], peildatum: dt.date) -> str:
    """The record of what an import took from the workbooks, per partner and action (`verwerkt.yaml`)."""
    header = ("# Wat 'uitvraag verwerk' bij de laatste verwerking uit de werkmappen overnam, per partner en actie.\n"
              "# Niet bewerken: zo weet de volgende verwerking welke antwoorden een partner sindsdien wijzigde.\n")
    partners = {partner: {action_id: {k: getattr(a, k) for k in _ANSWER_FIELDS if getattr(a, k) is not None}
                          for action_id, a in answers.items()} for partner, answers in sorted(state.items())}
    body = yaml.safe_dump({"peildatum": peildatum, "partners": partners}, allow_unicode=True, sort_keys=False,
                          width=100_000)
    return header + body


def read_state(path: Path) -> dict[str, dict[str, Answer]] | None:
    """The answers the last import took (see `state_text`); None when there is no usable record."""
    if not path.is_file():
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        partners = data["partners"]
        return {str(partner): {str(action_id): Answer(partner=str(partner), action_id=str(action_id),
                                                      workbook=str(a["workbook"]), row=int(a["row"]),
                                                      status=str(a["status"]), toelichting=a.get("toelichting"),
                                                      naar_jaar=a.get("naar_jaar"), voorstel=a.get("voorstel"))
                               for action_id, a in answers.items()}
                for partner, answers in partners.items()}
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError):
        return None  # a damaged record is no record: entries are then only replaced with --overwrite


def _node(key: str, value: Any) -> Any:
    """A value as it is written: texts the partner typed in double quotes, a voorstel as a block."""
    if key in ("toelichting", "waarom") and isinstance(value, str):
        # A text of several lines is a literal block, which keeps its lines as they were typed.
        return LiteralScalarString(value) if "\n" in value else DoubleQuotedScalarString(value)
    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _node(k, v)
        return node
    return value


def _check_round_trip(text: str, data: Any) -> None:
    """The file must read back, with the loader `make voortgang` uses, as exactly what was merged."""
    loaded = yaml.safe_load(text)
    if _plain(loaded) != _plain(data):
        raise AssertionError("the merged voortgang file does not read back as written")
    Voortgang.model_validate(loaded)
