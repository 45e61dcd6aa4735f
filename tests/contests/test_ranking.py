"""Ranking and tie-break rules on hand-computed fixtures (pure functions, no database)."""

import datetime as dt
from decimal import Decimal

from cms.contests.ranking import (
    Scored,
    abbreviate_name,
    best_per_phone,
    fully_correct_count,
    mask_phone,
    rank,
)

T0 = dt.datetime(2026, 11, 9, 8, 0, tzinfo=dt.UTC)


def e(entry_id, phone, score, prediction, seconds, minute, max_score=10):
    return Scored(
        entry_id=entry_id,
        phone=phone,
        full_name=f"Người {entry_id}",
        commune_id=1,
        commune_name="Xã Bắc Tân Uyên",
        score=Decimal(score),
        max_score=Decimal(max_score),
        prediction=prediction,
        duration=dt.timedelta(seconds=seconds),
        submitted_at=T0 + dt.timedelta(minutes=minute),
    )


# Phone 1 entered twice: A (prediction 3, 300 s) and A2 (prediction 5, 400 s), both 10/10.
A = e(1, "0911000001", 10, 3, 300, 1)
A2 = e(2, "0911000001", 10, 5, 400, 2)
B = e(3, "0911000002", 10, 5, 200, 3)
C = e(4, "0911000003", 10, None, 100, 4)  # no prediction
D = e(5, "0911000004", 9, 5, 50, 5)  # fastest, but not fully correct
E = e(6, "0911000005", 10, 1, 300, 6)
F = e(7, "0911000006", 10, 1, 300, 7)  # same as E in all but submission time
ENTRIES = [A, A2, B, C, D, E, F]


def test_actual_counts_each_phone_with_a_fully_correct_entry_once():
    # Phones 1, 2, 3, 5, 6 — phone 1's two perfect entries count once; D (9/10) does not count.
    assert fully_correct_count(ENTRIES) == 5


def test_final_ranking_score_then_prediction_distance_then_time_then_submission():
    ranked = rank(ENTRIES, actual=5)
    # B: 10, |5-5|=0, 200 s · A2: 10, 0, 400 s · E: 10, 4, 300 s, 08:06 · F: same, 08:07
    # C: 10, no prediction (after any prediction) · D: 9 points, whatever its time.
    assert [(r.rank, r.entry.entry_id, r.distance) for r in ranked] == [
        (1, B.entry_id, 0),
        (2, A2.entry_id, 0),
        (3, E.entry_id, 4),
        (4, F.entry_id, 4),
        (5, C.entry_id, None),
        (6, D.entry_id, 0),
    ]


def test_provisional_ranking_before_close_is_by_score_then_time():
    ranked = rank(ENTRIES, actual=None)
    assert [r.entry.entry_id for r in ranked] == [
        C.entry_id,  # 100 s
        B.entry_id,  # 200 s
        A.entry_id,  # 300 s, 08:01 (phone 1's faster entry counts before close)
        E.entry_id,  # 300 s, 08:06
        F.entry_id,  # 300 s, 08:07
        D.entry_id,  # 9 points
    ]
    assert all(r.distance is None for r in ranked)


def test_one_best_entry_per_phone_counts():
    ranked = rank(ENTRIES, actual=5)
    phones = [r.entry.phone for r in ranked]
    assert len(phones) == len(set(phones)) == 6
    assert next(r for r in ranked if r.entry.phone == A.phone).entries_of_phone == 2


def test_best_entry_is_the_highest_score_even_if_slower():
    low_fast = e(10, "0922000000", 8, 0, 30, 1)
    high_slow = e(11, "0922000000", 9, 9, 500, 2)
    assert best_per_phone([low_fast, high_slow], actual=0)["0922000000"] == high_slow
    assert best_per_phone([low_fast, high_slow], actual=None)["0922000000"] == high_slow


def test_best_entry_prefers_the_closer_prediction_then_the_shorter_time():
    assert best_per_phone([A, A2], actual=5)[A.phone] == A2  # distance 0 beats 2
    assert best_per_phone([A, A2], actual=3)[A.phone] == A  # distance 0 beats 2
    assert best_per_phone([A, A2], actual=4)[A.phone] == A  # both 1: the shorter time


def test_prediction_distance_is_absolute():
    over = e(20, "0933000001", 10, 8, 100, 1)  # |8-5| = 3
    under = e(21, "0933000002", 10, 3, 500, 2)  # |3-5| = 2: closer, though slower
    assert [r.entry.entry_id for r in rank([over, under], actual=5)] == [21, 20]


def test_phone_is_masked_and_name_abbreviated():
    assert mask_phone("0912345123") == "09xx xxx 123"
    assert mask_phone("02743822456") == "02xx xxx 456"
    assert abbreviate_name("Nguyễn Văn An") == "Nguyễn V. A."
    assert abbreviate_name("Lê  Thị Hồng  Nhung") == "Lê T. H. N."
