"""The record kinds an agency may deliver, defined once.

Every kind has a stable agency record id (`record_id`). References (`person_id`, `incident_id`, ...)
name records of the same agency, in the same delivery or in one it delivered before.
"""

from __future__ import annotations

from dataclasses import dataclass

from safeguard.contract.fields import Field, FieldType

CONTRACT_VERSION = "1.0"

T = FieldType

SEX_CODES = ("female", "male", "other", "unknown")
SEX_SYNONYMS = (
    ("f", "female"),
    ("m", "male"),
    ("u", "unknown"),
    ("not_known", "unknown"),
    ("girl", "female"),
    ("boy", "male"),
    ("x", "other"),
    ("9", "unknown"),
    ("1", "male"),
    ("2", "female"),
    ("0", "unknown"),
    ("not_specified", "unknown"),
)
ETHNICITY_CODES = ("white", "mixed", "asian", "black", "other", "not_stated")
PERSON_FLAGS = (
    "looked_after",
    "care_leaver",
    "child_protection_plan",
    "child_in_need",
    "learning_disability",
    "special_educational_needs",
    "young_carer",
    "domestic_abuse_at_home",
    "parental_substance_misuse",
    "neglect",
    "known_offender",
    "registered_sex_offender",
    "staff_member",
)
MISSING_CATEGORIES = ("missing", "absent", "away_without_authorisation")
RISK_GRADES = ("no_apparent_risk", "low", "medium", "high")
INCIDENT_TYPES = (
    "child_sexual_exploitation",
    "sexual_offence",
    "missing_person",
    "concern_for_welfare",
    "assault",
    "drugs",
    "public_order",
    "theft",
    "criminal_exploitation",
    "online_offence",
    "domestic_abuse",
    "anti_social_behaviour",
    "other",
)
INVOLVEMENT_ROLES = (
    "victim",
    "suspect",
    "witness",
    "associate",
    "reporting_person",
    "driver",
    "passenger",
)
SIGHTING_SOURCES = ("stop_check", "care_home_log", "anpr", "patrol", "school", "other")
CONCERN_CATEGORIES = (
    "sexual_exploitation",
    "missing",
    "neglect",
    "physical_abuse",
    "sexual_abuse",
    "emotional_abuse",
    "domestic_abuse",
    "criminal_exploitation",
    "online_harm",
    "self_harm",
    "substance_misuse",
    "mental_health",
    "other",
)
HEALTH_SETTINGS = (
    "sexual_health_clinic",
    "emergency_department",
    "gp",
    "school_nurse",
    "maternity",
    "other",
)
HEALTH_EVENT_CODES = (
    "sti_test",
    "sti_diagnosis",
    "pregnancy_test",
    "pregnancy",
    "termination",
    "emergency_contraception",
    "self_harm",
    "overdose",
    "intoxication",
    "injury",
    "sexual_assault",
    "other",
)
EDUCATION_EVENT_TYPES = (
    "absence",
    "persistent_absence",
    "suspension",
    "permanent_exclusion",
    "child_missing_education",
    "part_time_timetable",
    "other",
)
PLACEMENT_TYPES = ("childrens_home", "foster_care", "semi_independent", "kinship", "other")
COUNCIL_AREAS = (
    "cheshire_east",
    "cheshire_west_and_chester",
    "warrington",
    "halton",
    "out_of_area",
)
SOURCE_EVALUATIONS = ("1", "2", "3")
INTELLIGENCE_ASSESSMENTS = ("a", "b", "c", "d", "e")
HANDLING_CODES = ("p", "c")


@dataclass(frozen=True)
class Kind:
    """A record kind: its name, what it holds and its fields."""

    name: str
    description: str
    fields: tuple[Field, ...]
    subject: str | None = None
    when: str | None = None

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


