"""The demo school's full name heads every справка and приказ: Russian typography nests „…“ inside «…»,
never «…«…»»."""

from __future__ import annotations

import numpy as np

from etl.demo.names import SCHOOL_MOTTOS, school_names


def test_full_name_nests_quotes_the_russian_way() -> None:
    rng = np.random.default_rng(2025)
    for number in range(1, 60):
        short, full, _ = school_names(rng, number)
        motto = short[short.index("«") + 1:-1]
        assert motto in SCHOOL_MOTTOS
        assert f"№ {number} „{motto}“»," in full
        assert full.count("«") == full.count("»") == 1
