"""Typed audit events: one dataclass for each thing the hub records, and the channel it came
through. Pure: the hub has one writer that stores them (`safeguard.hub.audit.services`).

Each event says what the audit trail shows of it: the person it is about (`about`), a line
naming the route, query or record (`line`), the user's own stated reason (`stated`), and
whether an auditor should review it (`flagged`). The policy's decision and lawful basis are
stored beside it. `docs/hub.md` lists every event (a test keeps the list complete).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, TypeVar, cast, dataclass_transform


class Channel(StrEnum):
    WEB = "web"
    API = "api"
    CLI = "cli"
    JOB = "job"  # work the hub does later on someone's behalf (people resolved again)


class Event:
    """What every audit event has. Subclasses are frozen dataclasses made by `event`."""

    name: ClassVar[str]
    label: ClassVar[str]
    flag: ClassVar[bool] = False

    def about(self) -> int | None:
        """The person the event is about, if one."""
        person = getattr(self, "person", None)
        return person if isinstance(person, int) else None

    def line(self) -> str:
        """The route, query or record, as the audit trail shows it."""
        return ""

    def stated(self) -> str:
        """The user's own reason, when they gave one."""
        return ""

    def flagged(self) -> bool:
        """For an auditor's review."""
        return self.flag


#: Every event by its stored name.
EVENTS: dict[str, type[Event]] = {}
E = TypeVar("E", bound=type[Event])


@dataclass_transform(frozen_default=True)
def event(name: str, label: str, flag: bool = False) -> Callable[[E], E]:
    """Register an event class under its stored `name`, with a plain-English `label`."""

    def register(cls: E) -> E:
        if name in EVENTS:
            raise ValueError(f"two audit events are called {name!r}")
        cls.name, cls.label, cls.flag = name, label, flag
        EVENTS[name] = cls
        return cast(E, dataclass(frozen=True)(cls))

    return register


def _people(shown: Sequence[int]) -> str:
    return (" -> " + ",".join(f"P{p}" for p in shown)) if shown else ""


@event("viewed_person", "Looked at a person: their page, screening, identity history or record")
class ViewedPerson(Event):
    person: int
    what: str

    def line(self) -> str:
        return self.what


@event("searched", "Searched for people, and whose details the answer showed")
class Searched(Event):
    text: str
    shown: tuple[int, ...] = ()

    def line(self) -> str:
        return f"q={self.text}{_people(self.shown)}"


@event("viewed_list", "Looked at a list naming children: a queue, alerts, findings")
class ViewedList(Event):
    what: str
    shown: tuple[int, ...] = ()

    def line(self) -> str:
        return f"{self.what}{_people(self.shown)}"


@event("viewed_finding", "Looked at a network finding and its evidence")
class ViewedFinding(Event):
    key: str
    people: tuple[int, ...] = ()

    def line(self) -> str:
        return f"finding {self.key}{_people(self.people)}"


@event("explained_pair", "Read why two records scored as they did (both records' details)")
class ExplainedPair(Event):
    left: str
    right: str
    person: int | None = None

    def line(self) -> str:
        return f"explain {self.left} {self.right}"


@event("broke_glass", "Opened a person outside their need to know, giving a reason", flag=True)
class BrokeGlass(Event):
    person: int
    reason: str

    def line(self) -> str:
        return "break-glass"

    def stated(self) -> str:
        return self.reason


@event("link_decided", "Decided two records are, or are not, the same person")
class LinkDecided(Event):
    left: str
    right: str
    same: bool
    reason: str
    person: int | None = None

    def line(self) -> str:
        verdict = "same person" if self.same else "different people"
        return f"{self.left} {self.right}: {verdict}"

    def stated(self) -> str:
        return self.reason


@event("person_split", "Split records off a person")
class PersonSplit(Event):
    person: int
    records: tuple[str, ...]
    reason: str

    def line(self) -> str:
        return "split " + " ".join(self.records)

    def stated(self) -> str:
        return self.reason


@event("finding_disposed", "Changed a network finding's disposition")
class FindingDisposed(Event):
    key: str
    action: str
    status: str
    reason: str

    def line(self) -> str:
        return f"finding {self.key}: {self.action} -> {self.status}"

    def stated(self) -> str:
        return self.reason


