"""Russian plural forms, for every layer's messages: the loader's notes, the query layer's forecast
reasons, the documents, the CLI and the deck agree with their numbers («1 урок, 2 урока, 5 уроков»)."""

from __future__ import annotations

# Percentage points, as Russian typography abbreviates them: «п. п.» with a non-breaking space inside (and
# before it, after the number). One spelling for the deck's tiles and headers, its downloads and the
# documents, which read «п.п.» on one surface and «п. п.» on another.
PERCENTAGE_POINTS = "п.\u00a0п."


def plural(n: int, one: str, few: str, many: str) -> str:
    """The form of a noun after the number n: 1 урок, 2 урока, 5 уроков, 11 уроков, 21 урок."""
    n10, n100 = abs(n) % 10, abs(n) % 100
    if n10 == 1 and n100 != 11:
        return one
    if 2 <= n10 <= 4 and not 12 <= n100 <= 14:
        return few
    return many
