"""The records one scenario leaves behind, one signal at a time, in whichever agency would hold it.

`Planter` has one method per kind of signal (a missing episode, a sighting in a car, a sexual
health visit, a school absence, a contact to the MASH, an intelligence report, an incident). Each
adds a single labelled record to the ledger and remembers which agencies now know each person, so
`storylines` can make sure every victim and perpetrator is known to at least two agencies while
no agency sees the whole pattern.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from safeguard.synthetic.background import education_batch
from safeguard.synthetic.care import Care
from safeguard.synthetic.missing import Episodes, make_episodes
from safeguard.synthetic.period import Period
from safeguard.synthetic.places import COUNCIL_BY_CODE, Gazetteer
from safeguard.synthetic.policing import POLICE, grades
from safeguard.synthetic.population import Population
from safeguard.synthetic.records import Batch, Ledger, one
from safeguard.synthetic.scenarios import Scenario
from safeguard.synthetic.timeline import at_time, school_day

NHS, SCHOOLS, HOMES = "cheshire-nhs", "cheshire-schools", "childrens-homes"


class Planter:
    """Adds a scenario's records to the ledger and tracks who each agency has heard of."""

    def __init__(
        self,
        rng: np.random.Generator,
        pop: Population,
        gaz: Gazetteer,
        care: Care,
        ledger: Ledger,
        period: Period,
    ) -> None:
        self.rng, self.pop, self.gaz, self.care = rng, pop, gaz, care
        self.ledger, self.period = ledger, period
        self.episodes: list[Episodes] = []
        self.known: dict[int, set[str]] = defaultdict(set)

    # --- helpers -------------------------------------------------------------------------------
    def council_of(self, person: int) -> str:
        code = str(self.pop["council"][person])
        if code not in COUNCIL_BY_CODE:  # placed from elsewhere: the local council's MASH
            code = str(self.gaz.home_council[max(0, int(self.pop["home"][person]))])
        return COUNCIL_BY_CODE[code].agency

    def days(
        self, onset: np.datetime64, n: int, span: tuple[int, int] = (20, 420)
    ) -> list[np.datetime64]:
        """`n` sorted days after `onset`, inside the period."""
        offsets = np.sort(self.rng.integers(span[0], span[1], n))
        last = self.period.end64 - 1
        return [min(onset + int(o), last) for o in offsets.tolist()]

    def time(self, day: np.datetime64, hour: float = 20.0) -> np.datetime64:
        return np.datetime64(
            at_time(self.rng, np.array([day], dtype="datetime64[D]"), hour, 2.0)[0]
        )

    def home_of(self, child: int, day: np.datetime64) -> int:
        return int(self.care.home_at(np.array([child]), np.array([day]))[0])

    def name(self, person: int) -> str:
        return str(self.pop["forename"][person])

    def alias(self, person: int) -> str:
        return str(self.pop["alias"][person]) or self.name(person)

    def _add(self, agency: str, item: Batch, people: tuple[int, ...]) -> None:
        self.ledger.add(agency, item)
        for p in people:
            if p >= 0:
                self.known[p].add(agency)

    def agencies_knowing(self, person: int) -> set[str]:
        return self.known[person]

    # --- signals -------------------------------------------------------------------------------
    def missing(
        self,
        scen: Scenario,
        child: int,
        day: np.datetime64,
        companion: int,
        place: int,
        found: str,
        signal: str = "",
    ) -> None:
        """A missing episode; police record it, so do the council and (for residents) the home."""
        ep = make_episodes(
            self.rng,
            self.pop,
            np.array([child]),
            np.array([day]),
            self.period,
            np.array([scen.id]),
            np.array([signal]),
            np.array([companion], dtype=np.int64),
        )
        ep.found = np.array([found], dtype="U6")
        ep.place = np.array([place], dtype=np.int64)
        ep.risk = np.array([self.rng.choice(["high", "medium", "medium", "low"])])
        ep.police = np.array([True])
        self.episodes.append(ep)
        self.known[child] |= {POLICE, self.council_of(child)}
        if found == "adult" and companion >= 0:
            self.known[companion].add(POLICE)

    def sighting(
        self,
        agency: str,
        scen: Scenario,
        child: int,
        day: np.datetime64,
        *,
        source: str,
        companion: int = -1,
        vehicle: str = "",
        place: int = -1,
        phone: str = "",
        description: str = "",
        notes: str = "",
        signal: str = "seen_in_vehicle_with_adult",
    ) -> None:
        loc = self.gaz.place[place] if place >= 0 else str(self.pop["town"][child])
        pc = self.gaz.place_postcode[place] if place >= 0 else ""
        with_ids = (companion,) if companion >= 0 else ()
        self._add(
            agency,
            one(
                "sightings",
                child,
                scenario=scen.id,
                signal=signal,
                refs={"with_person_ids": with_ids},
                seen_at=self.time(day, 21),
                location=loc,
                postcode=pc,
                with_description=description,
                vehicle=vehicle,
                phone=phone,
                source=source,
                notes=notes,
            ),
            (child, *with_ids),
        )

    def health(
        self,
        scen: Scenario,
        child: int,
        day: np.datetime64,
        code: str,
        setting: str,
        signal: str,
        notes: str,
    ) -> None:
        self._add(
            NHS,
            one(
                "health_events",
                child,
                scenario=scen.id,
                signal=signal,
                attended_at=self.time(day, 15),
                setting=setting,
                event_code=code,
                notes=notes,
            ),
            (child,),
        )

    def school(
        self, scen: Scenario, child: int, day: np.datetime64, kind: str, signal: str, notes: str
    ) -> None:
        start = school_day(np.array([day], dtype="datetime64[D]"))
        self._add(
            SCHOOLS,
            education_batch(
                self.rng,
                self.pop,
                self.gaz,
                np.array([child]),
                start,
                np.array([kind]),
                np.array([signal]),
                np.array([scen.id]),
                np.array([notes]),
            ),
            (child,),
        )

    def contact(
        self,
        scen: Scenario,
        child: int,
        day: np.datetime64,
        *,
        referrer: str,
        role: str,
        categories: str,
        text: str,
        others: tuple[int, ...] = (),
        signal: str,
    ) -> None:
        agency = self.council_of(child)
        self._add(
            agency,
            one(
                "contacts",
                child,
                scenario=scen.id,
                signal=signal,
                refs={"other_person_ids": others},
                received_at=self.time(day, 11),
                referrer_agency=referrer,
                referrer_role=role,
                concern_categories=categories,
                text=text,
            ),
            (child, *others),
        )

    def intel(
        self,
        agency: str,
        scen: Scenario,
        day: np.datetime64,
        text: str,
        *,
        about: int,
        people: tuple[int, ...],
        vehicles: tuple[str, ...] = (),
        phones: tuple[str, ...] = (),
        places: tuple[int, ...] = (),
        signal: str = "intelligence_cse",
    ) -> None:
        g = {k: str(v[0]) for k, v in grades(self.rng, 1).items()}
        self._add(
            agency,
            one(
                "intelligence",
                about,
                scenario=scen.id,
                signal=signal,
                refs={"person_ids": people},
                reported_at=self.time(day, 13),
                text=text,
                vehicles=";".join(vehicles),
                phones=";".join(phones),
                locations=";".join(self.gaz.place[p] for p in places),
                postcodes=";".join(self.gaz.place_postcode[p] for p in places),
                **g,
            ),
            people,
        )

    def incident(
        self,
        scen: Scenario,
        child: int,
        day: np.datetime64,
        kind: str,
        suspects: tuple[int, ...],
        summary: str,
        *,
        vehicle: str = "",
        place: int = -1,
        signal: str,
    ) -> None:
        key = self.ledger.keys(POLICE, "incidents", 1)
        loc = self.gaz.place[place] if place >= 0 else str(self.pop["address"][child])
        pc = self.gaz.place_postcode[place] if place >= 0 else str(self.pop["postcode"][child])
        year = str(day.astype("datetime64[Y]"))[2:4]
        ref = f"{year}/{int(self.rng.integers(0, 999999)):06d}/CR"
        item = one(
            "incidents",
            child,
            scenario=scen.id,
            signal=signal,
            occurred_at=self.time(day, 22),
            incident_type=kind,
            crime_reference=ref,
            location=loc,
            postcode=pc,
            summary=summary,
        )
        item.keys = key
        self.ledger.add(POLICE, item)
        people = (child, *suspects)
        roles = ["victim"] + ["suspect"] * len(suspects)
        vehicles = [""] + [vehicle if i == 0 else "" for i in range(len(suspects))]
        self._add(
            POLICE,
            Batch(
                "involvements",
                {"role": np.array(roles), "vehicle": np.array(vehicles)},
                np.array(people, dtype=np.int64),
                key_refs={"incident_id": np.repeat(key, len(people))},
                scenario=np.full(len(people), scen.id),
                signal=np.full(len(people), signal),
            ),
            people,
        )