@event("screening_confirmed", "Set a child's screening level, with reasons")
class ScreeningConfirmed(Event):
    person: int
    band: str
    reason: str

    def line(self) -> str:
        return f"screening level {self.band}"

    def stated(self) -> str:
        return self.reason


@event("indicator_recorded", "Recorded an indicator seen at first hand")
class IndicatorRecorded(Event):
    person: int
    code: str
    seen_on: str
    note: str

    def line(self) -> str:
        return f"indicator {self.code} seen on {self.seen_on}"

    def stated(self) -> str:
        return self.note


@event("refused", "Was refused: a route, a person, or a decision the rules do not allow")
class Refused(Event):
    attempted: str
    where: str = ""
    person: int | None = None
    why: str = ""

    def line(self) -> str:
        return f"{self.attempted}: {self.where}" if self.where else self.attempted

    def stated(self) -> str:
        return self.why


@event("signed_in", "Signed in")
class SignedIn(Event):
    how: str

    def line(self) -> str:
        return self.how


@event("signed_out", "Signed out")
class SignedOut(Event):
    pass


@event("administered", "Changed accounts or reference data (admin site or `safeguard users`)")
class Administered(Event):
    change: str
    accounts: bool = False

    def line(self) -> str:
        return self.change

    def flagged(self) -> bool:
        return self.accounts  # changes to who may see what are reviewed


@event("viewed_audit", "Read the audit trail")
class ViewedAudit(Event):
    filters: str = ""

    def line(self) -> str:
        return self.filters or "all events"


@event("audit_verified", "Checked the audit trail's chain and anchors: intact, or the first break")
class AuditVerified(Event):
    outcome: str
    broken: bool = False

    def line(self) -> str:
        return self.outcome

    def flagged(self) -> bool:
        return self.broken  # a broken chain is for an auditor to look into


@event("audit_anchored", "Signed the audit trail's last event and hash, kept outside the database")
class AuditAnchored(Event):
    seq: int
    hash: str
    file: str

    def line(self) -> str:
        return f"anchor {self.file}: event {self.seq}, hash {self.hash}"


@event("viewed_quarantine", "Read quarantined rows as delivered")
class ViewedQuarantine(Event):
    what: str

    def line(self) -> str:
        return self.what


@event("delivery_taken", "Took an agency's delivery: loaded, already ingested or rejected")
class DeliveryTaken(Event):
    source: str
    agency: str
    outcome: str
    read: int = 0
    accepted: int = 0
    quarantined: int = 0

    def line(self) -> str:
        return (
            f"{self.agency} {self.outcome}: read {self.read}, accepted {self.accepted}, "
            f"quarantined {self.quarantined} ({self.source})"
        )


@event("people_linked", "Linked records into people (a linkage run, or after a decision)")
class PeopleLinked(Event):
    run: int
    mode: str
    people: int
    changed: int

    def line(self) -> str:
        return f"linkage run {self.run} ({self.mode}): {self.people} people, {self.changed} moved"


@event("analysis_recorded", "Screened every linked child and recorded the analysis")
class AnalysisRecorded(Event):
    run: int
    as_of: str
    screened: int
    at_risk: int

    def line(self) -> str:
        return (
            f"analysis run {self.run} on {self.as_of}: {self.screened} screened, "
            f"{self.at_risk} at risk"
        )


@event("backed_up", "Backed up the hub: its database and data folder, with counts and a hash")
class BackedUp(Event):
    store: str
    rows: int
    files: int
    sha256: str

    def line(self) -> str:
        held = f"{self.rows} rows, {self.files} files"
        return f"backup of the {self.store} store: {held}, sha256 {self.sha256}"


@event("restored", "Restored the hub from a backup, its counts and audit chain checked", flag=True)
class Restored(Event):
    made_at: str
    rows: int
    files: int
    checks: str

    def line(self) -> str:
        return f"backup made {self.made_at}: {self.rows} rows, {self.files} files; {self.checks}"


# --- the MASH front door (docs/mash.md) ---


@event("contact_received", "A contact reached the MASH (web form, API, delivery or the public)")
class ContactReceived(Event):
    reference: str
    route: str
    source: str
    person: int | None = None

    def line(self) -> str:
        return f"{self.reference} by {self.route} (source {self.source})"


