"""People in the hub, one function per action: search, open a person, break the glass, read
why two records scored as they did, decide a link or split a person, and the linkage stage
(link; resolve again after a decision, as a job).

Each asks the access policy, changes state and writes its typed audit event in one
transaction (reads: the event is committed before anything is read); a refusal is audited and
raised as `safeguard.access.caller.Refusal`. The link-decision rules are the pure
`safeguard.linkage.decisions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from django.db import transaction
from django.utils import timezone

from safeguard.access import policy
from safeguard.access.caller import Caller, Refusal
from safeguard.access.events import (
    BrokeGlass,
    ExplainedPair,
    LinkDecided,
    PeopleLinked,
    PersonSplit,
    Refused,
    Searched,
    ViewedList,
    ViewedPerson,
)
from safeguard.access.policy import SAFEGUARDING_BASIS, Action, Decision
from safeguard.hub import reactions
from safeguard.hub.audit import services as audit
from safeguard.hub.deliveries.queries import landed_people_files
from safeguard.hub.people import queries, review, search, store, tasks
from safeguard.hub.people.models import LinkDecision, LinkRun
from safeguard.linkage import decisions as rules
from safeguard.linkage import run
from safeguard.linkage.backend import DEFAULT_BACKEND, Backend
from safeguard.linkage.explain import Explanation, explain_row, explain_saved
from safeguard.linkage.run import NotLinkedYet
from safeguard.linkage.saved import Saved
from safeguard.settings import get_settings

__all__ = ["Refusal"]


def _broken(caller: Caller, refused: Refused, why: str) -> NoReturn:
    audit.refuse(caller, refused, Decision(False, why), rule=True)


# --- reads ---


def find(caller: Caller, text: str) -> tuple[search.Query, list[dict[str, Any]]]:
    """Search as the caller: each person found, with details only where they have need to
    know; the search and the people it showed are recorded before the answer is sent."""
    audit.check(
        caller, policy.act(caller.actor, Action.SEARCH_PEOPLE), Refused("search", f"q={text}")
    )
    query, results = search.scoped(caller.actor, text, caller.glassed)
    shown = tuple(r["person_id"] for r in results if r["visible"])
    audit.seen(
        caller,
        Searched(text, shown),
        Decision(True, f"{len(shown)} people shown", SAFEGUARDING_BASIS),
    )
    return query, results


def open_person(caller: Caller, person_id: int, what: str) -> queries.Dossier:
    """A person as the caller may see them (`what`: the page or record looked at, for the
    audit). Refused without need to know."""
    records = queries.records_of(person_id)
    decision = policy.person(caller.actor, queries.holders(records), caller.glassed(person_id))
    if not decision:
        audit.refuse(caller, Refused("view person", what, person_id), decision)
    audit.seen(caller, ViewedPerson(person_id, what), decision)
    return queries.dossier(caller.actor, person_id, decision, records)


def identity_history(caller: Caller, person_id: int) -> dict[str, Any]:
    """A person's records and every merge, split and move that touched them."""
    exists, _ = queries.where(person_id)
    if not exists:
        _broken(caller, Refused("view person", "identity history"), f"no person P{person_id}")
    records = queries.records_of(person_id)
    decision = policy.person(caller.actor, queries.holders(records), caller.glassed(person_id))
    if not decision:
        audit.refuse(caller, Refused("view person", "identity history", person_id), decision)
    audit.seen(caller, ViewedPerson(person_id, "identity history"), decision)
    return queries.identity_history(person_id)


def break_glass(caller: Caller, person_id: int, reason: str) -> Decision:
    """Open a person outside the caller's need to know, with their reason: allowed, flagged
    for an auditor's review; the page then keeps the grant for an hour."""
    refused = Refused("break glass", person=person_id, why=reason.strip())
    audit.check(caller, policy.act(caller.actor, Action.VIEW_PERSON), refused)
    decision = policy.break_glass(caller.actor, reason)
    if not decision:  # the reason is too short: a rule, not who is asking
        audit.refuse(caller, refused, decision, rule=True)
    audit.seen(caller, BrokeGlass(person_id, reason.strip()), decision)
    return decision


def explain_scored(caller: Caller, person_id: int, left: str, right: str) -> Explanation:
    """Why two records scored as they did, as the last run scored them (never scored on
    demand): two of the person's own records, or (for those who decide links) a pair awaiting
    review that touches them."""
    records = queries.records_of(person_id)
    where = f"explain {left} {right}"
    decision = policy.person(caller.actor, queries.holders(records), caller.glassed(person_id))
    if not decision:
        audit.refuse(caller, Refused("explain a pair", where, person_id), decision)
    mine = {r.unique_id for r in records}
    pair = review.saved_pair(left, right)
    if pair is None or not ({left, right} & mine):
        _broken(
            caller,
            Refused("explain a pair", where, person_id),
            "no scored pair of those records touches this person",
        )
    if not {left, right} <= mine:
        decision = policy.act(caller.actor, Action.DECIDE_LINK)
        if not decision:
            audit.refuse(
                caller,
                Refused("explain a pair", where, person_id),
                Decision(False, "a pair with another person's record: for those who decide links"),
            )
    audit.seen(caller, ExplainedPair(left, right, person_id), decision)
    return explain_row(pair, review.model())


