"""The JSON Schemas editors' YAML editors use: current, complete, and as strict as `make check` where they can be.

A JSON Schema validator (jsonschema, draft-07) checks the real and the example source against the committed
schemas, and every schema-level case of the bad-input corpus against them; the corpus itself
(tests/test_bad_input.py) checks that `make check` reports the same cases. The YAML language server that
VS Code's YAML extension runs reads the committed .vscode/settings.json and reports one of them while typing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from generator.source.model import Action, ActionReport, Section
from generator.source.schema import KINDS, schema_files, schemas_folder
from tests.conftest import EXAMPLES, ROOT, SOURCE
from tests.test_bad_input import CASES, Case, apply

SOURCES = {"real": SOURCE, "examples": EXAMPLES}


class _Loader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: a date stays the text it is (JSON has no dates)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _validator(source: Path, kind: str) -> Draft7Validator:
    schema = json.loads((schemas_folder(source) / KINDS[kind].file).read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _errors(source: Path, kind: str, path: Path) -> list[str]:
    data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator(source, kind).iter_errors(data)]


def _kind_of(source: Path, path: Path) -> str:
    """The kind of a source file, by the same patterns .vscode/settings.json gives the editor."""
    relative = path.relative_to(source)
    found = [kind for kind, spec in KINDS.items() if any(relative.match(glob) for glob in spec.globs)]
    assert len(found) == 1, (path, found)
    return found[0]


@pytest.mark.parametrize("which", list(SOURCES))
def test_the_committed_schemas_are_what_the_models_and_partners_yaml_give(which: str) -> None:
    source = SOURCES[which]
    folder = schemas_folder(source)
    expected = schema_files(source)
    committed = {path.name: path.read_bytes() for path in folder.glob("*.schema.json")}
    stale = sorted(name for name in expected.keys() | committed.keys() if expected.get(name) != committed.get(name))
    assert not stale, f"{folder}: {stale} differ from the models or partners.yaml: run `make schemas`"


def _vscode_yaml_schemas(sources: list[Path], root: Path) -> dict[str, list[str]]:
    """The `yaml.schemas` setting for VS Code: each schema file -> the source files it describes.

    The YAML language server matches a pattern anywhere in a path (it puts `**/` in front), so
    `source/*/agenda.yaml` would also match `examples/source/2026/agenda.yaml`: a source folder
    whose path ends in another's excludes it (`!examples/source/**`).
    """
    prefixes = [source.relative_to(root).as_posix() for source in sources]
    mapping: dict[str, list[str]] = {}
    for source, prefix in zip(sources, prefixes, strict=True):
        folder = schemas_folder(source).relative_to(root).as_posix()
        others = [f"!{other}/**" for other in prefixes if other != prefix and other.endswith("/" + prefix)]
        for spec in KINDS.values():
            mapping[f"./{folder}/{spec.file}"] = [f"{prefix}/{glob}" for glob in spec.globs] + others
    return mapping


def test_vscode_settings_map_each_schema_to_its_files() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    assert settings["yaml.schemas"] == _vscode_yaml_schemas([SOURCE, EXAMPLES], ROOT)
    for schema in settings["yaml.schemas"]:
        assert (ROOT / schema).is_file(), schema


def _walk_properties(schema: Any, where: str = "") -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(schema, dict):
        for name, value in schema.get("properties", {}).items():
            found.append((f"{where}.{name}", value))
        for key, value in schema.items():
            if key in ("if", "then"):  # conditions on fields described where they are defined
                continue
            if key != "properties":
                found += _walk_properties(value, f"{where}/{key}")
            else:
                for name, sub in value.items():
                    found += _walk_properties(sub, f"{where}.{name}")
    elif isinstance(schema, list):
        for i, value in enumerate(schema):
            found += _walk_properties(value, f"{where}[{i}]")
    return found


def test_every_field_has_a_dutch_description_and_no_english_title() -> None:
    english = ("The ", "the ", "Date ", "Who ", "Partner IDs", "Short, stable")
    for kind, spec in KINDS.items():
        schema = json.loads((schemas_folder(SOURCE) / spec.file).read_text(encoding="utf-8"))
        properties = _walk_properties(schema)
        assert properties, kind
        for where, value in properties:
            description = value.get("description", "")
            assert description, f"{spec.file}: {where} has no description"
            assert not description.startswith(english), f"{spec.file}: {where}: {description!r} is not Dutch"
            assert "title" not in value, f"{spec.file}: {where} has a generated title"


def test_statuses_are_an_enum_and_partners_the_registrys_ids() -> None:
    chapter = json.loads((schemas_folder(SOURCE) / "hoofdstuk.schema.json").read_text(encoding="utf-8"))
    registry = yaml.safe_load((SOURCE / "partners.yaml").read_text(encoding="utf-8"))
    ids = [p["id"] for p in registry["partners"]]
    assert chapter["$defs"]["PartnerId"]["enum"] == ids
    assert chapter["$defs"]["PartnerId"]["enumDescriptions"] == [p["name"] for p in registry["partners"]]
    for model in (Action, Section):
        assert model.model_fields["partners"].description
        items = chapter["$defs"][model.__name__]["properties"]["partners"]["items"]
        assert items == {"$ref": "#/$defs/PartnerId"}
    report = json.loads((schemas_folder(SOURCE) / "voortgang.schema.json").read_text(encoding="utf-8"))
    status = report["$defs"]["ActionReport"]["properties"]["status"]
    assert status["enum"] == list(ActionReport.model_fields["status"].annotation.__args__)  # type: ignore[union-attr]


@pytest.mark.parametrize("which", list(SOURCES))
def test_every_yaml_file_of_the_source_passes_its_schema(which: str) -> None:
    source = SOURCES[which]
    seen: dict[str, int] = {}
    for path in sorted(source.rglob("*.yaml")):
        if "uitvraag" in path.relative_to(source).parts:
            continue
        kind = _kind_of(source, path)
        seen[kind] = seen.get(kind, 0) + 1
        assert _errors(source, kind, path) == [], path
    expected = {"partners", "site", "agenda", "inleiding", "hoofdstuk"}
    expected |= {"voortgang", "jaarverslag"} if which == "examples" else set()
    assert set(seen) == expected
    assert seen["hoofdstuk"] == 6


# The corpus's cases that a schema can see (the YAML is readable, the mistake is in one file's shape):
# unknown keys, wrong types, values outside a list (statuses, kinds, partner IDs), patterns, dates.
SCHEMA_CASES = {
    "unknown key in an action", "unknown key at the top", "misspelt list block",  # unknown key
    "text is a list", "number where text", "text where number", "text where list", "not a number",  # wrong type
    "progress status outside the vocabulary", "value outside the list",  # unknown status, unknown kind
    "unknown partner",  # unknown partner
    "missing required field", "invalid action id", "impossible date", "date in words", "10^30 written out",
    "progress without a required toelichting",
}


def test_the_schema_level_cases_are_in_the_corpus() -> None:
    names = {case.name for case in CASES}
    assert names >= SCHEMA_CASES, SCHEMA_CASES - names


@pytest.mark.parametrize("case", [c for c in CASES if c.name in SCHEMA_CASES], ids=lambda c: c.name)
def test_the_schema_flags_each_schema_level_case_of_the_bad_input_corpus(case: Case, tmp_path: Path) -> None:
    """`make check` flags each of these (tests/test_bad_input.py); the editor's schema must flag it too."""
    shutil.copytree(SOURCE, tmp_path / "source")
    shutil.copytree(schemas_folder(SOURCE), tmp_path / "schemas")
    source = tmp_path / "source"
    path = tmp_path / case.file
    if path.exists():
        assert _errors(source, _kind_of(source, path), path) == [], "the file must pass before the edit"
    apply(tmp_path, case)
    errors = _errors(source, _kind_of(source, path), path)
    assert errors, f"the schema accepts the corpus case {case.name!r}"


