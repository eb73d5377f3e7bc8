"""The generated agenda reproduces the published 2026 agenda."""

from __future__ import annotations

from pathlib import Path

from generator.review.docxtext import docx_text
from tests.textnorm import in_order_ratio, seed_body, words


def test_at_least_97_percent_of_seed_words_come_back_in_order(agenda_docx: Path, seed_text: str) -> None:
    reference = words(seed_body(seed_text))
    generated = words(docx_text(agenda_docx))
    ratio, missing = in_order_ratio(reference, generated)
    print(f"\nfidelity: {ratio:.2%} of {len(reference)} seed words in order; "
          f"{len(missing)} differing runs")
    for run in missing[:40]:
        print(f"  missing: {run}")
    assert ratio >= 0.97
