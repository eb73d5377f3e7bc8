"""Text widths in the house font, from its real metrics, to size table columns.

The house font is Arial; LibreOffice sets it in the metric-compatible Liberation Sans
(fonts-liberation2), whose advance widths are the same. The widths are read from the font files
with fontTools once (`python -m generator.render.fontmetrics [FOLDER]` rewrites
`font_widths.json`, package data) and kept in the repository, so a document's layout never
depends on the fonts of the machine that builds it. A test compares the kept table with the
installed fonts.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

FONT_FOLDER = Path("/usr/share/fonts/truetype/liberation2")
FILES = {"regular": "LiberationSans-Regular.ttf", "bold": "LiberationSans-Bold.ttf",
         "italic": "LiberationSans-Italic.ttf", "bolditalic": "LiberationSans-BoldItalic.ttf"}
LAST_CODEPOINT = 0x2FFF  # Latin, Greek, Cyrillic, punctuation, currency, arrows, symbols
TABLE = Path(__file__).with_name("font_widths.json")


def measure_fonts(folder: Path = FONT_FOLDER) -> dict[str, Any]:
    """Advance widths (font units) of every character up to LAST_CODEPOINT, per style, from the font files."""
    from fontTools.ttLib import TTFont  # matplotlib's dependency; only needed to regenerate the table

    out: dict[str, Any] = {}
    for style, name in FILES.items():
        font = TTFont(str(folder / name))
        metrics = font["hmtx"].metrics
        out["units_per_em"] = font["head"].unitsPerEm
        out[style] = {str(cp): metrics[glyph][0] for cp, glyph in sorted(font.getBestCmap().items())
                      if cp <= LAST_CODEPOINT}
    return out


@lru_cache(maxsize=1)
def _widths() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TABLE.read_bytes())
    return {key: ({int(k): v for k, v in value.items()} if isinstance(value, dict) else value)
            for key, value in data.items()}


def _style(bold: bool, italic: bool) -> str:
    return ("bold" if bold else "") + ("italic" if italic else "") or "regular"


@lru_cache(maxsize=200_000)
def text_width(text: str, size: float, bold: bool = False, italic: bool = False) -> float:
    """The width in points of `text` set on one line at `size` points (no kerning, as Word and LibreOffice)."""
    data = _widths()
    table = data[_style(bold, italic)]
    em = data["units_per_em"]
    # A character the font lacks comes from a fallback font: count it a full em wide, never too narrow.
    units = sum(table.get(ord(c), em) for c in text if c != "\u00ad")
    return units * size / em


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FONT_FOLDER
    TABLE.write_text(json.dumps(measure_fonts(folder), separators=(",", ":"), sort_keys=True) + "\n",
                     encoding="utf-8")
    print(f"wrote {TABLE} from {folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
