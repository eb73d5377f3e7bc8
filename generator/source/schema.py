"""JSON Schemas of the source's YAML files, made from the models, for help while typing.

One schema per kind of file (partners, agenda, inleiding, hoofdstuk, voortgang, jaarverslag), with
the Dutch descriptions of the models, the statuses as enums and the partner IDs of the source's own
`partners.yaml` as the allowed values of every `partners:` list. Because the partner IDs belong to a
source folder, the schemas are made per source folder and kept beside it: `source/` -> `schemas/`,
`examples/source/` -> `examples/schemas/` (`make schemas`; a test fails when a committed schema
differs from what the models and partners.yaml give). `.vscode/settings.json` maps each schema to its
files for the YAML language server (VS Code's Red Hat YAML extension and any editor that runs it).

The schemas are JSON Schema draft-07, which every version of the YAML language server reads. They
are a help, never the judge: `make check` still validates everything (and more: totals, the
Indeling, duplicate IDs); a file the schema accepts may still have an error that `make check` reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problems, ValidationFailed
from .load import load_yaml
from .model import (
    PARTNER_REF_MARKER,
    STATUS_WITHOUT_TOELICHTING,
    AgendaMeta,
    Chapter,
    Introduction,
    Jaarverslag,
    PartnerRegistry,
    SiteSettings,
    Voortgang,
)
from .model_errors import validate_model

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
ACTION_ID_PATTERN = r"^[A-Z0-9]+(-[A-Z0-9]+)*-[0-9]{2,3}$"


@dataclass(frozen=True)
class SchemaKind:
    """One kind of source file: its model and the files it describes.

    The schema's title and description are the model's (`model_config` in model.py, Dutch, like the
    descriptions of its fields).
    """

    name: str
    model: type[BaseModel]
    globs: tuple[str, ...]  # the files it describes, relative to the source folder

    @property
    def file(self) -> str:
        """The name of its schema file in the schemas folder."""
        return f"{self.name}.schema.json"


KINDS: dict[str, SchemaKind] = {kind.name: kind for kind in (
    SchemaKind("partners", PartnerRegistry, ("partners.yaml",)),
    SchemaKind("agenda", AgendaMeta, ("*/agenda.yaml",)),
    SchemaKind("inleiding", Introduction, ("*/inleiding.yaml",)),
    SchemaKind("hoofdstuk", Chapter, ("*/hoofdstukken/*.yaml",)),
    SchemaKind("voortgang", Voortgang, ("*/voortgang/*.yaml",)),
    SchemaKind("jaarverslag", Jaarverslag, ("*/jaarverslag.yaml",)),
    SchemaKind("site", SiteSettings, ("site.yaml",)),
)}

# Keywords whose value is a schema, a list of schemas, or a name -> schema mapping.
_ONE = ("items", "additionalProperties", "propertyNames", "not", "additionalItems")
_MANY = ("anyOf", "oneOf", "allOf", "prefixItems")
_MAPPING = ("properties", "$defs", "definitions", "patternProperties")


def schemas_folder(source: Path) -> Path:
    """Where the schemas of a source folder are kept: `schemas/` beside it."""
    return source.parent / "schemas"


def partner_registry(source: Path) -> list[tuple[str, str]]:
    """The (id, name) of every partner in SOURCE/partners.yaml; ValidationFailed when it has errors."""
    problems = Problems()
    doc = load_yaml(source / "partners.yaml", source, problems)
    registry = validate_model(PartnerRegistry, doc, problems) if doc else None
    if registry is None or problems.errors:
        raise ValidationFailed(problems)
    return [(p.id, p.name) for p in registry.partners]


def make_schema(kind: str, partners: list[tuple[str, str]]) -> dict[str, Any]:
    """The JSON Schema (draft-07) of one kind of source file, for a source with these partners."""
    spec = KINDS[kind]
    raw = spec.model.model_json_schema(mode="validation")
    defs = raw.pop("$defs", {})
    body = _clean(raw, top=True)
    cleaned_defs = {name: _clean(value, top=True) for name, value in defs.items()}
    uses_partners = _has_marker(body) or _has_marker(cleaned_defs)
    body = _replace_markers(body)
    cleaned_defs = {name: _replace_markers(value) for name, value in cleaned_defs.items()}
    if uses_partners:
        cleaned_defs["PartnerId"] = {
            "description": "Een partner-id uit partners.yaml.",
            "type": "string",
            "enum": [ident for ident, _ in partners],
            "enumDescriptions": [name for _, name in partners],  # shown beside each ID while completing
        }
    if kind in ("voortgang", "jaarverslag"):
        body["properties"]["acties"]["propertyNames"] = {"pattern": ACTION_ID_PATTERN}
        # As `make check` says (source/progress.py): a status other than these needs a toelichting.
        cleaned_defs["ActionReport"]["if"] = {"properties": {"status": {"not": {"enum": list(
            STATUS_WITHOUT_TOELICHTING)}}}, "required": ["status"]}
        cleaned_defs["ActionReport"]["then"] = {"required": ["toelichting"]}
    schema: dict[str, Any] = {"$schema": DRAFT_07, "title": raw["title"], "description": raw["description"]}
    schema.update(body)
    if cleaned_defs:
        schema["$defs"] = dict(sorted(cleaned_defs.items()))
    return schema


def _clean(schema: Any, top: bool = False) -> Any:
    """Drop pydantic's generated titles and the models' (English) docstrings; tuples as draft-07 arrays."""
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" or (key == "description" and top):
            continue
        if key in _ONE:
            out[key] = _clean(value)
        elif key in _MANY:
            out[key] = [_clean(v) for v in value]
        elif key in _MAPPING:
            out[key] = {name: _clean(v) for name, v in value.items()}
        else:
            out[key] = value
    if "prefixItems" in out:  # draft-07 writes a tuple as a list of item schemas
        out["items"] = out.pop("prefixItems")
        out["additionalItems"] = False
    return out


def _has_marker(schema: Any) -> bool:
    if isinstance(schema, dict):
        return PARTNER_REF_MARKER in schema or any(_has_marker(v) for v in schema.values())
    if isinstance(schema, list):
        return any(_has_marker(v) for v in schema)
    return False


def _replace_markers(schema: Any) -> Any:
    """Every partner reference becomes a reference to the registry's IDs."""
    if isinstance(schema, dict):
        if PARTNER_REF_MARKER in schema:
            return {"$ref": "#/$defs/PartnerId"}
        return {key: _replace_markers(value) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_replace_markers(v) for v in schema]
    return schema


def schema_files(source: Path) -> dict[str, bytes]:
    """Every schema of SOURCE, as the bytes of its file (file name -> bytes)."""
    partners = partner_registry(source)
    return {spec.file: (json.dumps(make_schema(kind, partners), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            for kind, spec in KINDS.items()}
