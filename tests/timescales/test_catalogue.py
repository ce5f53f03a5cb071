"""The timescales catalogue: the default loads with its basis, and a bad one is refused saying
which clock and which field."""

from __future__ import annotations

import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from safeguard.timescales import TimescalesError, load, parse
from safeguard.timescales.catalogue import REQUIRED


def default_text() -> str:
    return resources.files("safeguard.timescales").joinpath("data", "timescales.toml").read_text()


def default() -> dict[str, Any]:
    return tomllib.loads(default_text())


def test_the_default_catalogue_holds_the_statutory_and_local_timescales() -> None:
    t = load()
    assert t.name == "Safeguard default" and t.version
    got = {n: (c.amount, c.unit, c.local) for n, c in t.clocks.items()}
    assert got == {
        "return_home_interview": (72, "hours", False),
        "referral_decision": (1, "working_days", False),
        "assessment": (45, "working_days", False),
        "initial_child_protection_conference": (15, "working_days", False),
        "mash_red": (4, "working_hours", True),
        "mash_amber": (24, "working_hours", True),
        "mash_green": (72, "working_hours", True),
        "strategy_discussion_after_missing": (2, "working_days", True),
    }
    assert "2014" in t.clock("return_home_interview").basis
    assert all("Working Together" in t.clock(n).basis for n in REQUIRED[1:4])
    assert all("Surrey" in t.clock(f"mash_{r}").basis for r in ("red", "amber", "green"))
    assert "configure" in t.clock("strategy_discussion_after_missing").basis
    assert all(c.basis and c.label and c.starts for c in t.clocks.values())
    assert t.calendar.opens == dt.time(9) and t.calendar.closes == dt.time(17)
    assert t.calendar.days == frozenset(range(5)) and not t.calendar.closures
    assert t.clock("assessment").describe() == "45 working days from the referral"
    assert t.clock("referral_decision").describe() == "1 working day from the referral"
    with pytest.raises(KeyError, match="no clock 'tea_break'"):
        t.clock("tea_break")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["clocks"]["mash_red"].update(unit="fortnights"),
            "[clocks.mash_red]: `unit` must be one of hours, days, working_hours, working_days",
        ),
        (
            lambda d: d["clocks"]["assessment"].update(amount=0),
            "[clocks.assessment]: `amount` must be a whole number above 0",
        ),
        (lambda d: d["clocks"]["assessment"].update(amount=-3), "`amount` must be a whole number"),
        (lambda d: d["clocks"]["assessment"].update(amount="45"), "`amount` must be a whole"),
        (lambda d: d["clocks"]["assessment"].update(amount=4.5), "`amount` must be a whole"),
        (
            lambda d: d["clocks"]["referral_decision"].pop("basis"),
            "[clocks.referral_decision]: `basis` must be text saying where",
        ),
        (lambda d: d["clocks"]["mash_green"].update(basis="  "), "[clocks.mash_green]: `basis`"),
        (lambda d: d["clocks"]["mash_green"].pop("local"), "[clocks.mash_green]: `local` must be"),
        (lambda d: d["clocks"]["mash_green"].update(local="yes"), "`local` must be true"),
        (lambda d: d["clocks"]["mash_green"].update(colour="green"), "unexpected field `colour`"),
        (lambda d: d["clocks"].pop("assessment"), "Safeguard needs the clocks assessment"),
        (lambda d: d["calendar"].update(opens="9am"), "[calendar]: `opens` must be a time of day"),
        (lambda d: d["calendar"].update(closes=17), "`closes` must be a time of day as HH:MM"),
        (lambda d: d["calendar"].update(closes="08:00"), "`closes` (08:00) must be after"),
        (lambda d: d["calendar"].update(days=["Funday"]), "`days` must list office days"),
        (lambda d: d["calendar"].update(closures=["24/12/2026"]), "closure '24/12/2026'"),
        (lambda d: d.pop("version"), "top level: `version` must be text"),
    ],
)
def test_a_bad_catalogue_is_refused_naming_the_clock_and_field(change: Any, message: str) -> None:
    data = default()
    change(data)
    with pytest.raises(TimescalesError) as error:
        parse(data, "ours.toml")
    assert message in str(error.value) and str(error.value).startswith("ours.toml: ")


def test_a_partnership_catalogue_replaces_the_default(tmp_path: Path) -> None:
    text = default_text().replace('amount = 72\nunit = "hours"', 'amount = 3\nunit = "days"')
    text = text.replace('opens = "09:00"', 'opens = "08:30"')
    text = text.replace("closures = []", 'closures = [2026-12-24, "2026-12-31"]')
    text += '\n[clocks.our_own]\nlabel = "Ours"\namount = 5\nunit = "days"\nbasis = "Our board"\n'
    text += "local = true\n"
    mine = tmp_path / "ours.toml"
    mine.write_text(text)
    ours = load(mine)
    rhi = ours.clock("return_home_interview")
    assert (rhi.amount, rhi.unit) == (3, "days") and ours.source == str(mine)
    assert ours.calendar.opens == dt.time(8, 30) and rhi.calendar is ours.calendar
    assert ours.calendar.closures == {dt.date(2026, 12, 24), dt.date(2026, 12, 31)}
    assert ours.clock("our_own").amount == 5
    broken = tmp_path / "broken.toml"
    broken.write_text("name = [")
    with pytest.raises(TimescalesError, match="not valid TOML"):
        load(broken)
    with pytest.raises(TimescalesError, match="cannot read"):
        load(tmp_path / "absent.toml")
