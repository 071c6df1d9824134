"""Pseudonyms of a region: a methodologist of a municipal administration covers every school of the warehouse
(100 schools, ~80 000 pupils). With 8 hex digits (32 bits) two pupils shared a pseudonym in most regions (26 of
40 random keys in a trial; with the key below, s007-st0634 and s022-st0082 were both «Ученик D712B07F»), and in
1 of 40 two pupils of one school did: joins and groupings use the ids, but every list, download and document
shows the pseudonym, so two children read as one. Pseudonyms now carry 12 hex digits (48 bits: for 80 000
pupils a clash has a chance of about 1 in 90 000) whose first 8 are the old ones."""

from __future__ import annotations

import hashlib
import hmac

from queries.access import pseudonym

KEY = b"k" * 32
REGION = [(f"s{s:03d}", f"s{s:03d}-st{i:04d}") for s in range(1, 101) for i in range(800)]  # the demo's ids


def test_pupils_of_a_region_get_distinct_pseudonyms() -> None:
    names = [pseudonym(KEY, school, pupil) for school, pupil in REGION]
    assert len(set(names)) == len(REGION) == 80_000
    assert pseudonym(KEY, "s007", "s007-st0634") != pseudonym(KEY, "s022", "s022-st0082")


def test_a_pseudonym_keeps_its_old_eight_digits_in_front() -> None:
    digest = hmac.new(KEY, b"s001\x1fs001-st0000", hashlib.sha256).hexdigest().upper()
    assert pseudonym(KEY, "s001", "s001-st0000") == f"Ученик {digest[:12]}"
    assert pseudonym(KEY, "s007", "s007-st0634").startswith("Ученик D712B07F")
