"""Normalising text for comparing the generated document with the published seed."""

from __future__ import annotations

import re

_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})


def seed_body(seed: str) -> str:
    """The seed without extraction artefacts: URLs and page-break markers."""
    lines = [line for line in seed.splitlines() if not line.strip().startswith("http")]
    text = "\n".join(lines).replace("\f", "\n")
    # A hyphen at the end of a line joins a compound ("RIEC-" + "bureau"), as in the source.
    return re.sub(r"(?<=\w)-\s*\n\s*(?=\w)", "-", text)


def words(text: str) -> list[str]:
    """Lowercased words, with quotes, dashes and list markers normalised away."""
    text = text.translate(_QUOTES).lower()
    text = re.sub(r"(?m)^\s*(?:[•o]|\d+\.|#+|\|)\s+", " ", text)
    text = text.replace("|", " ")
    tokens = re.findall(r"[\w€'.,:;()/%&-]+", text)
    return [t.strip(".,:;()") for t in tokens if t.strip(".,:;()-")]


def in_order_ratio(reference: list[str], candidate: list[str]) -> tuple[float, list[str]]:
    """Share of reference words that come back in the same order, and the missing ones."""
    import difflib

    matcher = difflib.SequenceMatcher(a=reference, b=candidate, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    missing: list[str] = []
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            missing.append(" ".join(reference[i1:i2]))
    return matched / len(reference), missing
