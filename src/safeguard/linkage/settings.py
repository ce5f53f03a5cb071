"""The linkage model's comparisons and blocking rules for UK agency people records.

Pure functions returning Splink objects; nothing here touches data. Column names are those of
`safeguard.linkage.records.people_frame`. Levels run from most to least alike; the first level of
each comparison is its null level (no evidence either way).

Every level is dialect-portable, so the same model runs on DuckDB and on Spark and gives the same
levels on both: most come from Splink's comparison-level library (which renders each function in
the backend's own SQL: `list_intersect` or `array_intersect`, `epoch` or `datediff`,
`damerau_levenshtein` of DuckDB or of Splink's Spark jar), the few plain conditions are written
in DuckDB SQL (`base_dialect_str`) that sqlglot transpiles, and Jaro-Winkler on Spark is our own
Spark SQL copy of DuckDB's (`spark_jaro_winkler`), since the Spark jar's scores differ. Each
level keeps a short label: explanations show it, and a model saved on one backend is matched to
these levels by it when loaded on another.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import SettingsCreator, block_on
from splink.blocking_rule_library import CustomRule
from splink.internals.blocking_rule_creator import BlockingRuleCreator
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator
from splink.internals.dialects import SplinkDialect

DECISIVE_M = 1e-6
"""m probability fixed (not trained) for a first name or a birth date that disagrees outright.

