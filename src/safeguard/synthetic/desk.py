"""The council-led family's records, one at a time: a `Planter` that writes the way councils,
homes, schools and probation write.

A missing episode carries its return home interview in the council's words and the home's log
entry; places are written as a name, an address, a postcode or any two of them; sightings come
from schools (a car, no registration), probation (a home visit) and homes (calls, collections)
as well as the police; intelligence names places by whatever the source called them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from safeguard.synthetic.missing import make_episodes
from safeguard.synthetic.places import COUNCIL_BY_CODE
from safeguard.synthetic.plots import Plot
from safeguard.synthetic.policing import POLICE, grades
from safeguard.synthetic.records import one
from safeguard.synthetic.signals import HOMES, Planter
from safeguard.synthetic.timeline import age_at, at_time
from safeguard.synthetic.wording import Slots, age_words, car_words, join, say

NAT = np.datetime64("NaT", "s")
#: A place as an agency wrote it: (location text, postcode); either may be empty.
Spot = tuple[str, str]
RHI_WITHIN_72H, RHI_LATE = 0.63, 0.20


def national(phone: str) -> str:
    """An E.164 mobile as people say it: `07xxx xxxxxx`."""
    if not phone.startswith("+44"):
        return phone
    digits = "0" + phone[3:]
    return f"{digits[:5]} {digits[5:]}"


class Desk(Planter):
    """Adds the council-led family's records to the ledger; knows who each agency has heard of."""

    def slots(self, plot: Plot | None, child: int, adult: int, day: np.datetime64) -> Slots:
        """What a sentence about this child (and adult, place, car) on this day may say."""
        pop, rng = self.pop, self.rng
        age = int(age_at(pop, np.array([child]), np.array([day]))[0])
        town = self.town(child)
        out = Slots(
            name=self.name(child),
            girl=pop["sex"][child] == "female",
            age=age,
            town=town,
            address=f"an address in {town}",
        )
        if plot is None or adult < 0:
            return out
        places = plot.scen.places
        place = int(rng.choice(places)) if places else -1
        years = float(age_at(pop, np.array([adult]), np.array([day]))[0])
        vrm = str(pop["vehicle"][adult])
        return Slots(
            name=out.name,
            girl=out.girl,
            age=age,
            nick=f"'{self.called(plot, adult)}'",
            adult_male=pop["sex"][adult] == "male",
            adult_age=age_words(rng, years),
            place=str(self.gaz.place[place]) if place >= 0 else out.place,
            address=f"a flat in {out.town}" if plot.nickname else self.address_of(place, adult),
            town=str(self.gaz.place_town[place]) if place >= 0 else out.town,
            phone=national(str(pop["phone"][adult])) or out.phone,
            car=car_words(vrm) if vrm else str(rng.choice(["a dark car", "a taxi", "a small car"])),
            vrm=vrm,
        )

    def called(self, plot: Plot, adult: int) -> str:
        """The name a child or a carer uses for the adult: a nickname, an alias or a first name."""
        if plot.nickname:
            return plot.nickname
        alias = str(self.pop["alias"][adult])
        return alias if alias and self.rng.random() < 0.5 else self.name(adult)

    def town(self, person: int) -> str:
        return str(self.pop["town"][person]) or "town"

    def address_of(self, place: int, adult: int) -> str:
        """An address a child or a source would give: a flat, a flat above a shop, his home."""
        kind = self.gaz.place_kind[place] if place >= 0 else ""
        if kind == "takeaway":
            return f"the flat above {self.gaz.place[place]}"
        if kind == "flat":
            return f"{self.gaz.place_address[place]}, {self.gaz.place_town[place]}"
        if kind == "hotel":
            return str(self.gaz.place[place])
        return f"{self.pop['address'][adult]}, {self.pop['town'][adult]}"

    def resident_days(self, child: int, after: np.datetime64, n: int) -> list[np.datetime64]:
        """Up to `n` days after `after` when the child lived in a children's home."""
        care, out = self.care, []
        for r in np.flatnonzero((care.child == child) & (care.home >= 0)).tolist():
            end = care.end[r] if not np.isnat(care.end[r]) else self.period.end64
            lo, hi = max(care.start[r], after), min(end, self.period.end64 - 1)
            if hi > lo:
                span = int((hi - lo).astype(np.int64))
                out += [lo + int(d) for d in self.rng.integers(0, span, n)]
        return sorted(out)[:n]

    # --- places as written -------------------------------------------------------------------
    def spot(self, place: int) -> Spot:
        """A place as one agency wrote it: name, address or postcode, with or without the rest."""
        g, u = self.gaz, float(self.rng.random())
        name, pc = str(g.place[place]), str(g.place_postcode[place])
        if g.place_kind[place] == "takeaway" and u < 0.25:
            return f"Flat above {name}", pc if u < 0.15 else ""
        address = f"{g.place_address[place]}, {g.place_town[place]}"
        options = (
            (name, pc),
            (name, ""),
            (address, pc),
            (str(g.place_address[place]), ""),
            ("", pc),
        )
        return options[int(self.rng.choice(5, p=[0.3, 0.2, 0.2, 0.15, 0.15]))]

    def home_spot(self, person: int) -> Spot:
        """An adult's address as written: with the town or without, postcode or not."""
        address, pc = str(self.pop["address"][person]), str(self.pop["postcode"][person])
        u = float(self.rng.random())
        if u < 0.5:
            return address, pc
        return (address, "") if u < 0.8 else (f"{address}, {self.pop['town'][person]}", pc)

    def _ordinary_spot(self, child: int, day: np.datetime64) -> Spot:
        """Where a child comes back to when nothing else is known, as every agency writes it."""
        home = self.home_of(child, day)
        if self.rng.random() < 0.25:
            place = int(self.rng.choice(self.gaz.places_of(("park", "bus_station", "car_park"))))
            return str(self.gaz.place[place]), str(self.gaz.place_postcode[place])
        if home >= 0:
            return "Returned to placement of own accord", str(self.gaz.home_postcode[home])
        return "Returned home of own accord", str(self.pop["postcode"][child])

    # --- records -----------------------------------------------------------------------------
    def episode(
        self,
        sid: str,
        child: int,
        day: np.datetime64,
        *,
        slots: Slots,
        spot: Spot = ("", ""),
        found_with: str = "",
        with_ids: tuple[int, ...] = (),
        police: bool = True,
        police_notes: str = "",
        rhi_notes: str = "",
        home_key: str = "home.returned",
        signal: str = "missing_overnight",
    ) -> None:
        """One episode as the police (if reported), the child's council and the home record it."""
        if not any(spot):
            spot = self._ordinary_spot(child, day)
        ep = make_episodes(
            self.rng,
            self.pop,
            np.array([child]),
            np.array([day], dtype="datetime64[D]"),
            self.period,
            friend=np.array([-1], dtype=np.int64),
        )
        returned = ep.returned[0]
        back = not np.isnat(returned)
        home = self.home_of(child, day)
        home_id = str(self.gaz.home_id[home]) if home >= 0 else ""
        if home >= 0:
            seen = str(self.rng.choice(["Children's home", "Placement", self.gaz.home_name[home]]))
            seen_pc = str(self.gaz.home_postcode[home])
        else:
            seen = "Home address" if self.rng.random() < 0.7 else f"{slots.town} town centre"
            seen_pc = str(self.pop["postcode"][child]) if seen == "Home address" else ""
        common = {
            "reported_at": ep.reported[0],
            "last_seen_at": ep.last_seen[0],
            "last_seen_location": seen,
            "last_seen_postcode": seen_pc,
            "returned_at": returned,
            "found_location": spot[0] if back else "",
            "found_postcode": spot[1] if back else "",
            "found_with": found_with if back else "",
            "care_home_id": home_id,
        }
        ids = with_ids if back else ()
        if police:
            self._add(
                POLICE,
                one(
                    "missing_episodes",
                    child,
                    scenario=sid,
                    signal=signal,
                    refs={"found_with_person_ids": ids},
                    category="missing",
                    risk_grade=str(ep.risk[0]),
                    notes=police_notes,
                    **common,
                ),
                (child, *ids),
            )
        code = str(self.pop["council"][child])
        if code in COUNCIL_BY_CODE:
            offered, done = self._rhi(returned)
            notes = rhi_notes
            if np.isnat(done):
                declined = not np.isnat(offered) and self.rng.random() < 0.5
                notes = say(self.rng, "rhi.declined", slots) if declined else ""
            self._add(
                COUNCIL_BY_CODE[code].agency,
                one(
                    "missing_episodes",
                    child,
                    scenario=sid,
                    signal=signal,
                    category="away_without_authorisation" if home >= 0 else "missing",
                    risk_grade=str(ep.risk[0]) if self.rng.random() < 0.8 else "",
                    rhi_offered_at=offered,
                    rhi_completed_at=done,
                    notes=notes if back else "",
                    **common,
                ),
                (child,),
            )
        if home >= 0:
            when = replace(slots, when=str(returned.astype("datetime64[m]"))[11:16])
            base = "Reported to police" if police else "Whereabouts known; not reported"
            home_notes = join(
                base, say(self.rng, home_key, when) if self.rng.random() < 0.8 else ""
            )
            self._add(
                HOMES,
                one(
                    "missing_episodes",
                    child,
                    scenario=sid,
                    signal=signal,
                    category="missing" if police else "away_without_authorisation",
                    notes=home_notes if back else "",
                    **common,
                ),
                (child,),
            )

    def _rhi(self, returned: np.datetime64) -> tuple[np.datetime64, np.datetime64]:
        """When the return home interview was offered and done (NaT when not)."""
        if np.isnat(returned) or self.rng.random() > 0.95:
            return NAT, NAT
        offered = returned + np.timedelta64(int(self.rng.uniform(2, 24) * 3600), "s")
        u = float(self.rng.random())
        if u >= RHI_WITHIN_72H + RHI_LATE:
            return offered, NAT
        hours = self.rng.uniform(4, 71.9) if u < RHI_WITHIN_72H else self.rng.uniform(73, 336)
        return offered, returned + np.timedelta64(int(hours * 3600), "s")

    def seen(
        self,
        agency: str,
        sid: str,
        child: int,
        day: np.datetime64,
        *,
        source: str,
        notes: str,
        signal: str,
        location: str = "",
        postcode: str = "",
        with_ids: tuple[int, ...] = (),
        description: str = "",
        vehicle: str = "",
        phone: str = "",
        hour: float = 21.0,
        spread: float = 2.0,
    ) -> None:
        """A sighting by any agency, with only what that agency noted."""
        self._add(
            agency,
            one(
                "sightings",
                child,
                scenario=sid,
                signal=signal,
                refs={"with_person_ids": with_ids},
                seen_at=at_time(self.rng, np.array([day], dtype="datetime64[D]"), hour, spread)[0],
                location=location,
                postcode=postcode,
                with_description=description,
                vehicle=vehicle,
                phone=phone,
                source=source,
                notes=notes,
            ),
            (child, *with_ids),
        )

    def report(
        self,
        agency: str,
        sid: str,
        day: np.datetime64,
        text: str,
        *,
        about: int,
        people: tuple[int, ...],
        vehicles: tuple[str, ...] = (),
        phones: tuple[str, ...] = (),
        spots: tuple[Spot, ...] = (),
        signal: str = "intelligence_cse",
    ) -> None:
        """An intelligence report naming places as the source named them."""
        g = {k: str(v[0]) for k, v in grades(self.rng, 1).items()}
        self._add(
            agency,
            one(
                "intelligence",
                about,
                scenario=sid,
                signal=signal,
                refs={"person_ids": people},
                reported_at=self.time(day, 13),
                text=text,
                vehicles=";".join(vehicles),
                phones=";".join(phones),
                locations=";".join(s[0] for s in spots if s[0]),
                postcodes=";".join(s[1] for s in spots if s[1]),
                **g,
            ),
            people,
        )
