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


def test_rates_on_a_handful_of_cases_carry_their_uncertainty() -> None:
    from safeguard.intelligence.evaluate import wilson

    low, high = wilson(5, 10)  # the textbook Wilson interval of 5 in 10
    assert round(low, 4) == 0.2366 and round(high, 4) == 0.7634
    assert wilson(0, 0) == (0.0, 1.0)
    one_in_351 = wilson(1, 351)
    assert one_in_351[0] < 0.0008 < one_in_351[1]  # 1 in 351 is not distinguishable from 0.08%
