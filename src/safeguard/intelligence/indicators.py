"""Derived indicators: the screening catalogue's indicators recognised in agency records.

Each rule is one set-based DuckDB query over the tables of `sources.open_records`, yielding
one row per piece of evidence: the person record it is about (`subject`), the indicator `code`
and `level`, when (`occurred`), and the source (`agency`, `kind`, `record_id`) with a `detail` that
says what in the record matched. Rows are evidence, never conclusions: screening weighs them,
and a person decides.

Rules (parameters in the catalogue):
- `person_flag` (`flags`): a person record carries one of the flags; undated.
- `placement`: a looked-after placement started.
- `contact` (`categories`, `phrases`): a MASH contact about the child with one of the concern
  categories, or whose text contains one of the phrases (case-insensitive).
- `text` (`lexicon`, optional `kinds`, `hedging`): a sentence of free text about the person (the
  fields the catalogue's `[text]` table names) matching the lexicon, not negated, not a
  professional's explained contact; hedged sentences count one level lower (see `text`).
- `missing` (`overnight`): a missing, absent or away-without-authorisation episode; with
  `overnight = true` only episodes that ran past midnight and lasted 6 hours or more, lasted 24
  hours or more, or have no return; with `false` only the others.
- `missing_found_with_adult`: found with a known adult (18 or over) whom no agency knows as a
  professional (any record of the person flagged `staff_member`), or with someone described as an
  adult, man or male and not as a professional (the `[text]` table's `explained` words).
- `sighting_vehicle`: seen in a vehicle with an adult who is not known (described only) or known
  and not a professional, unless the vehicle is a professional's (the hub's reference data).
- `health` (`codes`): a health attendance with one of the event codes.
- `education` (`types`): an education event of one of the types.
- `incident` (`types`, `roles`): involved in a police incident of one of the types, in one of the
  roles.
- `intelligence` (`phrases`): named in an intelligence report whose text contains one of the
  phrases.

An intelligence report names several people and says which of them is the
child no more than its words do. Its signs are about the people it names who may be children:
those of a child's age then, those of adult age (screening weighs only children), and those of
unknown age only when the report names no one of a child's age ("Erin, 14, is being picked up by a
male known only as 'Smiley'": the sign is Erin's, not the man's; see `ABOUT`). A young adult under
21 who was at risk before 18 counts as a child here, as in a network's links (`TRANSITION_TO`).
- `with_flagged` (`flags`): seen with or found with a person any agency flags so (a known or
  registered sex offender, say), joined up: probation's flag makes the police's sighting count.
- `associates`: seen with, found with or named alongside a child who has a significant
  indicator of their own (in the same agency's records).
- `network`: linked (directly, or through a vehicle, phone or place) to an adult who is linked
  to other children of concern: added by the network analysis after a first screening
  (`network.network_evidence`), so this query finds nothing itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from safeguard.contract import kinds as contract
from safeguard.intelligence import sources, text
from safeguard.intelligence.sources import born

COLUMNS = ("subject", "code", "level", "occurred", "agency", "kind", "record_id", "detail")

#: The hub's reference data of professionals (`analysis.analyse(professionals=...)`): empty when
#: an analysis runs without a hub.
HUB_PROFESSIONALS = (
    "create table if not exists hub_professionals (name varchar, phone varchar, vehicle varchar)"
)


@dataclass(frozen=True)
class Rule:
    """How an indicator is recognised: parameter checks and the query (with bound values)."""

    check: Callable[[dict[str, Any]], list[str]]
    query: Callable[[dict[str, Any]], tuple[str, dict[str, Any]]]


def _codes(name: str, allowed: tuple[str, ...], required: bool = True) -> Callable[..., list[str]]:
    def check(params: dict[str, Any]) -> list[str]:
        values = params.get(name)
        if values is None:
            return [f"`{name}` is required"] if required else []
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            return [f"`{name}` must be a list of text"]
        wrong = [v for v in values if v not in allowed]
        if wrong:
            return [f"`{name}`: unknown {', '.join(wrong)} (known: {', '.join(allowed)})"]
        return []

    return check


def _phrases(params: dict[str, Any]) -> list[str]:
    values = params.get("phrases", [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        return ["`phrases` must be a list of text"]
    return []


def _none(params: dict[str, Any]) -> list[str]:
    return [f"unexpected parameter `{k}`" for k in params]


def _pattern(phrases: list[str]) -> str:
    """A regular expression matching any phrase (escaped; never empty)."""
    return "|".join(re.escape(p.lower()) for p in phrases) or "^\\b\\B$"


def _mentions(column: str) -> str:
    return f"'text mentions \"' || regexp_extract(lower({column}), $pattern) || '\"'"


def _person_flag(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        """select uid as subject, null::timestamp as occurred, agency, 'people' as kind, record_id,
               'flagged ' || f as detail
           from people, unnest(flags) as t(f) where f in (select unnest($flags))""",
        {"flags": params["flags"]},
    )


def _placement(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        """select subject, try_cast(start_date as timestamp) as occurred, agency, 'placements',
               record_id, 'placement: ' || coalesce(placement_type, 'type not given') as detail
           from placements""",
        {},
    )


def _contact(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        f"""select subject, try_cast(received_at as timestamp) as occurred, agency, 'contacts',
               record_id, case when len(list_intersect(concern_categories, $categories)) > 0
                    then 'concern: ' || array_to_string(
                        list_intersect(concern_categories, $categories), ', ')
                    else {_mentions("text")} end as detail
           from contacts
           where len(list_intersect(concern_categories, $categories)) > 0
              or ($has_phrases and regexp_matches(lower(coalesce(text, '')), $pattern))""",
        {
            "categories": params.get("categories", []),
            "pattern": _pattern(params.get("phrases", [])),
            "has_phrases": bool(params.get("phrases")),
        },
    )


_AWAY = """
    coalesce(try_cast(last_seen_at as timestamp), try_cast(reported_at as timestamp))