# Spellings agencies' systems write for the codes above (case, spaces, hyphens, slashes,
# apostrophes, full stops and brackets are ignored already: see `Field.code_for`). Only
# spellings that mean one code are listed; an ambiguous one ("exclusion": a suspension or
# permanent?) stays refused with a clear message.
ETHNICITY_SYNONYMS = (
    ("white_british", "white"),
    ("white_irish", "white"),
    ("white_other", "white"),
    ("asian_british", "asian"),
    ("black_british", "black"),
    ("prefer_not_to_say", "not_stated"),
    ("refused", "not_stated"),
    ("not_known", "not_stated"),
)
FLAG_SYNONYMS = (
    ("lac", "looked_after"),
    ("cla", "looked_after"),
    ("child_in_care", "looked_after"),
    ("looked_after_child", "looked_after"),
    ("cin", "child_in_need"),
    ("cp_plan", "child_protection_plan"),
    ("cpp", "child_protection_plan"),
    ("sen", "special_educational_needs"),
    ("send", "special_educational_needs"),
    ("ld", "learning_disability"),
    ("staff", "staff_member"),
    ("rso", "registered_sex_offender"),
)
INCIDENT_SYNONYMS = (
    ("cse", "child_sexual_exploitation"),
    ("sexual_assault", "sexual_offence"),
    ("rape", "sexual_offence"),
    ("asb", "anti_social_behaviour"),
    ("cce", "criminal_exploitation"),
    ("da", "domestic_abuse"),
    ("missing", "missing_person"),
)
ROLE_SYNONYMS = (
    ("offender", "suspect"),
    ("complainant", "victim"),
    ("informant", "reporting_person"),
    ("caller", "reporting_person"),
)
COUNCIL_SYNONYMS = (
    ("cheshire_west_&_chester", "cheshire_west_and_chester"),
    ("cwac", "cheshire_west_and_chester"),
    ("ooa", "out_of_area"),
)
PLACEMENT_SYNONYMS = (
    ("residential", "childrens_home"),
    ("residential_home", "childrens_home"),
    ("fostering", "foster_care"),
    ("foster_placement", "foster_care"),
    ("foster", "foster_care"),
    ("kinship_care", "kinship"),
    ("family_and_friends", "kinship"),
    ("supported_accommodation", "semi_independent"),
    ("semi_independent_living", "semi_independent"),
)


def _id(what: str) -> Field:
    return Field("record_id", T.TEXT, f"the agency's stable id for this {what}", required=True)


def _person(required: bool = True, what: str = "the person this record is about") -> Field:
    return Field("person_id", T.REF, what, required=required, ref_kind="people")


PEOPLE = Kind(
    "people",
    "A person as the agency knows them: child, parent, carer, suspect, staff.",
    (
        _id("person"),
        Field("forenames", T.NAME, "given names, in the order used"),
        Field("surname", T.NAME, "family name (hyphenated and double-barrelled as recorded)"),
        Field("other_names", T.NAMES, "aliases, nicknames and previous names"),
        Field("date_of_birth", T.PARTIAL_DATE, "date of birth, full or partial"),
        Field("sex", T.CODE, "sex as recorded", codes=SEX_CODES, synonyms=SEX_SYNONYMS),
        Field(
            "ethnicity",
            T.CODE,
            "ethnic group (ONS broad groups)",
            codes=ETHNICITY_CODES,
            synonyms=ETHNICITY_SYNONYMS,
        ),
        Field("nhs_number", T.NHS_NUMBER, "NHS number"),
        Field("upn", T.UPN, "unique pupil number"),
        Field("pnc_id", T.PNC_ID, "police national computer id"),
        Field("address", T.TEXT, "street address"),
        Field("town", T.TEXT, "town or city"),
        Field("postcode", T.POSTCODE, "postcode of the address"),
        Field("phone", T.PHONE, "phone number"),
        Field("email", T.EMAIL, "email address"),
        Field(
            "flags",
            T.CODES,
            "what the agency knows about the person",
            codes=PERSON_FLAGS,
            synonyms=FLAG_SYNONYMS,
        ),
    ),
    when=None,
)

MISSING_EPISODES = Kind(
    "missing_episodes",
    "A child missing, absent or away from placement without authorisation.",
    (
        _id("episode"),
        _person(),
        Field(
            "category",
            T.CODE,
            "missing, absent or away without authorisation",
            required=True,
            codes=MISSING_CATEGORIES,
            synonyms=(
                ("awol", "away_without_authorisation"),
                ("away_from_placement", "away_without_authorisation"),
                ("away_from_placement_without_authorisation", "away_without_authorisation"),
                ("missing_from_care", "missing"),
                ("missing_from_home", "missing"),
            ),
        ),
        Field("reported_at", T.DATETIME, "when the episode was reported", required=True),
        Field("last_seen_at", T.DATETIME, "when the child was last seen"),
        Field("last_seen_location", T.TEXT, "where the child was last seen"),
        Field("last_seen_postcode", T.POSTCODE, "postcode where last seen"),
        Field("returned_at", T.DATETIME, "when the child returned or was found"),
        Field("found_location", T.TEXT, "where the child was found"),
        Field("found_postcode", T.POSTCODE, "postcode where found"),
        Field("found_with", T.TEXT, "who the child was with, as described"),
        Field(
            "found_with_person_ids", T.REFS, "people the child was found with", ref_kind="people"
        ),
        Field(
            "risk_grade",
            T.CODE,
            "police risk grade",
            codes=RISK_GRADES,
            synonyms=(
                ("none", "no_apparent_risk"),
                ("no_risk", "no_apparent_risk"),
                ("nar", "no_apparent_risk"),
                ("high_risk", "high"),
                ("medium_risk", "medium"),
                ("med", "medium"),
                ("low_risk", "low"),
            ),
        ),
        Field("rhi_offered_at", T.DATETIME, "when a return home interview was offered"),
        Field("rhi_completed_at", T.DATETIME, "when the return home interview took place"),
        Field("care_home_id", T.TEXT, "the children's home reporting it (its `care_homes` id)"),
        Field("notes", T.TEXT, "circumstances"),
    ),
    subject="person_id",
    when="reported_at",
)

