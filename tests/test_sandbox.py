"""The template sandbox holds (issue 25): only plain data enters a template, and work and size are bounded."""

from __future__ import annotations

import datetime as dt
import decimal
import time
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from generator import pipeline
from generator.cache import Cache
from generator.errors import Problem, ValidationFailed
from generator.render import template
from tests.conftest import ROOT, SOURCE

EXAMPLES = ROOT / "examples" / "source"

PLAIN = (str, int, float, bool, type(None), dt.date, dt.datetime, decimal.Decimal)


def _our_value_type(kind: type) -> bool:
    """One of our own small value types: a text or number subclass of the generator holding nothing else."""
    if kind is template.PlacedImage:
        return True
    return (kind.__module__.startswith("generator.") and issubclass(kind, (str, int, float))
            and all("__dict__" not in vars(k) for k in kind.__mro__ if k.__module__.startswith("generator.")))


def _foreign(value: Any, where: str) -> list[str]:
    """Every value under `value` that is not plain data or one of our own value types, with where it is."""
    if isinstance(value, dict):
        return [f for k, v in value.items() for f in _foreign(k, where) + _foreign(v, f"{where}.{k}")]
    if type(value) in (list, tuple):
        return [f for i, v in enumerate(value) for f in _foreign(v, f"{where}[{i}]")]
    if type(value) in PLAIN or _our_value_type(type(value)):
        return []
    return [f"{where}: {type(value).__module__}.{type(value).__qualname__}"]


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["source", "examples"])
def test_only_plain_data_enters_a_template(source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    real = template.template_context

    def recorded(*args: Any) -> Any:
        seen.append(real(*args))
        return seen[-1]

    monkeypatch.setattr(template, "template_context", recorded)
    # An empty cache: every document is rendered, so every context is seen.
    pipeline.build(source, 2026, tmp_path, list(pipeline.DOCUMENTS), store=Cache(tmp_path / "cache"))
    assert len(seen) == len(pipeline.DOCUMENTS)
    assert any(isinstance(v, template.PlacedImage) for c in seen for v in _walk(c)), "no chart was checked"
    assert [f for context in seen for f in _foreign(context, "context")] == []


def _walk(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [w for v in value.values() for w in _walk(v)]
    if isinstance(value, list):
        return [w for v in value for w in _walk(v)]
    return [value]


def make_template(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    doc.add_paragraph(text)
    doc.save(str(folder / name))
    return folder


# Each probe of the issue (and a few more of the same kind), and the start of the problem it must give.
# Each must be refused within seconds, before it allocates the huge value.
TOO_LARGE = "the template makes a text or list more than 10,000,000 characters or items long"
TOO_MUCH = "the template does more work than any document needs"
PROBES = [
    ("{% for a in doc.title * 1000 %}{% for b in doc.title * 1000 %}{% endfor %}{% endfor %}", TOO_MUCH),
    ("{% for a in doc.title * 300 %}{% for b in doc.title * 300 if false %}{% endfor %}{% endfor %}", TOO_MUCH),
    ("{{ lipsum(n=99999999) }}", TOO_LARGE),
    ("{{ 'x'|center(9999999999) }}", TOO_LARGE),
    ("{{ '%9999999999s' % 'x' }}", TOO_LARGE),
    ("{{ '%*s' % (9999999999, 'x') }}", TOO_LARGE),
    ("{{ '%9999999999s'|format('x') }}", TOO_LARGE),
    ("{{ ('x' * 9999999)|replace('x', 'x' * 9999999) }}", TOO_LARGE),
    ("{{ ('x' * 9999999).replace('x', 'xx') }}", TOO_LARGE),
    ("{{ (['x' * 9999999] * 999)|join }}", TOO_LARGE),
    ("{{ ','.join(['x' * 9999999] * 999) }}", TOO_LARGE),
    ("{{ 'x' * 10**9 }}", TOO_LARGE),
    ("{{ 'x'.ljust(9999999999) }}", TOO_LARGE),
    ("{{ '{:>9999999999}'.format(1) }}", TOO_LARGE),
    ("{{ 'x'|indent(9999999999) }}", TOO_LARGE),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", TOO_LARGE),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}", TOO_LARGE),
    ("{% set s = 'x' * 2000000 %}{% for i in range(99999) %}{% if 'zz' in s %}{% endif %}{% endfor %}", TOO_MUCH),
    ("{{ [1]|batch(999999999, 'x')|list }}", "the template makes a text or list more than 100,000"),
    ("{{ [[1]] * 9999|sum(start=[]) }}", "the template adds up lists or texts"),
    ("{% macro m() %}{% for i in range(99999) %}" + "y" * 3000 + "{% endfor %}{% endmacro %}"
     "{% for j in range(99) %}{{ m() }}{% endfor %}", "the template prints more than 200,000,000 characters"),
    ("{{ chapters.append(chapters) }}", "the template tries something that is not allowed"),
]
# The probes of the issue itself are tried with `check` too (it renders every document in memory).
IN_CHECK = {p for p, _ in PROBES[:5]} | {PROBES[7][0], PROBES[9][0]}
CASES = [pytest.param(command, probe, message, id=f"{command}-{i}")
         for i, (probe, message) in enumerate(PROBES) for command in ("build", "check")
         if command == "build" or probe in IN_CHECK]


def refused(command: str, source: Path, kind: str, templates: Path, out: Path) -> list[Problem]:
    """The errors `build` or `check` (which renders in memory) gives for one document."""
    with pytest.raises(ValidationFailed) as info:
        if command == "build":
            pipeline.build(source, 2026, out, [kind], templates=templates)
        else:
            pipeline.check(source, 2026, templates=templates, kinds=[kind])
    return info.value.problems.errors


@pytest.mark.parametrize("command,probe,message", CASES)
def test_a_huge_loop_or_value_is_refused_before_it_is_made(tmp_path: Path, command: str, probe: str,
                                                           message: str) -> None:
    templates = make_template(tmp_path / "t", "uitvoeringsagenda.docx", probe)
    start = time.monotonic()
    [problem] = refused(command, SOURCE, "agenda", templates, tmp_path / "out")
    assert problem.file == "t/uitvoeringsagenda.docx" or problem.file.endswith("t/uitvoeringsagenda.docx")
    assert problem.field.startswith("paragraph ")  # located: the paragraph of the template
    assert problem.message.startswith(message), problem.message
    assert time.monotonic() - start < 20
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_chart_gives_the_template_no_way_out(tmp_path: Path, command: str) -> None:
    # docxtpl's image object carried the whole template, whose save() writes anywhere and whose
    # render() uses an unsandboxed Jinja: a template ran shell commands through it.
    written = tmp_path / "escaped.docx"
    templates = make_template(tmp_path / "t", "jaarverslag.docx",
                              f"{{{{ summary.chart.tpl.save('{written}') }}}}{{{{ summary.chart }}}}")
    with pytest.raises(ValidationFailed) as info:
        if command == "build":
            pipeline.build(EXAMPLES, 2026, tmp_path / "out", ["jaarverslag"], templates=templates)
        else:
            pipeline.check(EXAMPLES, 2026, templates=templates, kinds=["jaarverslag"])
    [problem] = info.value.problems.errors
    assert problem.message == "the template uses 'tpl', which the data does not provide"
    assert not written.exists()


def test_a_placed_chart_holds_nothing_but_its_xml() -> None:
    image = template.PlacedImage("<w:drawing/>")
    assert [name for name in dir(image) if not name.startswith("_")] == []
    with pytest.raises(AttributeError):
        image._xml = "x"  # type: ignore[misc]
