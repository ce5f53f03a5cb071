"""Field types of the agency data contract.

A field is described once here and in `kinds`; the validator, the landing schema, the synthetic
generator and `docs/data-contract.md` all read these descriptions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class FieldType(StrEnum):
    """How a delivered value is read, checked and normalised."""

    TEXT = "text"
    NAME = "name"
    NAMES = "names"
    CODE = "code"
    CODES = "codes"
    BOOL = "bool"
    INTEGER = "integer"
    DATE = "date"
    PARTIAL_DATE = "partial_date"
    DATETIME = "datetime"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    PNC_ID = "pnc_id"
    POSTCODE = "postcode"
    POSTCODES = "postcodes"
    PHONE = "phone"
    PHONES = "phones"
    EMAIL = "email"
    VRM = "vrm"
    VRMS = "vrms"
    REF = "ref"
    REFS = "refs"


#: Types whose failures are kept (raw value plus a warning) rather than quarantining the row:
#: an identifier that fails its check is still evidence, and linkage simply does not trust it.
IDENTIFIER_TYPES = frozenset(
    {
        FieldType.NHS_NUMBER,
        FieldType.UPN,
        FieldType.PNC_ID,
        FieldType.POSTCODE,
        FieldType.POSTCODES,
        FieldType.PHONE,
        FieldType.PHONES,
        FieldType.EMAIL,
        FieldType.VRM,
        FieldType.VRMS,
    }
)

#: Types that hold several values, separated by ``;`` in CSV/XLSX or given as a JSON array.
LIST_TYPES = frozenset(
    {
        FieldType.NAMES,
        FieldType.CODES,
        FieldType.POSTCODES,
        FieldType.PHONES,
        FieldType.VRMS,
        FieldType.REFS,
    }
)

#: How each type is written in a delivery, for the documentation.
TYPE_FORMATS: dict[FieldType, str] = {
    FieldType.TEXT: "free text",
    FieldType.NAME: "a name as recorded",
    FieldType.NAMES: "names separated by `;`",
    FieldType.CODE: "one code from the list",
    FieldType.CODES: "codes from the list, separated by `;`",
    FieldType.BOOL: "`Y`/`N` (also `yes`/`no`, `true`/`false`, `1`/`0`)",
    FieldType.INTEGER: "whole number",
    FieldType.DATE: (
        "date: `YYYY-MM-DD` (also `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`, `YYYYMMDD`, "
        "`2 January 2020`)"
    ),
    FieldType.PARTIAL_DATE: "date, possibly partial: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`",
    FieldType.DATETIME: (
        "date and time: `YYYY-MM-DDTHH:MM[:SS]` or `DD/MM/YYYY HH:MM`; UK local time"
    ),
    FieldType.NHS_NUMBER: "10 digits, spaces allowed; modulus 11 check digit",
    FieldType.UPN: "13 characters: check letter, 11 digits, digit or letter",
    FieldType.PNC_ID: "`YY/NNNNNNN` + check letter (PNC ID)",
    FieldType.POSTCODE: "UK postcode, any case and spacing",
    FieldType.POSTCODES: "postcodes separated by `;`",
    FieldType.PHONE: "UK or international phone number; stored as E.164",
    FieldType.PHONES: "phone numbers separated by `;`",
    FieldType.EMAIL: "email address",
    FieldType.VRM: "UK vehicle registration mark, any case and spacing",
    FieldType.VRMS: "vehicle registration marks separated by `;`",
    FieldType.REF: "record id of another record in this agency's deliveries",
    FieldType.REFS: "record ids separated by `;`",
}


#: Punctuation agencies write inside codes: hyphens and slashes part words, the rest go.
_PUNCTUATION = str.maketrans(
    {"-": " ", "/": " ", "'": None, "\u2019": None, ".": None, "(": None, ")": None, ",": None}
)


@dataclass(frozen=True)
class Field:
    """One column of a record kind."""

    name: str
    type: FieldType
    description: str
    required: bool = False
    codes: tuple[str, ...] = ()
    ref_kind: str | None = None
    synonyms: tuple[tuple[str, str], ...] = field(default=())

    def __post_init__(self) -> None:
        if self.type in (FieldType.CODE, FieldType.CODES) and not self.codes:
            raise ValueError(f"code field {self.name!r} needs its code list")
        if self.type in (FieldType.REF, FieldType.REFS) and not self.ref_kind:
            raise ValueError(f"reference field {self.name!r} needs the kind it refers to")

    @property
    def keeps_invalid(self) -> bool:
        """True when a value that fails validation is kept raw with a warning, not quarantined."""
        return self.type in IDENTIFIER_TYPES

    @property
    def is_list(self) -> bool:
        return self.type in LIST_TYPES

    def code_for(self, raw: str) -> str | None:
        """The contract code a delivered value stands for, or None when it is not one.

        Case, spaces, hyphens, apostrophes, full stops and brackets are ignored (`Away Without
        Authorisation` -> `away_without_authorisation`, `Children's Home` -> `childrens_home`),
        and listed synonyms are accepted (`F` -> `female`).
        """
        key = "_".join(raw.strip().lower().translate(_PUNCTUATION).split())
        if key in self.codes:
            return key
        return dict(self.synonyms).get(key)