"""
_BACK = "try_cast(returned_at as timestamp)"
_OVERNIGHT = f"""(
    {_BACK} is null
    or date_diff('minute', {_AWAY}, {_BACK}) >= 24 * 60
    or (cast({_BACK} as date) > cast({_AWAY} as date)
        and date_diff('minute', {_AWAY}, {_BACK}) >= 6 * 60))"""


def _missing(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    overnight = bool(params.get("overnight", False))
    return (
        f"""select subject, {_AWAY} as occurred, agency, 'missing_episodes', record_id,
               category || case when {_BACK} is null then ', not returned'
                   else ', away ' || round(date_diff('minute', {_AWAY}, {_BACK}) / 60.0, 1)
                        || ' hours' end as detail
           from missing_episodes
           where {"" if overnight else "not "}{_OVERNIGHT}""",
        {},
    )


def _missing_check(params: dict[str, Any]) -> list[str]:
    if not isinstance(params.get("overnight", False), bool):
        return ["`overnight` must be true or false"]
    return [f"unexpected parameter `{k}`" for k in params if k != "overnight"]


_ADULT_WORDS = r"\b(adult|man|men|male|males)\b"


def _age_years(dob: str, when: str) -> str:
    return f"date_sub('year', {born(dob)}, cast({when} as date))"


_REPORTED = "coalesce(try_cast(f.reported_at as timestamp), now())"


def _names_a_professional(column: str) -> str:
    """SQL: the text names (first and last word of a capitalised name) a known professional."""
    return f"""list_has_any(
        list_transform(
            regexp_extract_all(coalesce({column}, ''),
                '[A-Z][A-Za-z''-]+(?: [A-Z][A-Za-z''-]+)+'),
            lambda n: lower(split_part(n, ' ', 1) || ' ' || split_part(n, ' ', -1))),
        (select coalesce(list(name), []) from professional_names))"""


def _found_with_adult(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        f"""with found as (
              select m.*, unnest(coalesce(m.found_with_person_ids, [null])) as other
              from missing_episodes m)
           select distinct on (f.uid) f.subject, {_AWAY} as occurred, f.agency,
               'missing_episodes', f.record_id,
               'found with ' || coalesce(
                   case when p.uid is not null then 'known adult ' || p.uid end,
                   f.found_with) as detail
           from found f
           left join people p on p.agency = f.agency and p.record_id = f.other
               and {_age_years("p.date_of_birth", _REPORTED)} >= 18
               and p.uid not in (select uid from professionals)
           where p.uid is not null
              or (regexp_matches(lower(coalesce(f.found_with, '')), '{_ADULT_WORDS}')
                  and not regexp_matches(regexp_replace(f.found_with, $aside, ''),
                                         $explained, 'i')
                  and not {_names_a_professional("f.found_with")})""",
        {"explained": params["_explained"], "aside": _ASIDE},
    )


#: What follows who a child was with ("an older male who left on police arrival"): a
#: professional named there is not the companion.
_ASIDE = r"(?i)\b(?:who|which|that|on|after|when|until|before|as|once)\b.*$"


def _sighting_vehicle(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        f"""with seen as (
              select s.*, unnest(coalesce(s.with_person_ids, [null])) as other from sightings s
              where s.vehicle is not null)
           select distinct on (s.uid) s.subject, try_cast(s.seen_at as timestamp) as occurred,
               s.agency, 'sightings', s.record_id,
               'in vehicle ' || s.vehicle || ' with ' || coalesce(
                   case when p.uid is not null then 'known adult ' || p.uid end,
                   s.with_description, 'an adult') as detail
           from seen s
           left join people p on p.agency = s.agency and p.record_id = s.other
           where s.vehicle not in (select vehicle from hub_professionals where vehicle is not null)
             and ((p.uid is not null
                  and {_age_years("p.date_of_birth", "try_cast(s.seen_at as timestamp)")} >= 18
                  and p.uid not in (select uid from professionals))
              or (s.other is null and s.with_description is not null
                  and not {_names_a_professional("s.with_description")}))""",
        {},
    )


def _health(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        """select subject, try_cast(attended_at as timestamp) as occurred, agency, 'health_events',
               record_id, event_code || coalesce(' at ' || setting, '') as detail
           from health_events where event_code in (select unnest($codes))""",
        {"codes": params["codes"]},
    )


def _education(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        """select subject, try_cast(start_date as timestamp) as occurred, agency,
               'education_events', record_id,
               event_type || coalesce(' (' || sessions_missed || ' sessions)', '')
           from education_events where event_type in (select unnest($types))""",
        {"types": params["types"]},
    )


def _incident(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        """select v.subject, try_cast(i.occurred_at as timestamp) as occurred, v.agency,
               'involvements', v.record_id,
               v.role || ' in ' || i.incident_type || ' incident ' || i.record_id as detail
           from involvements v join incidents i
               on i.agency = v.agency and i.record_id = v.incident_id
           where i.incident_type in (select unnest($types))
             and v.role in (select unnest($roles))""",
        {"types": params["types"], "roles": params["roles"]},
    )


def _intelligence(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        f"""select r.agency || ':' || named as subject,
               try_cast(r.reported_at as timestamp) as occurred, r.agency, 'intelligence',
               r.record_id,
               'graded ' || r.source_evaluation || upper(r.intelligence_assessment)
               || upper(r.handling_code) || '; ' || {_mentions("r.text")}
               as detail
           from intelligence r, unnest(r.person_ids) as t(named)
           where regexp_matches(lower(coalesce(r.text, '')), $pattern)""",
        {"pattern": _pattern(params.get("phrases", []))},
    )


def _with_flagged(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        """with flagged as (  -- every record of a person any agency flags so, joined up
              select p.uid from people p left join linked_or_self l on l.uid = p.uid
              where l.who in (
                  select l2.who from people p2 join linked_or_self l2 on l2.uid = p2.uid
                  where list_has_any(coalesce(p2.flags, []), $flags))),
           links as (
              select subject as a, agency || ':' || o as b,
                  try_cast(seen_at as timestamp) as occurred, agency, 'sightings' as kind, record_id
              from sightings, unnest(with_person_ids) as t(o)
              union all
              select subject, agency || ':' || o, try_cast(reported_at as timestamp), agency,
                  'missing_episodes', record_id
              from missing_episodes, unnest(found_with_person_ids) as t(o)),
           both_ways as (
              select a, b, occurred, agency, kind, record_id from links
              union all select b, a, occurred, agency, kind, record_id from links)
           select distinct on (w.a, w.record_id) w.a, w.occurred, w.agency, w.kind, w.record_id,
               'with ' || w.b || ', whom agencies know as ' || array_to_string($flags, ' or ')
           from both_ways w
           where w.b in (select uid from flagged) and w.a not in (select uid from flagged)
             and w.a not in (select uid from professionals)""",
        {"flags": params["flags"]},
    )


# Associates are found after the other indicators (they need them): see `derive`.
def _associates(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return (
        f"""with links as (
              select subject as a, agency || ':' || o as b,
                  try_cast(seen_at as timestamp) as occurred, agency, 'sightings' as kind, record_id
              from sightings, unnest(with_person_ids) as t(o)
              union all
              select subject, agency || ':' || o, try_cast(reported_at as timestamp), agency,
                  'missing_episodes', record_id
              from missing_episodes, unnest(found_with_person_ids) as t(o)
              union all
              select subject, agency || ':' || o, try_cast(received_at as timestamp), agency,
                  'contacts', record_id
              from contacts, unnest(other_person_ids) as t(o)),
           both_ways as (
              select a, b, occurred, agency, kind, record_id from links
              union all select b, a, occurred, agency, kind, record_id from links)
           select distinct on (l.a, l.record_id) l.a as subject, l.occurred, l.agency, l.kind,
               l.record_id, 'with ' || l.b || ', who has ' || e.code as detail
           from both_ways l
           join people child on child.uid = l.b
           join evidence e on e.subject = l.b and e.level in ('significant', 'disclosure')
           where date_sub('year', {born("child.date_of_birth")},
                           cast(l.occurred as date)) < 18""",
        {},
    )


def _network(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    # Found by the network analysis after a first screening (see `network.network_evidence`).
    return ("select null, null::timestamp, null, null, null, null where false", {})


RULES: dict[str, Rule] = {
    "person_flag": Rule(_codes("flags", contract.PERSON_FLAGS), _person_flag),
    "placement": Rule(_none, _placement),
    "contact": Rule(
        lambda p: (
            _codes("categories", contract.CONCERN_CATEGORIES, required=False)(p)
            + _phrases(p)
            + (
                []
                if p.get("categories") or p.get("phrases")
                else ["give `categories` or `phrases`"]
            )
            + [f"unexpected parameter `{k}`" for k in p if k not in ("categories", "phrases")]
        ),
        _contact,
    ),
    "missing": Rule(_missing_check, _missing),
    "missing_found_with_adult": Rule(_none, _found_with_adult),
    "sighting_vehicle": Rule(_none, _sighting_vehicle),
    "health": Rule(_codes("codes", contract.HEALTH_EVENT_CODES), _health),
    "education": Rule(_codes("types", contract.EDUCATION_EVENT_TYPES), _education),
    "incident": Rule(
        lambda p: (
            _codes("types", contract.INCIDENT_TYPES)(p)
            + _codes("roles", contract.INVOLVEMENT_ROLES)(p)
        ),
        _incident,
    ),
    "intelligence": Rule(
        lambda p: _phrases(p) + ([] if p.get("phrases") else ["`phrases` is required"]),
        _intelligence,
    ),
    "text": Rule(
        lambda p: (
            text.problems(p.get("lexicon"), "`lexicon`")
            + _codes("kinds", tuple(contract.KINDS), required=False)(p)
            + ([] if isinstance(p.get("hedging", True), bool) else ["`hedging`: true or false"])
            + [f"unexpected parameter `{k}`" for k in p if k not in ("lexicon", "kinds", "hedging")]
        ),
        lambda p: text.query(p, p["_reading"], p["_level"]),
    ),
    "with_flagged": Rule(
        lambda p: (
            _codes("flags", contract.PERSON_FLAGS)(p)
            + [f"unexpected parameter `{k}`" for k in p if k != "flags"]
        ),
        _with_flagged,
    ),
    "associates": Rule(_none, _associates),
    "network": Rule(_none, _network),
}

#: Rules that read the other rules' evidence, so run after them.
LATER = frozenset({"associates"})

#: A young person at risk before 18 is still a child of concern until `TRANSITION_TO`:
#: exploitation does not stop on an 18th birthday (transitional safeguarding, 18 to 25: Holmes
#: and Smale, "Transitional safeguarding - adolescence to adulthood", Research in Practice,
#: 2018; DHSC, "Bridging the gap: transitional safeguarding and the role of social work with
#: adults", 2021). `network` keeps such a young person a child of a network's links, and `ABOUT`
#: gives them a report's signs before a person of unknown age.
TRANSITION_TO = 21

#: Table `about`: for each intelligence report, the people it names whom its signs are about
#: (see the module's description). A person's age is the joined-up one: the earliest date of
#: birth any agency holds for them. A report names a child when it names someone of a child's
#: age then, or a young adult under `TRANSITION_TO` who was at risk as a child: a sign specific to
#: sexual exploitation (`$specific`, the catalogue's `specific` codes) or a disclosure of their own
#: (table `evidence`, any agency's record of them), dated before they turned 18. Its signs then go
#: to them, not to a person of unknown age named beside them.
ABOUT = f"""
create or replace table about as
with named as (
    select r.agency, r.record_id, r.agency || ':' || n as subject,
        cast(try_cast(r.reported_at as timestamp) as date) as day
    from intelligence r, unnest(r.person_ids) as t(n)),