EM cannot learn how decisive these disagreements are: twins, siblings and a parent and child
named alike share surname, address and phone, so their pairs look like matches on everything
else. A record of the same person with a wholly different first name (no nickname, alias or
other name in common) or a birth date over a year away is rare, so the weight is about -20."""

BASE_DIALECT = "duckdb"
"""The dialect the plain SQL conditions below are written in; sqlglot translates them."""


def _decisive_else(fixed: bool = True) -> ComparisonLevelCreator:
    """A first name or birth date that disagrees outright: fixed at `DECISIVE_M`, or trained by
    EM when an identifier is compared too (it tells twins and siblings apart, so EM can), or
    when records are thin (`told_apart` then keeps twins and namesakes apart)."""
    if not fixed:
        return cll.ElseLevel()
    return cll.ElseLevel().configure(m_probability=DECISIVE_M, fix_m_probability=True)


SWAPPED = "forename1_l = surname_r or surname_l = forename1_r"
"""First name and surname recorded the other way round."""


def _labelled(level: ComparisonLevelCreator, label: str) -> ComparisonLevelCreator:
    return level.configure(label_for_charts=label)


def _sql(sql: str, label: str) -> ComparisonLevelCreator:
    """A plain condition (comparisons, `and`/`or`, `is null`) in DuckDB SQL, for any backend."""
    return cll.CustomLevel(sql, label, base_dialect_str=BASE_DIALECT)


def _null(column: str) -> ComparisonLevelCreator:
    return _labelled(cll.NullLevel(column), "null")


def _exact_level(column: str, label: str = "exact", tf: bool = False) -> ComparisonLevelCreator:
    """Equal values; `tf` adjusts the weight by how common the value is."""
    return _labelled(cll.ExactMatchLevel(column, term_frequency_adjustments=tf), label)


def _shares_any(column: str, label: str) -> ComparisonLevelCreator:
    """Two lists with at least one value in common."""
    return _labelled(cll.ArrayIntersectLevel(column, min_intersection=1), label)


def _let(value: str, name: str, body: str) -> str:
    """Spark SQL: `body` with `name` bound to `value` (a one-element array, transformed)."""
    return f"element_at(transform(array({value}), {name} -> {body}), 1)"


def spark_jaro_winkler(left: str, right: str) -> str:
    """Spark SQL giving exactly DuckDB's `jaro_winkler_similarity(left, right)`.

    Splink's Spark jar counts half transpositions (DuckDB rounds them down) and so scores some
    names lower (butler/burstall 0.78 against DuckDB's 0.80), and DuckDB adds the Winkler bonus
    with one rounding (a fused multiply-add), which decides names that land on a threshold. So
    this computes the same thing as DuckDB step by step with Spark's array functions: the Jaro
    matches (each character of `left` takes the first free equal character of `right` within
    the window), the transpositions, then the bonus for a common prefix of up to 4 characters
    when Jaro is over 0.7, added exactly (Dekker's product and sum) and rounded once."""
    la, lb = "length(a)", "length(b)"
    w = f"cast(greatest(greatest({la}, {lb}) div 2 - 1, 0) as int)"
    lo, hi = f"greatest(1, i - {w})", f"least({lb}, i + {w})"
    window = f"if({lo} <= {hi}, sequence({lo}, {hi}), cast(array() as array<int>))"
    first = (
        f"try_element_at(filter({window}, j -> substr(b, j, 1) = substr(a, i, 1) "
        "and not element_at(acc.fb, j)), 1)"
    )
    step = _let(
        first,
        "j",
        "if(j is null, acc, named_struct('fb', transform(acc.fb, (f, k) -> f or k + 1 = j), "
        "'ma', concat(acc.ma, array(i))))",
    )
    matched = (
        f"aggregate(sequence(1, {la}), named_struct('fb', array_repeat(false, {lb}), "
        f"'ma', cast(array() as array<int>)), (acc, i) -> {step})"
    )
    in_b = (
        f"filter(transform(sequence(1, {lb}), k -> if(element_at(s.fb, k), substr(b, k, 1), "
        "null)), x -> x is not null)"
    )
    in_a = "transform(s.ma, i -> substr(a, i, 1))"
    half_transpositions = f"size(filter(zip_with({in_a}, {in_b}, (x, y) -> x != y), d -> d)) div 2"
    jaro = (
        f"if(size(s.ma) = 0, 0.0D, ((size(s.ma) / {la} + size(s.ma) / {lb}) "
        f"+ (size(s.ma) - {half_transpositions}) / size(s.ma)) / 3.0D)"
    )
    prefix = (
        f"size(filter(sequence(1, least(4, {la}, {lb})), k -> substr(a, 1, k) = substr(b, 1, k)))"
    )

    def high(x: str) -> str:  # Veltkamp's split: the high half of a double's mantissa
        return _let(f"134217729.0D * {x}", "c", f"c - (c - {x})")

    # jr + pa * pb rounded once: pp + e is pa * pb exactly, s + f is pp + jr exactly
    error = "((ah * bh - pp) + ah * (pb - bh) + (pa - ah) * bh) + (pa - ah) * (pb - bh)"
    fused = _let(
        f"{prefix} * 0.1D",
        "pa",
        _let(
            "1.0D - jr",
            "pb",
            _let(
                "pa * pb",
                "pp",
                _let(
                    high("pa"),
                    "ah",
                    _let(
                        high("pb"),
                        "bh",
                        _let(
                            error,
                            "e",
                            _let(
                                "pp + jr",
                                "s",
                                _let("s - pp", "bb", "s + (((pp - (s - bb)) + (jr - bb)) + e)"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    )
    body = _let(matched, "s", _let(jaro, "jr", f"if(jr > 0.7D, {fused}, jr)"))
    return _let(left, "a", _let(right, "b", f"if({la} = 0 or {lb} = 0, 0.0D, {body})"))


class _JaroWinklerLevel(ComparisonLevelCreator):
    """Jaro-Winkler similarity at or above `threshold`, the same on every backend: DuckDB's
    `jaro_winkler_similarity` (as Splink's `JaroWinklerLevel` writes it) and, on Spark, the
    same computation in Spark SQL (`spark_jaro_winkler`) rather than Splink's jar."""

    def __init__(self, column: str, threshold: float) -> None:
        self.column = column
        self.threshold = threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        if sql_dialect.sql_dialect_str == "spark":
            similarity = spark_jaro_winkler(f"`{self.column}_l`", f"`{self.column}_r`")
            return f"{similarity} >= {self.threshold}"
        level = cll.JaroWinklerLevel(self.column, self.threshold)
        return str(level.create_sql(sql_dialect))

    def create_label_for_charts(self) -> str:
        return f"jw {self.threshold}"


class _SwappedAlikeLevel(ComparisonLevelCreator):
    """First name and surname written the other way round, one or both mistyped: either
    record's first name is like (Jaro-Winkler at or above `threshold`) the other's surname. The
    same on every backend, as `_JaroWinklerLevel`."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        pairs = (("forename1_l", "surname_r"), ("surname_l", "forename1_r"))
        if sql_dialect.sql_dialect_str == "spark":
            similar = [spark_jaro_winkler(f"`{a}`", f"`{b}`") for a, b in pairs]
        else:
            similar = [f'jaro_winkler_similarity("{a}", "{b}")' for a, b in pairs]
        return " or ".join(f"{s} >= {self.threshold}" for s in similar)

    def create_label_for_charts(self) -> str:
        return "names swapped, alike"


class _OneEditLevel(ComparisonLevelCreator):
    """At most one edit apart (Damerau-Levenshtein: a transposition is one edit), as Splink's
    level, with DuckDB's cheaper Levenshtein asked first: one Damerau edit is at most two
    Levenshtein edits, so the answer is the same, and DuckDB's Damerau-Levenshtein (several
    times slower) then runs only for the few pairs that are that close."""

    def __init__(self, column: str) -> None:
        self.column = column

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        level = str(cll.DamerauLevenshteinLevel(self.column, 1).create_sql(sql_dialect))
        if sql_dialect.sql_dialect_str != "duckdb":
            return level
        return f'levenshtein("{self.column}_l", "{self.column}_r") <= 2 and ({level})'

    def create_label_for_charts(self) -> str:
        return "one edit"


def _one_edit(column: str, thin: bool = False) -> ComparisonLevelCreator:
    """At most one edit apart; for `thin` records by `_OneEditLevel` (the hub's levels keep the
    SQL its saved models have)."""
    return _OneEditLevel(column) if thin else cll.DamerauLevenshteinLevel(column, 1)


def _jaro_winkler(column: str, threshold: float) -> ComparisonLevelCreator:
    return _JaroWinklerLevel(column, threshold)


def _days_apart(days: int) -> ComparisonLevelCreator:
    """Full birth dates (`dob_date`, a date) at most `days` apart."""
    return cll.AbsoluteDateDifferenceLevel(
        "dob_date", input_is_string=False, threshold=days, metric="day"
    )


def _exact(column: str, label: str, else_m: float | None = None) -> ComparisonCreator:
    """Equal or not: identifiers, phone, email, sex. `else_m` fixes how often the same person's
    records disagree, where the training blocks cannot show it."""
    differs: ComparisonLevelCreator = cll.ElseLevel()
    if else_m is not None:
        differs = differs.configure(m_probability=else_m, fix_m_probability=True)
    return cl.CustomComparison(
        [_null(column), _exact_level(column), differs],
        output_column_name=label,
    )


#: Names written the other way round and mistyped (thin records): Jaro-Winkler of a first name
#: with the other record's surname at or above this.
SWAPPED_ALIKE = 0.88


def _swapped(thin: bool) -> list[ComparisonLevelCreator]:
    """Names written the other way round; with `thin` records also mistyped."""
    return [
        _sql(SWAPPED, "names swapped"),
        *([_SwappedAlikeLevel(SWAPPED_ALIKE)] if thin else []),
    ]


def _forename_alike(thin: bool = False) -> list[ComparisonLevelCreator]:
    """The levels where two first names are alike, most alike first."""
    return [
        _exact_level("forename1", tf=True),
        _shares_any("forename_groups", "nickname"),
        _jaro_winkler("forename1", 0.92),
        _shares_any("name_tokens", "other name or alias"),
        _jaro_winkler("forename1", 0.8),
        *_swapped(thin),
    ]


def forename(decisive: bool = True, thin: bool = False) -> ComparisonCreator:
    """First forename; nicknames and short forms (Katie/Catherine) through the nickname groups;
    a middle name or alias written as the forename through shared name tokens."""
    return cl.CustomComparison(
        [_null("forename1"), *_forename_alike(thin), _decisive_else(decisive)],
        output_column_name="forename",
    )


def surname(thin: bool = False) -> ComparisonCreator:
    """Surname; a double-barrelled or hyphenated surname recorded in part matches on its parts."""
    return cl.CustomComparison(
        [
            _null("surname"),
            _exact_level("surname", tf=True),
            _shares_any("surname_parts", "shared part"),
            _labelled(_one_edit("surname", thin), "one edit"),
            _jaro_winkler("surname", 0.88),
            *_swapped(thin),
            cll.ElseLevel(),
        ],
        output_column_name="surname",
    )


def _dob_alike(thin: bool = False) -> list[ComparisonLevelCreator]:
    """The levels where two birth dates are alike, most alike first."""
    return [
        _exact_level("dob"),
        _sql("dob_l = dob_swapped_r or dob_swapped_l = dob_r", "day and month swapped"),
        _sql(
            "(dob_l is null or dob_r is null) and dob_year_l = dob_year_r "
            "and (dob_month_l is null or dob_month_r is null or dob_month_l = dob_month_r)",
            "partial agrees",
        ),
        _labelled(
            cll.Or(_one_edit("dob", thin), _days_apart(10)),
            "one edit or within 10 days",
        ),
        _labelled(_days_apart(366), "within a year"),
    ]


def date_of_birth(decisive: bool = True, thin: bool = False) -> ComparisonCreator:
    """Date of birth: exact, day and month swapped, agreeing as far as a partial date goes,
    one keying error or a few days out, a year out; anything else disagrees."""
    return cl.CustomComparison(
        [_null("dob_year"), *_dob_alike(thin), _decisive_else(decisive)],
        output_column_name="date_of_birth",
    )


class _NoneOf(ComparisonLevelCreator):
    """None of `levels` holds; a level whose value is null (a name without nickname groups, a
    date that cannot be swapped) counts as not holding, where SQL's `not` would stay null."""

    def __init__(self, *levels: ComparisonLevelCreator) -> None:
        self.levels = levels

    def create_sql(self, sql_dialect: SplinkDialect) -> str:
        return " and ".join(
            f"not coalesce(({level.create_sql(sql_dialect)}), false)" for level in self.levels
        )

    def create_label_for_charts(self) -> str:
        return "none of " + ", ".join(lv.create_label_for_charts() for lv in self.levels)


TWINS = "surname_l = surname_r and dob_l = dob_r"
"""Twins: surname and birth date agree, so only the first name tells them apart."""
NAMESAKES = "forename1_l = forename1_r and surname_l = surname_r"
"""A parent and child (or others) named alike: only the birth date tells them apart."""


def told_apart() -> ComparisonCreator:
    """Thin records only (no identifier): the two people a thin record cannot otherwise tell
    from one person. EM learns how often the same person's first name or birth date disagrees
    outright (in files whose typists replace whole values, often); but where everything else
    that could tell two people apart agrees - surname and birth date, for a first name
    (twins); both names, for a birth date (a parent and child named alike) - an outright
    disagreement is as decisive as in the hub: m `DECISIVE_M` and u 1 (the other comparisons
    already counted the agreement), fixed, about -20. A missing first name or birth date is no
    disagreement. Every other pair: weight 0, fixed. Link-files' `--twins-not-a-concern` leaves
    this comparison out."""
    forename_differs = cll.And(
        _sql("forename1_l is not null and forename1_r is not null", "both first names"),
        _NoneOf(*_forename_alike(thin=True)),
    )
    dob_differs = cll.And(
        _sql("dob_year_l is not null and dob_year_r is not null", "both birth dates"),
        _NoneOf(*_dob_alike(thin=True)),
    )
    return cl.CustomComparison(
        [
            _sql("surname_l is null or surname_r is null", "null").configure(is_null_level=True),
            _labelled(cll.And(_sql(TWINS, "twins"), forename_differs), "twins").configure(
                m_probability=DECISIVE_M,
                u_probability=1.0,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            _labelled(cll.And(_sql(NAMESAKES, "namesakes"), dob_differs), "namesakes").configure(
                m_probability=DECISIVE_M,
                u_probability=1.0,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            cll.ElseLevel().configure(
                m_probability=1.0, u_probability=1.0, fix_m_probability=True, fix_u_probability=True
            ),
        ],
        output_column_name="told_apart",
    )


#: Town names this alike (Jaro-Winkler) count as one town in thin records: a mistyped town.
TOWN_ALIKE = 0.9


def location(thin: bool = False) -> ComparisonCreator:
    """Address and postcode as one comparison, because they move together (a family that moves
    changes both); counting them apart would double the evidence of a shared household.

    With `thin` records the town counts beside the postcode, each level trained: where the
    town follows from the postcode (as in the UK) "postcode and town" learns about the
    postcode's weight, and where the two are written down apart it learns that both agreeing
    is more. A postcode one keying error out and a mistyped town count for something too."""
    postcode = cll.ExactMatchLevel("postcode")
    postcode_one_edit = _one_edit("postcode", thin)
    town = _jaro_winkler("town", TOWN_ALIKE) if thin else cll.ExactMatchLevel("town")
    levels: list[ComparisonLevelCreator | dict[str, Any]] = [
        _sql(
            "(address_l is null and postcode_l is null) "
            "or (address_r is null and postcode_r is null)",
            "null",
        ).configure(is_null_level=True),
        _labelled(cll.And(cll.ExactMatchLevel("address"), postcode), "address and postcode"),
        *([_labelled(cll.And(postcode, town), "postcode and town")] if thin else []),
        _exact_level("postcode", "postcode", tf=True),
        _exact_level("address", "address, postcode differs or missing"),
        _labelled(_jaro_winkler("address", 0.9), "address similar"),
        _exact_level("postcode_sector", "postcode sector"),
        _exact_level("postcode_district", "postcode district"),
        *([_labelled(cll.And(postcode_one_edit, town), "town, postcode one edit")] if thin else []),
        _labelled(town, "town alike" if thin else "town"),
        *([_labelled(postcode_one_edit, "postcode one edit")] if thin else []),
        cll.ElseLevel(),
    ]
    return cl.CustomComparison(levels, output_column_name="location")


def identifier() -> ComparisonCreator:
    """Another identifier the records share (link-files' `identifier`: a national insurance or
    social security number, a client number); no check digit is known, so keying errors are
    allowed for: one edit, two edits."""
    return cl.CustomComparison(
        [
            _null("identifier"),
            _exact_level("identifier"),
            _labelled(cll.LevenshteinLevel("identifier", 1), "one edit"),
            _labelled(cll.LevenshteinLevel("identifier", 2), "two edits"),
            cll.ElseLevel(),
        ],
        output_column_name="identifier",
    )


def comparisons(
    with_identifier: bool = False, empty: frozenset[str] = frozenset(), twins_apart: bool = True
) -> list[ComparisonCreator]:
    """Every comparison of the model, in the order explanations list them; `identifier` last
    when the records have one (link-files). The single-column comparisons of `empty` columns
    (null in every record, so never evidence) are left out. Thin records get `told_apart`
    unless `twins_apart` is False (link-files' `--twins-not-a-concern`)."""
    is_thin = thin(with_identifier, empty)
    decisive = not with_identifier and not is_thin
    single = {
        "nhs_number": _exact("nhs_number", "nhs_number"),
        "upn": _exact("upn", "upn"),
        "pnc_id": _exact("pnc_id", "pnc_id"),
    }
    after = {
        "phone": _exact("phone", "phone"),
        "email": _exact("email", "email", else_m=0.2),  # addresses change; training sees too few
        "sex": _exact("sex", "sex", else_m=0.01),  # recorded wrongly now and then; EM: never
    }
    return [
        *(c for name, c in single.items() if name not in empty),
        forename(decisive, is_thin),
        surname(is_thin),
        date_of_birth(decisive, is_thin),
        location(is_thin),
        *(c for name, c in after.items() if name not in empty),
        *([identifier()] if with_identifier else []),
        *([told_apart()] if is_thin and twins_apart else []),
    ]


#: Identifiers of a person (one each): when records carry none, they are `thin` and blocking and
#: training lean on birth date and place instead.
IDENTIFYING = ("nhs_number", "upn", "pnc_id")


def thin(with_identifier: bool = False, empty: frozenset[str] = frozenset()) -> bool:
    """Whether records carry no identifier at all (every one of `IDENTIFYING` empty, and no
    link-files `identifier`): names, birth date and place are then all the evidence there is."""
    return not with_identifier and empty.issuperset(IDENTIFYING)


def prediction_blocking(
    with_identifier: bool = False, thin: bool = False
) -> list[BlockingRuleCreator]:
    """Candidate pairs, chosen for recall: any one identifier, or two of name, birth date and
    place. A pair found by none of them is never scored. Each rule joins on enough that its
    blocks stay small as records grow: a birth date alone, or a forename or a name token with
    only a birth year or a postcode district, would make tens of millions of pairs at a million
    records, nearly all of different people, while the true pairs among them are found by the
    rules below. A birth date goes with the first letter of the forename or of the surname, so
    a typo in either name still meets it. With `thin` records (no identifier), what an
    identifier would find otherwise: a birth date with a postcode or a town (both names
    mistyped, or swapped and mistyped), a birth date with one record's first name as the
    other's surname (swapped, one mistyped), and both initials with the postcode (both names
    mistyped, the birth date too). Each joins on a full birth date, a whole name or a full
    postcode, so every block stays small at any size."""
    return [
        block_on("nhs_number"),
        block_on("upn"),
        block_on("pnc_id"),
        block_on("dob", "substr(forename1, 1, 1)"),
        block_on("dob", "substr(surname, 1, 1)"),
        block_on("forename_key", "surname"),
        block_on("forename_key", "postcode"),
        block_on("surname", "postcode"),
        block_on("phone"),
        _swapped_names_block(),
        *([block_on("identifier")] if with_identifier else []),
        block_on("surname_parts", "dob_month", arrays_to_explode=["surname_parts"]),
        block_on("name_tokens", "postcode", arrays_to_explode=["name_tokens"]),
        *(_thin_blocks() if thin else []),
    ]


def _thin_blocks() -> list[BlockingRuleCreator]:
    """The prediction rules thin records add (see `prediction_blocking`)."""
    return [
        block_on("dob", "postcode"),
        block_on("dob", "town"),
        CustomRule("l.forename1 = r.surname and l.dob = r.dob", sql_dialect=BASE_DIALECT),
        CustomRule("l.surname = r.forename1 and l.dob = r.dob", sql_dialect=BASE_DIALECT),
        block_on("substr(forename1, 1, 1)", "substr(surname, 1, 1)", "postcode"),
    ]


def _swapped_names_block() -> BlockingRuleCreator:
    return CustomRule(
        "l.forename1 = r.surname and l.surname = r.forename1", sql_dialect=BASE_DIALECT
    )


def training_blocking(
    with_identifier: bool = False, thin: bool = False, identifying: Sequence[str] = ()
) -> list[BlockingRuleCreator]:
    """Blocking rules for expectation maximisation: forename, surname and birth date are each
    free in one block and the blocks are mostly true matches. No block on place alone: a
    household (parents, siblings) shares surname, address and phone, and EM would learn "same
    household" instead of "same person". With an identifier, a block on it too: everything else
    is free there. With `thin` records two blocks: forename + surname (birth date and place
    free) and birth date + postcode (both names free). The forename and surname comparisons
    each read the other column (names swapped), so a block on one name trains neither, and a
    block on a name and the birth date would train the place alone, as the first block does."""
    if thin:
        return [block_on("forename1", "surname"), block_on("dob", "postcode")]
    return [
        block_on("forename1", "dob"),
        block_on("surname", "dob"),
        block_on("forename1", "surname"),
        *([block_on("identifier")] if with_identifier else []),
        *(block_on(column) for column in identifying),
    ]


def settings(
    probability_two_random_records_match: float = 1e-4,
    with_identifier: bool = False,
    empty: frozenset[str] = frozenset(),
    twins_apart: bool = True,
) -> SettingsCreator:
    """The untrained model: one table of all agencies' records, deduplicated as a whole; with
    `with_identifier`, the records' `identifier` column is compared and blocked on too."""
    return SettingsCreator(
        link_type="dedupe_only",
        comparisons=list[ComparisonCreator | dict[str, Any]](
            comparisons(with_identifier, empty, twins_apart)
        ),
        blocking_rules_to_generate_predictions=list[BlockingRuleCreator | dict[str, Any]](
            prediction_blocking(with_identifier, thin(with_identifier, empty))
        ),
        probability_two_random_records_match=probability_two_random_records_match,
        retain_intermediate_calculation_columns=True,
        additional_columns_to_retain=["agency", "record_id"],
    )
