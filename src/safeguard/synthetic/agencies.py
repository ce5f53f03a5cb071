"""The partnership's agencies: what each delivers, how it writes things down, and how noisy it is.

Every rate here is documented in `docs/synthetic.md`. They are set so that linking records across
agencies is hard but possible: names, dates of birth and postcodes mostly agree, identifiers are
patchy (an NHS number at the NHS, a UPN at schools, a PNC id at the police for offenders), and a
few per cent of every field is wrong in a realistic way.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from safeguard.synthetic.places import COUNCILS


@dataclass(frozen=True)
class Style:
    """How an agency records people and times, and how often it gets them wrong."""

    date: str = "%Y-%m-%d"
    datetime: str = "%Y-%m-%dT%H:%M:%S"
    dob: str = "%Y-%m-%d"
    upper_surname: bool = False
    compact_postcode: float = 0.0
    phone_format: str = "national"
    sex: tuple[str, str] = ("female", "male")
    nickname: float = 0.04
    middle: float = 0.2
    typo_forename: float = 0.015
    typo_surname: float = 0.015
    hyphen_part: float = 0.3
    dob_swap: float = 0.008
    dob_typo: float = 0.006
    dob_partial: float = 0.0
    dob_missing: float = 0.005
    sex_missing: float = 0.01
    ethnicity_missing: float = 0.1
    stale_address: float = 0.3
    postcode_missing: float = 0.03
    nhs: float = 0.0
    nhs_wrong: float = 0.004
    upn: float = 0.0
    upn_wrong: float = 0.005
    pnc: float = 0.0
    pnc_wrong: float = 0.01
    phone: float = 0.5
    stale_phone: float = 0.3
    email: float = 0.0
    duplicate: float = 0.01
    aliases: bool = False
    alias_as_name: float = 0.0
    flags: tuple[str, ...] = ()
    pretty_vrm: bool = True


@dataclass(frozen=True)
class Agency:
    """One agency's delivery: code (its folder and manifest `agency`), name, kinds, style."""

    code: str
    name: str
    prefix: str
    kinds: tuple[str, ...]
    style: Style = field(default_factory=Style)
    formats: tuple[tuple[str, str], ...] = ()

    def suffix(self, kind: str) -> str:
        return dict(self.formats).get(kind, dict(self.formats).get("*", "csv"))


_COUNCIL_STYLE = Style(
    date="%d/%m/%Y",
    datetime="%d/%m/%Y %H:%M",
    dob="%d/%m/%Y",
    nhs=0.55,
    upn=0.35,
    phone=0.55,
    email=0.3,
    stale_address=0.25,
    middle=0.35,
    alias_as_name=0.5,
    flags=(
        "looked_after",
        "child_protection_plan",
        "child_in_need",
        "neglect",
        "domestic_abuse_at_home",
        "parental_substance_misuse",
        "learning_disability",
    ),
    duplicate=0.015,
)
_COUNCIL_PREFIX = {
    "cheshire_east": "CEC",
    "cheshire_west_and_chester": "CWC",
    "warrington": "WBC",
    "halton": "HBC",
}
_COUNCIL_VARIANTS: dict[str, dict[str, Any]] = {
    "cheshire_east": {},
    "cheshire_west_and_chester": {
        "date": "%Y-%m-%d",
        "datetime": "%Y-%m-%dT%H:%M",
        "dob": "%Y-%m-%d",
        "upper_surname": True,
    },
    "warrington": {
        "datetime": "%d/%m/%Y %H:%M:%S",
        "compact_postcode": 0.5,
        "phone_format": "e164",
    },
    "halton": {
        "date": "%d.%m.%Y",
        "dob": "%d.%m.%Y",
        "datetime": "%Y-%m-%d %H:%M",
        "sex": ("F", "M"),
    },
}

