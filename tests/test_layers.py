"""The package's layout is its architecture: imports go one way, as `generator/__init__.py` says."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

# Rank of each part of the package; a module may import only parts of a lower rank (or its own part).
FOUNDATION = {"errors", "format", "cache", "i18n", "kinds", "staleness"}
RANKS = {"source": 1, "content": 2, "render": 3, "publish": 4, "review": 4, "intake": 4, "cycle": 4,
         "pipeline": 5, "cli": 6, "__main__": 7}


def _part(module: str) -> str:
    """`generator.source.load` -> `source`; `generator.errors` -> `errors`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _rank(part: str) -> int:
    return 0 if part in FOUNDATION else RANKS[part]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every `generator...` module that `path` imports (also inside functions), absolute, with its line."""
    return _imports_in(path.read_text(), _module_name(path), path.name == "__init__.py", str(path))


def _imports_in(text: str, name: str, is_package: bool, shown: str) -> list[tuple[int, str]]:
    """Every `generator...` module that the code `text` of module `name` imports, absolute, with its line."""
    package = name if is_package else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(text, shown)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("generator"):
                if node.module is None or target == "generator" or (target.count(".") == 1 and target[10:] in RANKS):
                    # `from . import x` / `from .. import x`: the names are modules of that package
                    found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
                else:
                    found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("generator")]
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_every_module_has_a_known_place() -> None:
    for path in MODULES:
        part = _part(_module_name(path))
        assert part == "" or part in FOUNDATION or part in RANKS, f"{path}: add '{part}' to the layers"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_one_way(path: Path) -> None:
    own = _part(_module_name(path))
    if own == "":
        return  # generator/__init__.py
    wrong = []
    for line, target in _imports(path):
        part = _part(target)
        if part in ("", own):
            continue
        if own in FOUNDATION and part in FOUNDATION:
            continue
        if _rank(part) >= _rank(own):
            wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line}: imports {target} ({part} may not be "
                         f"imported from {own})")
    assert not wrong, "\n".join(wrong)


def test_the_checker_catches_a_wrong_import() -> None:
    """The test above can fail: an upward import in a module is found (checked on text: nothing is written
    into the package, whose files are part of every cache key)."""
    code = "from ..render import write\nfrom ..review.diff import run_diff\ndef f():\n    from .. import pipeline\n"
    found = [t for _, t in _imports_in(code, "generator.source._layer_probe", False, "probe")]
    assert found == ["generator.render.write", "generator.review.diff", "generator.pipeline"]
    assert all(_rank(_part(t)) > _rank("source") for t in found)


def test_subpackages_say_what_they_are_for() -> None:
    for init in PACKAGE.glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text()))
        assert doc and "May import" in doc, f"{init}: say what it is for and what it may import"
