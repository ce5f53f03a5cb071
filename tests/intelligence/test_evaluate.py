"""Lead time over every victim: a victim never flagged counts as later than every flagged one."""

import datetime as dt
import math

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


def test_the_ratio_of_false_flag_rates_with_and_without_child_perpetrators() -> None:
    from safeguard.intelligence.evaluate import RATIO_GROUP, _fairness

    n = RATIO_GROUP
    persons = {f"g{i}": ("female", "white", "", "Y", "") for i in range(n)}
    persons |= {f"b{i}": ("male", "white", "", "Y", "") for i in range(n)}
    persons["b0"] = ("male", "white", "", "Y", "perpetrator")  # a peer abuser
    persons |= {f"s{i}": ("male", "asian", "", "Y", "") for i in range(10)}  # too few to weigh
    first = dict.fromkeys(["g1", "g2", "b0", "b1", "b2", "b3", "s1"], ONSET)
    out = _fairness(first, set(persons), persons, {"g1": ONSET})
    assert out["sex"]["female"]["false_flags"] == 1 and out["sex"]["male"]["false_flags"] == 5
    assert out["sex"]["male"]["false_flags_perpetrators"] == 1
    # girls 1 in 999; boys 5 in 1,010, 4 without the peer abuser
    assert out["ratios"]["sex"]["all"] == round((5 / 1010) / (1 / 999), 2)
    assert out["ratios"]["sex"]["without_perpetrators"] == round((4 / 1010) / (1 / 999), 2)
    # the ten asian children (1 in 10 flagged) are too few to weigh: white children alone
    assert out["ratios"]["ethnicity"]["all"] == 1.0
    # 5 against 1 false flag: the interval is wide and holds 1 (the groups are not told apart)
    low, high = out["ratios_95"]["sex"]["all"]
    assert low < 1 < out["ratios"]["sex"]["all"] < high
    assert out["ratios_95"]["ethnicity"]["all"] is not None


def test_the_interval_of_a_ratio_of_rates() -> None:
    from safeguard.intelligence.evaluate import ratio_interval

    # 20 in 1,000 against 10 in 1,000: ratio 2, log standard error sqrt(1/20-1/1000+1/10-1/1000)
    low, high = ratio_interval(20, 1000, 10, 1000)
    se = (1 / 20 - 1 / 1000 + 1 / 10 - 1 / 1000) ** 0.5
    assert round(low, 3) == round(2 * math.exp(-1.96 * se), 3) and 0.9 < low < 1
    assert round(high, 2) == round(2 * math.exp(1.96 * se), 2)
    # with many cases the same ratio is told apart from 1
    assert ratio_interval(2000, 100_000, 1000, 100_000)[0] > 1.8
