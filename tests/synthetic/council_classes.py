"""Counting the council-led family's classes of records in a generated partnership.

Used by `test_council.py` and handy on its own:

    .venv/bin/python -m tests.synthetic.council_classes /tmp/partnership
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from safeguard.contract import KINDS
from safeguard.contract.fields import FieldType

from .conftest import Partnership

PROFESSIONALS = {"foster_carer", "care_home_staff", "youth_worker", "transport_driver"}
COUNCILS = ("cheshire-east-cs", "cheshire-west-cs", "warrington-cs", "halton-cs")
NEGATION = re.compile(
    r"\b(denies|denied|no concerns|not aware|do not believe|no indication|nothing to "
    r"(suggest|indicate)|no evidence|no suggestion|no new items|not seen getting|no signs|"
    r"has not seen|have not seen|did not come back with)\b",
    re.I,
)
TEXT_FIELDS = ("notes", "text", "found_with", "with_description", "summary")


class View:
    """A partnership with the truth joined to every delivered row."""

    def __init__(self, p: Partnership) -> None:
        self.p = p
        self.persons = {r["person_id"]: r for r in p.truth("persons.csv")}
        self.records = {(r["agency"], r["record_id"]): r for r in p.truth("records.csv")}
        self.scenarios = p.scenarios()
        self.victims = {v for s in self.scenarios for v in s["victims"]}
        self.perps = {x for s in self.scenarios for x in s["perpetrators"]}

    def rows(self, agency: str, kind: str) -> list[dict[str, str]]:
        return self.p.delivery(agency).get(kind, [])

    def who(self, agency: str, ref: str) -> str:
        return self.records[(agency, ref)]["person_id"]

    def truth(self, agency: str, row: dict[str, str]) -> dict[str, str]:
        return self.records[(agency, row["record_id"])]

    def planted(self, agency: str, row: dict[str, str]) -> bool:
        return bool(self.truth(agency, row)["scenario_id"])


def agencies_of_planted(v: View) -> Counter[str]:
    """Planted records by agency (councils together)."""
    out: Counter[str] = Counter()
    for (agency, _), r in v.records.items():
        if r["scenario_id"] and r["kind"] != "people":
            out["councils" if agency in COUNCILS else agency] += 1
    return out


def referrers(v: View) -> Counter[str]:
    return Counter(
        row["referrer_agency"]
        for a in COUNCILS
        for row in v.rows(a, "contacts")
        if v.planted(a, row)
    )


def school_cars(v: View) -> tuple[int, int]:
    """School sightings of a child and a car with no registration: (victims', others')."""
    rows = [
        r
        for r in v.rows("cheshire-schools", "sightings")
        if not r.get("vehicle") and r.get("with_description")
    ]
    victims = sum(v.who("cheshire-schools", r["person_id"]) in v.victims for r in rows)
    return victims, len(rows) - victims


def probation_visits(v: View) -> int:
    """Probation sightings of a child with an offender."""
    n = 0
    for r in v.rows("probation", "sightings"):
        child = v.persons[v.who("probation", r["person_id"])]
        adults = [
            v.persons[v.who("probation", x)] for x in filter(None, r["with_person_ids"].split(";"))
        ]
        n += child["is_child"] == "Y" and any(
            a["role"] in ("offender", "perpetrator") for a in adults
        )
    return n


def home_calls(v: View) -> tuple[int, int]:
    """Children's home logs of calls: no phone, no vehicle, no one named: (victims', others')."""
    rows = [
        r
        for r in v.rows("childrens-homes", "sightings")
        if "call" in r.get("notes", "").lower()
        and not r.get("phone")
        and not r.get("vehicle")
        and not r.get("with_person_ids")
    ]
    victims = sum(v.who("childrens-homes", r["person_id"]) in v.victims for r in rows)
    return victims, len(rows) - victims


def negations(v: View) -> tuple[int, int]:
    """Rows whose free text holds a denial or hedge: (about victims, about others)."""
    counts = [0, 0]
    for agency in v.p.agencies:
        for kind, rows in v.p.delivery(agency).items():
            if kind == "people":
                continue
            for r in rows:
                if any(NEGATION.search(r.get(f, "")) for f in TEXT_FIELDS):
                    person = v.truth(agency, r)["person_id"]
                    counts[person not in v.victims] += 1
    return counts[0], counts[1]


