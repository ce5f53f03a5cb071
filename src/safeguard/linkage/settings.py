"""The linkage model's comparisons and blocking rules for UK agency people records.

Pure functions returning Splink objects; nothing here touches data. Column names are those of
`safeguard.linkage.records.people_frame`. Levels run from most to least alike; the first level of
each comparison is its null level (no evidence either way).
"""

from __future__ import annotations

from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

DECISIVE_M = 1e-6
"""m probability fixed (not trained) for a first name or a birth date that disagrees outright.

EM cannot learn how decisive these disagreements are: twins, siblings and a parent and child
named alike share surname, address and phone, so their pairs look like matches on everything
else. A record of the same person with a wholly different first name (no nickname, alias or
other name in common) or a birth date over a year away is rare, so the weight is about -20."""


def _decisive_else() -> ComparisonLevelCreator:
    return cll.ElseLevel().configure(m_probability=DECISIVE_M, fix_m_probability=True)


def _null(*columns: str) -> ComparisonLevelCreator:
    sql = " or ".join(f"{c}_l is null or {c}_r is null" for c in columns)
    return cll.CustomLevel(sql, "null").configure(is_null_level=True)


def _level(sql: str, label: str, tf: str | None = None) -> ComparisonLevelCreator:
    level = cll.CustomLevel(sql, label)
    return level.configure(tf_adjustment_column=tf) if tf else level


def _exact(column: str, label: str, else_m: float | None = None) -> ComparisonCreator:
    """Equal or not: identifiers, phone, email, sex. `else_m` fixes how often the same person's
    records disagree, where the training blocks cannot show it."""
    differs: ComparisonLevelCreator = cll.ElseLevel()
    if else_m is not None:
        differs = differs.configure(m_probability=else_m, fix_m_probability=True)
    return cl.CustomComparison(
        [
            _null(column),
            _level(f"{column}_l = {column}_r", "exact"),
            differs,
        ],
        output_column_name=label,
    )


def forename() -> ComparisonCreator:
    """First forename; nicknames and short forms (Katie/Catherine) through the nickname groups;
    a middle name or alias written as the forename through shared name tokens."""
    return cl.CustomComparison(
        [
            _null("forename1"),
            _level("forename1_l = forename1_r", "exact", tf="forename1"),
            _level("list_has_any(forename_groups_l, forename_groups_r)", "nickname"),
            _level("jaro_winkler_similarity(forename1_l, forename1_r) >= 0.92", "jw 0.92"),
            _level("list_has_any(name_tokens_l, name_tokens_r)", "other name or alias"),
            _level("jaro_winkler_similarity(forename1_l, forename1_r) >= 0.8", "jw 0.8"),
            _decisive_else(),
        ],
        output_column_name="forename",
    )


def surname() -> ComparisonCreator:
    """Surname; a double-barrelled or hyphenated surname recorded in part matches on its parts."""
    return cl.CustomComparison(
        [
            _null("surname"),
            _level("surname_l = surname_r", "exact", tf="surname"),
            _level("list_has_any(surname_parts_l, surname_parts_r)", "shared part"),
            _level("damerau_levenshtein(surname_l, surname_r) <= 1", "one edit"),
            _level("jaro_winkler_similarity(surname_l, surname_r) >= 0.88", "jw 0.88"),
            cll.ElseLevel(),
        ],
        output_column_name="surname",
    )


def date_of_birth() -> ComparisonCreator:
    """Date of birth: exact, day and month swapped, agreeing as far as a partial date goes,
    one keying error or a few days out, a year out; anything else disagrees."""
    return cl.CustomComparison(
        [
            _null("dob_year"),
            _level("dob_l = dob_r", "exact"),
            _level("dob_l = dob_swapped_r or dob_swapped_l = dob_r", "day and month swapped"),
            _level(
                "(dob_l is null or dob_r is null) and dob_year_l = dob_year_r "
                "and (dob_month_l is null or dob_month_r is null or dob_month_l = dob_month_r)",
                "partial agrees",
            ),
            _level(
                "damerau_levenshtein(dob_l, dob_r) <= 1 "
                "or abs(date_diff('day', dob_date_l, dob_date_r)) <= 10",
                "one edit or within 10 days",
            ),
            _level("abs(date_diff('day', dob_date_l, dob_date_r)) <= 366", "within a year"),
            _decisive_else(),
        ],
        output_column_name="date_of_birth",
    )


def location() -> ComparisonCreator:
    """Address and postcode as one comparison, because they move together (a family that moves
    changes both); counting them apart would double the evidence of a shared household."""
    return cl.CustomComparison(
        [
            _level(
                "(address_l is null and postcode_l is null) "
                "or (address_r is null and postcode_r is null)",
                "null",
            ).configure(is_null_level=True),
            _level("address_l = address_r and postcode_l = postcode_r", "address and postcode"),
            _level("postcode_l = postcode_r", "postcode", tf="postcode"),
            _level("address_l = address_r", "address, postcode differs or missing"),
            _level("postcode_sector_l = postcode_sector_r", "postcode sector"),
            _level("postcode_district_l = postcode_district_r", "postcode district"),
            cll.ElseLevel(),
        ],
        output_column_name="location",
    )


def comparisons() -> list[ComparisonCreator]:
    """Every comparison of the model, in the order explanations list them."""
    return [
        _exact("nhs_number", "nhs_number"),
        _exact("upn", "upn"),
        _exact("pnc_id", "pnc_id"),
        forename(),
        surname(),
        date_of_birth(),
        location(),
        _exact("phone", "phone"),
        _exact("email", "email", else_m=0.2),  # addresses change; training sees too few
        _exact("sex", "sex", else_m=0.01),  # recorded wrongly now and then; EM would say never
    ]


def prediction_blocking() -> list[BlockingRuleCreator]:
    """Candidate pairs, chosen for recall: any one identifier, or two of name, birth date and
    place. A pair found by none of them is never scored."""
    return [
        block_on("nhs_number"),
        block_on("upn"),
        block_on("pnc_id"),
        block_on("dob"),
        block_on("forename_key", "surname"),
        block_on("forename_key", "dob_year"),
        block_on("surname", "dob_year"),
        block_on("forename_key", "postcode"),
        block_on("surname", "postcode"),
        block_on("phone"),
        block_on("surname_parts", "dob_month", arrays_to_explode=["surname_parts"]),
        block_on("name_tokens", "postcode_district", arrays_to_explode=["name_tokens"]),
    ]


def training_blocking() -> list[BlockingRuleCreator]:
    """Blocking rules for expectation maximisation: forename, surname and birth date are each
    free in one block and the blocks are mostly true matches. No block on place alone: a
    household (parents, siblings) shares surname, address and phone, and EM would learn "same
    household" instead of "same person"."""
    return [
        block_on("forename1", "dob"),
        block_on("surname", "dob"),
        block_on("forename1", "surname"),
    ]


def settings(probability_two_random_records_match: float = 1e-4) -> SettingsCreator:
    """The untrained model: one table of all agencies' records, deduplicated as a whole."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=list[ComparisonCreator | dict[str, Any]](comparisons()),
        blocking_rules_to_generate_predictions=list[BlockingRuleCreator | dict[str, Any]](
            prediction_blocking()
        ),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["agency", "record_id"],
    )
