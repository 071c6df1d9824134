"""The Посещаемость page's months by reason: shares of the student-lessons, not counts. A month with a
vacation in it (November after the autumn break, the spring break in March) or cut by the period (the 2nd
semester's January from the 12th) has fewer lessons and so fewer absences; as counts it read as a better month."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np

from tests.dashboard_fixtures import clean_streamlit_caches  # noqa: F401  (autouse fixture)
from tests.metrics_fixtures import D, school
from tests.test_dashboard import deck_at


def test_the_months_by_reason_chart_draws_shares(tmp_path: Path) -> None:
    """By hand: September, 5А's maths on two days (5 pupils) = 10 student-lessons, a1 ill on both: 20,0 %;
    November, one lesson after the break (4 pupils: the mover left 5А on 15 Oct), a2 ill: 25,0 % — a worse
    month, where the counts (2, then 1) read as a better one."""
    s = school(str(tmp_path / "wh.duckdb"))
    for day, kid in ((D(2025, 9, 8), "a1"), (D(2025, 9, 15), "a1"), (D(2025, 11, 10), "a2")):
        s.absent(s.lesson("5a", "math", day), kid, "Б")
    s.con.close()
    at = deck_at(tmp_path / "wh.duckdb", "attendance", {"school": "s1", "period": "p1"})
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    months = next(c for c in charts if "Пропуски по месяцам" in c["layout"]["title"]["text"])
    illness = next(t for t in months["data"] if t["name"] == "По болезни")
    y = illness["y"]  # plotly sends numbers as typed base64 arrays
    values = np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() if isinstance(y, dict) else y
    assert list(illness["x"]) == ["сентябрь 2025", "ноябрь 2025"] and values == [0.2, 0.25]
    assert months["layout"]["yaxis"]["tickformat"] == ".0%"