def explain_any(caller: Caller, left: str, right: str) -> tuple[Explanation, list[dict[str, Any]]]:
    """Why the model scores two records as it does, with both records' values (scored now if
    the last run did not): for those who decide links."""
    decision = audit.check(
        caller,
        policy.act(caller.actor, Action.DECIDE_LINK),
        Refused("explain a pair", f"{left} {right}"),
    )
    folder = get_settings().linkage_dir
    if not Saved(folder).linked():
        _broken(caller, Refused("explain a pair"), "no linkage run yet: run `safeguard link` first")
    try:
        explained = explain_saved(folder, left, right)
    except KeyError as exc:
        _broken(caller, Refused("explain a pair", f"{left} {right}"), str(exc.args[0]))
    audit.seen(caller, ExplainedPair(left, right), decision)
    return explained


def review_queue(caller: Caller, limit: int) -> tuple[int, list[dict[str, Any]], dict[str, str]]:
    """Pairs between the thresholds that nobody has decided, most likely first (at most
    `limit`), how many there are, and a line (name, birth date, postcode) per record."""
    decision = audit.check(
        caller, policy.act(caller.actor, Action.DECIDE_LINK), Refused("list", "links to review")
    )
    settings = get_settings()
    saved = Saved(settings.linkage_dir)
    if not saved.linked():
        _broken(
            caller,
            Refused("list", "links to review"),
            "no linkage run yet: run `safeguard link` first",
        )
    pairs = saved.pairs(["match_probability"])
    everyone = queries.current_people()
    queue = run.review_pairs(pairs, everyone, queries.decisions(), settings.linkage_config())
    shown = queue[:limit]
    ids = sorted({str(r[k]) for r in shown for k in ("unique_id_l", "unique_id_r")})
    people = sorted({p for p in (queries.person_of(u) for u in ids) if p is not None})
    audit.seen(caller, ViewedList("links to review", tuple(people)), decision)
    return len(queue), shown, review.summaries(saved, ids)


# --- link decisions ---


@dataclass(frozen=True)
class Decided:
    """Decisions recorded, and the job resolving people again (None before any linkage run:
    they take effect at the next)."""

    made: list[LinkDecision]
    job: str | None


def decide(
    caller: Caller, left: str, right: str, same: bool, reason: str, person: int | None = None
) -> Decided:
    """Record that two linked records are (or are not) the same person, superseding any earlier
    decision on the pair, and queue people to be resolved again. A "same" decision that would
    join two people with records someone decided are different people is refused, naming that
    decision."""
    refused = Refused("decide a link", f"{left} {right}", person, reason.strip())
    allowed = audit.check(caller, policy.act(caller.actor, Action.DECIDE_LINK), refused)
    try:
        with transaction.atomic():
            linked, people = queries.memberships({left.strip(), right.strip()})
            pair = rules.checked(
                left,
                right,
                same,
                reason,
                caller.actor.username,
                linked,
                people,
                queries.decisions(),
            )
            made = _record(pair, same, reason, caller.actor.username)
            event = LinkDecided(pair[0], pair[1], same, reason.strip(), person)
            audit.write(caller.actor, event, allowed, caller.channel)
            return Decided([made], _queue_relink(caller))
    except rules.DecisionRefused as exc:
        _broken(caller, refused, str(exc))


def split(caller: Caller, person: int, records: list[str], reason: str) -> Decided:
    """Split `records` off `person`: each is decided a different person from each of the
    person's other records, so no re-run joins them again."""
    refused = Refused("split a person", " ".join(records), person, reason.strip())
    allowed = audit.check(caller, policy.act(caller.actor, Action.DECIDE_LINK), refused)
    try:
        with transaction.atomic():
            if not reason.strip():
                raise rules.DecisionRefused("give a reason: it is kept with the decision")
            pairs = rules.split_pairs(person, queries.members(person), records)
            made = [_record(p, False, reason, caller.actor.username) for p in pairs]
            chosen = tuple(sorted({r.strip() for r in records}))
            audit.write(
                caller.actor, PersonSplit(person, chosen, reason.strip()), allowed, caller.channel
            )
            return Decided(made, _queue_relink(caller))
    except rules.DecisionRefused as exc:
        _broken(caller, refused, str(exc))


