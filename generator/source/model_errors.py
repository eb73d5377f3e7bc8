"""One YAML document -> its model, with pydantic's errors reworded for editors.

`validate_model` validates a located document against a model of `model.py`; every error
pydantic finds becomes a message in an editor's words (in the user's language), with the file,
line and field path, and where possible a hint ("did you mean ...", "put it between double quotes").
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from ..errors import Problems, did_you_mean
from ..i18n import N_, _
from . import model as model_module
from . import provenance
from .load import Document, dotted

M = TypeVar("M", bound=BaseModel)

# pydantic's error types -> what the value should be, in an editor's words (translated where used).
_TYPE_WORDS = {
    "string": N_("should be text, not {value}"),
    "int": N_("should be a whole number, not {value}"),
    "float": N_("should be a number, not {value}"),
    "list": N_("should be a list (lines starting with '- '), not {value}"),
    "dict": N_("should be a block of 'key: value' lines, not {value}"),
    "model": N_("should be a block of 'key: value' lines, not {value}"),
    "date": N_("should be a date written as YYYY-MM-DD, not {value}"),
    "bool": N_("should be true or false, not {value}"),
    "tuple": N_("should be a list, not {value}"),
}


def validate_model(model: type[M], doc: Document, problems: Problems) -> M | None:
    """Validate one YAML document against a model; record every error with its line."""
    try:
        validated = model.model_validate(doc.data)
    except ValidationError as exc:
        for err in _one_branch_per_union(exc.errors(), doc.data):
            _record_pydantic_error(err, model, doc, problems)
        return None
    provenance.attach(validated, doc.name or doc.display, doc.lines)
    return validated


def _one_branch_per_union(errors: list[Any], data: Any) -> list[Any]:
    """Where a value may take several forms, keep the errors of the form the editor meant.

    pydantic reports a text block that is wrong both as text and as each kind of list; an
    editor who wrote a 'key: value' block meant a list block, one who wrote a value meant text.
    """
    out: list[Any] = []
    groups: dict[tuple[Any, ...], dict[str, list[Any]]] = {}
    for err in errors:
        loc = err["loc"]
        tag = min(_union_tags(loc, data), default=None)
        if tag is None:
            out.append(err)
        else:
            groups.setdefault(loc[:tag], {}).setdefault(loc[tag], []).append(err)
    for branches in groups.values():
        plain = [name for name in branches if not name[:1].isupper()]
        models = [name for name in branches if name[:1].isupper()]
        value = next((e["input"] for name in plain for e in branches[name]), None)
        if isinstance(value, dict) and models:
            chosen = min(models, key=lambda name: len(branches[name]))
        else:
            chosen = (plain or models)[0]
        out.extend(branches[chosen])
    return out


def _describe(value: Any) -> str:
    """A value as an editor would call it."""
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("the yes/no value '{value}'").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        return _("the number {value}").format(value=value)
    if isinstance(value, str):
        return f"'{value[:60]}'"
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a block of 'key: value' lines")
    return type(value).__name__


def _record_pydantic_error(err: Any, model: type[BaseModel], doc: Document, problems: Problems) -> None:
    tags = _union_tags(err["loc"], doc.data)
    loc = tuple(part for i, part in enumerate(err["loc"]) if i not in tags)
    if any(loc[:end] in doc.reported for end in range(len(loc) + 1)):
        return  # the loader already reported this value
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    line, field = doc.line_of(loc), dotted(loc)
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        hint = did_you_mean(key, allowed) or (
            _("remove it or check the spelling; allowed here: {keys}").format(keys=", ".join(allowed)) if allowed
            else _("remove it or check the spelling"))
        problems.error(doc.display, line, field, _("unknown key '{key}'").format(key=key), hint)
    elif kind == "missing":
        parent = loc[:-1]
        problems.error(doc.display, doc.line_of(parent), dotted(parent),
                       _("required field '{field}' is missing").format(field=loc[-1]),
                       _("add '{field}:' with its value").format(field=loc[-1]))
    elif kind == "string_pattern_mismatch":
        problems.error(doc.display, line, field, _("'{value}' is not a valid ID").format(value=value),
                       _pattern_hint(loc))
    elif kind == "string_too_short" or (kind == "too_short" and ctx.get("min_length") == 1):
        problems.error(doc.display, line, field, _("must not be empty"), _("write a value, or remove the key"))
    elif kind in ("too_short", "too_long"):
        size = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        items = (_("should have at least {size} items, not {actual}") if kind == "too_short"
                 else _("should have at most {size} items, not {actual}"))
        problems.error(doc.display, line, field, items.format(size=size, actual=ctx.get("actual_length")))
    elif kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        problems.error(doc.display, line, field, _("{value} is not allowed").format(value=_describe(value)),
                       did_you_mean(str(value), allowed)
                       or _("use one of: {choices}").format(choices=", ".join(allowed)))
    elif kind in ("greater_than_equal", "less_than_equal"):
        limit = ctx.get("ge", ctx.get("le"))
        bound = (_("should be at least {limit}, not {value}") if kind == "greater_than_equal"
                 else _("should be at most {limit}, not {value}"))
        problems.error(doc.display, line, field, bound.format(limit=limit, value=_describe(value)))
    else:
        expected = next((k for k in _TYPE_WORDS if kind.startswith(k)), None)
        if expected is None:
            problems.error(doc.display, line, field, err["msg"])  # pydantic's own English: a type we do not map
            return
        hint = ""
        if expected == "string" and isinstance(value, (int, float)):
            hint = _("put it between double quotes")
        elif expected == "string" and isinstance(value, (list, dict)):
            hint = _("if it is one text, put it between double quotes")
        elif expected in ("list", "tuple") and isinstance(value, str):
            hint = _("write each item on its own line, starting with '- '")
        elif expected == "date":
            hint = _("for example 2026-03-31, or leave it empty")
        problems.error(doc.display, line, field, _(_TYPE_WORDS[expected]).format(value=_describe(value)), hint)


def _union_tags(loc: tuple[Any, ...], data: Any) -> set[int]:
    """Positions in an error location that name a branch of a union ('str', 'BulletList').

    Editors do not know these names. A part is a branch name only where the data has no such
    key, so a key an editor wrote (even 'Uitvoeringsagenda 2026') is never mistaken for one.
    """
    tags, current = set(), data
    for i, part in enumerate(loc):
        in_dict = isinstance(current, dict) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif isinstance(part, str) and (part in _BRANCH_NAMES):
            tags.add(i)
        else:
            current = None
    return tags


_BRANCH_NAMES = {"str", "constrained-str", "int", "float", "none", "list", "dict"} | {
    name for name, value in vars(model_module).items() if isinstance(value, type) and issubclass(value, BaseModel)}


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed in the block at `loc` of a document validated against `model`."""
    annotations: list[Any] = [model]
    for part in loc:
        annotations = [step for ann in annotations for step in _step(ann, part)]
    return sorted({name for ann in annotations for m in _models(ann) for name in m.model_fields})


def _step(annotation: Any, part: Any) -> list[Any]:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _step(args[0], part)
    if origin in (Union, types.UnionType):
        return [step for arg in args for step in _step(arg, part)]
    if isinstance(part, int) and origin in (list, tuple) and args:
        return [args[0]]
    if isinstance(part, str) and origin is dict and len(args) == 2:
        return [args[1]]  # a block keyed by ID, e.g. 'acties: {S1-07: ...}'

    if isinstance(part, str) and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(part)
        return [info.annotation] if info else []
    return []


def _models(annotation: Any) -> list[type[BaseModel]]:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _models(args[0])
    if origin in (Union, types.UnionType):
        return [m for arg in args for m in _models(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _pattern_hint(loc: tuple[Any, ...]) -> str:
    if "id" in loc and "actions" in loc:
        return _("action IDs look like 'S1-07': capitals, digits and hyphens, ending in a number")
    return _("use lowercase letters, digits and hyphens, e.g. 'riec-bureau'")