@event("viewed_contact", "Looked at a contact: what was reported, the rating, checks, decision")
class ViewedContact(Event):
    reference: str
    person: int | None = None

    def line(self) -> str:
        return self.reference


@event("contact_rated", "Rated a contact Red, Amber, Green or Blue, or changed its rating")
class ContactRated(Event):
    reference: str
    rating: str
    reason: str
    previous: str = ""
    person: int | None = None

    def line(self) -> str:
        was = f" (was {self.previous})" if self.previous else ""
        return f"{self.reference}: {self.rating}{was}"

    def stated(self) -> str:
        return self.reason


@event("contact_routed", "Sent a contact to the allocated worker's team, or took it back")
class ContactRouted(Event):
    reference: str
    team: str
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"{self.reference} -> {self.team}"

    def stated(self) -> str:
        return self.reason


@event("checks_requested", "Asked agencies what they hold about a contact's people (a share)")
class ChecksRequested(Event):
    reference: str
    agencies: tuple[str, ...]
    basis: str
    person: int | None = None

    def line(self) -> str:
        return f"{self.reference}: asked {', '.join(self.agencies)} ({self.basis})"


@event("check_answered", "Answered a check for an agency: what it holds")
class CheckAnswered(Event):
    reference: str
    agency: str
    holds: bool
    person: int | None = None

    def line(self) -> str:
        held = "holds information" if self.holds else "holds nothing"
        return f"{self.reference}: {self.agency} {held}"


@event("check_withdrawn", "Withdrew a check no longer needed")
class CheckWithdrawn(Event):
    reference: str
    agency: str
    reason: str

    def line(self) -> str:
        return f"{self.reference}: {self.agency} withdrawn"

    def stated(self) -> str:
        return self.reason


@event("subject_linked", "Said who a person named in a contact is (a person the hub knows)")
class SubjectLinked(Event):
    reference: str
    subject: int
    person: int | None = None

    def line(self) -> str:
        return f"{self.reference}: named person {self.subject} is P{self.person}"


@event("contact_noted", "Added information to a contact")
class ContactNoted(Event):
    reference: str
    person: int | None = None

    def line(self) -> str:
        return self.reference


@event("contact_decided", "Decided a contact: the outcomes, reasons and lawful basis")
class ContactDecided(Event):
    reference: str
    outcomes: tuple[str, ...]
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"{self.reference}: {', '.join(self.outcomes)}"

    def stated(self) -> str:
        return self.reason


@event("contact_reopened", "Reopened a decided contact")
class ContactReopened(Event):
    reference: str
    reason: str
    person: int | None = None

    def line(self) -> str:
        return self.reference

    def stated(self) -> str:
        return self.reason


@event("clock_overdue", "A clock ran out before what it times was done (its owner alerted)")
class ClockOverdue(Event):
    reference: str
    clock: str
    due: str
    owners: tuple[str, ...] = ()

    def line(self) -> str:
        return f"{self.reference}: {self.clock} due {self.due}; alerted {', '.join(self.owners)}"


# --- the public's concerns (docs/mash.md) ---


@event("concern_reported", "A member of the public reported a concern (no account, no IP kept)")
class ConcernReported(Event):
    contact: str
    named: bool

    def line(self) -> str:
        who = "gave their details" if self.named else "anonymous"
        return f"{self.contact} ({who})"


@event("concern_added_to", "A member of the public added information with their code")
class ConcernAddedTo(Event):
    contact: str

    def line(self) -> str:
        return self.contact


@event("viewed_reporter", "Read who reported a concern (kept apart from the concern)")
class ViewedReporter(Event):
    contact: str
    why: str

    def line(self) -> str:
        return self.contact

    def stated(self) -> str:
        return self.why


# --- missing children, return home interviews, children's homes (docs/missing.md) ---


@event("episode_reported", "Reported a child missing, absent or away from placement")
class EpisodeReported(Event):
    episode: int
    kind: str
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}: {self.kind}"


@event("viewed_episode", "Looked at a missing episode, its interview or a child's pattern")
class ViewedEpisode(Event):
    episode: int
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}"


@event("episode_graded", "Graded, or reviewed, the risk of a missing episode")
class EpisodeGraded(Event):
    episode: int
    grade: str
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}: {self.grade}"

    def stated(self) -> str:
        return self.reason


