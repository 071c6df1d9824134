"""The one rounding rule of every figure shown: the deck's tiles and tables, the CSV and XLSX downloads,
`zavuch metrics --format table|csv` and the documents round a value alike, so a share the query gives
as 0.9645 reads «96,5 %» on each of them and in the JSON's 0,9645 read as a percent.

Half up, as schools round («математическое округление», domain-notes §2), on the decimal value the
query gives rather than on its binary approximation: 0.9755 × 100 is 97.54999… in binary, which Python's
format rounded down to «97,5» for the deck's tiles and the documents, while polars' round gave «97,6»
in the deck's tables, its downloads and the CSV of the CLI (and 0.9645 the other way round).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl


def half_up(value: float, digits: int = 0, scale: int = 1) -> float:
    """`value` × `scale` rounded half up to `digits` decimals: half_up(0.9645, 1, 100) = 96.5 (a share in
    percent), half_up(3.805, 2) = 3.81, half_up(-0.05, 1) = -0.1."""
    exact = Decimal(repr(float(value))) * scale
    return float(exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def half_up_column(e: pl.Expr, digits: int, scale: int = 1) -> pl.Expr:
    """The column rounded as `half_up` rounds a single value: polars' own `round` goes half to even
    (0.5625 → 0.562), so a table cell, its download and the tile or sentence beside it would disagree."""
    return e.cast(pl.Float64).map_elements(lambda v: half_up(v, digits, scale), return_dtype=pl.Float64)