INCIDENTS = Kind(
    "incidents",
    "A police incident or crime.",
    (
        _id("incident"),
        Field("occurred_at", T.DATETIME, "when it happened", required=True),
        Field(
            "incident_type",
            T.CODE,
            "what kind of incident",
            required=True,
            codes=INCIDENT_TYPES,
            synonyms=INCIDENT_SYNONYMS,
        ),
        Field("crime_reference", T.TEXT, "crime number, if recorded as a crime"),
        Field("location", T.TEXT, "where it happened"),
        Field("postcode", T.POSTCODE, "postcode where it happened"),
        Field("summary", T.TEXT, "what happened"),
    ),
    when="occurred_at",
)

INVOLVEMENTS = Kind(
    "involvements",
    "A person's part in an incident.",
    (
        _id("involvement"),
        Field("incident_id", T.REF, "the incident", required=True, ref_kind="incidents"),
        _person(),
        Field(
            "role",
            T.CODE,
            "the person's role",
            required=True,
            codes=INVOLVEMENT_ROLES,
            synonyms=ROLE_SYNONYMS,
        ),
        Field("vehicle", T.VRM, "vehicle the person was in or drove"),
    ),
    subject="person_id",
)

SIGHTINGS = Kind(
    "sightings",
    "A person seen with others, a vehicle or a phone at a place and time.",
    (
        _id("sighting"),
        _person(what="the person seen"),
        Field("seen_at", T.DATETIME, "when", required=True),
        Field("location", T.TEXT, "where"),
        Field("postcode", T.POSTCODE, "postcode of the place"),
        Field("with_person_ids", T.REFS, "known people they were with", ref_kind="people"),
        Field("with_description", T.TEXT, "people they were with who are not known, described"),
        Field("vehicle", T.VRM, "vehicle involved (registration mark)"),
        Field("phone", T.PHONE, "phone involved"),
        Field(
            "source", T.CODE, "how the sighting was recorded", required=True, codes=SIGHTING_SOURCES
        ),
        Field("notes", T.TEXT, "what was seen"),
    ),
    subject="person_id",
    when="seen_at",
)

INTELLIGENCE = Kind(
    "intelligence",
    "An intelligence report graded 3x5x2.",
    (
        _id("report"),
        Field("reported_at", T.DATETIME, "when the report was submitted", required=True),
        Field(
            "source_evaluation",
            T.CODE,
            "1 reliable, 2 untested, 3 not reliable",
            required=True,
            codes=SOURCE_EVALUATIONS,
        ),
        Field(
            "intelligence_assessment",
            T.CODE,
            "A known directly, B known indirectly and corroborated, C known indirectly, "
            "D not known, E suspected false",
            required=True,
            codes=INTELLIGENCE_ASSESSMENTS,
        ),
        Field(
            "handling_code",
            T.CODE,
            "P lawful sharing permitted, C with conditions",
            required=True,
            codes=HANDLING_CODES,
        ),
        Field("text", T.TEXT, "the report", required=True),
        Field("person_ids", T.REFS, "people the report mentions", ref_kind="people"),
        Field("vehicles", T.VRMS, "vehicles the report mentions"),
        Field("phones", T.PHONES, "phones the report mentions"),
        Field("locations", T.TEXT, "places the report mentions, separated by `;`"),
        Field("postcodes", T.POSTCODES, "postcodes the report mentions"),
    ),
    when="reported_at",
)

