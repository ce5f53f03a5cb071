"""Linkage thresholds and training knobs: one typed, validated configuration.

Two match-probability thresholds split scored pairs three ways. At or above `upper` the records
link automatically (they join one cluster); from `lower` up to `upper` the pair goes to a person
for review; below `lower` the records stay apart and the pair is not kept.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class LinkageConfig(BaseModel):
    """Thresholds (match probabilities) and training settings for one linkage run."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    upper: float = Field(
        default=0.99,
        gt=0,
        lt=1,
        description="Link automatically at or above this match probability (match weight "
        "about 6.6: the evidence must make a match 99 times likelier than not).",
    )
    lower: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="Pairs from here up to `upper` go to human review; below, records stay "
        "apart. 0.5 is where the model thinks a match as likely as not.",
    )
    u_max_pairs: float = Field(
        default=5e6, gt=0, description="Random pairs sampled to estimate u probabilities."
    )
    train_max_records: int = Field(
        default=300_000,
        gt=1000,
        description="Train on a random sample of at most this many records (seeded); the "
        "model then scores all of them. The prior, u and m are proportions among pairs, which "
        "a random sample of records keeps, so a larger set gives the same model more slowly.",
    )
    seed: int = Field(
        default=42,
        description="Seed for the training sample and the u sampling: the same data and seed "
        "give the same model.",
    )
    prior_recall: float = Field(
        default=0.7,
        gt=0,
        le=1,
        description="Assumed recall of the strict deterministic rules used to estimate the "
        "prior probability that two random records match.",
    )

    @model_validator(mode="after")
    def _ordered(self) -> LinkageConfig:
        if self.lower > self.upper:
            raise ValueError(f"lower threshold {self.lower} is above upper {self.upper}")
        return self
