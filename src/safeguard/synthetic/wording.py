"""Practitioners' wording for the council-led family: many interchangeable sentences per concern.

The bank (`data/wording.toml`) holds, for each concern (an older boyfriend, unexplained gifts,
sexual images, cars, parties and flats, alcohol or drugs from adults, disclosures, late calls),
the ways social workers, residential staff, teachers, nurses and officers write it down, and the
denials and hedges that use the same words ("denies having a boyfriend"). `Slots` makes a
sentence about one child, one adult, one place and one car; `say` picks and fills a sentence.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, replace
from importlib import resources

import numpy as np

GIFTS = (
    "a new iPhone",
    "new Nike trainers",
    "a designer handbag",
    "a Pandora bracelet",
    "a new North Face coat",
    "a bag of vapes",
    "£50 in cash",
    "a gold chain",
    "new AirPods",
    "a Michael Kors watch",
    "a takeaway and cigarettes",
    "top-up credit",
)
COLOURS = ("silver", "black", "white", "grey", "dark blue", "red")
MAKES = ("Audi A3", "VW Golf", "BMW", "Mercedes", "Vauxhall Corsa", "Ford Focus", "Transit van")


@functools.cache
def bank() -> dict[str, tuple[str, ...]]:
    """`section.key` -> its sentences, from `data/wording.toml`."""
    path = resources.files("safeguard.synthetic").joinpath("data", "wording.toml")
    data = tomllib.loads(path.read_text("utf-8"))
    return {
        f"{section}.{key}": tuple(v) for section, keys in data.items() for key, v in keys.items()
    }


def car_words(vrm: str) -> str:
    """The colour and make a witness would give for a vehicle (the same for the same mark)."""
    if not vrm:
        return "a car"
    code = sum(ord(c) * (i + 1) for i, c in enumerate(vrm))
    return f"a {COLOURS[code % len(COLOURS)]} {MAKES[code // 7 % len(MAKES)]}"


def age_words(rng: np.random.Generator, years: float) -> str:
    """How a child or carer estimates an adult's age: 'about 24', 'in his twenties'."""
    whole = int(years)
    if whole < 18:
        return str(rng.choice([f"about {whole}", f"{whole}", "a year or two older"]))
    decade = {1: "late teens", 2: "twenties", 3: "thirties", 4: "forties"}.get(
        whole // 10, "fifties"
    )
    return str(
        rng.choice(
            [f"about {whole}", f"{whole}", f"in his {decade}", f"{whole} or {whole + 1}"],
            p=[0.4, 0.2, 0.25, 0.15],
        )
    )


@dataclass(frozen=True)
class Slots:
    """What one sentence may say: the child, the adult, the place, the car, the time."""

    name: str = "the young person"
    girl: bool = True
    age: int = 14
    nick: str = "an older male"
    adult_male: bool = True
    adult_age: str = "older"
    place: str = "the park"
    address: str = "an address in town"
    town: str = "town"
    phone: str = "an unknown number"
    car: str = "a car"
    vrm: str = ""
    gift: str = "a new phone"
    carer: str = "an adult"
    when: str = "01:30"
    offender: str = "the offender"

    def mapping(self) -> dict[str, str]:
        she, her, her_p = ("she", "her", "her") if self.girl else ("he", "him", "his")
        he, him, his = ("he", "him", "his") if self.adult_male else ("she", "her", "her")
        return {
            **{k: str(v) for k, v in self.__dict__.items()},
            "she": she,
            "She": she.capitalize(),
            "her": her,
            "her_p": her_p,
            "Her_p": her_p.capitalize(),
            "child": "girl" if self.girl else "boy",
            "adult_word": "male" if self.adult_male else "female",
            "he": he,
            "He": he.capitalize(),
            "him": him,
            "his": his,
        }


def say(rng: np.random.Generator, key: str, slots: Slots) -> str:
    """One sentence of the bank `key` (e.g. `concern.gifts`), filled for `slots`."""
    options = bank()[key]
    template = options[int(rng.integers(len(options)))]
    if "{gift}" in template:
        slots = replace(slots, gift=GIFTS[int(rng.integers(len(GIFTS)))])
    return template.format_map(slots.mapping())


def say_some(rng: np.random.Generator, keys: tuple[str, ...], n: int, slots: Slots) -> list[str]:
    """`n` sentences from different banks among `keys` (fewer when there are fewer banks)."""
    order = rng.permutation(len(keys))[: min(n, len(keys))]
    return [say(rng, keys[int(i)], slots) for i in order]


def join(before: str, after: str) -> str:
    """Two pieces of text as one note: `Reported by parent. Located by patrol.`"""
    if not before or not after:
        return before or after
    return f"{before} {after}" if before.endswith(".") else f"{before}. {after}"
