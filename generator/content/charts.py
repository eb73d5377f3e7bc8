"""Charts for the reports as PNG bytes, with the alternative text that describes them.

matplotlib is imported only inside the functions (it takes a while to import and
the CLI's `--help` must stay fast). The Agg backend, a fixed size and resolution,
the bundled DejaVu font and no 'Software' metadata make the bytes identical for
identical data. A chart is drawn only when a document that shows it is rendered
(`Chart.png`), and kept in the one on-disk cache (generator/cache.py) by its data:
a build whose chart data did not change does not import matplotlib at all.
"""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import cache
from ..cache import NO_CACHE, Cache

WIDTH_IN, DPI = 6.3, 150
FONT_SIZE = 8


@dataclass(frozen=True)
class Chart:
    """A chart to place in a document: what to draw (its data), alternative text and width."""

    draw: str  # the name of the drawing function in this module
    data: tuple[Any, ...]
    alt_text: str
    title: str
    width_cm: float = 16.0

    def png(self, store: Cache = NO_CACHE) -> bytes:
        """The chart as PNG bytes, taken from `store` when the same data was drawn before."""
        return _DRAW[self.draw](store, *self.data)


def _pyplot() -> Any:
    import os

    if not os.environ.get("MPLCONFIGDIR") and not os.path.isabs(os.environ.get("XDG_CACHE_HOME") or "/"):
        # matplotlib would put its font cache in a relative XDG_CACHE_HOME, that is in the working
        # folder; the XDG specification says to ignore a relative path, as our own cache does.
        os.environ["MPLCONFIGDIR"] = str(cache.cache_dir().parent / "matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({
        "font.family": "DejaVu Sans",
        "font.size": FONT_SIZE,
        "svg.hashsalt": "riec",
        "path.simplify": False,
    })
    import matplotlib.pyplot as plt

    return plt


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, bbox_inches="tight",
                   pad_inches=0.1)
    return buffer.getvalue()


def _remembered(draw: Callable[..., bytes]) -> Callable[..., bytes]:
    """Keep a chart's PNG in the cache, keyed by its data (the key covers the code and matplotlib's version).

    Importing matplotlib and drawing takes longer than rendering a document (bench/results.md).
    """
    @functools.wraps(draw)
    def remembered(store: Cache, *args: Any) -> bytes:
        key = store.key("chart", draw.__name__, repr(args))
        stored = store.read("charts", key)
        if stored is not None and stored.startswith(b"\x89PNG\r\n\x1a\n"):
            return stored
        png = _drawn(draw, args)
        store.write("charts", key, png)
        return png
    return remembered


@functools.lru_cache(maxsize=16)  # the same data gives the same bytes: draw it once per process
def _drawn(draw: Callable[..., bytes], args: tuple[Any, ...]) -> bytes:
    return draw(*args)


def status_chart(rows: list[tuple[str, list[int]]], labels: list[str], colours: list[str],
                 title: str, alt_text: str) -> Chart:
    """Horizontal stacked bars: per chapter the number of actions in each status."""
    return Chart("status", (tuple((name, tuple(counts)) for name, counts in rows), tuple(labels), tuple(colours)),
                 alt_text, title)


@_remembered
def _status_png(rows: tuple[tuple[str, tuple[int, ...]], ...], labels: tuple[str, ...],
                colours: tuple[str, ...]) -> bytes:
    plt = _pyplot()
    height = 0.5 + 0.42 * len(rows) + 0.5
    figure, axes = plt.subplots(figsize=(WIDTH_IN, height))
    try:
        names = [name for name, _ in rows][::-1]  # top to bottom in document order
        positions = list(range(len(names)))
        lefts = [0] * len(rows)
        for s, (label, colour) in enumerate(zip(labels, colours, strict=True)):
            values = [counts[s] for _, counts in rows][::-1]
            bars = axes.barh(positions, values, left=lefts, color="#" + colour, edgecolor="#404040",
                             linewidth=0.5, label=label)
            for bar, value in zip(bars, values, strict=True):
                if value:
                    axes.text(bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2,
                              str(value), ha="center", va="center", fontsize=FONT_SIZE - 1)
            lefts = [left + value for left, value in zip(lefts, values, strict=True)]
        axes.set_yticks(positions, names)
        axes.set_xlabel("Aantal acties")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.5 / (0.42 * len(rows))),
                    ncol=4, frameon=False, fontsize=FONT_SIZE - 1)
        _tight_layout(figure)
        return _png(figure)
    finally:
        plt.close(figure)


def budget_chart(groups: list[str], series: list[tuple[str, list[int | None], str]],
                 title: str, alt_text: str) -> Chart:
    """Grouped vertical bars (e.g. begroting and realisatie per group), in euros."""
    return Chart("budget", (tuple(groups), tuple((label, tuple(values), colour) for label, values, colour in series)),
                 alt_text, title)


@_remembered
def _budget_png(groups: tuple[str, ...], series: tuple[tuple[str, tuple[int | None, ...], str], ...]) -> bytes:
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(WIDTH_IN, 3.0))
    try:
        width = 0.8 / len(series)
        for s, (label, values, colour) in enumerate(series):
            xs = [g + (s - (len(series) - 1) / 2) * width for g in range(len(groups))]
            heights = [v or 0 for v in values]
            bars = axes.bar(xs, heights, width, label=label, color="#" + colour, edgecolor="#404040",
                            linewidth=0.5)
            for bar, value in zip(bars, values, strict=True):
                text = "niet\ngerapporteerd" if value is None else _millions(value, unit=False)
                axes.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), text, ha="center",
                          va="bottom", fontsize=FONT_SIZE - 1.5)
        axes.set_xticks(range(len(groups)), groups)
        axes.set_ylabel("Miljoen euro")
        axes.yaxis.set_major_formatter(lambda v, _: _millions(int(v), unit=False))
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(frameon=False)
        axes.margins(y=0.15)
        _tight_layout(figure)
        return _png(figure)
    finally:
        plt.close(figure)


def _millions(value: int, unit: bool = True) -> str:
    text = f"{value / 1_000_000:.2f}".replace(".", ",")
    return f"€ {text} mln" if unit else text


def _tight_layout(figure: Any) -> None:
    """Fit the labels; with very long chapter names matplotlib only warns, which a user need not see."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        figure.tight_layout()


_DRAW: dict[str, Callable[..., bytes]] = {"status": _status_png, "budget": _budget_png}
