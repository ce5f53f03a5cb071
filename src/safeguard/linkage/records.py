"""People records from landed deliveries, prepared for linkage.

Every landed people file holds the contract's person fields, already validated and normalised.
`people_frame` keeps the latest delivery's version of each agency record and derives the columns
the comparisons and blocking rules use (name parts, nickname groups, date-of-birth parts, postcode
sector and district). It is set-based DuckDB SQL: no Python loop runs over the records.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

NICKNAMES = "nicknames.txt"
HASH = "_hash"
"""The landed row's hash column; a record whose hash changed is linked again (incremental)."""


@dataclass(frozen=True)
class PeopleFile:
    """One landed people Parquet file and the agency delivery it came from (later = higher)."""

    agency: str
    delivery: int
    path: Path


@cache
def nickname_groups() -> tuple[tuple[str, str], ...]:
    """(name, group) pairs from the nickname table; a name may belong to several groups."""
    text = resources.files("safeguard.linkage").joinpath("data", NICKNAMES).read_text("utf-8")
    pairs: set[tuple[str, str]] = set()
    for line in text.splitlines():
        names = [n.strip().lower() for n in line.split(",") if n.strip()]
        if not names or names[0].startswith("#"):
            continue
        pairs.update((name, names[0]) for name in names)
    return tuple(sorted(pairs))


_TOKENS = (
    "list_filter(string_split_regex(lower(trim(coalesce({0}, ''))), '[\\s\\-]+'), "
    "lambda x: x <> '')"
)

# Built from constants only; the file paths are bound as a parameter.
_SELECT = f"""
with raw as (
    select f.agency, f.delivery, p.*
    from read_parquet($paths, filename = true, union_by_name = true) p
    join files f on p.filename = f.path
),
latest as (
    select * from raw
    qualify row_number() over (partition by agency, record_id order by delivery desc) = 1
),
base as (
    select
        agency || ':' || record_id as unique_id,
        agency, record_id, {{record_hash}} as record_hash,
        {_TOKENS.format("forenames")} as fore_tokens,
        list_filter(flatten(list_transform(coalesce(other_names, []),
            lambda o: {_TOKENS.format("o")})), lambda x: x <> '') as other_tokens,
        nullif(lower(trim(surname)), '') as surname,
        {_TOKENS.format("surname")} as surname_parts,
        nullif(trim(date_of_birth), '') as dob_text,
        case when sex in ('female', 'male', 'other') then sex end as sex,
        nhs_number, upn, pnc_id,
        nullif(lower(trim(address)), '') as address,
        nullif(lower(trim(town)), '') as town,
        nullif(upper(trim(postcode)), '') as postcode,
        phone,
        nullif(lower(trim(email)), '') as email
    from latest
),
groups as (
    select b.unique_id,
        list_sort(list(distinct coalesce(n.grp, b.fore_tokens[1]))) as forename_groups
    from base b left join nicknames n on n.name = b.fore_tokens[1]
    where len(b.fore_tokens) > 0
    group by b.unique_id
)
select
    b.unique_id, b.agency, b.record_id, b.record_hash,
    b.fore_tokens[1] as forename1,
    nullif(array_to_string(b.fore_tokens[2:], ' '), '') as forenames_other,
    g.forename_groups,
    list_min(g.forename_groups) as forename_key,
    list_distinct(list_concat(b.fore_tokens, b.other_tokens)) as name_tokens,
    b.surname,
    case when len(b.surname_parts) > 0 then b.surname_parts end as surname_parts,
    case when length(b.dob_text) = 10 then b.dob_text end as dob,
    case when length(b.dob_text) = 10 and substr(b.dob_text, 9, 2) <= '12'
        then substr(b.dob_text, 1, 5) || substr(b.dob_text, 9, 2) || '-'
            || substr(b.dob_text, 6, 2) end as dob_swapped,
    try_cast(case when length(b.dob_text) = 10 then b.dob_text end as date) as dob_date,
    case when length(b.dob_text) >= 7 then substr(b.dob_text, 1, 7) end as dob_month,
    case when length(b.dob_text) >= 4 then substr(b.dob_text, 1, 4) end as dob_year,
    case length(b.dob_text) when 10 then 'day' when 7 then 'month' when 4 then 'year'
        end as dob_precision,
    b.sex, b.nhs_number, b.upn, b.pnc_id, b.address, b.town, b.postcode,
    case when b.postcode like '% %'
        then split_part(b.postcode, ' ', 1) || ' ' || substr(split_part(b.postcode, ' ', 2), 1, 1)
        end as postcode_sector,
    case when b.postcode is not null then split_part(b.postcode, ' ', 1) end as postcode_district,
    b.phone, b.email
from base b left join groups g using (unique_id)
order by b.unique_id
"""  # noqa: S608


def people_frame(files: list[PeopleFile]) -> pa.Table:
    """The latest version of every (agency, record_id) across `files`, with linkage columns."""
    if not files:
        raise ValueError("no people files to link")
    con = duckdb.connect()
    try:
        paths = [str(f.path) for f in files]
        files_table = pa.table(
            {
                "path": paths,
                "agency": [f.agency for f in files],
                "delivery": [f.delivery for f in files],
            }
        )
        pairs = nickname_groups()
        nicknames = pa.table({"name": [p[0] for p in pairs], "grp": [p[1] for p in pairs]})
        con.register("files", files_table)
        con.register("nicknames", nicknames)
        hashed = all(HASH in pq.read_schema(p).names for p in paths)
        sql = _SELECT.replace("{record_hash}", HASH if hashed else "null::varchar")
        return con.sql(sql, params={"paths": paths}).to_arrow_table()
    finally:
        con.close()


def landed_people(landing: Path) -> list[PeopleFile]:
    """Every landed people file under a landing folder (`<agency>/<delivery>/people/*.parquet`);
    deliveries are ordered by their folder name, which starts with the extract date."""
    found = sorted(landing.glob("*/*/people/*.parquet"))
    order = {d: i for i, d in enumerate(sorted({p.parent.parent.name for p in found}))}
    return [PeopleFile(p.parent.parent.parent.name, order[p.parent.parent.name], p) for p in found]