def distinct_texts(v: View) -> tuple[int, int]:
    """(planted rows with free text, distinct texts among them)."""
    texts = [
        r.get(f, "")
        for agency in v.p.agencies
        for kind, rows in v.p.delivery(agency).items()
        for r in rows
        if kind != "people" and v.planted(agency, r)
        for f in ("notes", "text")
        if r.get(f)
    ]
    return len(texts), len(set(texts))


def _postcode(text: str) -> str:
    return text.replace(" ", "").upper()


def shared_found_places(v: View) -> dict[str, dict[str, Any]]:
    """Per network (two or more victims): places (postcode or location) where two or more of
    its victims were found, and whether another agency's records name them too."""
    by_scen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    named: set[str] = set()
    for agency in v.p.agencies:
        for r in v.rows(agency, "missing_episodes"):
            sid = v.truth(agency, r)["scenario_id"]
            person = v.truth(agency, r)["person_id"]
            for key in (r.get("found_location", ""), _postcode(r.get("found_postcode", ""))):
                if key and sid and not key.startswith("Returned"):
                    by_scen[sid][key].add(person)
        for r in v.rows(agency, "intelligence"):
            named |= {x.strip() for x in r.get("locations", "").split(";") if x.strip()}
            named |= {_postcode(x) for x in r.get("postcodes", "").split(";") if x.strip()}
        for r in v.rows(agency, "sightings"):
            named |= {r.get("location", ""), _postcode(r.get("postcode", ""))} - {""}
    out: dict[str, dict[str, Any]] = {}
    for s in v.scenarios:
        if len(s["victims"]) < 2:
            continue
        shared = {k for k, who in by_scen[s["id"]].items() if len(who & set(s["victims"])) >= 2}
        out[s["id"]] = {"shared": sorted(shared), "named_elsewhere": sorted(shared & named)}
    return out


def professionals_found_with(v: View) -> dict[str, int]:
    """Police missing episodes found with a professional; whether the police flag them; and
    whether another agency records them as staff."""
    staff_elsewhere = {
        v.who(a, r["record_id"])
        for a in v.p.agencies
        if a != "cheshire-police"
        for r in v.rows(a, "people")
        if "staff" in r.get("flags", "").lower()
    }
    out: Counter[str] = Counter()
    for r in v.rows("cheshire-police", "missing_episodes"):
        for ref in filter(None, r.get("found_with_person_ids", "").split(";")):
            adult = v.who("cheshire-police", ref)
            if v.persons[adult]["role"] not in PROFESSIONALS:
                continue
            child = v.who("cheshire-police", r["person_id"])
            out["episodes"] += 1
            out["victims" if child in v.victims else "others"] += 1
            out["staff_elsewhere"] += adult in staff_elsewhere
            out["professional_is_perpetrator"] += adult in v.perps
            out["police_text_names_role"] += any(
                w in r.get("found_with", "").lower()
                for w in ("foster", "youth worker", "staff", "driver")
            )
    return dict(out)


def _age(dob: str, on: str) -> float:
    return (dt.date.fromisoformat(on) - dt.date.fromisoformat(dob)).days / 365.25


def ages(v: View) -> dict[str, int]:
    """Victims aged 16-17 at onset and peer exploiters aged 18-19 at onset."""
    out: Counter[str] = Counter()
    for s in v.scenarios:
        for victim, onset in zip(s["victims"], s["victim_onsets"], strict=True):
            out["victims_16_17"] += 16 <= _age(v.persons[victim]["date_of_birth"], onset) < 18
        if s["model"] == "peer_on_peer":
            for p in s["perpetrators"]:
                out["peer_exploiters_18_19"] += (
                    18 <= _age(v.persons[p]["date_of_birth"], s["onset"]) < 20
                )
    return dict(out)