def test_the_yaml_language_server_underlines_an_unknown_partner_and_explains_a_field_in_dutch(
        tmp_path: Path) -> None:
    """VS Code's YAML language server, given the committed .vscode/settings.json, as an editor types."""
    from tests.lsp_client import LanguageServer

    for folder in ("source", "schemas", "examples", ".vscode"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    settings = json.loads((tmp_path / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    server = LanguageServer(tmp_path, {"yaml": {key.removeprefix("yaml."): value for key, value in settings.items()
                                                if key.startswith("yaml.")}})
    try:
        server.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(),
                                      "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": "riec"}],
                                      "capabilities": {"workspace": {"configuration": True}}})
        server.notify("initialized", {})
        chapter = tmp_path / "source" / "2026" / "hoofdstukken" / "spoor-1.yaml"
        text = chapter.read_text(encoding="utf-8")
        typed = text.replace("partners: [dealbreakers, gemeenten]", "partners: [dealbreakers, gemeentn]", 1)
        line = typed[:typed.index("gemeentn]")].count("\n")
        diagnostics = []
        for uri, content in ((chapter.as_uri(), typed), ((tmp_path / "examples/source/2026/hoofdstukken/spoor-1.yaml")
                                                          .as_uri(), None)):
            path = Path(uri.removeprefix("file://"))
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "yaml", "version": 1,
                "text": content if content is not None else path.read_text(encoding="utf-8")}})
            message = server.wait(lambda m, uri=uri: m.get("method") == "textDocument/publishDiagnostics"
                                  and m["params"]["uri"] == uri)
            diagnostics.append(message["params"]["diagnostics"])
        typed_problems, example_problems = diagnostics
        assert example_problems == []
        assert [d["range"]["start"]["line"] for d in typed_problems] == [line], typed_problems
        found = typed_problems[0]
        assert '"gemeenten"' in found["message"] and found["severity"] == 1
        assert found["data"]["schemaUri"] == [(tmp_path / "schemas" / "hoofdstuk.schema.json").as_uri()]
        column = typed.splitlines()[line].index("partners")
        hover = server.request("textDocument/hover", {"textDocument": {"uri": chapter.as_uri()},
                                                      "position": {"line": line, "character": column + 2}})
        shown = hover["contents"]["value"] if isinstance(hover["contents"], dict) else str(hover["contents"])
        assert "De betrokken partners: id's uit partners.yaml" in shown
    finally:
        server.close()