def _record(pair: tuple[str, str], same: bool, reason: str, by: str) -> LinkDecision:
    """Store one decision, superseding the pair's earlier one (inside the caller's transaction)."""
    left, right = pair
    earlier = list(
        LinkDecision.objects.filter(left=left, right=right, current=True).values_list(
            "pk", flat=True
        )
    )
    LinkDecision.objects.filter(pk__in=earlier).update(current=False)
    made = LinkDecision.objects.create(
        left=left, right=right, same=same, reason=reason.strip(), decided_by=by
    )
    LinkDecision.objects.filter(pk__in=earlier).update(superseded_by=made)
    return made


def _queue_relink(caller: Caller) -> str | None:
    """Queue people to be resolved again, in the decision's transaction (so the job exists if
    and only if the decision does); None before the first linkage run."""
    if not Saved(get_settings().linkage_dir).linked():
        return None
    return str(tasks.relink.enqueue(caller.actor.username).id)


def job(result_id: str) -> dict[str, Any]:
    """Where a relinking job stands: `status` (queued, running, done, failed) and, when done,
    its run and how many records changed person."""
    try:
        found = tasks.relink.get_result(result_id)
    except Exception:  # no such job (pruned, or another store's)
        return {"status": "unknown"}
    status = {"READY": "queued", "RUNNING": "running", "SUCCESSFUL": "done"}.get(
        str(found.status), "failed"
    )
    done = found.return_value if status == "done" else None
    return {"status": status, **(done or {})}


# --- the linkage stage ---


@dataclass(frozen=True)
class Linked:
    """A linkage run and where the hub keeps it, with what its reactions did."""

    result: run.Result
    run: LinkRun
    files: int
    reacted: dict[str, dict[str, Any]]


class _Stale(Exception):
    """Another linkage run finished while this one ran."""


#: How often a run resolves again after finding another run finished while it worked.
ATTEMPTS = 3


def link(
    caller: Caller, retrain: bool = False, full: bool = False, backend: Backend = DEFAULT_BACKEND
) -> Linked:
    """Link every landed person record into people (`safeguard.linkage.run.link`) under the
    current decisions, keeping the current people's ids, and record the outcome with its
    audit event in one transaction; then the reactions to "people linked"."""
    allowed = audit.check(
        caller, policy.act(caller.actor, Action.RUN_STAGE), Refused("link people")
    )
    files = landed_people_files()
    if not files:
        _broken(
            caller,
            Refused("link people"),
            "no people records ingested yet: run `safeguard ingest` first",
        )
    settings = get_settings()
    mark, started, previous = queries.last_run(), timezone.now(), queries.current_people()
    result = run.link(
        files,
        settings.linkage_dir,
        settings.linkage_config(),
        retrain=retrain,
        full=full,
        decisions=queries.decisions(),
        previous=previous,
        next_person=queries.next_person_id(),
        former=queries.former_people(),
        backend=backend,
    )
    try:
        recorded = _recorded(caller, allowed, result, started, previous, mark)
    except _Stale:
        return _resolved_again(caller, allowed, len(files))
    return Linked(result, recorded, len(files), _react(caller))


def relink(caller: Caller) -> Linked:
    """Resolve the last run's pairs again under every current decision (no scoring), after a
    decision; the job a decision queues."""
    return _resolved_again(caller, Decision(True, "resolving people again after a decision"), 0)


def _resolved_again(caller: Caller, allowed: Decision, files: int) -> Linked:
    settings = get_settings()
    for _ in range(ATTEMPTS):
        mark, started, previous = queries.last_run(), timezone.now(), queries.current_people()
        try:
            result = run.relink(
                settings.linkage_dir,
                queries.decisions(),
                previous,
                queries.next_person_id(),
                settings.linkage_config(),
                queries.former_people(),
            )
        except NotLinkedYet as exc:
            _broken(caller, Refused("link people"), str(exc))
        try:
            recorded = _recorded(caller, allowed, result, started, previous, mark)
        except _Stale:
            continue
        return Linked(result, recorded, files, _react(caller))
    _broken(caller, Refused("link people"), "other linkage runs kept finishing first: run it again")


def _recorded(
    caller: Caller, allowed: Decision, result: run.Result, started: Any, previous: Any, mark: int
) -> LinkRun:
    with transaction.atomic():
        if queries.last_run() != mark:
            raise _Stale
        s = result.summary
        made = store.record_run(s, started, result.assignment, previous, result.refusals)
        audit.write(
            caller.actor, PeopleLinked(made.pk, s.mode, s.people, s.events), allowed, caller.channel
        )
        return made


def _react(caller: Caller) -> dict[str, dict[str, Any]]:
    return reactions.after(reactions.Stage.PEOPLE_LINKED, caller)


@reactions.on(reactions.Stage.PEOPLE_LINKED, "search")
def refresh_search(caller: Caller) -> dict[str, int]:
    """The reaction: the search index in step with the people and their records."""
    with transaction.atomic():
        written, removed = store.refresh_search(get_settings().linkage_dir)
    return {"written": written, "removed": removed}
