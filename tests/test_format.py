import datetime as dt

import pytest

from generator import format as fmt


@pytest.mark.parametrize(("value", "text"), [
    (5953678, "€ 5.953.678"), (-169768, "€ -169.768"), (0, "€ -"), (999, "€ 999"), (None, ""),
])
def test_euro(value: int | None, text: str) -> None:
    assert fmt.euro(value) == text


def test_date_is_dutch() -> None:
    assert fmt.date(dt.date(2024, 10, 24)) == "24 oktober 2024"
    assert fmt.date(None, "nog niet bekend") == "nog niet bekend"


def test_number_and_percent() -> None:
    assert fmt.number(28816997) == "28.816.997"
    assert fmt.percent(0.125) == "12,5%"
