"""Dutch formatting of amounts, numbers and dates (via babel), used as template filters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALE = "nl_NL"


@lru_cache(maxsize=4096, typed=True)  # babel takes 0.1 ms per number; a document repeats many
def number(value: int | None) -> str:
    """`5953678` -> `5.953.678`; None -> ''."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0", locale=LOCALE)


def euro(value: int | None, zero: str = "€ -", missing: str = "") -> str:
    """Whole euros in Dutch style: `€ 5.953.678`, `€ -169.768`; zero as `zero`, None as `missing`.

    A table writes zero as `€ -` (as the published tables do); a sentence passes `zero="€ 0"`.
    """
    if value is None:
        return missing
    if value == 0:
        return zero
    return f"€ {number(value)}"


def date(value: dt.date | None, missing: str = "") -> str:
    """`2024-10-24` -> `24 oktober 2024`."""
    if value is None:
        return missing
    return format_date(value, format="d MMMM y", locale=LOCALE)


def percent(value: float) -> str:
    """`0.125` -> `12,5%`."""
    return format_decimal(value * 100, format="#,##0.#", locale=LOCALE) + "%"


def decimal(value: float) -> str:
    """`1234.5` -> `1.234,5`; whole numbers without decimals."""
    return format_decimal(value, format="#,##0.##", locale=LOCALE)
