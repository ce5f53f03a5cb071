"""The POLE graph and the network findings drawn from it, each with its evidence edges.

Nodes are people (linked person ids: `P:<person>`), objects (vehicles `V:<vrm>`, phones
`T:<number>`) and locations (postcodes `L:<postcode>`); every edge is one event in one agency's
records (a sighting, a missing episode, an intelligence report, an incident, a contact, a
person's own phone) and keeps that record as its evidence, with its date and a strength.

Findings, each listing its members and evidence edges, ranked by how many at-risk children they
hold and how strong the evidence is:
- `adult`: an adult (or a much older young person) linked to several children of concern,
  directly or through the same vehicle or phone;
- `object`: a vehicle or phone linked to several at-risk children;
- `place`: a place where several children were found when missing, seen in a sighting that is
  a sign itself, or named in a record that is a sign about them, at least one at risk;
- `group`: adults of `adult` findings who are linked to each other (named or seen together,
  or sharing a vehicle or phone), with all their children: an organised group, or one man
  known under two records;
- `community`: a Leiden community of the person graph (people joined directly or through shared
  objects) holding several at-risk children and at least one adult.

"At risk" comes from screening (`screening.first_flag`). A finding is evidence for a person to
weigh; its disposition (open, under investigation, explained, closed) is theirs to set.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

import duckdb
import igraph
import numpy as np
import pyarrow as pa

from safeguard.intelligence import indicators
from safeguard.intelligence.sources import born, tables

#: How strongly each relation ties its two ends, for ranking and community detection.
STRENGTH = {
    "found_with": 3.0,
    "seen_in_vehicle": 2.0,
    "seen_with": 1.5,
    "named_together": 2.0,
    "named_with": 2.0,
    "incident_together": 1.5,
    "in_vehicle": 2.0,
    "named_in_contact": 1.0,
    "own_phone": 3.0,
    "found_at": 2.0,
    "incident_at": 1.0,
    "seen_at": 1.0,
    "seen_with_phone": 2.0,
    "mentioned_phone": 1.5,
    "mentioned_vehicle": 1.5,
    "mentioned_place": 0.5,
    "mentioned_nickname": 1.0,
    "own_nickname": 2.0,
}

_EDGES = """
create or replace table edges as
with raw as (
    -- sightings: the child with known people, vehicles, phones, places
    select s.subject as a_uid, null as b_node, s.agency || ':' || w as b_uid,
        'seen_with' as relation, try_cast(s.seen_at as timestamp) as occurred, s.agency,
        'sightings' as kind, s.record_id
    from sightings s, unnest(s.with_person_ids) as t(w)
    union all
    select s.subject, 'V:' || s.vehicle, null, 'seen_in_vehicle', try_cast(s.seen_at as timestamp),
        s.agency, 'sightings', s.record_id from sightings s where s.vehicle is not null
    union all
    select s.agency || ':' || w, 'V:' || s.vehicle, null, 'in_vehicle',
        try_cast(s.seen_at as timestamp), s.agency, 'sightings', s.record_id
    from sightings s, unnest(s.with_person_ids) as t(w) where s.vehicle is not null
    union all
    select s.subject, 'T:' || s.phone, null, 'seen_with_phone', try_cast(s.seen_at as timestamp),
        s.agency, 'sightings', s.record_id from sightings s where s.phone is not null
    -- missing episodes: found with whom, and where
    union all
    select m.subject, null, m.agency || ':' || w, 'found_with',
        try_cast(m.reported_at as timestamp), m.agency, 'missing_episodes', m.record_id
    from missing_episodes m, unnest(m.found_with_person_ids) as t(w)
    union all
    select m.subject, 'L:' || coalesce(m.found_postcode, n.node), null, 'found_at',
        try_cast(m.reported_at as timestamp), m.agency, 'missing_episodes', m.record_id
    from missing_episodes m left join place_names n on n.name = place_key(m.found_location)
    where m.found_postcode is not null or n.node is not null
    -- sightings that are a sign of exploitation in themselves: where the child was seen (not
    -- a school's or a children's home's own log, whose place is its own gate: every pupil's
    -- or resident's)
    union all
    select s.subject, 'L:' || coalesce(s.postcode, n.node), null, 'seen_at',
        try_cast(s.seen_at as timestamp), s.agency, 'sightings', s.record_id
    from sightings s left join place_names n on n.name = place_key(s.location)
    where (s.postcode is not null or n.node is not null)
      and s.source not in ('school', 'care_home_log')
      and (s.agency, s.record_id) in (
          select (agency, record_id) from signed where kind = 'sightings')
    -- intelligence: people named together, and with vehicles, phones and places
    union all
    select r.agency || ':' || a, null, r.agency || ':' || b, 'named_together',
        try_cast(r.reported_at as timestamp), r.agency, 'intelligence', r.record_id
    from intelligence r, unnest(r.person_ids) as t1(a), unnest(r.person_ids) as t2(b) where a < b
    union all
    select r.agency || ':' || a, 'V:' || v, null, 'named_with',
        try_cast(r.reported_at as timestamp), r.agency, 'intelligence', r.record_id
    from intelligence r, unnest(r.person_ids) as t1(a), unnest(r.vehicles) as t2(v)
    union all
    select r.agency || ':' || a, 'T:' || p, null, 'named_with',
        try_cast(r.reported_at as timestamp), r.agency, 'intelligence', r.record_id
    from intelligence r, unnest(r.person_ids) as t1(a), unnest(r.phones) as t2(p)
    union all
    select r.agency || ':' || a, 'L:' || c, null, 'named_with',
        try_cast(r.reported_at as timestamp), r.agency, 'intelligence', r.record_id
    from intelligence r, unnest(r.person_ids) as t1(a), unnest(r.postcodes) as t2(c)
    union all
    select r.agency || ':' || a, 'L:' || n.node, null, 'named_with',
        try_cast(r.reported_at as timestamp), r.agency, 'intelligence', r.record_id
    from intelligence r, unnest(r.person_ids) as t1(a),
        unnest(string_split(coalesce(r.locations, ''), ';')) as t2(loc)
    join place_names n on n.name = place_key(loc)
    -- phones, vehicles and postcodes written in free text about the person
    union all
    select a_uid, node, null, relation, occurred, agency, kind, record_id from mentioned
    -- incidents: people in the same incident; the vehicle they were in
    union all
    select v1.subject, null, v2.subject, 'incident_together',
        try_cast(i.occurred_at as timestamp), v1.agency, 'incidents', i.record_id
    from involvements v1 join involvements v2
        on v1.agency = v2.agency and v1.incident_id = v2.incident_id and v1.subject < v2.subject
    join incidents i on i.agency = v1.agency and i.record_id = v1.incident_id
    where (v1.agency, v1.incident_id) in (  -- a crowded incident links nobody to anybody
        select (agency, incident_id) from involvements group by agency, incident_id
        having count(*) <= 4)
    union all
    select v.subject, 'V:' || v.vehicle, null, 'in_vehicle', try_cast(i.occurred_at as timestamp),
        v.agency, 'involvements', v.record_id
    from involvements v join incidents i on i.agency = v.agency and i.record_id = v.incident_id
    where v.vehicle is not null
    union all
    select v.subject, 'L:' || coalesce(i.postcode, n.node), null, 'incident_at',
        try_cast(i.occurred_at as timestamp), i.agency, 'incidents', i.record_id
    from involvements v join incidents i on i.agency = v.agency and i.record_id = v.incident_id
    left join place_names n on n.name = place_key(i.location)
    where i.postcode is not null or n.node is not null
    -- contacts: other people named about the child
    union all
    select c.subject, null, c.agency || ':' || o, 'named_in_contact',
        try_cast(c.received_at as timestamp), c.agency, 'contacts', c.record_id
    from contacts c, unnest(c.other_person_ids) as t(o)
    -- each person's own phone
    union all
    select p.uid, 'T:' || p.phone, null, 'own_phone', null, p.agency, 'people', p.record_id
    from people p where p.phone is not null
    -- each person's nicknames, where they live (`nickname_node`)
    union all
    select p.uid, nickname_node(n, p.postcode), null, 'own_nickname',
        null, p.agency, 'people', p.record_id
    from people p, unnest(p.other_names) as t(n)
    where p.postcode is not null and regexp_matches(n, '^[A-Za-z]{3,}$')
)
select coalesce('P:' || ka.key, 'R:' || r.a_uid) as a,
    coalesce(
        case when $siloed then substr(r.b_node, 1, 2) || r.agency || '/' || substr(r.b_node, 3)
             else r.b_node end,
        'P:' || kb.key, 'R:' || r.b_uid) as b,
    r.relation, r.occurred, r.agency, r.kind, r.record_id
from raw r
left join node_keys ka on ka.uid = r.a_uid
left join node_keys kb on kb.uid = r.b_uid
where r.a_uid is not null and (r.b_node is not null or r.b_uid is not null)
"""

#: How a place's name is compared: lower case, without punctuation or articles.
_PLACE_KEY = """
create or replace macro place_key(x) as nullif(trim(regexp_replace(regexp_replace(
    ' ' || regexp_replace(lower(coalesce(x, '')), '[^a-z0-9]+', ' ', 'g') || ' ',
    ' (the|a|an)( the| a| an)* ', ' ', 'g'), ' +', ' ', 'g')), '')
"""

#: Names of places too general to join anyone ("home", "town centre", "a friend's house"):
#: a place name joins children only when it has at least two words and none of these is all of it.
GENERIC_PLACES = (
    "home",
    "home address",
    "her home",
    "his home",
    "placement",
    "care home",
    "childrens home",
    "school",
    "college",
    "town centre",
    "city centre",
    "park",
    "street",
    "streets",
    "friends",
    "friends house",
    "a friends house",
    "friend s house",
    "boyfriends house",
    "unknown",
    "not known",
    "returned home",
    "returned of own accord",
    "own accord",
    "shop",
    "shops",
    "bus station",
    "train station",
    "railway station",
    "police station",
    "hospital",
    "her bedroom",
    "bedroom",
)

#: Every place name in the records (missing episodes' last-seen and found places, sightings,
#: incidents, intelligence) with its node: the postcode that records giving both the name and
#: a postcode name most often, else the name itself (`L:` and the name's key). General names
#: (`GENERIC_PLACES`, or one word) have none.
_PLACE_NAMES = """
create or replace table place_names as
with named(place, postcode) as (
    select found_location, found_postcode from missing_episodes
    union all select last_seen_location, last_seen_postcode from missing_episodes
    union all select location, postcode from sightings
    union all select location, postcode from incidents
    union all select unnest(string_split(coalesce(locations, ''), ';')), null from intelligence),
keyed as (select place_key(place) as name, postcode from named)
select name, coalesce(mode(postcode), name) as node
from keyed
where name is not null and name like '% %' and name not in (select unnest($generic))
group by name
"""

#: A name written as a nickname: after "called", "known as", "goes by"..., or in quotation marks
#: ("boyfriend 'Kane'"), capitalised, three letters or more.
NICKNAME = (
    r"""(?:(?:called|named|known as|calls himself|goes by|nicknamed) ['‘"“]?|['‘"“])"""
    r"([A-Z][a-z]{2,})\b"
)
#: Words people put in quotation marks that are not anyone's name.
NOT_NICKNAMES = (
    "mum",
    "dad",
    "nan",
    "babe",
    "baby",
    "sir",
    "miss",
    "mrs",
    "the",
    "and",
    "yes",
    "not",
    "boyfriend",
    "uncle",
    "auntie",
    "friend",
    "mate",
    "bro",
    "fine",
    "okay",
    "nothing",
    "sorry",
    "home",
    "party",
    "work",
    "school",
    "police",
    "staff",
    "safe",
    "help",
)

#: Each person record's postcode (`postcode`), where a nickname written about them is placed
#: (`nickname_node`).
_DISTRICTS = """
create or replace table districts as
select uid, postcode from people where postcode is not null
"""

#: A nickname's node: the name with where it was used. A nickname that is also a given name in
#: the records (two or more people are called it) is placed in its postcode district: "Kane" in
#: WA2 is not "Kane" in CH1. One that nobody is called ("Skinny", "Smiley") is distinctive, and
#: is placed in its postcode area: a man who grooms a child in CW11 and another in CW12 is known
#: by it in both.
_NICKNAME_NODE = """
create or replace table given_names as
select lower(split_part(trim(forenames), ' ', 1)) as name from people
where forenames is not null group by 1 having count(*) >= 2;
create or replace macro nickname_node(n, postcode) as
    'N:' || lower(n) || '@' || case
        when lower(n) in (select name from given_names) then split_part(postcode, ' ', 1)
        else regexp_extract(postcode, '^[A-Za-z]+') end
"""

#: UK mobile numbers, vehicle registration marks (current format) and postcodes written in free
#: text (`text.split`'s `sentences`), each as an edge from the person the text is about.
_MENTIONED = r"""
create or replace table mentioned as
with found as (
    select subject, occurred, agency, kind, record_id, sentence,
        regexp_extract_all(sentence, '(?:\+44\s?\(?0?\)?\s?|\b0)7\d{3}\s?\d{3}\s?\d{3}\b')
            as phones,
        regexp_extract_all(sentence, '\b[A-Z]{2}[0-9]{2} ?[A-Z]{3}\b') as vehicles,
        regexp_extract_all(sentence,
            '\b[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}\b') as postcodes
    from sentences where not explained)
select distinct subject as a_uid, node, relation, occurred, agency, kind, record_id from (
    select f.*, null as p, nickname_node(n, d.postcode) as node,
        'mentioned_nickname' as relation
    from found f join districts d on d.uid = f.subject,
        unnest(regexp_extract_all(f.sentence, $nickname, 1)) as t(n)
    where lower(n) not in (select unnest($common))
    union all
    select *, 'T:+44' || right(regexp_replace(p, '[^0-9]', '', 'g'), 10) as node,
        'mentioned_phone' as relation from found, unnest(phones) as t(p)
    union all
    select *, 'V:' || upper(replace(v, ' ', '')), 'mentioned_vehicle' from found,
        unnest(vehicles) as t(v)
    union all
    select *, 'L:' || upper(regexp_replace(trim(c), '^(.*?) ?([0-9][A-Za-z]{2})$', '\1 \2')),
        'mentioned_place' from found, unnest(postcodes) as t(c))
"""

#: Places written by name in free text about a person ("parties at the flat above the Kebab
#: House most weekends"), in a record that is itself a significant sign about them: a place's
#: name (`place_names`, two to six words) found among the sentence's words. Only such records are
#: read for names, for speed and because a place a child names in passing is no evidence.
_NAMED_PLACES = """
insert into mentioned
with words as (
    select s.subject, s.occurred, s.agency, s.kind, s.record_id,
        string_split(place_key(s.sentence), ' ') as ws
    from sentences s join signed g using (subject, agency, kind, record_id)
    where not s.explained and place_key(s.sentence) is not null),
grams as (
    select subject, occurred, agency, kind, record_id,
        unnest(flatten([[array_to_string(ws[i:i + n - 1], ' ')
                         for i in range(1, len(ws) + 2 - n)] for n in range(2, 7)])) as gram
    from words)
select distinct g.subject, 'L:' || n.node, 'mentioned_place', g.occurred, g.agency, g.kind,
    g.record_id
from grams g join place_names n on n.name = g.gram
"""

#: Each person's date of birth (the earliest full date among their records) and whether any
#: of their records is flagged as staff.
_PERSONS = f"""
create or replace table persons as
select 'P:' || k.key as node,
    min({born("p.date_of_birth")}) as born,
    bool_or(list_contains(coalesce(p.flags, []), 'staff_member')) as staff,
    min(k.uid) as uid,
    list(distinct p.postcode) filter (where p.postcode is not null) as homes
from node_keys k join people p on p.uid = k.uid
group by 1
"""


@dataclass
class Finding:
    """A network finding: its kind, anchor, members (node, role), evidence edges, dates."""

    id: str
    kind: str
    anchor: str
    members: list[dict[str, str]]
    evidence: list[dict[str, Any]]
    at_risk_children: int
    strength: float
    first_seen: str | None
    last_seen: str | None
    summary: str
    extra: dict[str, Any] = field(default_factory=dict)


#: A children's home's log of its own staff taking residents out, and staff finding a missing
#: resident, are professional contact, not association: they make no edges (the home's car and
#: its staff would otherwise join every resident to every member of staff).
_STAFF_OUTINGS = """
delete from edges e using (
    select distinct s.agency, s.record_id
    from sightings s, unnest(s.with_person_ids) as t(w)
    join people p on p.agency = s.agency and p.record_id = w
    where s.source = 'care_home_log' and list_contains(coalesce(p.flags, []), 'staff_member')
) x
where e.kind = 'sightings' and e.agency = x.agency and e.record_id = x.record_id
"""

#: A professional's vehicle or phone (the hub's reference data: a contracted driver's car, a
#: home's phone) carrying or calling a child is their work: no edge. Intelligence naming it stays.
_PROFESSIONALS_OBJECTS = """
delete from edges
where relation in ('seen_in_vehicle', 'in_vehicle', 'seen_with_phone', 'mentioned_phone',
                   'mentioned_vehicle')
  and b in (select 'V:' || vehicle from hub_professionals where vehicle is not null
            union select 'T:' || phone from hub_professionals where phone is not null)
"""

#: Staff (a person any of whose records is flagged `staff_member`) finding a missing child is
#: their job: no `found_with` edge.
_STAFF_FINDING = """
delete from edges
where relation = 'found_with'
  and (a in (select node from persons where staff) or b in (select node from persons where staff))
"""


def build(con: duckdb.DuckDBPyConnection, keys: pa.Table, siloed: bool = False) -> None:
    """The POLE edges (table `edges`) and person attributes (`persons`) from the records in
    `con` (see `sources.open_records`). `keys` maps each person record (`subject`) to the
    person it counts as (`key`): linked people joined up, the record itself siloed, where
    vehicles, phones and places are also each agency's own."""
    con.register("node_keys_arrow", keys)
    con.execute(
        "create or replace table node_keys as select subject as uid, key from node_keys_arrow"
    )
    con.execute(_PLACE_KEY)
    con.execute(_PLACE_NAMES, {"generic": list(GENERIC_PLACES)})
    held = tables(con)
    if "sentences" not in held:  # evidence not derived (`indicators.derive` splits the text)
        con.execute(
            "create or replace table sentences (subject varchar, occurred timestamp, "
            "agency varchar, kind varchar, record_id varchar, field varchar, sentence varchar, "
            "hedged boolean, explained boolean)"
        )
    con.execute(_DISTRICTS)
    con.execute(_NICKNAME_NODE)
    con.execute(_MENTIONED, {"nickname": NICKNAME, "common": list(NOT_NICKNAMES)})
    _signed(con)
    con.execute(_NAMED_PLACES)
    con.execute(_EDGES, {"siloed": siloed})
    con.execute(_STAFF_OUTINGS)
    con.execute(indicators.HUB_PROFESSIONALS)
    con.execute(_PROFESSIONALS_OBJECTS)
    con.execute(_PERSONS)
    con.execute(_STAFF_FINDING)
    strengths = pa.table({"relation": list(STRENGTH), "strength": list(STRENGTH.values())})
    con.register("strengths", strengths)
    con.execute(
        "create or replace table edges as select e.*, s.strength from edges e "
        "join strengths s using (relation) where e.a <> e.b"
    )


_AT_RISK = """
create or replace table at_risk as
select 'P:' || key as node, min(day) as since from first_flag group by 1
"""

#: A young person is a child of a link when they were under 18 then, or under `TRANSITION_TO`
#: and already at risk before they turned 18: exploitation does not stop on an 18th birthday,
#: and a network's older victims stay in its finding (transitional safeguarding: see
#: `indicators.TRANSITION_TO`). `born` is their date of birth, `since` the day they were first
#: at risk.
TRANSITION_TO = indicators.TRANSITION_TO
_A_CHILD_THEN = """(
    date_sub('year', {born}, {day}) < 18
    or (date_sub('year', {born}, {day}) < {transition}
        and {since} < {born} + interval 18 year))"""


def _child_then(born: str, day: str, since: str) -> str:
    return _A_CHILD_THEN.format(born=born, day=day, since=since, transition=TRANSITION_TO)


#: Children of concern: at risk, or with any significant indicator or disclosure of their own.
_CONCERN = """
create or replace table concern as
select node from at_risk
union
select distinct 'P:' || key from keyed where level in ('significant', 'disclosure')
"""

# Person-to-person edges, both ways.
_PAIRS = """
with both_ways as (
    select a as x, b as y, relation, occurred, agency, kind, record_id, strength from edges
    union all
    select b, a, relation, occurred, agency, kind, record_id, strength from edges)
"""

#: Every link between an adult and a child of concern: direct (seen with, found with, named
#: together, named in a contact about the child) or through the same vehicle or phone. Each row
#: is one piece of evidence (the child's side of the link). An adult sharing a home postcode
#: with the child (the household, not a network) makes no link. Places link people only one
#: way: an adult whom intelligence names at a place, in its fields or in its words
#: (intelligence that is a significant sign in itself, such as exploitation, not any report),
#: and a child found there when missing, involved in an incident there, or seen there in a
#: sighting that is a sign itself (`seen_at`), at a place where at most `MAX_PLACE_CHILDREN`
#: children of concern were found or involved in incidents (unit postcodes are shared by
#: neighbours and public places by everyone).
_LINKS = f"""
create or replace table links as
{_PAIRS},
direct as (
    select w.x as adult, w.y as child, null as via, w.relation, w.occurred, w.agency, w.kind,
        w.record_id, w.strength, w.occurred as adult_at
    from both_ways w
    where w.x like 'P:%' and w.y like 'P:%'),
via_object as (
    select a.x, c.x, a.y, c.relation, c.occurred, c.agency, c.kind, c.record_id, c.strength,
        a.occurred
    from both_ways a join both_ways c on a.y = c.y and a.x <> c.x
    where (a.y like 'V:%' or a.y like 'T:%' or a.y like 'N:%') and a.x like 'P:%'
      and c.x like 'P:%' and c.relation not in ('own_phone', 'own_nickname')),
at_place as (
    select * from both_ways
    where y like 'L:%' and x like 'P:%' and relation in ('found_at', 'incident_at', 'seen_at')),
small_places as (  -- how many children of concern were found or harmed there
    select y as place from at_place
    where x in (select node from concern) and relation in ('found_at', 'incident_at')
    group by y having count(distinct x) <= $max_place_children),
via_place as (
    select a.x, c.x, a.y, c.relation, c.occurred, c.agency, c.kind, c.record_id, c.strength,
        a.occurred
    from both_ways a join at_place c on a.y = c.y and a.x <> c.x
    where a.y in (select place from small_places) and a.x like 'P:%'
      and a.relation in ('named_with', 'mentioned_place') and a.kind = 'intelligence'
      and (a.agency, a.record_id) in (  -- intelligence that is itself a significant sign
          select (agency, record_id) from signed where kind = 'intelligence')),
every as (
    select * from direct union all select * from via_object union all select * from via_place)
select l.*, ap.staff, r.node is not null as at_risk, ap.born is null as unknown_age
from every l
join persons ap on ap.node = l.adult
join persons cp on cp.node = l.child
join concern c on c.node = l.child
left join at_risk r on r.node = l.child
where not list_has_any(coalesce(ap.homes, []), coalesce(cp.homes, []))  -- household, not network
  and {_child_then("cp.born", "cast(coalesce(l.occurred, l.adult_at, now()) as date)", "r.since")}
  and (date_sub('year', ap.born, cast(coalesce(l.occurred, l.adult_at, now()) as date)) >= 18
       -- or a person of unknown age ("a man known only as 'Skinny'", a phone) who is not a
       -- child of concern themselves: a person decides what they are
       or (ap.born is null and l.adult not in (select node from concern))
       -- or a young person much older than the child: the imbalance of power in the definition
       -- (but never a child of concern themselves: a 17-year-old victim is not the "adult")
       or (date_sub('year', ap.born, cast(coalesce(l.occurred, l.adult_at, now()) as date))
               >= $older_from
           and date_sub('year', ap.born, cp.born) >= $gap
           and l.adult not in (select node from concern)))
"""


#: View `signed`: the records that are a sign in themselves (a significant indicator or a
#: disclosure), by the person they are about: what places a child at a place it names or where
#: it was seen, and what links a man named at a place. Empty for a graph built without
#: screening (tests of the graph alone).
_SIGNED = """
create or replace view signed as
select distinct subject, agency, kind, record_id from evidence
where level in ('significant', 'disclosure')
"""
_NO_SIGNS = """
create or replace view signed as
select ''::varchar as subject, ''::varchar as agency, ''::varchar as kind,
    ''::varchar as record_id where false
"""


def _signed(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(_SIGNED if "evidence" in tables(con) else _NO_SIGNS)


def find(con: duckdb.DuckDBPyConnection, minimum_children: int = 2) -> list[Finding]:
    """Every finding (see the module's description) from `edges`, `persons`, and the
    screening's `first_flag` and `keyed` evidence in `con`, strongest first."""
    con.execute(_AT_RISK)
    con.execute(_CONCERN)
    _signed(con)
    con.execute(
        _LINKS,
        {"older_from": OLDER_FROM, "gap": AGE_GAP, "max_place_children": MAX_PLACE_CHILDREN},
    )
    adults = _adults(con, minimum_children)
    places = _places(con, minimum_children)
    findings = [*adults, *_groups(con, adults, places), *_objects(con, minimum_children)]
    findings += places
    findings += _communities(con, minimum_children)
    findings.sort(key=lambda f: (-f.at_risk_children, -f.strength, f.id))
    return findings


def _id(kind: str, anchor: str) -> str:
    return f"{kind}-{hashlib.sha256(anchor.encode()).hexdigest()[:10]}"


def _by_anchor(rows: list[tuple[Any, ...]]) -> dict[str, list[tuple[Any, ...]]]:
    """Rows grouped by their first value (the finding's anchor), in order."""
    grouped: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped


def _finding(
    kind: str,
    anchor: str,
    members: list[dict[str, str]],
    evidence: list[dict[str, Any]],
    at_risk: int,
    summary: str,
    extra: dict[str, Any] | None = None,
    key: str | None = None,
) -> Finding:
    """A finding, its strength the sum of its evidence's and its dates the evidence's span."""
    first, last = _dates(evidence)
    strength = round(sum(e["strength"] for e in evidence), 1)
    return Finding(
        _id(kind, key or anchor),
        kind,
        anchor,
        members,
        evidence,
        at_risk,
        strength,
        first,
        last,
        summary,
        extra or {},
    )


def _evidence(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    seen: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for a, b, relation, occurred, agency, kind, record_id, strength in rows:
        key = (agency, kind, record_id, relation)
        seen.setdefault(
            key,
            {
                "from": a,
                "to": b,
                "relation": relation,
                "date": occurred.isoformat() if occurred else None,
                "agency": agency,
                "kind": kind,
                "record_id": record_id,
                "strength": strength,
            },
        )
    return sorted(seen.values(), key=lambda e: (e["date"] or "", e["record_id"]))


def _dates(evidence: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    dates = sorted(e["date"] for e in evidence if e["date"])
    return (dates[0], dates[-1]) if dates else (None, None)


def _adults(con: duckdb.DuckDBPyConnection, minimum: int) -> list[Finding]:
    """Adults linked to `minimum` or more children of concern, at least one of them at risk."""
    rows = con.execute(
        "select adult, child, via, relation, occurred, agency, kind, record_id, strength, "
        "staff, at_risk, unknown_age from links order by adult, occurred"
    ).fetchall()
    out = []
    for adult, links in _by_anchor(rows).items():
        children = sorted({r[1] for r in links})
        risky = sorted({r[1] for r in links if r[10]})
        if len(children) < minimum or not risky:
            continue
        evidence = _evidence([(r[2] or r[0], r[1], *r[3:9]) for r in links])
        objects = sorted({r[2] for r in links if r[2]})
        by_place = set(children) - {r[1] for r in links if not (r[2] or "").startswith("L:")}
        members = [{"node": adult, "role": "adult"}]
        members += [
            {"node": c, "role": "at-risk child" if c in risky else "child of concern"}
            for c in children
        ]
        members += [
            {"node": o, "role": "place" if o.startswith("L:") else "object"} for o in objects
        ]
        out.append(
            _finding(
                "adult",
                adult,
                members,
                evidence,
                len(risky),
                ("person of unknown age " if links[0][11] else "adult ")
                + f"{adult} linked to {len(children)} children of concern, "
                f"{len(risky)} at risk" + (f" (through {', '.join(objects)})" if objects else ""),
                {
                    "staff": bool(links[0][9]),
                    "children": children,
                    "unknown_age": bool(links[0][11]),
                    "through_places": sorted(by_place),
                },
            )
        )
    return out


#: Relations that tie two adults together for a group (family named in contacts and crowded
#: incidents do not).
_TIES = (
    "named_together",
    "seen_with",
    "found_with",
    "incident_together",
    "own_phone",
    "in_vehicle",
    "named_with",
    "seen_in_vehicle",
    "seen_with_phone",
)
#: A vehicle or phone shared by more adults than this (a taxi firm's car, a shop's phone) ties
#: nobody together.
MAX_SHARING = 6


def _groups(
    con: duckdb.DuckDBPyConnection, adults: list[Finding], places: list[Finding]
) -> list[Finding]:
    """Adult findings tied to each other (their adults together, or sharing a vehicle or
    phone) or sharing children of concern with each other or with places where children were
    found (`SHARED_CHILDREN` or more in common; places with at most `MAX_PLACE_CHILDREN`
    children), each connected set of at least two findings, one of them an adult's, as one
    `group` finding with all their members and evidence, and the ties between them."""
    # an adult joined to children only through places where intelligence names them is for a
    # person to look at, not a tie between networks
    adults = [f for f in adults if len(_children(f)) >= SHARED_CHILDREN]
    by_adult = {f.anchor: f for f in adults}
    small = [f for f in places if len(_children(f)) <= MAX_PLACE_CHILDREN]
    found = [*adults, *small]
    if len(found) < 2 or not adults:
        return []
    index = {f.id: i for i, f in enumerate(found)}
    pairs: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for a, b, via, *rest in _adult_ties(con, sorted(by_adult)):
        x, y = sorted((index[by_adult[a].id], index[by_adult[b].id]))
        pairs.setdefault((x, y), []).append((a, via or b, *rest))
    holding: dict[str, list[int]] = {}
    for i, f in enumerate(found):
        for child in _children(f):
            holding.setdefault(child, []).append(i)
    shared: dict[tuple[int, int], int] = {}
    for held in holding.values():
        for n, x in enumerate(held):
            for y in held[n + 1 :]:
                shared[(x, y)] = shared.get((x, y), 0) + 1
    for pair, count in shared.items():
        if count >= SHARED_CHILDREN:
            pairs.setdefault(pair, [])
    graph = igraph.Graph(n=len(found), edges=list(pairs))
    out = []
    for part in graph.connected_components():
        parts = [found[i] for i in sorted(part)]
        grown = sorted(f.anchor for f in parts if f.kind == "adult")
        if len(parts) < 2 or not grown:
            continue
        roles: dict[str, str] = dict.fromkeys(grown, "adult")
        for f in parts:
            aside = set(f.extra.get("through_places", ()))
            for m in f.members:
                if m["node"] in aside:
                    continue
                was = roles.get(m["node"])
                if was is None or _RANK.get(m["role"], 9) < _RANK.get(was, 9):
                    roles[m["node"]] = m["role"]
        ties = [t for (x, y), rows in pairs.items() if x in part for t in rows]
        for t in ties:
            roles.setdefault(t[1], "object")
        children = {n for n, role in roles.items() if role in _CHILD_ROLES}
        if len(children) > MAX_COMMUNITY:
            continue
        risky = {n for n, role in roles.items() if role == "at-risk child"}
        evidence = {
            (e["agency"], e["kind"], e["record_id"], e["relation"]): e
            for e in [*(e for f in parts for e in f.evidence), *_evidence(ties)]
        }
        where = sorted(f.anchor for f in parts if f.kind == "place")
        out.append(
            _finding(
                "group",
                grown[0],
                [{"node": n, "role": role} for n, role in sorted(roles.items())],
                sorted(evidence.values(), key=lambda e: (e["date"] or "", e["record_id"])),
                len(risky),
                f"{len(grown)} adult{'s' if len(grown) > 1 else ''} ({', '.join(grown)})"
                + (f" and {len(where)} place{'s' if len(where) > 1 else ''}" if where else "")
                + f" sharing {len(children)} children of concern, {len(risky)} at risk",
                {
                    "adults": grown,
                    "places": where,
                    "children": sorted(children),
                    "findings": sorted(f.id for f in parts),
                },
                key=",".join(sorted(f.id for f in parts)),
            )
        )
    return out


_CHILD_ROLES = ("at-risk child", "child of concern", "missing child")
#: Which of a node's roles in several findings a group shows (the first in this order).
_RANK = {"adult": 0, "at-risk child": 1, "child of concern": 2, "missing child": 3}


def _children(finding: Finding) -> set[str]:
    """A finding's children of concern (a place's children found there who are at risk)."""
    if finding.kind == "place":
        return {m["node"] for m in finding.members if m["role"] == "at-risk child"}
    return {m["node"] for m in finding.members if m["role"] in _CHILD_ROLES} - set(
        finding.extra.get("through_places", ())
    )


def _adult_ties(con: duckdb.DuckDBPyConnection, adults: list[str]) -> list[tuple[Any, ...]]:
    """Rows (adult, other adult, shared object or null, relation, date, agency, kind, record,
    strength) tying two of `adults` together directly or through a vehicle or phone."""
    if len(adults) < 2:
        return []
    return con.execute(
        """with ties as (
               select a, b, relation, occurred, agency, kind, record_id, strength from edges
               where relation in (select unnest($ties))
               union all
               select b, a, relation, occurred, agency, kind, record_id, strength from edges
               where relation in (select unnest($ties))),
           mine as (select * from ties where a in (select unnest($adults))),
           shared as (
               select b from mine where b like 'V:%' or b like 'T:%'
               group by b having count(distinct a) between 2 and $most)
           select x.a, y.a, x.b, x.relation, x.occurred, x.agency, x.kind, x.record_id,
               x.strength
           from mine x join mine y on x.b = y.b and x.a < y.a
           where x.b in (select b from shared)
           union all
           select a, b, null, relation, occurred, agency, kind, record_id, strength
           from mine where b in (select unnest($adults)) and a < b""",
        {"ties": list(_TIES), "adults": adults, "most": MAX_SHARING},
    ).fetchall()


#: Findings sharing this many children of concern are one group's.
SHARED_CHILDREN = 2
#: A place where more children were found than this (a town centre, a bus station) joins no
#: group: it is a place many children go, not a network's.
MAX_PLACE_CHILDREN = 12


def network_evidence(
    con: duckdb.DuckDBPyConnection, findings: list[Finding], code: str, level: str
) -> list[tuple[Any, ...]]:
    """Evidence rows (`indicators.COLUMNS` order, with `code` and `level`) for each child in
    an adult finding: dated when the child's link to the adult and the adult's link to another
    child of concern were both on record, citing the child's first link. Links through a place
    (intelligence naming the adult where the child was found) put the child in the finding for
    a person to look at; they are not evidence about the child."""
    adults = {f.anchor: f for f in findings if f.kind == "adult"}
    if not adults:
        return []
    rows = con.execute(
        "select l.adult, l.child, min(l.occurred) as first, arg_min(l.agency, l.occurred), "
        "arg_min(l.kind, l.occurred), arg_min(l.record_id, l.occurred), p.uid "
        "from links l join persons p on p.node = l.child "
        "where l.adult in (select unnest($a)) and l.occurred is not null "
        "and coalesce(l.via, '') not like 'L:%' "
        "group by l.adult, l.child, p.uid",
        {"a": sorted(adults)},
    ).fetchall()
    out = []
    for adult, links in _by_anchor(rows).items():
        links.sort(key=lambda r: r[2])
        if len(links) < 2:
            continue
        second = links[1][2]  # from then on the adult is linked to two children of concern
        finding = adults[adult]
        for _, child, first, agency, kind, record_id, uid in links:
            out.append(
                (
                    uid,
                    code,
                    level,
                    max(first, second),
                    agency,
                    kind,
                    record_id,
                    f"linked to adult {adult}, who is linked to {len(links)} children of "
                    f"concern ({finding.id}); this child is {child}",
                )
            )
    return out


_OBJECT_CHILD = f"""
{_PAIRS}
select w.y as object, w.x as child, w.x, w.y, w.relation, w.occurred, w.agency, w.kind,
    w.record_id, w.strength
from both_ways w join at_risk r on r.node = w.x
join persons cp on cp.node = w.x
where (w.y like 'V:%' or w.y like 'T:%' or w.y like 'N:%')
  and w.relation not in ('own_phone', 'own_nickname')
  and {_child_then("cp.born", "cast(coalesce(w.occurred, now()) as date)", "r.since")}
"""


def _objects(con: duckdb.DuckDBPyConnection, minimum: int) -> list[Finding]:
    rows = con.execute(_OBJECT_CHILD).fetchall()
    out = []
    for obj, links in _by_anchor(rows).items():
        children = sorted({r[1] for r in links})
        if len(children) < minimum:
            continue
        evidence = _evidence([r[2:] for r in links])
        what = {"V:": "vehicle", "T:": "phone", "N:": "nickname"}[obj[:2]]
        members = [{"node": obj, "role": what}]
        members += [{"node": c, "role": "at-risk child"} for c in children]
        out.append(
            _finding(
                "object",
                obj,
                members,
                evidence,
                len(children),
                f"{what} {obj[2:]} linked to {len(children)} at-risk children",
            )
        )
    return out


#: Children at a place: found there when missing, or, when a child then (`_child_then`), seen
#: there in a sighting that is itself a sign of exploitation (`seen_at`: with a group of older
#: men at 23:00, not a group of youths given words of advice) or named in a record that is a
#: significant sign (`mentioned_place`: "parties at the flat above the Kebab House").
_PLACE_CHILD = f"""
select e.b as place, e.a as child, e.a, e.b, e.relation, e.occurred, e.agency, e.kind,
    e.record_id, e.strength, r.node is not null as at_risk
from edges e left join at_risk r on r.node = e.a
left join persons p on p.node = e.a
where e.relation = 'found_at'
   or ((e.relation = 'seen_at'
        or (e.relation = 'mentioned_place' and (e.agency, e.kind, e.record_id) in (
                select (agency, kind, record_id) from signed)))
       and p.born is not null
       and {_child_then("p.born", "cast(coalesce(e.occurred, now()) as date)", "r.since")})
"""


def _places(con: duckdb.DuckDBPyConnection, minimum: int) -> list[Finding]:
    rows = con.execute(_PLACE_CHILD).fetchall()
    out = []
    for place, links in _by_anchor(rows).items():
        children = sorted({r[1] for r in links})
        risky = sorted({r[1] for r in links if r[10]})
        if len(children) < minimum or not risky:
            continue
        evidence = _evidence([r[2:10] for r in links])
        found = {r[1] for r in links if r[4] == "found_at"}
        members = [{"node": place, "role": "place"}]
        members += [
            {
                "node": c,
                "role": "at-risk child"
                if c in risky
                else "missing child"
                if c in found
                else "child of concern",
            }
            for c in children
        ]
        seen = len(set(children) - found)
        out.append(
            _finding(
                "place",
                place,
                members,
                evidence,
                len(risky),
                f"{len(found)} missing children found at {place[2:]}"
                + (f", {seen} more seen there or naming it with signs" if seen else "")
                + f", {len(risky)} at risk",
            )
        )
    return out


#: An adult finding's "adult" is 18 or over, or a young person of at least `OLDER_FROM` who is
#: at least `AGE_GAP` years older than the child: CSE's statutory definition turns on an
#: imbalance of power, and a 17-year-old with 13-year-olds has one (unless they are themselves a
#: child of concern: then they are another victim, not the "adult").
OLDER_FROM, AGE_GAP = 16, 4

#: A community larger than this (people and objects) is too broad for anyone to act on: it is
#: not a finding (its adults and objects still show in the other kinds).
MAX_COMMUNITY = 60

#: Relations too common to shape communities: families named in contacts, people at the same
#: incident. They stay evidence; they do not join people into communities.
WEAK = ("named_in_contact", "incident_together", "incident_at")


def _communities(con: duckdb.DuckDBPyConnection, minimum: int) -> list[Finding]:
    """Leiden communities of people and objects (places left out: parks and bus stations join
    everyone; `WEAK` relations left out), weighted by evidence strength."""
    edges = con.execute(
        "select a, b, sum(strength) from edges where a not like 'L:%' and b not like 'L:%' "
        "and relation not in (select unnest($weak)) group by 1, 2",
        {"weak": list(WEAK)},
    ).fetchall()
    if not edges:
        return []
    names = sorted({n for a, b, _ in edges for n in (a, b)})
    index = {n: i for i, n in enumerate(names)}
    graph = igraph.Graph(n=len(names), edges=[(index[a], index[b]) for a, b, _ in edges])
    weights = [float(w) for _, _, w in edges]
    state = random.getstate()
    random.seed(0)  # Leiden is randomised: a fixed seed keeps findings stable between runs
    try:
        igraph.set_random_number_generator(random)
        parts = graph.community_leiden(
            objective_function="modularity", weights=weights, n_iterations=-1
        )
    finally:
        random.setstate(state)
    membership = np.asarray(parts.membership)
    risky = {r[0] for r in con.execute("select node from at_risk").fetchall()}
    adult_rows = con.execute(
        "select node from persons where date_sub('year', born, current_date) >= 18"
    ).fetchall()
    adults = {r[0] for r in adult_rows}
    groups: dict[int, list[str]] = {}
    for name, group in zip(names, membership.tolist(), strict=True):
        groups.setdefault(group, []).append(name)
    out = []
    for group, nodes in groups.items():
        children = [n for n in nodes if n in risky]
        grown = [n for n in nodes if n in adults and n not in risky]
        if len(children) < minimum or not grown or len(nodes) > MAX_COMMUNITY:
            continue
        members = [
            {
                "node": n,
                "role": "at-risk child"
                if n in risky
                else "adult"
                if n in adults
                else "object"
                if n[:2] in ("V:", "T:")
                else "person",
            }
            for n in sorted(nodes)
        ]
        inside = set(nodes)
        rows = con.execute(
            "select a, b, relation, occurred, agency, kind, record_id, strength from edges "
            "where a in (select unnest($n)) and b in (select unnest($n))",
            {"n": sorted(inside)},
        ).fetchall()
        evidence = _evidence(rows)
        anchor = min(children)
        out.append(
            _finding(
                "community",
                anchor,
                members,
                evidence,
                len(children),
                f"community of {len(nodes)} (people and objects): {len(children)} at-risk "
                f"children, {len(grown)} adults",
                {"community": int(group)},
                key=",".join(sorted(children)),
            )
        )
    return out