births as (
    select s.uid, min({born("p.date_of_birth")}) as born
    from linked_or_self s
    join linked_or_self o on o.who = s.who
    join people p on p.uid = o.uid
    where s.uid in (select subject from named)
    group by all),
signed_as_child as (
    select distinct s.uid
    from linked_or_self s
    join linked_or_self o on o.who = s.who
    join evidence e on e.subject = o.uid
    join births b on b.uid = s.uid
    where (list_contains($specific::varchar[], e.code) or e.level = 'disclosure')
      and cast(e.occurred as date) < b.born + interval 18 year),
aged as (
    select n.agency, n.record_id, n.subject, date_sub('year', b.born, n.day) as age,
        n.subject in (select uid from signed_as_child) as signed_as_child
    from named n left join births b on b.uid = n.subject),
with_child as (
    select distinct agency, record_id from aged
    where age < 18 or (age < {TRANSITION_TO} and signed_as_child))
select agency, record_id, subject from aged
where age is not null
   or (agency, record_id) not in (select (agency, record_id) from with_child)
"""


def derive(con: duckdb.DuckDBPyConnection, catalogue: Any) -> None:
    """Every catalogue indicator's evidence in the records `con` holds (see `sources`), as
    table `evidence` in `con`: one row per matching record."""
    con.execute(
        "create or replace table evidence (subject varchar, code varchar, level varchar, "
        "occurred timestamp, agency varchar, kind varchar, record_id varchar, detail varchar)"
    )
    _professionals(con)
    reading: text.Reading = catalogue.reading
    text.split(con, reading)
    ordered = sorted(catalogue.indicators, key=lambda i: i.rule in LATER)
    specific = [i.code for i in catalogue.indicators if i.specific]
    context = {"_reading": reading, "_explained": text.whole_words(reading.explained)}
    for n, indicator in enumerate(ordered):
        if indicator.rule in LATER and (n == 0 or ordered[n - 1].rule not in LATER):
            con.execute(ABOUT, {"specific": specific})  # with the other rules' signs
            _about_whom(con)
        sql, params = RULES[indicator.rule].query(
            {**indicator.params, **context, "_level": indicator.level}
        )
        # every rule selects subject, occurred, agency, kind, record_id, detail in that order;
        # `text` adds the level it counts at (a hedged sentence counts lower)
        level = "#7" if indicator.rule == "text" else "$level"
        con.execute(
            f"insert into evidence select #1, $code, {level}, #2, #3, #4, #5, #6 "
            f"from ({sql}) where #1 is not null",
            {**params, "code": indicator.code, "level": indicator.level},
        )
    if not any(i.rule in LATER for i in ordered):
        con.execute(ABOUT, {"specific": specific})
    _about_whom(con)


def _about_whom(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the signs an intelligence report gave someone it is not about (`ABOUT`)."""
    con.execute(
        "delete from evidence where kind = 'intelligence' and (agency, record_id, subject) "
        "not in (select (agency, record_id, subject) from about)"
    )