@event("child_returned", "Recorded a child's return: where found, by whom, with whom")
class ChildReturned(Event):
    episode: int
    hours: float
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}: back after {self.hours:.1f} hours"


@event("episode_cancelled", "Cancelled a missing episode reported in error")
class EpisodeCancelled(Event):
    episode: int
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}"

    def stated(self) -> str:
        return self.reason


@event("interview_recorded", "Recorded a step of a return home interview: offered to done")
class InterviewRecorded(Event):
    episode: int
    step: str
    reason: str = ""
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}: interview {self.step}"

    def stated(self) -> str:
        return self.reason


@event("strategy_task_opened", "Opened a strategy discussion task for a child's pattern")
class StrategyTaskOpened(Event):
    task: int
    trigger: str
    person: int | None = None

    def line(self) -> str:
        return f"task {self.task}: {self.trigger}"


@event("strategy_task_closed", "Held, or stood down, a strategy discussion")
class StrategyTaskClosed(Event):
    task: int
    step: str
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"task {self.task}: {self.step}"

    def stated(self) -> str:
        return self.reason


@event("philomena_kept", "Kept a child's Philomena Protocol form (part 1, or part 2)")
class PhilomenaKept(Event):
    part: int
    person: int | None = None
    episode: int | None = None

    def line(self) -> str:
        return f"Philomena part {self.part}" + (f", episode {self.episode}" if self.episode else "")


@event("philomena_handed_over", "Handed a child's Philomena pack to the police, or printed it")
class PhilomenaHandedOver(Event):
    episode: int
    how: str
    person: int | None = None

    def line(self) -> str:
        return f"episode {self.episode}: {self.how}"


@event("visit_logged", "Logged a police SPOC's visit to, or call with, a children's home")
class VisitLogged(Event):
    home: str
    kind: str

    def line(self) -> str:
        return f"{self.home}: {self.kind}"


@event("home_notified", "Logged a home's regulation 40 notification: what, when, to whom")
class HomeNotified(Event):
    home: str
    notice: str
    person: int | None = None

    def line(self) -> str:
        return f"{self.home}: {self.notice}"


# --- the MACE meeting (docs/mace.md) ---


@event("viewed_meeting", "Looked at a MACE meeting: its agenda, an item or an action")
class ViewedMeeting(Event):
    meeting: int
    what: str = ""
    shown: tuple[int, ...] = ()

    def line(self) -> str:
        return (
            f"meeting {self.meeting}"
            + (f", {self.what}" if self.what else "")
            + _people(self.shown)
        )


@event("meeting_scheduled", "Scheduled a MACE meeting, or changed its date, areas or attendees")
class MeetingScheduled(Event):
    meeting: int
    held_on: str
    change: str = "scheduled"

    def line(self) -> str:
        return f"meeting {self.meeting} on {self.held_on}: {self.change}"


@event("agenda_built", "Built a MACE meeting's agenda: children at risk, referrals, findings")
class AgendaBuilt(Event):
    meeting: int
    added: int
    shown: tuple[int, ...] = ()

    def line(self) -> str:
        return f"meeting {self.meeting}: {self.added} items added{_people(self.shown)}"


@event("agenda_item_added", "Added an item to a MACE meeting's agenda by hand, with the reason")
class AgendaItemAdded(Event):
    meeting: int
    subject: str
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"meeting {self.meeting}: {self.subject}"

    def stated(self) -> str:
        return self.reason


@event("item_decided", "Recorded a MACE meeting's discussion and decision on an agenda item")
class ItemDecided(Event):
    meeting: int
    item: int
    person: int | None = None

    def line(self) -> str:
        return f"meeting {self.meeting}, item {self.item}"


@event("mace_action_set", "Set a MACE action: what, its owner, their agency and the due date")
class MaceActionSet(Event):
    action: int
    item: int
    owner: str
    due: str
    person: int | None = None

    def line(self) -> str:
        return f"action {self.action} (item {self.item}) for {self.owner}, due {self.due}"


@event("mace_action_stepped", "Marked a MACE action done, or cancelled it, with the reason")
class MaceActionStepped(Event):
    action: int
    step: str
    reason: str
    person: int | None = None

    def line(self) -> str:
        return f"action {self.action}: {self.step}"

    def stated(self) -> str:
        return self.reason


