"""Free text a methodologist can see: a lesson topic is typed by the teacher like a comment and can name a pupil
(«Контрольная работа (Алексеев пересдаёт)»). It reached a methodologist's topic lists unmasked, beside
pseudonyms that hide the same child. The lesson topic is now masked like comments and homework text; the plan's
topic (КТП, written for the whole class before the year and published with the work programme) stays, and every
figure is unchanged. The base school: tests/metrics_fixtures.py (six pupils)."""

from __future__ import annotations

import polars as pl

import queries
from queries.access import Access
from tests.metrics_fixtures import AS_OF, D, T, school

METHODOLOGIST = Access(role="methodologist", pseudonymise=True, min_group_size=5, key=b"k" * 32)
SCOPE = queries.Scope(period_id="p1", as_of=AS_OF)
NAMED_TOPIC = "Контрольная работа (Алексеев пересдаёт)"


def test_a_topic_naming_a_pupil_is_masked_for_a_methodologist() -> None:
    s = school()
    s.insert("plan_lessons", id="pl1", group_id="5a", subject_id="math", number=1, topic="Натуральные числа")
    s.lesson("5a", "math", D(2025, 9, 8), topic=NAMED_TOPIC, topic_at=T(2025, 9, 12, 18, 0), plan_lesson_id="pl1")
    s.lesson("5b", "math", D(2025, 9, 8), number=2, topic="Натуральные числа", topic_at=T(2025, 9, 12, 18, 0))
    for name in ("topic_late", "topic_plan_mismatch"):
        named = queries.run(s.con, name, SCOPE)
        seen = queries.run(s.con, name, SCOPE, access=METHODOLOGIST)
        assert NAMED_TOPIC in named["topic"].to_list()  # the check can fail
        assert seen.height == named.height  # the figures stay
        assert not seen["topic"].str.contains("Алексеев").any()
        assert seen.filter(pl.col("lesson_id") == named.filter(pl.col("topic") == NAMED_TOPIC)["lesson_id"][0]
                           )["topic"].to_list() == ["(скрыто)"]
    mismatch = queries.run(s.con, "topic_plan_mismatch", SCOPE, access=METHODOLOGIST)
    assert mismatch.select("topic", "plan_topic", "reason").rows() == [("(скрыто)", "Натуральные числа", "differs")]
