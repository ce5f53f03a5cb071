"""Measuring the intelligence against the synthetic partnership's truth.

The same screening runs twice over the same evidence: joined up (a child is a linked person,
with every agency's records) and siloed (a child is one agency's record, seen by that agency
alone: the baseline of agencies that do not share). For each we report which planted victims
were proposed for referral (recall, precision), how many days after the exploitation began
(lead time), how many trap children (vulnerable but not exploited) were flagged, and flag rates by
sex and ethnicity. Siloed figures are per agency; the best agency (highest recall) is reported
beside the joined-up figures, as a partnership that did not share would at best have done.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from safeguard.intelligence import indicators, network
from safeguard.intelligence.analysis import screen_and_find
from safeguard.intelligence.catalogue import Catalogue
from safeguard.intelligence.sources import SourceFile, open_records

TRAPS = ("vulnerable_child", "found_with_professional")
"""Truth trap labels of children who are vulnerable but not exploited, or who were found by
or with a professional (a youth worker, a foster carer, a driver) when missing."""


class TruthError(ValueError):
    """The truth folder is missing or not what the synthetic generator writes."""


@dataclass(frozen=True)
class Truth:
    persons: pa.Table
    records: pa.Table
    victims: pa.Table  # person_id, onset (date)
    as_of: dt.date
    scenarios: list[dict[str, Any]]


def read_truth(folder: Path) -> Truth:
    """The generator's truth (`persons.csv`, `records.csv`, `scenarios.json`, `summary.json`)."""
    needed = ["persons.csv", "records.csv", "scenarios.json", "summary.json"]
    missing = [n for n in needed if not (folder / n).exists()]
    if missing:
        raise TruthError(f"{folder}: not a synthetic truth folder (missing {', '.join(missing)})")
    con = duckdb.connect()
    try:
        persons = con.sql(
            f"select * from read_csv('{_quoted(folder / 'persons.csv')}', all_varchar = true)"
        ).to_arrow_table()
        records = con.sql(
            "select agency || ':' || record_id as uid, person_id from "
            f"read_csv('{_quoted(folder / 'records.csv')}', all_varchar = true) "
            "where kind = 'people'"
        ).to_arrow_table()
    finally:
        con.close()
    scenarios = json.loads((folder / "scenarios.json").read_text(encoding="utf-8"))
    onsets: dict[str, str] = {}
    for s in scenarios:
        for person, onset in zip(s["victims"], s["victim_onsets"], strict=True):
            onsets[person] = min(onset, onsets.get(person, onset))
    victims = pa.table(
        {
            "person_id": pa.array(list(onsets), pa.string()),
            "onset": pa.array([dt.date.fromisoformat(d) for d in onsets.values()], pa.date32()),
        }
    )
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    extract = dt.date.fromisoformat(summary["extract_date"])
    return Truth(persons, records, victims, extract, scenarios)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")


def evaluate(
    files: Sequence[SourceFile], people: pa.Table, truth_folder: Path, catalogue: Catalogue
) -> dict[str, Any]:
    """Joined-up and siloed figures (see the module's description) as a dictionary."""
    truth = read_truth(truth_folder)
    con = open_records(files, people)
    try:
        indicators.derive(con, catalogue)
        for name, table in (
            ("truth_persons", truth.persons),
            ("truth_records", truth.records),
            ("truth_victims", truth.victims),
        ):
            con.register(f"{name}_arrow", table)
            con.execute(f"create table {name} as select * from {name}_arrow")
        joined_keys = con.sql(
            "select uid as subject, cast(person_id as varchar) as key from linked"
        ).to_arrow_table()
        known = _Known.of(con, planted_networks(truth.scenarios))
        joined = _view(con, catalogue, joined_keys, truth.as_of, known, "joined")
        con.execute("create or replace table flagged_joined as select * from flagged")
        siloed_keys = con.sql("select uid as subject, uid as key from people").to_arrow_table()
        agencies = [
            r[0] for r in con.execute("select distinct agency from people order by 1").fetchall()
        ]
        by_agency = _view(con, catalogue, siloed_keys, truth.as_of, known, "siloed", agencies)
        best_agency = max(
            by_agency,
            key=lambda a: (by_agency[a]["victim_recall"], by_agency[a]["victim_precision"]),
        )
        paired = _paired(con, best_agency, known)
    finally:
        con.close()
    return {
        "as_of": truth.as_of.isoformat(),
        "catalogue": {"name": catalogue.name, "version": catalogue.version},
        "victims": truth.victims.num_rows,
        "joined_up": {**joined[""], "against_siloed": paired},
        "siloed": {**by_agency[best_agency], "agency": best_agency, "agencies": by_agency},
    }


_KEY_TRUTH = """
create or replace table key_truth as
select k.key, mode(t.person_id) as person_id, any_value(split_part(k.subject, ':', 1)) as agency
from keys k join truth_records t on t.uid = k.subject
group by k.key
"""

_FLAGGED = """
create or replace table flagged as
select kt.agency, kt.person_id, min(f.day) as day
from first_flag f join key_truth kt using (key)
group by all
"""


