"""The Standard Safeguarding Dataset's layout (data-to-insight/ssd-data-model): the tables the
hub can fill, their columns in the SSD's order, and which MASH outcomes set which outcome
flags (`data/ssd.toml`, configuration). Pure: no Django."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DEFAULT = Path(__file__).with_name("data") / "ssd.toml"

#: The SSD tables written, each with its columns in the SSD's order.
TABLES: dict[str, tuple[str, ...]] = {
    "ssd_contacts": (
        "cont_contact_id",
        "cont_person_id",
        "cont_contact_date",
        "cont_contact_source_code",
        "cont_contact_source_desc",
        "cont_contact_outcome_json",
    ),
    "ssd_cin_episodes": (
        "cine_referral_id",
        "cine_person_id",
        "cine_referral_date",
        "cine_cin_primary_need_code",
        "cine_referral_source_code",
        "cine_referral_source_desc",
        "cine_referral_outcome_json",
        "cine_referral_nfa",
        "cine_close_reason",
        "cine_close_date",
        "cine_referral_team",
        "cine_referral_worker_id",
    ),
    "ssd_missing": (
        "miss_table_id",
        "miss_person_id",
        "miss_missing_episode_start_date",
        "miss_missing_episode_type",
        "miss_missing_episode_end_date",
        "miss_missing_rhi_offered",
        "miss_missing_rhi_accepted",
    ),
}

OTHER = "OTHER_OUTCOMES_EXIST_FLAG"


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names each problem."""


@dataclass(frozen=True)
class Mapping:
    name: str
    version: str
    contact: dict[str, tuple[str, ...]]
    referral: dict[str, tuple[str, ...]]

    def contact_flags(self, outcomes: Iterable[str]) -> str:
        return _flags(self.contact, outcomes)

    def referral_flags(self, outcomes: Iterable[str]) -> str:
        return _flags(self.referral, outcomes)


def _flags(table: dict[str, tuple[str, ...]], outcomes: Iterable[str]) -> str:
    """The outcome flags as the SSD writes them: a JSON object of "Y" and "N"."""
    held = set(outcomes)
    flags = {flag: "Y" if held & set(codes) else "N" for flag, codes in table.items()}
    named = {c for codes in table.values() for c in codes}
    flags[OTHER] = "Y" if held - named else "N"
    return json.dumps(flags)


def load(path: Path | None = None, outcomes: Iterable[str] = ()) -> Mapping:
    """The mapping in `path` (the default when none), checked against the vocabulary's
    `outcomes` when given; refused whole with every problem named."""
    path = path or DEFAULT
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise MappingError(f"{path.name}: cannot be read: {exc}") from None
    problems: list[str] = []
    known = set(outcomes)
    tables: dict[str, dict[str, tuple[str, ...]]] = {}
    for key in ("contact_outcomes", "referral_outcomes"):
        table = raw.get(key)
        if not isinstance(table, dict) or not table:
            problems.append(f"[{key}] must map SSD flags to lists of outcomes")
            tables[key] = {}
            continue
        for flag, codes in table.items():
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                problems.append(f"[{key}] {flag}: must be a list of outcome codes")
            elif known and set(codes) - known:
                unknown = ", ".join(sorted(set(codes) - known))
                problems.append(f"[{key}] {flag}: unknown outcome {unknown}")
        tables[key] = {f: tuple(c) for f, c in table.items() if isinstance(c, list)}
    for key in ("name", "version"):
        if not isinstance(raw.get(key), str):
            problems.append(f"`{key}` must be text")
    if problems:
        raise MappingError(f"{path.name}: " + "; ".join(problems))
    return Mapping(
        raw["name"], raw["version"], tables["contact_outcomes"], tables["referral_outcomes"]
    )
