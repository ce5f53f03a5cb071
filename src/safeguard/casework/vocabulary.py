"""The MASH vocabulary: referral sources, concern factors, RAG ratings with their clocks,
decision outcomes and lawful bases. Configuration (TOML), never code: Safeguard ships a
default (`data/mash.toml`, Children in Need census and Standard Safeguarding Dataset codes) and
a partnership replaces it with its own (`SAFEGUARD_MASH_VOCABULARY`).

A file is checked whole: every problem is named with where it is, and a rating's clock must be
one the timescales catalogue defines."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from safeguard.timescales import Timescales

DEFAULT = "mash.toml"


class VocabularyError(ValueError):
    """A vocabulary that cannot be used; the message names each problem and its place."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Rating(_Strict):
    label: str = Field(min_length=1)
    meaning: str = Field(min_length=1)
    clock: str = ""
    """The timescales clock for agencies' checks; "" for none (no MASH response)."""


class Outcome(_Strict):
    label: str = Field(min_length=1)
    alone: bool = False
    """May not be combined with another outcome (no further action)."""
    allocate: bool = False
    """A team takes the child's case: the decision names it."""


class Vocabulary(_Strict):
    name: str
    version: str
    re_referral_months: int = Field(gt=0)
    intake_days: int = Field(ge=0)
    ratings: dict[str, Rating] = Field(min_length=1)
    sources: dict[str, str] = Field(min_length=1)
    factors: dict[str, str] = Field(min_length=1)
    delivered_categories: dict[str, str]
    delivered_sources: dict[str, str]
    delivered_areas: dict[str, str] = Field(default_factory=dict)
    """A delivering agency's code -> the council area its contacts are about."""
    outcomes: dict[str, Outcome] = Field(min_length=1)
    bases: dict[str, str] = Field(min_length=1)
    source: str = ""

    @model_validator(mode="after")
    def _codes_known(self) -> Vocabulary:
        wrong = [
            f"delivered_categories.{k}: {v!r} is not a factor"
            for k, v in self.delivered_categories.items()
            if v not in self.factors
        ] + [
            f"delivered_sources.{k}: {v!r} is not a source"
            for k, v in self.delivered_sources.items()
            if v not in self.sources
        ]
        for needed in ("9", "8"):
            if needed not in self.sources:
                wrong.append(f"sources: {needed!r} (anonymous / other) is required")
        if wrong:
            raise ValueError("; ".join(wrong))
        return self

    def rating(self, code: str) -> Rating:
        return self.ratings[code]

    def factor_labels(self, codes: list[str]) -> list[str]:
        """Each factor as "11A Child sexual exploitation" (an unknown code as itself)."""
        return [f"{c} {self.factors[c]}" if c in self.factors else c for c in codes]

    def check_clocks(self, timescales: Timescales) -> None:
        """Every rating's clock must be one the timescales catalogue defines."""
        missing = [
            f"ratings.{code}.clock: {r.clock!r} is not in {timescales.source or 'timescales'}"
            for code, r in self.ratings.items()
            if r.clock and r.clock not in timescales.clocks
        ]
        if missing:
            raise VocabularyError("; ".join(missing))


def load(path: Path | None = None) -> Vocabulary:
    """The vocabulary at `path`, or the default shipped with Safeguard."""
    if path is None:
        text = resources.files("safeguard.casework").joinpath("data", DEFAULT).read_text("utf-8")
        return parse(tomllib.loads(text), DEFAULT)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise VocabularyError(f"{path}: {e}") from e
    return parse(data, str(path))


def parse(data: dict[str, Any], source: str = "mash vocabulary") -> Vocabulary:
    """Check a vocabulary read from TOML; every problem is named with where it is."""
    try:
        return Vocabulary.model_validate({**data, "source": source})
    except ValidationError as e:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or 'file'}: {err['msg']}" for err in e.errors()
        ]
        raise VocabularyError(f"{source}: " + "; ".join(problems)) from e