@event("disruption_recorded", "Recorded a disruption: a notice, an order, a visit, a review")
class DisruptionRecorded(Event):
    disruption: int
    kind: str
    meeting: int | None = None
    person: int | None = None

    def line(self) -> str:
        where = f" (meeting {self.meeting})" if self.meeting else ""
        return f"disruption {self.disruption}: {self.kind}{where}"


# --- the review against the inquiries, action plans, the Ofsted register (docs/governance.md) ---


@event("viewed_review", "Looked at the review: a recommendation's assessments, or an action")
class ViewedReview(Event):
    recommendation: str
    what: str = ""

    def line(self) -> str:
        return self.recommendation + (f", {self.what}" if self.what else "")


@event("assessment_saved", "Saved an agency's self-assessment against a recommendation")
class AssessmentSaved(Event):
    recommendation: str
    agency: str
    version: int
    step: str
    rag: str = ""

    def line(self) -> str:
        rag = f", {self.rag}" if self.rag else ""
        return f"{self.recommendation} ({self.agency}) version {self.version}: {self.step}{rag}"


@event("assessment_reviewed", "Challenged or signed off an agency's self-assessment")
class AssessmentReviewed(Event):
    recommendation: str
    agency: str
    version: int
    step: str
    reason: str = ""

    def line(self) -> str:
        return f"{self.recommendation} ({self.agency}) version {self.version}: {self.step}"

    def stated(self) -> str:
        return self.reason


@event("review_action_set", "Set an action on a recommendation: what, owner, agency, due date")
class ReviewActionSet(Event):
    action: int
    recommendation: str
    owner: str
    due: str

    def line(self) -> str:
        return (
            f"review action {self.action} ({self.recommendation}) for {self.owner}, due {self.due}"
        )


@event("review_action_stepped", "Started, completed or cancelled a review action, with why")
class ReviewActionStepped(Event):
    action: int
    step: str
    reason: str = ""

    def line(self) -> str:
        return f"review action {self.action}: {self.step}"

    def stated(self) -> str:
        return self.reason


@event("ofsted_imported", "Imported Ofsted judgements of councils from a file")
class OfstedImported(Event):
    source: str
    added: int
    already: int
    refused: int

    def line(self) -> str:
        held = f"{self.already} held already"
        return f"{self.source}: {self.added} added, {held}, {self.refused} refused"


# --- the partnership's data set and the strategic group's meeting pack (docs/governance.md) ---


@event("viewed_data_set", "Looked at the partnership's data set: a KPI, its chart and table, a CSV")
class ViewedDataSet(Event):
    kpi: str
    area: str = ""
    what: str = "page"

    def line(self) -> str:
        area = f", {self.area}" if self.area else ""
        return f"data set {self.kpi}{area}: {self.what}"


@event("pack_made", "Made the strategic group's meeting pack (PDF): the meeting date, its hash")
class PackMade(Event):
    pack: int
    meeting: str
    sha256: str

    def line(self) -> str:
        return f"meeting pack {self.pack} for {self.meeting}, sha256 {self.sha256}"


@event("pack_downloaded", "Downloaded a meeting pack (PDF)")
class PackDownloaded(Event):
    pack: int
    meeting: str
    sha256: str

    def line(self) -> str:
        return f"meeting pack {self.pack} for {self.meeting}, sha256 {self.sha256}"


@event("ssd_exported", "Exported the hub's records in the Standard Safeguarding Dataset's layout")
class SsdExported(Event):
    since: str
    rows: str  # table=rows, ...

    def line(self) -> str:
        return f"SSD export since {self.since or 'the start'}: {self.rows}"


# --- data subjects' rights and retention (docs/security.md) ---


@event(
    "subject_access_exported",
    "Exported everything the hub holds about one person, for their subject access request",
    flag=True,
)
class SubjectAccessExported(Event):
    person: int
    counts: str  # section=records, ...

    def line(self) -> str:
        return f"subject access P{self.person}: {self.counts}"


@event("retention_checked", "Listed what is past the retention schedule (counts only)")
class RetentionChecked(Event):
    counts: str  # type=past, ...

    def line(self) -> str:
        return f"retention dry run: {self.counts}"


@event("retention_applied", "Removed the records past the retention schedule (counts)", flag=True)
class RetentionApplied(Event):
    counts: str  # type=removed, ...

    def line(self) -> str:
        return f"retention removed: {self.counts}"