@dataclass(frozen=True)
class _Known:
    """The truth each view is measured against, read once: each person's (sex, ethnicity,
    traps, is_child), each victim's onset, and the planted networks."""

    persons: dict[str, tuple[str, ...]]
    onsets: dict[str, dt.date]
    nets: list[set[str]]

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection, nets: list[set[str]]) -> _Known:
        rows = con.execute(
            "select person_id, sex, ethnicity, coalesce(trap, ''), is_child, "
            "coalesce(scenario_role, '') from truth_persons"
        ).fetchall()
        onsets = dict(con.execute("select person_id, onset from truth_victims").fetchall())
        return cls({r[0]: r[1:] for r in rows}, onsets, nets)

    def trapped(self, person: str, labels: tuple[str, ...]) -> bool:
        traps = self.persons.get(person, ("", "", ""))[2].split(";")
        return any(t in traps for t in labels)


def _view(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    keys: pa.Table,
    as_of: dt.date,
    known: _Known,
    label: str,
    agencies: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    findings = screen_and_find(con, catalogue, keys, as_of, siloed=label == "siloed")
    con.execute(_KEY_TRUTH)
    con.execute(_FLAGGED)
    groups = agencies or [""]
    return {
        group: {**_figures(con, group, known), **_networks(con, findings, group, known)}
        for group in groups
    }


def _figures(con: duckdb.DuckDBPyConnection, agency: str, truth: _Known) -> dict[str, Any]:
    where = "where agency = $agency" if agency else ""
    params = {"agency": agency} if agency else {}
    flagged = con.execute(
        f"select person_id, min(day) from flagged {where} group by 1", params or None
    ).fetchall()
    known = {
        r[0]
        for r in con.execute(
            f"select distinct person_id from key_truth {where}", params or None
        ).fetchall()
    }
    persons, onsets = truth.persons, truth.onsets
    first = dict(flagged)
    hits = [p for p in first if p in onsets]
    leads = sorted((first[p] - onsets[p]).days for p in hits)
    traps = [p for p in first if truth.trapped(p, TRAPS)]
    all_traps = [p for p in persons if truth.trapped(p, TRAPS)]
    return {
        "victim_recall": _ratio(len(hits), len(onsets)),
        "victim_precision": _ratio(len(hits), len(first)),
        "victims_found": len(hits),
        "flagged": len(first),
        "trap_false_flags": len(traps),
        "traps": len(all_traps),
        "median_lead_time_days": statistics.median(leads) if leads else None,
        "fairness": _fairness(first, known, persons, onsets),
    }


def _paired(con: duckdb.DuckDBPyConnection, best: str, truth: _Known) -> dict[str, Any]:
    """Victim by victim, how much sooner the joined-up view flagged them than the siloed views:
    against the best agency, and against whichever single agency flagged that victim first.
    Medians of separate populations (each view's own victims found) hide this: a view that
    finds harder cases finds them later."""
    joined = dict(
        con.execute("select person_id, min(day) from flagged_joined group by 1").fetchall()
    )
    best_first = dict(
        con.execute(
            "select person_id, min(day) from flagged where agency = $a group by 1", {"a": best}
        ).fetchall()
    )
    any_first = dict(con.execute("select person_id, min(day) from flagged group by 1").fetchall())
    out: dict[str, Any] = {}
    for label, other in (("best_agency", best_first), ("first_agency", any_first)):
        both = [p for p in truth.onsets if p in joined and p in other]
        gains = sorted((other[p] - joined[p]).days for p in both)
        out[label] = {
            "victims_both": len(both),
            "victims_joined_only": sum(p in joined and p not in other for p in truth.onsets),
            "victims_siloed_only": sum(p in other and p not in joined for p in truth.onsets),
            "flagged_earlier": sum(g > 0 for g in gains),
            "median_days_earlier": statistics.median(gains) if gains else None,
        }
    out["median_days_to_flag_all_victims"] = {
        "joined_up": _censored_median(joined, truth.onsets),
        "best_agency": _censored_median(best_first, truth.onsets),
        "first_agency": _censored_median(any_first, truth.onsets),
    }
    return out


def _censored_median(first: dict[str, dt.date], onsets: dict[str, dt.date]) -> int | None:
    """Median days from onset to first flag over every victim, a victim never flagged counting
    as later than all flagged ones; None when fewer than half were flagged."""
    if not onsets:
        return None
    days = sorted((first[p] - onset).days for p, onset in onsets.items() if p in first)
    middle = (len(onsets) - 1) // 2  # the lower median: a whole number of days
    return days[middle] if middle < len(days) else None


ADULT_TRAPS = ("care_home_staff", "transport_driver", "youth_worker", "foster_carer")
"""Truth trap labels of adults who meet many children legitimately."""


def planted_networks(scenarios: list[dict[str, Any]]) -> list[set[str]]:
    """The planted networks: scenarios of the organised (networked) model, and any scenario
    exploiting several children; each as the set of its victims and perpetrators."""
    return [
        set(s["victims"]) | set(s["perpetrators"])
        for s in scenarios
        if s["model"] == "organised" or len(s["victims"]) >= 2
    ]


def _networks(
    con: duckdb.DuckDBPyConnection,
    findings: list[network.Finding],
    agency: str,
    truth: _Known,
) -> dict[str, Any]:
    """Network recall (a planted network counts when one finding holds at least half its
    members) and the trap adults (staff, drivers, youth workers) in any finding."""
    node_truth = dict(
        con.execute(
            "select 'P:' || key, person_id from key_truth"
            + (" where agency = $agency" if agency else ""),
            {"agency": agency} if agency else None,
        ).fetchall()
    )
    held = [{node_truth[m["node"]] for m in f.members if m["node"] in node_truth} for f in findings]
    held = [h for h in held if h]
    nets = truth.nets
    found = sum(any(len(members & h) * 2 >= len(members) for h in held) for members in nets)
    trap_adults = {p for h in held for p in h if truth.trapped(p, ADULT_TRAPS)}
    return {
        "network_recall": _ratio(found, len(nets)),
        "networks": len(nets),
        "networks_found": found,
        "findings": len([f for f in findings if not agency or _in_agency(f, node_truth)]),
        "trap_adults_in_findings": len(trap_adults),
    }


def _in_agency(finding: network.Finding, node_truth: dict[str, str]) -> bool:
    return any(m["node"] in node_truth for m in finding.members)


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _fairness(
    first: dict[str, Any],
    known: set[str],
    persons: dict[str, tuple[str, ...]],
    onsets: dict[str, Any],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Flag and false-flag rates by sex and ethnicity among the children this view knows, and
    under `ratios` each axis's highest false-flag rate over its lowest, among groups of at
    least `RATIO_GROUP` children (a rate resting on a few children is noise): over every false
    flag, and leaving out children the truth makes perpetrators (peer abusers, who are in the
    exploitation though not its victims). Under `ratios_95`, each ratio's 95% interval
    (`ratio_interval`): on a few dozen false flags, a ratio of 1.4 may not be told apart from 1."""
    out: dict[str, dict[str, Any]] = {"sex": {}, "ethnicity": {}, "ratios": {}, "ratios_95": {}}
    children = [p for p in known if persons.get(p, ("", "", "", "N"))[3] == "Y"]
    for axis, i in (("sex", 0), ("ethnicity", 1)):
        values = sorted({persons[p][i] for p in children})
        rates: dict[str, list[tuple[int, int]]] = {"all": [], "without_perpetrators": []}
        for value in values:
            group = [p for p in children if persons[p][i] == value]
            innocent = [p for p in group if p not in onsets]
            flagged = [p for p in innocent if p in first]
            perpetrators = sum(persons[p][4:5] == ("perpetrator",) for p in flagged)
            low, high = wilson(len(flagged), len(innocent))
            out[axis][value] = {
                "children": len(group),
                "flag_rate": _ratio(sum(p in first for p in group), len(group)),
                "false_flags": len(flagged),
                "false_flags_perpetrators": perpetrators,
                "false_flag_rate": _ratio(len(flagged), len(innocent)),
                "false_flag_rate_95": [round(low, 5), round(high, 5)],
            }
            if len(group) >= RATIO_GROUP and innocent:
                rates["all"].append((len(flagged), len(innocent)))
                rates["without_perpetrators"].append((len(flagged) - perpetrators, len(innocent)))
        extremes = {k: _extremes(v) for k, v in rates.items()}
        out["ratios"][axis] = {
            k: round((hi[0] / hi[1]) / (lo[0] / lo[1]), 2) if hi and lo else None
            for k, (hi, lo) in extremes.items()
        }
        out["ratios_95"][axis] = {
            k: [round(x, 2) for x in ratio_interval(*hi, *lo)] if hi and lo else None
            for k, (hi, lo) in extremes.items()
        }
    return out


def _extremes(
    groups: list[tuple[int, int]],
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The (flags, children) of the groups with the highest and the lowest rate; both None when
    there is no group or the lowest rate is 0 (no ratio)."""
    if not groups:
        return None, None
    ordered = sorted(groups, key=lambda g: g[0] / g[1])
    if ordered[0][0] == 0:
        return None, None
    return ordered[-1], ordered[0]


def ratio_interval(
    hits_a: int, n_a: int, hits_b: int, n_b: int, z: float = 1.96
) -> tuple[float, float]:
    """The 95% interval (by default) of the ratio of two proportions, (hits_a/n_a) over
    (hits_b/n_b), by the log method (Katz et al. 1978): the ratio times exp(plus or minus z
    times the standard error of its logarithm). Both hit counts must be above 0."""
    ratio = (hits_a / n_a) / (hits_b / n_b)
    se = math.sqrt(1 / hits_a - 1 / n_a + 1 / hits_b - 1 / n_b)
    return ratio * math.exp(-z * se), ratio * math.exp(z * se)


#: Groups smaller than this do not enter the ratio of false-flag rates.
RATIO_GROUP = 1000


def wilson(hits: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of a proportion (95% by default): how sure a rate is when it
    rests on a handful of cases, as false flags in a small group do."""
    if n == 0:
        return 0.0, 1.0
    p = hits / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
