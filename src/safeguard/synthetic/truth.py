"""The ground truth every later stage is measured against, written to `out/truth/`.

- `persons.csv`: every true person (children, parents, offenders, staff, drivers, youth workers,
  perpetrators) with true names and attributes, role, trap labels and scenario part.
- `records.csv`: every delivered record: agency, kind, record id, the true person it is about,
  its scenario (if planted) and the signal (screening indicator) it carries.
- `scenarios.json`: every planted scenario with its people, places, vehicles and phones.
- `summary.json`: arguments, counts per agency and kind, victims, perpetrators, traps.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from safeguard.synthetic.deliveries import Table
from safeguard.synthetic.places import Gazetteer
from safeguard.synthetic.population import FLAG_COLUMNS, Population, join_flags
from safeguard.synthetic.scenarios import Scenario
from safeguard.synthetic.types import Strs
from safeguard.synthetic.writer import write_csv

PERSON_COLUMNS = (
    "person_id",
    "forenames",
    "surname",
    "sex",
    "ethnicity",
    "date_of_birth",
    "council_area",
    "is_child",
    "looked_after",
    "learning_disability",
    "role",
    "trap",
    "scenario_id",
    "scenario_role",
    "alias",
    "address",
    "town",
    "postcode",
    "nhs_number",
    "upn",
    "pnc_id",
    "phone",
    "vehicle",
    "flags",
)
RECORD_COLUMNS = ("agency", "kind", "record_id", "person_id", "scenario_id", "signal")


def _yn(values: np.ndarray) -> Strs:
    return np.where(values, "Y", "N")


def persons_table(pop: Population, scenarios: list[Scenario]) -> dict[str, Strs]:
    """The true population as text columns."""
    n = len(pop)
    part = np.full(n, "", dtype=object)
    for s in scenarios:
        part[s.victims] = "victim"
        part[s.perpetrators] = "perpetrator"
    forenames = np.where(
        pop["middle"] != "",
        np.char.add(np.char.add(pop["forename"], " "), pop["middle"]),
        pop["forename"],
    )
    flags = join_flags([pop[f] for f in FLAG_COLUMNS], FLAG_COLUMNS)
    cols = {
        "person_id": pop.person_ids(),
        "forenames": forenames,
        "surname": pop["surname"],
        "sex": pop["sex"],
        "ethnicity": pop["ethnicity"],
        "date_of_birth": np.datetime_as_string(pop["dob"].astype("datetime64[D]")),
        "council_area": pop["council"],
        "is_child": _yn(pop["is_child"]),
        "looked_after": _yn(pop["looked_after"]),
        "learning_disability": _yn(pop["learning_disability"]),
        "role": pop["role"],
        "trap": pop["trap"],
        "scenario_id": pop["scenario"],
        "scenario_role": part.astype(str),
        "alias": pop["alias"],
        "address": pop["address"],
        "town": pop["town"],
        "postcode": pop["postcode"],
        "nhs_number": pop["nhs"],
        "upn": pop["upn"],
        "pnc_id": pop["pnc"],
        "phone": pop["phone"],
        "vehicle": pop["vehicle"],
        "flags": flags,
    }
    return {k: np.asarray(cols[k]).astype(str) for k in PERSON_COLUMNS}


def records_table(deliveries: dict[str, dict[str, Table]], pop: Population) -> dict[str, Strs]:
    """One row per delivered record, in delivery order."""
    ids = pop.person_ids()
    parts: dict[str, list[Strs]] = {c: [] for c in RECORD_COLUMNS}
    for agency, tables in deliveries.items():
        for kind, t in tables.items():
            n = len(t)
            parts["agency"].append(np.full(n, agency))
            parts["kind"].append(np.full(n, kind))
            parts["record_id"].append(t.columns["record_id"])
            parts["person_id"].append(np.where(t.person >= 0, ids[np.maximum(t.person, 0)], ""))
            parts["scenario_id"].append(t.scenario)
            parts["signal"].append(t.signal)
    return {c: np.concatenate(v).astype(str) for c, v in parts.items()}


def scenario_json(s: Scenario, pop: Population, gaz: Gazetteer, ids: Strs) -> dict[str, Any]:
    """One scenario as JSON, people by true person id."""
    places = [
        {
            "name": str(gaz.place[p]),
            "postcode": str(gaz.place_postcode[p]),
            "kind": str(gaz.place_kind[p]),
        }
        for p in s.places
    ]
    if s.model == "boyfriend":
        places += [
            {
                "name": str(pop["address"][p]),
                "postcode": str(pop["postcode"][p]),
                "kind": "home_of_perpetrator",
            }
            for p in s.perpetrators
        ]
    return {
        "id": s.id,
        "model": s.model,
        "onset": str(s.onset),
        "council_area": s.council,
        "victims": [str(ids[v]) for v in s.victims],
        "victim_onsets": [str(d) for d in s.victim_onsets],
        "perpetrators": [str(ids[p]) for p in s.perpetrators],
        "places": places,
        "vehicles": list(s.vehicles),
        "phones": list(s.phones),
    }


def summary(
    args: dict[str, Any],
    deliveries: dict[str, dict[str, Table]],
    pop: Population,
    scenarios: list[Scenario],
) -> dict[str, Any]:
    counts = {a: {k: len(t) for k, t in tables.items()} for a, tables in deliveries.items()}
    traps: Counter[str] = Counter()
    for label in pop["trap"].tolist():
        for t in label.split(";") if label else ():
            traps[t] += 1
    victims = {v for s in scenarios for v in s.victims}
    perps = {p for s in scenarios for p in s.perpetrators}
    return {
        **args,
        "counts": counts,
        "total_records": sum(sum(c.values()) for c in counts.values()),
        "persons": len(pop),
        "child_persons": int(pop["is_child"].sum()),
        "scenarios": len(scenarios),
        "scenarios_by_model": dict(sorted(Counter(s.model for s in scenarios).items())),
        "victims": len(victims),
        "perpetrators": len(perps),
        "traps": dict(sorted(traps.items())),
    }


def write_truth(
    folder: Path,
    pop: Population,
    gaz: Gazetteer,
    scenarios: list[Scenario],
    deliveries: dict[str, dict[str, Table]],
    args: dict[str, Any],
) -> dict[str, Any]:
    """Write all truth files; returns the summary."""
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "persons.csv", persons_table(pop, scenarios))
    write_csv(folder / "records.csv", records_table(deliveries, pop))
    ids = pop.person_ids()
    payload = [scenario_json(s, pop, gaz, ids) for s in scenarios]
    (folder / "scenarios.json").write_text(json.dumps(payload, indent=2) + "\n", "utf-8")
    result = summary(args, deliveries, pop, scenarios)
    (folder / "summary.json").write_text(json.dumps(result, indent=2) + "\n", "utf-8")
    return result
