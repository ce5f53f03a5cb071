"""Free text read for the catalogue's signs, sentence by sentence, explainably.

Agencies write what they saw in notes: "boyfriend 'Kane' who is about 24", "came back with a new
iPhone", "denies having a boyfriend". The catalogue's `[text]` table says which fields are read
and the words that turn a sentence around; each `text` indicator gives its lexicon (regular
expressions matched as whole words, case ignored). A sentence counts for an indicator when a
lexicon entry matches it and:

- no **negation** cue comes before the match within `negation_window` words ("denies",
  "no concerns about", "does not"), and no **after-negation** cue follows it ("was ruled out");
- no **professional** doing their job is who the child was with (`explained`, after one of the
  `companions` words or before one of the `companion_acts`: "with staff", "collected by her foster
  carer", "the school transport driver dropped her"): such contact is explained, not flagged. A
  professional who only reports the sign ("staff noticed a second phone") explains nothing.

A **hedged** sentence ("may", "possibly", "it is believed") still counts, one level lower
(`hedged_levels`), unless the indicator says `hedging = false` (intelligence is hedged by nature).
Sentences are split at full stops, question and exclamation marks, semicolons, line breaks and
the words that end a negation's reach ("but", "however", "although"). Quotation marks are
ignored ("asked for 'pics'" reads as "asked for pics"; "didn't" keeps its apostrophe). The
evidence quotes the matched words and their sentence. Everything is set-based DuckDB SQL (RE2
expressions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from safeguard.contract.kinds import KINDS
from safeguard.intelligence import sources

#: The columns of free text from outside the agencies' records (the hub's own workflows), read
#: when table `hub_texts` is present: the person record it is about, when written, source.
HUB_TEXTS = ("subject", "occurred", "agency", "kind", "record_id", "field", "body")

#: Levels a hedged sentence counts at, by the indicator's own level.
HEDGED_LEVELS = {"disclosure": "significant", "significant": "moderate"}


@dataclass(frozen=True)
class Reading:
    """How free text is read (the catalogue's `[text]` table)."""

    fields: tuple[str, ...] = ()
    negation: tuple[str, ...] = ()
    after_negation: tuple[str, ...] = ()
    negation_window: int = 5
    hedging: tuple[str, ...] = ()
    explained: tuple[str, ...] = ()
    companions: tuple[str, ...] = ()
    """Words before who a child was with ("with", "by"): a professional within three words of
    one explains the sentence. None given: a sentence naming a professional anywhere does."""
    companion_acts: tuple[str, ...] = ()
    """What a professional does with a child ("collected", "drove"), within three words after
    them, that explains the sentence."""
    reporting: tuple[str, ...] = ()
    """Words by which someone reports a sign ("seen by", "reported by"): taken out before the
    companions are looked for, so "seen by staff getting into a car" explains nothing."""
    breaks: tuple[str, ...] = ("but", "however", "although", "though", "whereas")
    hedged_levels: dict[str, str] = field(default_factory=lambda: dict(HEDGED_LEVELS))


def whole_words(entries: tuple[str, ...] | list[str]) -> str:
    """Entries as one whole-word alternation (never empty)."""
    body = "|".join(f"(?:{e})" for e in entries)
    return f"\\b(?:{body})\\b" if entries else "\\b\\B"


def problems(entries: Any, where: str) -> list[str]:
    """What is wrong with a list of lexicon entries: not text, or not a valid expression."""
    if not isinstance(entries, list) or not all(isinstance(e, str) and e.strip() for e in entries):
        return [f"{where} must be a list of text"]
    out = []
    con = duckdb.connect()
    try:
        for entry in entries:
            try:
                con.execute("select regexp_matches('', $p)", {"p": entry})
            except duckdb.Error as exc:
                out.append(f"{where}: {entry!r} is not a regular expression: {exc}")
    finally:
        con.close()
    return out


def field_problems(fields: Any) -> list[str]:
    """`fields` must name free-text fields of the contract as `kind.field`."""
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        return ["[text]: `fields` must be a list of `kind.field`"]
    out = []
    for name in fields:
        kind_name, _, field_name = name.partition(".")
        kind = KINDS.get(kind_name)
        known = {f.name for f in kind.fields if f.type.name == "TEXT"} if kind else set()
        if field_name not in known:
            out.append(f"[text]: `fields`: {name!r} is not a free-text field of the contract")
    return out


def _texts(reading: Reading, extra: bool) -> str:
    """One select per read field: subject, occurred, agency, kind, record_id, field, body; and
    the hub's own text when `extra`."""
    parts = [f"select {', '.join(HUB_TEXTS)} from hub_texts"] if extra else []
    for name in reading.fields:
        kind_name, _, column = name.partition(".")
        kind = KINDS[kind_name]
        when = f"try_cast({kind.when} as timestamp)" if kind.when else "null::timestamp"
        if kind_name == "intelligence":  # about each person it names
            parts.append(
                f"select r.agency || ':' || named, try_cast(r.reported_at as timestamp), "
                f"r.agency, 'intelligence', r.record_id, '{column}', r.{column} "
                f"from intelligence r, unnest(r.person_ids) as t(named) "
                f"where r.{column} is not null"
            )
        elif kind_name == "incidents":  # about each person involved
            parts.append(
                f"select v.subject, try_cast(i.occurred_at as timestamp), i.agency, "
                f"'incidents', i.record_id, '{column}', i.{column} "
                f"from incidents i join involvements v "
                f"on v.agency = i.agency and v.incident_id = i.record_id "
                f"where i.{column} is not null"
            )
        elif kind.subject:
            parts.append(
                f"select subject, {when}, agency, '{kind_name}', record_id, '{column}', "
                f"{column} from {kind_name} where {column} is not null"
            )
    return " union all ".join(parts) or (
        "select null, null::timestamp, null, null, null, null, null where false"
    )


#: Quotation marks, straight or curly, that are not an apostrophe inside a word.
_QUOTES = "[\"\u201c\u201d\u0060]|(?:^|\\W)'+|'+(?:\\W|$)"


def explained(reading: Reading) -> str:
    """The expression for a sentence whose companion is a professional doing their job."""
    if not reading.explained:
        return "\\b\\B"
    who = whole_words(reading.explained)
    if not reading.companions and not reading.companion_acts:
        return who
    near = "(?:\\W+[\\w']+){0,3}?\\W+"
    forms = []
    if reading.companions:
        forms.append(f"{whole_words(reading.companions)}{near}{who}")
    if reading.companion_acts:
        forms.append(f"{who}{near}{whole_words(reading.companion_acts)}")
    return "|".join(f"(?:{f})" for f in forms)


def split(con: duckdb.DuckDBPyConnection, reading: Reading) -> None:
    """Table `sentences` in `con`: every sentence of every read field, with its record, its
    words as read (`words`: quotation marks taken out), and whether it is hedged or names a
    professional doing their job."""
    held = sources.tables(con)
    breaks = "[.!?;\\n\\r]+|\\b(?:" + "|".join(reading.breaks) + ")\\b" if reading.breaks else ""
    con.execute(
        f"""create or replace table sentences as
        with texts (subject, occurred, agency, kind, record_id, field, body) as (
            {_texts(reading, "hub_texts" in held)}),
        parts as (
            select t.*, unnest(regexp_split_to_array(body, $breaks, 'i')) as sentence
            from texts t),
        read as (
            select *, trim(regexp_replace(
                regexp_replace(translate(sentence, $curly, $straight), $quotes, ' ', 'g'),
                '\\s+', ' ', 'g')) as words
            from parts where length(trim(sentence)) > 2 and subject is not null)
        select subject, occurred, agency, kind, record_id, field, trim(sentence) as sentence,
            words, regexp_matches(words, $hedging, 'i') as hedged,
            regexp_matches(regexp_replace(words, $reporting, ' ', 'gi'), $explained, 'i')
                as explained
        from read""",
        {
            "breaks": breaks or "[.!?;\\n\\r]+",
            "hedging": whole_words(reading.hedging),
            "explained": explained(reading),
            "reporting": whole_words(reading.reporting),
            "quotes": _QUOTES,
            "curly": "\u2018\u2019",
            "straight": "''",
        },
    )


def query(params: dict[str, Any], reading: Reading, level: str) -> tuple[str, dict[str, Any]]:
    """The evidence a `text` indicator finds in `sentences`: one row per record (its first
    matching sentence, unhedged first), with the level it counts at as a seventh column."""
    lexicon = whole_words(params["lexicon"])
    kinds = params.get("kinds") or []  # none named: every text read
    window = max(0, reading.negation_window)
    negated = f"{whole_words(reading.negation)}(?:\\W+\\w+){{0,{window}}}?\\W+{lexicon}"
    after = f"{lexicon}(?:\\W+\\w+){{0,{window}}}?\\W+{whole_words(reading.after_negation)}"
    hedges = params.get("hedging", True)
    lower = reading.hedged_levels.get(level, level) if hedges else level
    return (
        """select subject, occurred, agency, kind, record_id,
               case when hedged and $hedges then 'hedged: ' else '' end || field || ' says "'
                   || regexp_extract(words, $lexicon, 0, 'i') || '": "' || left(sentence, 240)
                   || case when length(sentence) > 240 then '...' else '' end || '"' as detail,
               case when hedged and $hedges then $lower else $level end as level
           from sentences
           where (len($kinds) = 0 or kind in (select unnest($kinds)))
             and regexp_matches(words, $lexicon, 'i')
             and not explained
             and not regexp_matches(words, $negated, 'i')
             and not regexp_matches(words, $after, 'i')
           qualify row_number() over (
               partition by subject, agency, kind, record_id
               order by hedged and $hedges, occurred) = 1""",
        {
            "lexicon": lexicon,
            "kinds": [str(k) for k in kinds],
            "negated": negated,
            "after": after,
            "hedges": bool(hedges),
            "lower": lower,
            "level": level,
        },
    )