CONTACTS = Kind(
    "contacts",
    "A safeguarding contact or referral to the MASH.",
    (
        _id("contact"),
        Field("received_at", T.DATETIME, "when the contact was received", required=True),
        _person(what="the child the contact is about"),
        Field("referrer_agency", T.TEXT, "who made the contact (agency or member of the public)"),
        Field("referrer_role", T.TEXT, "the referrer's role"),
        Field(
            "concern_categories",
            T.CODES,
            "what the concern is about",
            required=True,
            codes=CONCERN_CATEGORIES,
            synonyms=(
                ("cse", "sexual_exploitation"),
                ("child_sexual_exploitation", "sexual_exploitation"),
                ("cce", "criminal_exploitation"),
                ("child_criminal_exploitation", "criminal_exploitation"),
                ("csa", "sexual_abuse"),
                ("child_sexual_abuse", "sexual_abuse"),
                ("drugs", "substance_misuse"),
                ("da", "domestic_abuse"),
                ("online_safety", "online_harm"),
            ),
        ),
        Field("other_person_ids", T.REFS, "other people named in the contact", ref_kind="people"),
        Field("text", T.TEXT, "the concern, in the referrer's words"),
    ),
    subject="person_id",
    when="received_at",
)

HEALTH_EVENTS = Kind(
    "health_events",
    "A coded health attendance.",
    (
        _id("attendance"),
        _person(),
        Field("attended_at", T.DATETIME, "when", required=True),
        Field(
            "setting",
            T.CODE,
            "where",
            codes=HEALTH_SETTINGS,
            synonyms=(
                ("a&e", "emergency_department"),
                ("a_&_e", "emergency_department"),
                ("ae", "emergency_department"),
                ("gum", "sexual_health_clinic"),
                ("ed", "emergency_department"),
                ("a_and_e", "emergency_department"),
                ("a_e", "emergency_department"),
                ("sexual_health", "sexual_health_clinic"),
            ),
        ),
        Field(
            "event_code",
            T.CODE,
            "what the attendance was for",
            required=True,
            codes=HEALTH_EVENT_CODES,
            synonyms=(
                ("sti_screen", "sti_test"),
                ("sti_screening", "sti_test"),
                ("ehc", "emergency_contraception"),
                ("top", "termination"),
            ),
        ),
        Field("notes", T.TEXT, "clinical summary"),
    ),
    subject="person_id",
    when="attended_at",
)

EDUCATION_EVENTS = Kind(
    "education_events",
    "Absence, exclusion or missing education.",
    (
        _id("event"),
        _person(),
        Field("school", T.TEXT, "school name or URN"),
        Field(
            "event_type",
            T.CODE,
            "what happened",
            required=True,
            codes=EDUCATION_EVENT_TYPES,
            synonyms=(
                ("fixed_term_exclusion", "suspension"),
                ("cme", "child_missing_education"),
                ("reduced_timetable", "part_time_timetable"),
            ),
        ),
        Field("start_date", T.DATE, "first day", required=True),
        Field("end_date", T.DATE, "last day"),
        Field("sessions_missed", T.INTEGER, "half-day sessions missed"),
        Field("notes", T.TEXT, "details"),
    ),
    subject="person_id",
    when="start_date",
)

PLACEMENTS = Kind(
    "placements",
    "A looked-after child's placement.",
    (
        _id("placement"),
        _person(what="the looked-after child"),
        Field(
            "placement_type",
            T.CODE,
            "kind of placement",
            codes=PLACEMENT_TYPES,
            synonyms=PLACEMENT_SYNONYMS,
        ),
        Field("care_home_id", T.TEXT, "the children's home (its `care_homes` id), if any"),
        Field("start_date", T.DATE, "placement start", required=True),
        Field("end_date", T.DATE, "placement end"),
        Field(
            "placing_council",
            T.CODE,
            "council that placed the child",
            codes=COUNCIL_AREAS,
            synonyms=COUNCIL_SYNONYMS,
        ),
    ),
    subject="person_id",
    when="start_date",
)

CARE_HOMES = Kind(
    "care_homes",
    "A children's home.",
    (
        _id("home"),
        Field("name", T.TEXT, "name of the home", required=True),
        Field("address", T.TEXT, "street address"),
        Field("town", T.TEXT, "town"),
        Field("postcode", T.POSTCODE, "postcode"),
        Field(
            "council_area",
            T.CODE,
            "council area it is in",
            codes=COUNCIL_AREAS,
            synonyms=COUNCIL_SYNONYMS,
        ),
        Field("provider", T.TEXT, "who runs it"),
    ),
)

KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        PEOPLE,
        MISSING_EPISODES,
        INCIDENTS,
        INVOLVEMENTS,
        SIGHTINGS,
        INTELLIGENCE,
        CONTACTS,
        HEALTH_EVENTS,
        EDUCATION_EVENTS,
        PLACEMENTS,
        CARE_HOMES,
    )
}


def kind(name: str) -> Kind:
    """The kind called `name`; KeyError naming the known kinds otherwise."""
    try:
        return KINDS[name]
    except KeyError:
        raise KeyError(f"unknown record kind {name!r}; known kinds: {', '.join(KINDS)}") from None