AGENCIES: tuple[Agency, ...] = (
    Agency(
        "cheshire-police",
        "Cheshire Constabulary",
        "POL",
        ("people", "incidents", "involvements", "sightings", "intelligence", "missing_episodes"),
        Style(
            upper_surname=True,
            sex=("F", "M"),
            nickname=0.08,
            middle=0.1,
            pnc=0.95,
            phone=0.6,
            stale_address=0.4,
            aliases=True,
            dob_partial=0.01,
            flags=("known_offender", "registered_sex_offender"),
            duplicate=0.025,
            typo_forename=0.02,
            typo_surname=0.02,
            phone_format="mixed",
        ),
    ),
    *(
        Agency(
            c.agency,
            f"{c.name} Children's Services",
            _COUNCIL_PREFIX[c.code],
            ("people", "contacts", "placements", "missing_episodes"),
            replace(_COUNCIL_STYLE, **_COUNCIL_VARIANTS[c.code]),
        )
        for c in COUNCILS
    ),
    Agency(
        "cheshire-nhs",
        "Cheshire NHS Trusts",
        "NHS",
        ("people", "health_events"),
        Style(
            compact_postcode=1.0,
            sex=("2", "1"),
            nhs=0.97,
            nhs_wrong=0.003,
            middle=0.6,
            nickname=0.02,
            stale_address=0.2,
            phone=0.8,
            phone_format="e164",
            email=0.2,
            flags=("learning_disability",),
            typo_forename=0.01,
            typo_surname=0.01,
        ),
        formats=(("*", "jsonl"),),
    ),
    Agency(
        "cheshire-schools",
        "Cheshire Schools (designated safeguarding leads)",
        "SCH",
        ("people", "education_events"),
        Style(
            date="%d/%m/%Y",
            datetime="%d/%m/%Y %H:%M",
            dob="%d/%m/%Y",
            sex=("F", "M"),
            upn=0.98,
            nickname=0.05,
            middle=0.5,
            stale_address=0.1,
            phone=0.2,
            ethnicity_missing=0.03,
            flags=(
                "special_educational_needs",
                "learning_disability",
                "young_carer",
                "looked_after",
            ),
        ),
    ),
    Agency(
        "probation",
        "National Probation Service (Cheshire)",
        "PRB",
        ("people", "intelligence"),
        Style(
            date="%Y%m%d",
            dob="%Y%m%d",
            datetime="%d/%m/%Y %H:%M",
            upper_surname=True,
            pnc=0.99,
            aliases=True,
            phone=0.8,
            stale_phone=0.2,
            flags=("known_offender", "registered_sex_offender"),
        ),
    ),
    Agency(
        "childrens-homes",
        "Cheshire Children's Homes",
        "CHM",
        ("care_homes", "people", "missing_episodes", "sightings"),
        Style(
            date="%d/%m/%Y",
            datetime="%d/%m/%Y %H:%M",
            dob="%d/%m/%Y",
            nickname=0.15,
            stale_address=0.0,
            phone=0.5,
            alias_as_name=0.6,
            dob_missing=0.3,
            flags=("looked_after", "staff_member"),
        ),
        formats=(("care_homes", "xlsx"),),
    ),
)
AGENCY_BY_CODE = {a.code: a for a in AGENCIES}

#: People fields a thin people file leaves out: every identifier and contact detail, and the
#: address but its postcode. What is left is names, date of birth, sex, ethnicity, postcode and
#: flags, as a school or a sexual-health clinic may send (issue 17).
THIN_LEAVES_OUT = ("nhs_number", "upn", "pnc_id", "address", "town", "phone", "email")
#: The thin profile: the NHS trusts (sexual-health clinics, A&E) and the schools, the issue's
#: examples, send thin people files; together they hold about 60% of the people records
#: (`safeguard synth --thin cheshire-nhs --thin cheshire-schools`, `bench_linkage.py --thin`).
THIN_PROFILE = ("cheshire-nhs", "cheshire-schools")

#: One letter per kind in record ids (`POL-P0001234` is a police person record).
KIND_LETTERS = {
    "people": "P",
    "missing_episodes": "M",
    "incidents": "I",
    "involvements": "V",
    "sightings": "S",
    "intelligence": "X",
    "contacts": "C",
    "health_events": "H",
    "education_events": "E",
    "placements": "L",
    "care_homes": "H",
}
