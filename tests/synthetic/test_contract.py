"""Every delivered file conforms to the agency data contract."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safeguard.contract import KINDS, MANIFEST_NAME, parse_manifest, values
from safeguard.contract import identifiers as ids
from safeguard.contract.fields import FieldType
from safeguard.contract.identifiers import Checked

from .conftest import Partnership

AGENCIES = {
    "cheshire-police": {
        "people",
        "incidents",
        "involvements",
        "sightings",
        "intelligence",
        "missing_episodes",
    },
    **{
        c: {"people", "contacts", "placements", "missing_episodes"}
        for c in ("cheshire-east-cs", "cheshire-west-cs", "warrington-cs", "halton-cs")
    },
    "cheshire-nhs": {"people", "health_events"},
    "cheshire-schools": {"people", "education_events"},
    "probation": {"people", "intelligence"},
    "childrens-homes": {"care_homes", "people", "missing_episodes", "sightings"},
}
#: Checks that must pass for every value.
STRICT: dict[FieldType, Callable[[str], Checked]] = {
    FieldType.DATE: values.date,
    FieldType.DATETIME: values.datetime,
    FieldType.PARTIAL_DATE: values.partial_date,
    FieldType.INTEGER: values.integer,
    FieldType.POSTCODE: ids.postcode,
    FieldType.PHONE: ids.phone,
    FieldType.PHONES: ids.phone,
    FieldType.VRM: ids.vrm,
    FieldType.VRMS: ids.vrm,
    FieldType.EMAIL: ids.email,
}
#: Identifiers a few of which are deliberately wrong.
LOOSE: dict[FieldType, Callable[[str], Checked]] = {
    FieldType.NHS_NUMBER: ids.nhs_number,
    FieldType.UPN: ids.upn,
    FieldType.PNC_ID: ids.pnc_id,
}


def test_agencies_and_kinds(small: Partnership) -> None:
    assert set(small.agencies) == set(AGENCIES)
    for agency, kinds in AGENCIES.items():
        manifest = parse_manifest((small.root / agency / MANIFEST_NAME).read_text())
        assert manifest.agency == agency
        assert manifest.extract_date.isoformat() == "2026-10-31"
        assert set(small.delivery(agency)) == kinds, agency
    assert (small.root / "cheshire-nhs" / "health_events.jsonl").exists()
    assert (small.root / "childrens-homes" / "care_homes.xlsx").exists()


@pytest.mark.parametrize("agency", sorted(AGENCIES))
def test_fields_codes_and_values(small: Partnership, agency: str) -> None:
    for kind, rows in small.delivery(agency).items():
        spec = KINDS[kind]
        assert rows, f"{agency}/{kind} is empty"
        loose_bad: dict[str, int] = {}
        for row in rows:
            assert set(row) <= set(spec.field_names), (agency, kind, set(row) - set(spec.fields))
            for name in spec.required:
                assert row.get(name), (agency, kind, name, row)
            for f in spec.fields:
                raw = row.get(f.name, "")
                if not raw:
                    continue
                parts = raw.split(";") if f.is_list else [raw]
                if f.type in (FieldType.CODE, FieldType.CODES):
                    assert all(f.code_for(p) for p in parts), (agency, kind, f.name, raw)
                elif f.type in STRICT:
                    assert all(STRICT[f.type](p).value for p in parts), (agency, f.name, raw)
                elif f.type in LOOSE and not LOOSE[f.type](raw).value:
                    loose_bad[f.name] = loose_bad.get(f.name, 0) + 1
        for name, bad in loose_bad.items():
            assert bad <= max(2, 0.03 * len(rows)), (agency, kind, name, bad)


@pytest.mark.parametrize("agency", sorted(AGENCIES))
def test_references_resolve_within_delivery(small: Partnership, agency: str) -> None:
    delivery = small.delivery(agency)
    record_ids = {kind: {r["record_id"] for r in rows} for kind, rows in delivery.items()}
    for kind, rows in delivery.items():
        assert len(record_ids[kind]) == len(rows), f"duplicate record ids in {agency}/{kind}"
        for f in KINDS[kind].fields:
            if f.type not in (FieldType.REF, FieldType.REFS):
                continue
            targets = record_ids[f.ref_kind or ""]
            for row in rows:
                for ref in filter(None, row.get(f.name, "").split(";")):
                    assert ref in targets, (agency, kind, f.name, ref)
    homes = {r["record_id"] for r in small.delivery("childrens-homes")["care_homes"]}
    for row in delivery.get("missing_episodes", []) + delivery.get("placements", []):
        assert not row.get("care_home_id") or row["care_home_id"] in homes
