"""Headless Chromium (the Debian package) driven by Playwright, and axe-core from tests/browser/node_modules.

Missing pieces skip the browser tests on a developer's machine and fail them in CI, which installs
them (.ci/run). Playwright never downloads a browser here: it is pointed at the system's Chromium.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def missing(what: str, how: str) -> None:
    """Skip on a developer's machine; fail in CI, which must install it."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: .ci/run must install it ({how})")
    pytest.skip(f"{what} is not installed ({how}); CI installs it")


def chromium_path() -> str:
    """The system's Chromium: RIEC_CHROMIUM, else `chromium` on the PATH."""
    found = os.environ.get("RIEC_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        missing("Chromium", "apt-get install chromium")
    return str(found)


def axe_source() -> str:
    if not AXE.exists():
        missing("axe-core", "npm ci --prefix tests/browser")
    return AXE.read_text(encoding="utf-8")


@contextmanager
def chromium(user_data: Path) -> Iterator[Any]:
    """A fresh headless Chromium (its own profile folder) as a Playwright browser context."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright", "pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900}, locale="nl-NL")
        try:
            yield context
        finally:
            context.close()


def run_axe(page: Any, axe: str) -> list[dict[str, Any]]:
    """axe-core's violations of WCAG 2.1 A and AA on the loaded page."""
    page.add_script_tag(content=axe)
    options = "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}"
    result = page.evaluate(f"tags => axe.run(document, {options})", WCAG_AA)
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}; e.g. {v['nodes'][0]['html'][:200]}"
                     for v in violations)
