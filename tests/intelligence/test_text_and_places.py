"""Free text, places, professionals and objects written in notes, on a hand-made partnership.

Two girls exploited by one man whom no two agencies identify the same way: the police know him
as 'Kane' with a phone, social care hold the same phone under another record. Neither girl's
records carry his identifier; the notes do. A youth worker finds one girl; an older girl who is
herself a victim is with them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from safeguard.contract.kinds import KINDS
from safeguard.intelligence import catalogue, indicators, network, screening, text

PHONE = "+447700900123"


def _world(
    records: dict[str, list[dict[str, Any]]], linked: dict[str, int]
) -> duckdb.DuckDBPyConnection:
    """Tables shaped as `sources.open_records` makes them, from rows given per kind."""
    con = duckdb.connect()
    for name, kind in KINDS.items():
        rows = records.get(name, [])
        columns: dict[str, pa.Array] = {
            "agency": pa.array([r["agency"] for r in rows], pa.string())
        }
        for f in kind.fields:
            values = [r.get(f.name) for r in rows]
            columns[f.name] = pa.array(values, pa.list_(pa.string()) if f.is_list else pa.string())
        con.register(f"{name}_arrow", pa.table(columns))
        subject = "agency || ':' || person_id as subject, " if kind.subject == "person_id" else ""
        con.execute(
            f"create table {name} as select agency || ':' || record_id as uid, {subject}* "
            f"from {name}_arrow"
        )
    con.register(
        "linked_arrow", pa.table({"uid": list(linked), "person_id": list(linked.values())})
    )
    con.execute("create table linked as select * from linked_arrow")
    return con


def _person(agency: str, rid: str, born: str, **more: Any) -> dict[str, Any]:
    return {"agency": agency, "record_id": rid, "date_of_birth": born, **more}


RECORDS: dict[str, list[dict[str, Any]]] = {
    "people": [
        _person("police", "amy", "2012-02-01", forenames="Amy", surname="Ash"),
        _person("council", "bea", "2012-05-01", forenames="Bea", surname="Birch"),
        _person("police", "cat", "2008-01-01", forenames="Cat", surname="Cole"),
        _person("police", "kane", "1999", other_names=["Kane"], phone=PHONE),
        _person("council", "k2", "2000", other_names=["K"], phone=PHONE),
        _person("police", "yw", "1985-01-01", forenames="Yan", surname="Wood"),
        _person(
            "homes", "yw", "1985-01-01", forenames="Yan", surname="Wood", flags=["staff_member"]
        ),
    ],
    "missing_episodes": [
        {
            "agency": "police",
            "record_id": "m1",
            "person_id": "amy",
            "category": "missing",
            "reported_at": "2025-03-01T22:00:00",
            "returned_at": "2025-03-02T03:00:00",
            "found_location": "Flat above the Kebab House, High Street",
            "found_with_person_ids": ["yw", "cat"],
            "notes": "Says her boyfriend 'Kane' who is about 24 rings her from 07700 900123.",
        },
        {
            "agency": "council",
            "record_id": "m2",
            "person_id": "bea",
            "category": "missing",
            "reported_at": "2025-04-01T22:00:00",
            "returned_at": "2025-04-02T02:00:00",
            "found_location": "flat above kebab house high street",
            "found_with": "Youth worker (male)",
        },
        {
            "agency": "council",
            "record_id": "m4",
            "person_id": "bea",
            "category": "absent",
            "reported_at": "2025-04-20T18:00:00",
            "returned_at": "2025-04-20T21:00:00",
            "found_with": "With an adult, Yan Wood",  # the youth worker, by name only
        },
        {
            "agency": "police",
            "record_id": "m3",
            "person_id": "cat",
            "category": "missing",
            "reported_at": "2025-04-05T22:00:00",
            "found_location": "Flat above the Kebab House, High Street",
            "found_postcode": "CW1 1AA",
        },
    ],
    "contacts": [
        {
            "agency": "council",
            "record_id": "c1",
            "person_id": "bea",
            "received_at": "2025-04-03T10:00:00",
            "text": (
                "Texts from 07700900123 late at night. She denies having a boyfriend. "
                "Disclosed that she had sex with men for vodka."
            ),
        },
        {
            "agency": "police",
            "record_id": "c2",
            "person_id": "cat",
            "received_at": "2025-04-06T10:00:00",
            "text": "Cat disclosed that she was made to have sex with older men at a flat.",
        },
    ],
    "intelligence": [
        {
            "agency": "police",
            "record_id": "i1",
            "reported_at": "2025-05-01T09:00:00",
            "source_evaluation": "2",
            "intelligence_assessment": "c",
            "handling_code": "p",
            "text": "It is believed young girls are taken to parties at the flat.",
            "person_ids": ["kane"],
            "locations": "Flat above the Kebab House, High Street",
        }
    ],
}
LINKED = {
    "police:amy": 1,
    "council:bea": 2,
    "police:cat": 3,
    "police:kane": 4,
    "council:k2": 5,
    "police:yw": 9,
    "homes:yw": 9,
}


@pytest.fixture(scope="module")
def world() -> duckdb.DuckDBPyConnection:
    con = _world(RECORDS, LINKED)
    indicators.derive(con, catalogue.load())
    screening.screen(con, catalogue.load(), _keys(con), dt.date(2025, 6, 1))
    network.build(con, _keys(con))
    return con


def _evidence(con: duckdb.DuckDBPyConnection, subject: str) -> dict[str, tuple[str, str]]:
    rows = con.execute(
        "select code, level, detail from evidence where subject = $s", {"s": subject}
    ).fetchall()
    return {code: (level, detail) for code, level, detail in rows}


def test_notes_are_read_with_the_words_quoted(world) -> None:
    amy = _evidence(world, "police:amy")
    level, detail = amy["older_boyfriend"]
    assert level == "significant"
    assert "boyfriend 'Kane' who is about 24" in detail and "notes says" in detail


def test_a_negated_sign_does_not_count_and_the_rest_of_the_text_does(world) -> None:
    bea = _evidence(world, "council:bea")
    assert "older_boyfriend" not in bea  # "She denies having a boyfriend"
    assert bea["disclosure"][0] == "disclosure"
    assert "unknown_callers" in bea  # "late at night"


def test_a_hedged_sign_counts_one_level_lower() -> None:
    con = _world(
        {
            "people": [_person("council", "dee", "2011-01-01")],
            "contacts": [
                {
                    "agency": "council",
                    "record_id": "c9",
                    "person_id": "dee",
                    "received_at": "2025-01-01T09:00:00",
                    "text": "She may have an older boyfriend; this is unconfirmed.",
                }
            ],
        },
        {"council:dee": 1},
    )
    indicators.derive(con, catalogue.load())
    level, detail = _evidence(con, "council:dee")["older_boyfriend"]
    assert level == "moderate" and detail.startswith("hedged: ")


def test_a_professional_known_to_any_agency_is_not_an_adult_the_child_was_found_with(
    world,
) -> None:
    found = world.execute(
        "select subject, detail from evidence where code = 'found_with_adult'"
    ).fetchall()
    # amy was found with the youth worker (staff in the homes' records) and cat (17: a child);
    # bea with a "youth worker (male)": explained, not flagged
    assert found == []


def test_the_same_place_written_differently_joins_the_children_found_there(world) -> None:
    con = world
    places = {
        r[0] for r in con.execute("select b from edges where relation = 'found_at'").fetchall()
    }
    assert places == {"L:CW1 1AA"}  # the name a postcode was given with, for all three
    named = con.execute(
        "select a from edges where relation = 'named_with' and b = 'L:CW1 1AA'"
    ).fetchall()
    assert named == [("P:4",)]  # the intelligence naming Kane at the flat


def test_a_phone_written_in_notes_joins_two_victims_to_one_man(world) -> None:
    con = world
    findings = network.find(con)
    adults = {f.anchor: f for f in findings if f.kind == "adult"}
    assert "P:4" in adults  # Kane: his own phone, written in both girls' notes
    children = set(adults["P:4"].extra["children"])
    assert {"P:1", "P:2"} <= children
    relations = {e["relation"] for e in adults["P:4"].evidence}
    assert "mentioned_phone" in relations
    groups = [f for f in findings if f.kind == "group"]  # his two records: one man
    assert [g.extra["adults"] for g in groups] == [["P:4", "P:5"]]
    assert {"P:1", "P:2"} <= set(groups[0].extra["children"])
    assert any(e["relation"] == "own_phone" for e in groups[0].evidence)
    places = [f for f in findings if f.kind == "place"]
    assert places and {"P:1", "P:2", "P:3"} <= {m["node"] for m in places[0].members}


def test_a_seventeen_year_old_victim_is_never_the_adult(world) -> None:
    findings = network.find(world)
    assert all(f.anchor != "P:3" for f in findings if f.kind == "adult")


def test_a_victim_at_risk_before_18_stays_in_the_network_until_21() -> None:
    def note(rid: str, person: str, when: str, words: str) -> dict[str, Any]:
        return {
            "agency": "council",
            "record_id": rid,
            "person_id": person,
            "received_at": when,
            "text": words,
        }

    disclosed = "Disclosed that she had sex with a man for vodka."
    his = "Texts from 07700 900123 on her phone."
    con = _world(
        {
            "people": [
                _person("council", "amy", "2011-03-01"),  # 14 when her note names his phone
                _person("council", "bea", "2007-01-01"),  # at risk at 17, named with him at 18
                _person("police", "man", "1990-01-01", phone=PHONE),
            ],
            "contacts": [
                note("c1", "amy", "2025-05-01T10:00:00", f"{disclosed} {his}"),
                note("c2", "bea", "2024-11-01T10:00:00", disclosed),
                note("c3", "bea", "2025-05-01T10:00:00", his),
            ],
        },
        {"council:amy": 1, "council:bea": 2, "police:man": 4},
    )
    indicators.derive(con, catalogue.load())
    screening.screen(con, catalogue.load(), _keys(con), dt.date(2025, 6, 1))
    network.build(con, _keys(con))
    adults = {f.anchor: f for f in network.find(con) if f.kind == "adult"}
    assert set(adults) == {"P:4"}
    assert adults["P:4"].extra["children"] == ["P:1", "P:2"]


def _keys(con: duckdb.DuckDBPyConnection) -> pa.Table:
    return con.sql(
        "select uid as subject, cast(person_id as varchar) as key from linked"
    ).to_arrow_table()


def test_the_text_settings_are_checked_and_every_problem_named() -> None:
    data = catalogue.load()
    assert data.reading.fields and data.reading.negation
    problems = text.problems(["(unclosed"], "`lexicon`") + text.field_problems(
        ["contacts.text", "people.surname", "nothing.here"]
    )
    assert len(problems) == 3
    assert "not a regular expression" in problems[0]
    assert "'people.surname'" in problems[1] and "'nothing.here'" in problems[2]


def test_a_nickname_joins_girls_in_one_area_unless_it_is_a_given_name_then_one_district() -> None:
    def girl(rid: str, postcode: str, words: str) -> tuple[dict[str, Any], dict[str, Any]]:
        person = _person("council", rid, "2011-03-01", postcode=postcode)
        contact = {
            "agency": "council",
            "record_id": f"c-{rid}",
            "person_id": rid,
            "received_at": "2025-05-01T10:00:00",
            "text": words + " Disclosed that she had sex with him for vodka.",
        }
        return person, contact

    girls = [
        # "Skinny" is nobody's given name: known by it across the WA area
        girl("dee", "WA2 1AA", "She says her boyfriend is called Skinny."),
        girl("eve", "WA4 7XY", "Dad says 'Skinny' picks her up from school."),
        girl("fay", "CH1 2BB", "Friends call a lad in her class 'Skinny'."),  # another town
        # "Kane" is two people's given name: only within one district
        girl("gia", "WA2 3CC", "Her boyfriend is called Kane."),
        girl("hal", "WA5 1DD", "She goes out with 'Kane' most nights."),
        girl("ida", "WA2 9EE", "Mum says 'Kane' buys her vodka."),
    ]
    kanes = [_person("police", f"k{n}", "1990", forenames="Kane", surname="Lee") for n in (1, 2)]
    con = _world(
        {"people": [g[0] for g in girls] + kanes, "contacts": [g[1] for g in girls]},
        {f"council:{g[0]['record_id']}": n for n, g in enumerate(girls, 1)},
    )
    indicators.derive(con, catalogue.load())
    screening.screen(con, catalogue.load(), _keys(con), dt.date(2025, 6, 1))
    network.build(con, _keys(con))
    objects = {f.anchor: f for f in network.find(con) if f.kind == "object"}
    assert set(objects) == {"N:skinny@WA", "N:kane@WA2"}
    assert {m["node"] for m in objects["N:skinny@WA"].members} == {"N:skinny@WA", "P:1", "P:2"}
    assert {m["node"] for m in objects["N:kane@WA2"].members} == {"N:kane@WA2", "P:4", "P:6"}
    assert "nickname skinny@WA" in objects["N:skinny@WA"].summary


def test_a_report_naming_a_girl_gives_its_signs_to_her_not_to_the_man_of_unknown_age() -> None:
    con = _world(
        {
            "people": [
                _person("police", "erin", "2011-03-01", forenames="Erin"),
                _person("police", "smiley", None, other_names=["Smiley"]),
                _person("police", "sol", None, other_names=["Sol"]),
            ],
            "intelligence": [
                {
                    "agency": "police",
                    "record_id": "x1",
                    "reported_at": "2025-05-01T10:00:00",
                    "source_evaluation": "2",
                    "intelligence_assessment": "b",
                    "handling_code": "p",
                    "text": "Erin, 14, is being picked up by a male known only as 'Smiley' "
                    "and taken to parties where she is given alcohol and drugs.",
                    "person_ids": ["erin", "smiley"],
                },
                {
                    "agency": "police",
                    "record_id": "x2",
                    "reported_at": "2025-05-01T10:00:00",
                    "source_evaluation": "2",
                    "intelligence_assessment": "b",
                    "handling_code": "p",
                    "text": "A young person known as Sol is being picked up by older males "
                    "and given alcohol and drugs.",
                    "person_ids": ["sol"],
                },
            ],
        },
        {"police:erin": 1, "police:smiley": 2, "police:sol": 3},
    )
    indicators.derive(con, catalogue.load())
    about = con.execute(
        "select record_id, subject from evidence where kind = 'intelligence' "
        "group by all order by 1"
    ).fetchall()
    # the girl's report is hers alone; a report naming only someone of unknown age is theirs
    assert about == [("x1", "police:erin"), ("x2", "police:sol")]


def _report(rid: str, names: list[str], words: str) -> dict[str, Any]:
    return {
        "agency": "police",
        "record_id": rid,
        "reported_at": "2024-04-03T10:00:00",
        "source_evaluation": "2",
        "intelligence_assessment": "b",
        "handling_code": "p",
        "text": words,
        "person_ids": names,
    }


def _found_with_a_man(rid: str, who: str, day: str) -> dict[str, Any]:
    return {
        "agency": "council",
        "record_id": rid,
        "person_id": who,
        "category": "missing",
        "reported_at": f"{day}T20:00:00",
        "returned_at": f"{day}T23:00:00",
        "found_with": "an older man",
    }


def test_a_young_woman_at_risk_before_18_takes_a_reports_signs_before_a_man_of_unknown_age() -> (
    None
):
    """Kemi turned 18 in February 2024. The council found her with an older man when missing at
    17 (its record of her has no date of birth; the police's has). In April a report names her
    with a man known only as 'Boss': its signs are hers, as if she were still 17, so he is not
    made a child of concern. Zoe, 19, was never at risk as a child, and Ada, 21, is past the
    transition age: reports naming them with someone of unknown age give their signs to both."""
    words = "{0} is being picked up by a male known only as '{1}' and given alcohol and drugs."
    con = _world(
        {
            "people": [
                _person("police", "kemi", "2006-02-08", forenames="Kemi"),
                _person("council", "kemi", None, forenames="Kemi"),
                _person("police", "boss", None, other_names=["Boss"]),
                _person("police", "zoe", "2005-01-10", forenames="Zoe"),
                _person("police", "sol", None, other_names=["Sol"]),
                _person("police", "ada", "2003-01-10", forenames="Ada"),
                _person("council", "ada", None, forenames="Ada"),
                _person("police", "ace", None, other_names=["Ace"]),
            ],
            "missing_episodes": [
                _found_with_a_man("m1", "kemi", "2023-11-25"),
                _found_with_a_man("m2", "ada", "2020-11-25"),
            ],
            "intelligence": [
                _report("x1", ["kemi", "boss"], words.format("Kemi", "Boss")),
                _report("x2", ["zoe", "sol"], words.format("Zoe", "Sol")),
                _report("x3", ["ada", "ace"], words.format("Ada", "Ace")),
            ],
        },
        {"police:kemi": 1, "council:kemi": 1, "police:ada": 2, "council:ada": 2},
    )
    indicators.derive(con, catalogue.load())
    about = con.execute(
        "select record_id, subject from evidence where kind = 'intelligence' "
        "group by all order by 1, 2"
    ).fetchall()
    assert about == [
        ("x1", "police:kemi"),
        ("x2", "police:sol"),
        ("x2", "police:zoe"),
        ("x3", "police:ace"),
        ("x3", "police:ada"),
    ]
    assert con.execute(  # their signs at 17, on the council's records of them
        "select subject, code from evidence where kind = 'missing_episodes' "
        "and code = 'found_with_adult' order by 1"
    ).fetchall() == [("council:ada", "found_with_adult"), ("council:kemi", "found_with_adult")]
    assert indicators.TRANSITION_TO == network.TRANSITION_TO == 21


def test_the_hubs_professionals_are_explained_by_name_vehicle_and_phone() -> None:
    con = _world(
        {
            "people": [_person("police", "gia", "2011-03-01")],
            "sightings": [
                {
                    "agency": "police",
                    "record_id": "s1",
                    "person_id": "gia",
                    "seen_at": "2025-05-01T08:10:00",
                    "source": "patrol",
                    "with_description": "male driver, 50s",
                    "vehicle": "AB12CDE",
                }
            ],
            "missing_episodes": [
                {
                    "agency": "police",
                    "record_id": "m1",
                    "person_id": "gia",
                    "category": "missing",
                    "reported_at": "2025-05-02T22:00:00",
                    "returned_at": "2025-05-03T01:00:00",
                    "found_with": "With an adult male, Gary Dean",
                }
            ],
        },
        {"police:gia": 1},
    )
    professionals = pa.table(
        {"name": ["Gary Dean"], "phone": ["+447911123456"], "vehicle": ["AB12CDE"]}
    )
    con.register("hub_professionals_arrow", professionals)
    con.execute("create table hub_professionals as select * from hub_professionals_arrow")
    indicators.derive(con, catalogue.load())
    found = {r[0] for r in con.execute("select code from evidence").fetchall()}
    assert "in_vehicle_with_adult" not in found and "found_with_adult" not in found
    network.build(con, _keys(con))
    assert con.execute("select count(*) from edges where b = 'V:AB12CDE'").fetchone() == (0,)


def test_a_child_seen_with_a_man_another_agency_knows_as_a_sex_offender() -> None:
    con = _world(
        {
            "people": [
                _person("police", "ivy", "2011-03-01"),
                _person("police", "rob", "1970-01-01"),
                _person("probation", "rob", "1970-01-01", flags=["registered_sex_offender"]),
            ],
            "sightings": [
                {
                    "agency": "police",
                    "record_id": "s1",
                    "person_id": "ivy",
                    "seen_at": "2025-05-01T23:10:00",
                    "source": "patrol",
                    "with_person_ids": ["rob"],
                }
            ],
        },
        {"police:ivy": 1, "police:rob": 2, "probation:rob": 2},
    )
    indicators.derive(con, catalogue.load())
    found = con.execute(
        "select subject, code, detail from evidence where code like 'with_%'"
    ).fetchall()
    assert found == [
        (
            "police:ivy",
            "with_sex_offender",
            "with police:rob, whom agencies know as registered_sex_offender",
        )
    ]


def _signs_in_a_contact(words: str) -> dict[str, tuple[str, str]]:
    """The evidence a council contact about a 14-year-old, saying `words`, gives."""
    con = _world(
        {
            "people": [_person("council", "jo", "2011-01-01")],
            "contacts": [
                {
                    "agency": "council",
                    "record_id": "c1",
                    "person_id": "jo",
                    "received_at": "2025-01-01T09:00:00",
                    "text": words,
                }
            ],
        },
        {"council:jo": 1},
    )
    indicators.derive(con, catalogue.load())
    return _evidence(con, "council:jo")


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("A man she met online is threatening to send her photos to her family", "sexual_images"),
        ("He asked her to send pictures of herself", "sexual_images"),
        ("Came back with a new iPhone she cannot explain", "unexplained_gifts"),
        ("Got out of a taxi at 02:10 that had already been paid", "in_vehicle_text"),
        # quotation marks do not hide the words inside them
        ("She has been asked for \u2018pics\u2019 by an adult on Snapchat", "sexual_images"),
        ('Her boyfriend "Kane" is about 24', "older_boyfriend"),
        # a professional who reports the sign does not explain it
        ("Staff noticed he has a second phone that carers did not buy", "unexplained_gifts"),
        ("Carers report she came back with new Nike trainers", "unexplained_gifts"),
        ("Says partner is older; safeguarding lead informed", "older_boyfriend"),
        ("An adult contact offered her money for photographs", "sexual_images"),
        ("Staff saw her get into a car with an older man", "in_vehicle_text"),
        ("Seen by staff getting into a car at the end of the day", "in_vehicle_text"),
        ("An adult account asked her to video call at night and keep it secret", "online_grooming"),
        ("She met a man on a gaming app who sends her money for credit", "online_grooming"),
        ("She said 'a man' had given her drinks", "supplied_by_adults"),
        ("Said she got a lift back from 'Michael' in his car", "in_vehicle_text"),
        ("He said 'Sam' will 'tell everyone' if he does not do what he says", "older_boyfriend"),
        ("Stayed overnight at an address in Crewe", "parties_and_places"),
    ],
)
def test_the_lexicons_read_the_ways_practitioners_write_a_sign(words: str, code: str) -> None:
    assert code in _signs_in_a_contact(words)


@pytest.mark.parametrize(
    "words",
    [
        # each a sign, but for the professional she was with
        "Got into a car with her foster carer",
        "Picked up in a car by her foster carer",
        "Seen getting into a taxi with her youth worker",
        "Went to a party at a flat with her residential worker",
        "She denies having an older boyfriend",
    ],
)
def test_a_professional_she_was_with_or_a_denial_is_not_a_sign(words: str) -> None:
    specific = {i.code for i in catalogue.load().indicators if i.specific}
    assert not set(_signs_in_a_contact(words)) & specific


def test_an_adult_named_where_two_girls_were_is_a_finding_but_not_a_sign_about_them() -> None:
    """Intelligence names a man at a hotel; one girl was found there when missing, another was
    the victim of an incident there. No record joins either girl to him directly."""
    hotel = {"location": "Lodge Hotel, Canal Street", "postcode": "CW8 0AA"}
    con = _world(
        {
            "people": [
                _person("police", "gia", "2011-03-01"),
                _person("police", "hal", "2011-06-01"),
                _person("police", "ned", "1990-01-01"),
            ],
            "missing_episodes": [
                {
                    "agency": "police",
                    "record_id": "m1",
                    "person_id": "gia",
                    "category": "missing",
                    "reported_at": "2025-03-01T22:00:00",
                    "found_location": hotel["location"],
                    "found_postcode": hotel["postcode"],
                    "notes": "Disclosed that she had sex with men for vodka.",
                }
            ],
            "incidents": [
                {
                    "agency": "police",
                    "record_id": "i1",
                    "occurred_at": "2025-04-01T23:00:00",
                    "incident_type": "child_sexual_exploitation",
                    "summary": "Allegation of sexual exploitation",
                    **hotel,
                }
            ],
            "involvements": [
                {
                    "agency": "police",
                    "record_id": "v1",
                    "incident_id": "i1",
                    "person_id": "hal",
                    "role": "victim",
                }
            ],
            "intelligence": [
                {
                    "agency": "police",
                    "record_id": "n1",
                    "reported_at": "2025-05-01T09:00:00",
                    "text": "Ned is said to take young girls to the hotel.",
                    "person_ids": ["ned"],
                    "postcodes": [hotel["postcode"]],
                }
            ],
        },
        {"police:gia": 1, "police:hal": 2, "police:ned": 3},
    )
    indicators.derive(con, catalogue.load())
    screening.screen(con, catalogue.load(), _keys(con), dt.date(2025, 6, 1))
    network.build(con, _keys(con))
    found = network.find(con)
    adults = {f.anchor: f for f in found if f.kind == "adult"}
    assert {m["node"] for m in adults["P:3"].members} == {"P:3", "P:1", "P:2", "L:CW8 0AA"}
    relations = {e["relation"] for e in adults["P:3"].evidence}
    assert relations == {"found_at", "incident_at"}
    # a place is where a person should look, not a sign about the girls
    assert network.network_evidence(con, found, "linked_to_network", "significant") == []


def _place_world(
    sightings: list[dict[str, Any]],
    contact: str,
    intelligence: tuple[dict[str, Any], ...] = (),
) -> duckdb.DuckDBPyConnection:
    """Three girls and one flat: Jo is found there when missing; Kim is seen by a patrol;
    Liv's school rings the MASH about her in the words given; no record joins them. Ned is a
    man whom `intelligence` may name."""
    flat = {"found_location": "Tannery House", "found_postcode": "CW10 7ZQ"}
    con = _world(
        {
            "people": [
                _person("police", "jo", "2012-03-01"),
                _person("police", "kim", "2012-06-01"),
                _person("council", "liv", "2012-09-01"),
                _person("police", "ned", "1990-01-01"),
            ],
            "intelligence": list(intelligence),
            "missing_episodes": [
                {
                    "agency": "police",
                    "record_id": "m1",
                    "person_id": "jo",
                    "category": "missing",
                    "reported_at": "2025-03-01T22:00:00",
                    "returned_at": "2025-03-02T09:00:00",
                    "notes": "Disclosed that she had sex with men for vodka.",
                    **flat,
                }
            ],
            "sightings": sightings,
            "contacts": [
                {
                    "agency": "council",
                    "record_id": "c1",
                    "person_id": "liv",
                    "received_at": "2025-04-02T10:00:00",
                    "text": contact,
                }
            ],
        },
        {"police:jo": 1, "police:kim": 2, "council:liv": 3, "police:ned": 4},
    )
    indicators.derive(con, catalogue.load())
    screening.screen(con, catalogue.load(), _keys(con), dt.date(2025, 6, 1))
    network.build(con, _keys(con))
    return con


def _sighting(notes: str, described: str) -> dict[str, Any]:
    return {
        "agency": "police",
        "record_id": "s1",
        "person_id": "kim",
        "seen_at": "2025-04-01T23:00:00",
        "location": "Tannery House",
        "source": "patrol",
        "with_description": described,
        "notes": notes,
    }


def test_a_girl_seen_with_older_men_where_another_was_found_is_at_that_place() -> None:
    """A patrol's sighting that is a sign in itself places the girl at the flat, by its name
    alone; a school contact that is a sign and names the flat places Liv there too."""
    con = _place_world(
        [_sighting("Seen at Tannery House at 23:00 with a group of older males.", "Older males")],
        "Friends say there are parties at Tannery House most weekends that girls go to.",
    )
    seen = con.execute("select a, b from edges where relation = 'seen_at'").fetchall()
    assert seen == [("P:2", "L:CW10 7ZQ")]
    named = con.execute(
        "select a, b from edges where relation = 'mentioned_place' order by a"
    ).fetchall()
    assert named == [("P:2", "L:CW10 7ZQ"), ("P:3", "L:CW10 7ZQ")]  # the patrol's notes too
    places = [f for f in network.find(con) if f.kind == "place"]
    assert [f.anchor for f in places] == ["L:CW10 7ZQ"]
    assert {m["node"] for m in places[0].members} == {"L:CW10 7ZQ", "P:1", "P:2", "P:3"}
    assert places[0].summary.startswith("1 missing children found at CW10 7ZQ, 2 more")


def test_a_sighting_or_a_note_that_is_no_sign_places_nobody() -> None:
    """Youths given words of advice at the flat, and a contact about housing that names it:
    neither is a sign, so neither girl is placed there, and one girl found there is no
    finding. A school's own log of a girl collected by a man is a sign, but its place is the
    school's gate, where every pupil is: it places nobody either."""
    at_school = {
        **_sighting("Collected at the gate by an older male in a car.", "Older male"),
        "record_id": "s2",
        "person_id": "liv",
        "agency": "council",
        "source": "school",
    }
    con = _place_world(
        [
            _sighting("Group of youths; words of advice given.", "With other young people"),
            at_school,
        ],
        "Family struggling with housing since they left Tannery House.",
    )
    assert con.execute(  # the school's sighting is a sign about Liv
        "select count(*) from evidence where kind = 'sightings' and record_id = 's2' "
        "and level = 'significant'"
    ).fetchone() == (1,)
    relations = {r[0] for r in con.execute("select relation from edges").fetchall()}
    assert "seen_at" not in relations and "mentioned_place" not in relations
    assert [f for f in network.find(con) if f.kind == "place"] == []


def _ned_named(text: str, **fields: list[str]) -> Any:
    """The place world in which a patrol saw the girl at Tannery House with older men, and
    police intelligence (`text`, and any `fields`) names Ned."""
    report = {
        "agency": "police",
        "record_id": "n1",
        "reported_at": "2025-05-01T09:00:00",
        "text": text,
        "person_ids": ["ned"],
        **fields,
    }
    return _place_world(
        [_sighting("Seen at Tannery House at 23:00 with a group of older males.", "Older males")],
        "Family struggling with housing.",
        (report,),
    )


def test_a_man_intelligence_names_at_the_flat_is_linked_to_the_girl_seen_there() -> None:
    """Intelligence that is a sign names Ned at the flat: the girl found there and the girl a
    patrol saw there with older men are in his finding, for a person to look at."""
    con = _ned_named(
        "Ned is said to take young girls to parties at the flat.", postcodes=["CW10 7ZQ"]
    )
    found = network.find(con)
    adults = {f.anchor: f for f in found if f.kind == "adult"}
    assert set(adults["P:4"].extra["children"]) == {"P:1", "P:2"}
    assert {"found_at", "seen_at"} <= {e["relation"] for e in adults["P:4"].evidence}


def test_intelligence_naming_the_flat_in_its_words_links_the_man_as_its_fields_do() -> None:
    """The same report with the flat only in its text ("parties at Tannery House"), not in its
    locations or postcodes: it names Ned at the flat all the same."""
    con = _ned_named("Ned is said to take young girls to parties at Tannery House.")
    named = con.execute(
        "select a, b from edges where relation = 'mentioned_place' and kind = 'intelligence'"
    ).fetchall()
    assert named == [("P:4", "L:CW10 7ZQ")]
    adults = {f.anchor: f for f in network.find(con) if f.kind == "adult"}
    assert set(adults["P:4"].extra["children"]) == {"P:1", "P:2"}
