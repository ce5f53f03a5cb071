"""Lead time over every victim: a victim never flagged counts as later than every flagged one."""

import datetime as dt

from safeguard.intelligence.evaluate import _censored_median

ONSET = dt.date(2025, 1, 1)


def _days(n: int) -> dt.date:
    return ONSET + dt.timedelta(days=n)


def test_every_victim_flagged_gives_the_lower_median() -> None:
    onsets = dict.fromkeys("abcd", ONSET)
    first = {"a": _days(10), "b": _days(40), "c": _days(20), "d": _days(90)}
    assert _censored_median(first, onsets) == 20


def test_unflagged_victims_push_the_median_later() -> None:
    onsets = dict.fromkeys("abcde", ONSET)
    first = {"a": _days(10), "b": _days(40), "c": _days(20)}
    # sorted 10, 20, 40, never, never: the middle of five is the third
    assert _censored_median(first, onsets) == 40
    del first["b"]
    assert _censored_median(first, onsets) is None  # fewer than half were ever flagged
