"""Landed agency records as DuckDB tables: the latest version of every record of each kind.

Every kind of the data contract becomes one table named after it (`people`, `missing_episodes`,
`contacts`, ...), with the agency, `uid` (`agency:record_id`), `subject` (`agency:person_id`,
the person record the row is about, for kinds that have one) and the contract's fields. A kind no
agency delivered is an empty table with the same columns, so rules never fail on a missing
kind. With linkage outputs, `linked` maps each person record to its person (`uid`,
`person_id`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from safeguard.contract.kinds import KINDS, Kind


@dataclass(frozen=True)
class SourceFile:
    """One landed Parquet file: its agency, delivery order (later = higher) and kind."""

    agency: str
    delivery: int
    kind: str
    path: Path


def tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables `con` holds (optional inputs such as `linked` or `hub_texts` are present only
    when given)."""
    return {
        r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()
    }


def born(column: str) -> str:
    """SQL for a date of birth as a date: a partial one (`2012-03`, `2012`) counts from the
    middle of what is known (15 March, 1 July), so a person known by year is still of an age."""
    return (
        f"coalesce(try_cast({column} as date), try_cast({column} || '-15' as date), "
        f"try_cast({column} || '-07-01' as date))"
    )


def landed_files(landing: Path) -> list[SourceFile]:
    """Every landed file under `landing` (`<agency>/<delivery>/<kind>/*.parquet`), for runs
    without a hub (benchmarks, tests); deliveries are ordered by folder name, which starts with
    the extract date. The hub gives its loaded deliveries' files instead."""
    found = sorted(landing.glob("*/*/*/*.parquet"))
    order = {d: i for i, d in enumerate(sorted({p.parent.parent.name for p in found}))}
    return [
        SourceFile(p.parent.parent.parent.name, order[p.parent.parent.name], p.parent.name, p)
        for p in found
        if p.parent.name in KINDS
    ]


def _columns(kind: Kind) -> list[str]:
    return [f.name for f in kind.fields if f.name != "record_id"]


def _empty(kind: Kind) -> str:
    typed = ", ".join(
        f"null::{'varchar[]' if f.is_list else 'varchar'} as {f.name}"
        for f in kind.fields
        if f.name != "record_id"
    )
    return f"select null::varchar as agency, null::varchar as record_id, {typed} where false"


def _latest(kind: Kind, n: int) -> str:
    wanted = ", ".join(f"p.{c}" for c in _columns(kind))
    return f"""
        select f.agency, p.record_id, {wanted}
        from read_parquet($paths, filename = true, union_by_name = true) p
        join files_{n} f on p.filename = f.path
        qualify row_number() over (partition by f.agency, p.record_id
                                   order by f.delivery desc) = 1
    """


def open_records(
    files: Sequence[SourceFile],
    people: pa.Table | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection holding one table per record kind from `files` (see the module's
    description), and `linked` (`uid`, `person_id`) when `people` (each linked record's
    `unique_id` and `person_id`: the hub's record of who is who) is given."""
    con = con or duckdb.connect()
    for n, (name, kind) in enumerate(KINDS.items()):
        mine = [f for f in files if f.kind == name]
        if mine:
            table = pa.table(
                {
                    "path": [str(f.path) for f in mine],
                    "agency": [f.agency for f in mine],
                    "delivery": [f.delivery for f in mine],
                }
            )
            con.register(f"files_{n}", table)
            select = _latest(kind, n)
            params = {"paths": [str(f.path) for f in mine]}
        else:
            select, params = _empty(kind), {}
        subject = "agency || ':' || person_id as subject, " if kind.subject == "person_id" else ""
        con.execute(
            f"create or replace table {name} as "
            f"select agency || ':' || record_id as uid, {subject}* from ({select})",
            params or None,
        )
    if people is not None:
        linked = people.select(["unique_id", "person_id"]).rename_columns(["uid", "person_id"])
        con.register("linked_arrow", linked)
        con.execute("create or replace table linked as select * from linked_arrow")
    return con
