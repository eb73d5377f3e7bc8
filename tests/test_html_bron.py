"""The website edition names each action's place in the source, and that place is the action."""

from __future__ import annotations

import re

import pytest

from generator.publish.html import build_site
from tests.conftest import EXAMPLES, ROOT, SOURCE

URL = "https://gitlab.example/riec/documenten/-/blob/main/{path}#L{line}"
_BRON = re.compile(r'<li class="actie" id="([^"]+)">.*?<p class="bron" data-bron="([^":]+):(\d+)">(.*?)</p>', re.S)


@pytest.mark.parametrize("source", [SOURCE, EXAMPLES], ids=["real", "examples"])
def test_every_actions_bron_link_names_the_line_where_the_action_is(source: object, monkeypatch: pytest.MonkeyPatch,
                                                                    ) -> None:
    monkeypatch.chdir(ROOT)
    site = build_site(source, 2026, bron_url=URL)  # type: ignore[arg-type]
    page = site.files[site.pages["agenda"]].decode("utf-8")
    found = _BRON.findall(page)
    actions = re.findall(r'<li class="actie" id="([^"]+)">', page)
    assert actions and [f[0] for f in found] == actions
    for action, path, line, link in found:
        # Read the named line back: it is where the action starts.
        assert (ROOT / path).read_text(encoding="utf-8").splitlines()[int(line) - 1].strip() == f"- id: {action}"
        href = URL.replace("{path}", path).replace("{line}", line)
        assert link == f'<a href="{href}">Bron van {action}: {path}, regel {line}</a>'


def test_without_bron_url_the_place_is_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("BRON_URL", raising=False)
    page = build_site(SOURCE, 2026).files["uitvoeringsagenda-2026.html"].decode("utf-8")
    texts = re.findall(r'<p class="bron" data-bron="[^"]+">(.*?)</p>', page)
    assert texts and all(t.startswith("Bron: source/2026/hoofdstukken/") and "<a" not in t for t in texts)