def nickname_networks(v: View) -> list[str]:
    """Two-victim networks whose adult every agency that meets him through the children (all
    but the NHS, where he is a patient) knows only by a nickname and a phone, and whose two
    victims' records naming him are held by different agencies."""
    found = []
    for s in v.scenarios:
        if len(s["victims"]) != 2 or len(s["perpetrators"]) != 1:
            continue
        adult = s["perpetrators"][0]
        alias = v.persons[adult]["alias"]
        records = [
            r
            for a in v.p.agencies
            if a != "cheshire-nhs"
            for r in v.rows(a, "people")
            if v.who(a, r["record_id"]) == adult
        ]
        bare = bool(records) and all(
            not r.get("surname")
            and not r.get("date_of_birth")
            and r.get("phone")
            and alias in (r.get("forenames"), r.get("other_names"))
            for r in records
        )
        naming: dict[str, set[str]] = defaultdict(set)
        for a in v.p.agencies:
            for kind, rows in v.p.delivery(a).items():
                refs = [f.name for f in KINDS[kind].fields if f.type is FieldType.REFS]
                for r in rows if refs and kind != "people" else ():
                    ids = {v.who(a, x) for f in refs for x in filter(None, r.get(f, "").split(";"))}
                    subject = v.truth(a, r)["person_id"]
                    if adult in ids and subject in s["victims"]:
                        naming[subject].add(a)
        held = [naming[x] for x in s["victims"]]
        if bare and all(held) and held[0] != held[1]:
            found.append(s["id"])
    return found


def vehicle_networks(v: View) -> list[str]:
    """Two-victim networks in which both victims are seen in the same vehicle and no record
    about a victim names the adult."""
    found = []
    for s in v.scenarios:
        if len(s["victims"]) != 2 or not s["vehicles"]:
            continue
        marks = {m.replace(" ", "").upper() for m in s["vehicles"]}
        seen: dict[str, set[str]] = defaultdict(set)
        for a in v.p.agencies:
            for r in v.rows(a, "sightings"):
                vrm = r.get("vehicle", "").replace(" ", "").upper()
                if vrm in marks:
                    seen[v.who(a, r["person_id"])].add(a)
        if all(seen.get(x) for x in s["victims"]):
            found.append(s["id"])
    return found


def code_variants(v: View) -> Counter[str]:
    """Coded values written other than as the contract's code, by kind.field."""
    out: Counter[str] = Counter()
    for agency in v.p.agencies:
        for kind, rows in v.p.delivery(agency).items():
            for f in KINDS[kind].fields:
                if f.type in (FieldType.CODE, FieldType.CODES):
                    for r in rows:
                        raw = r.get(f.name, "")
                        if raw and any(part not in f.codes for part in raw.split(";")):
                            out[f"{kind}.{f.name}"] += 1
    return out


def report(root: Path) -> dict[str, Any]:
    summary = json.loads((root / "truth" / "summary.json").read_text())
    v = View(Partnership(root, summary))
    places = shared_found_places(v)
    return {
        "family": summary.get("family"),
        "children": summary["children"],
        "scenarios": summary["scenarios"],
        "scenarios_by_model": summary["scenarios_by_model"],
        "victims": summary["victims"],
        "perpetrators": summary["perpetrators"],
        "planted_records_by_agency": dict(agencies_of_planted(v).most_common()),
        "planted_contact_referrers": dict(referrers(v).most_common()),
        "planted_text_rows_and_distinct": distinct_texts(v),
        "negated_or_hedged_rows_victims_others": negations(v),
        "school_car_sightings_no_vrm_victims_others": school_cars(v),
        "probation_sightings_child_with_offender": probation_visits(v),
        "home_call_logs_no_phone_victims_others": home_calls(v),
        "networks_with_shared_found_places": sum(bool(x["shared"]) for x in places.values()),
        "networks_with_found_places_named_elsewhere": sum(
            bool(x["named_elsewhere"]) for x in places.values()
        ),
        "networks": len(places),
        "professionals_found_with": professionals_found_with(v),
        "ages": ages(v),
        "nickname_only_two_victim_networks": nickname_networks(v),
        "vehicle_only_two_victim_networks": vehicle_networks(v),
        "code_variants": dict(code_variants(v).most_common()),
        "traps": summary["traps"],
    }


if __name__ == "__main__":
    print(json.dumps(report(Path(sys.argv[1])), indent=2, default=str))
