"""Typed audit events and the one redaction of cited records, with no database."""

from __future__ import annotations

from safeguard.access import events, redact
from safeguard.access.roles import Actor, Role


def test_events_say_who_they_are_about_what_and_why() -> None:
    glass = events.BrokeGlass(12, "found alone at 2am")
    assert (glass.about(), glass.line(), glass.stated(), glass.flagged()) == (
        12,
        "break-glass",
        "found alone at 2am",
        True,
    )
    search = events.Searched("smith", (3, 4))
    assert search.about() is None and search.line() == "q=smith -> P3,P4"
    assert events.Administered("accounts.User 1 (x) added", accounts=True).flagged()
    assert not events.Administered("homes.ChildrensHome 2 changed").flagged()
    assert events.Refused("view person", "/people/3/", 3).line() == "view person: /people/3/"
    assert {e.name for e in (glass, search)} <= set(events.EVENTS)
    assert len(set(events.EVENTS)) == len(events.EVENTS.values())


def _reader(*roles: Role) -> Actor:
    return Actor("r", "cheshire-police", frozenset(roles), True)


def test_items_resting_on_restricted_records_are_withheld_and_counted() -> None:
    reasons = [
        {"code": "sti", "records": ["nhs:health_events:H1"]},
        {"code": "absence", "records": ["school:education_events:E1"]},
        {"code": "intel", "records": ["police:intelligence:I1", "school:education_events:E1"]},
        {"code": "injury", "records": ["nhs:health_events:H2"]},
    ]
    cited = {c for r in reasons for c in redact.reason_records(r)}
    assert redact.needing_details(cited) == {
        redact.Cited("nhs", "health_events", "H1"),
        redact.Cited("nhs", "health_events", "H2"),
    }
    details = {
        ("nhs", "health_events", "H1"): ("sti_test", "sexual_health_clinic"),
        ("nhs", "health_events", "H2"): ("injury", "emergency_department"),
    }
    school = redact.redact(_reader(Role.SCHOOL_DSL), reasons, redact.reason_records, details)
    assert [r["code"] for r in school.kept] == ["absence", "injury"] and school.withheld == 2
    police = redact.redact(_reader(Role.POLICE_OFFICER), reasons, redact.reason_records, details)
    assert [r["code"] for r in police.kept] == ["absence", "intel", "injury"]
    mash = redact.redact(_reader(Role.MASH_MANAGER), reasons, redact.reason_records, details)
    assert mash.withheld == 0


def test_a_finding_edge_cites_its_record() -> None:
    edge = {"agency": "police", "kind": "intelligence", "record_id": "I9"}
    kept = redact.redact(_reader(Role.HEALTH_LEAD), [edge], redact.edge_record, {})
    assert kept.kept == [] and kept.withheld == 1
    assert redact.Cited.parse("not-a-ref") is None