def _professionals(con: duckdb.DuckDBPyConnection) -> None:
    """Table `professionals`: every person record whose person any agency knows as a
    professional (a record flagged `staff_member`), joined up through `linked` when present;
    and `professional_names`: their names (first forename and surname, lower case), for text
    that names them without an identifier."""
    held = sources.tables(con)
    linked = "select uid, person_id::varchar as who from linked" if "linked" in held else ""
    con.execute(
        "create or replace table linked_or_self as "
        + (
            f"select p.uid, coalesce(l.who, p.uid) as who from people p left join ({linked}) l "
            "using (uid)"
            if linked
            else "select uid, uid as who from people"
        )
    )
    if "linked" in held:
        con.execute(
            """create or replace table professionals as
            with staff as (
                select coalesce(l.person_id::varchar, p.uid) as who from people p
                left join linked l on l.uid = p.uid
                where list_contains(coalesce(p.flags, []), 'staff_member'))
            select p.uid from people p left join linked l on l.uid = p.uid
            where coalesce(l.person_id::varchar, p.uid) in (select who from staff)"""
        )
    else:
        con.execute(
            "create or replace table professionals as select uid from people "
            "where list_contains(coalesce(flags, []), 'staff_member')"
        )

    con.execute(HUB_PROFESSIONALS)
    con.execute(
        """create or replace table professional_names as
        select distinct lower(split_part(trim(forenames), ' ', 1) || ' ' || trim(surname)) as name
        from people
        where uid in (select uid from professionals)
          and nullif(trim(forenames), '') is not null and nullif(trim(surname), '') is not null
        union
        select lower(split_part(trim(name), ' ', 1) || ' ' || split_part(trim(name), ' ', -1))
        from hub_professionals where trim(name) like '% %'"""
    )
