"""Measure clusters against a truth mapping {unique_id: true person id}.

Pairwise: every pair of records in one predicted cluster is a predicted link, every pair with one
true person a true link; precision, recall and F1 over those pair sets. B-cubed: for each record,
the share of its predicted cluster that is truly it (precision) and the share of its true person's
records its cluster found (recall), averaged over records. Both are computed in DuckDB from
cluster sizes and cluster-by-person overlap counts, never by listing pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa


@dataclass(frozen=True)
class Scores:
    """Pairwise and B-cubed scores and the pair counts behind them."""

    records: int
    true_pairs: int
    predicted_pairs: int
    correct_pairs: int
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float


_COUNTS = """
with j as (
    select c.unique_id, c.cluster_id, t.person_id
    from clusters c join truth t using (unique_id)
),
cell as (select cluster_id, person_id, count(*) n from j group by all),
pred as (select cluster_id, count(*) n from j group by all),
gold as (select person_id, count(*) n from j group by all)
select
    (select count(*) from j) as records,
    (select coalesce(sum(n * (n - 1) // 2), 0) from gold) as true_pairs,
    (select coalesce(sum(n * (n - 1) // 2), 0) from pred) as predicted_pairs,
    (select coalesce(sum(n * (n - 1) // 2), 0) from cell) as correct_pairs,
    (select sum(c.n * c.n / p.n) from cell c join pred p using (cluster_id)) as b_precision,
    (select sum(c.n * c.n / g.n) from cell c join gold g using (person_id)) as b_recall
"""


def truth_table(truth: dict[str, str]) -> pa.Table:
    """A truth mapping as a table (`unique_id`, `person_id`)."""
    return pa.table({"unique_id": list(truth), "person_id": list(truth.values())})


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def score(clusters: pa.Table, truth: pa.Table) -> Scores:
    """Scores of `clusters` (`unique_id`, `cluster_id`) against `truth` (`unique_id`,
    `person_id`); records missing from either side are left out."""
    con = duckdb.connect()
    try:
        con.register("clusters", clusters)
        con.register("truth", truth)
        row = con.sql(_COUNTS).fetchall()[0]
    finally:
        con.close()
    assert row is not None
    records, true_pairs, predicted, correct = (int(v) for v in row[:4])
    precision, recall = _ratio(correct, predicted), _ratio(correct, true_pairs)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(
        records=records,
        true_pairs=true_pairs,
        predicted_pairs=predicted,
        correct_pairs=correct,
        precision=precision,
        recall=recall,
        f1=f1,
        bcubed_precision=float(row[4] or 0) / records if records else 1.0,
        bcubed_recall=float(row[5] or 0) / records if records else 1.0,
    )


_ERRORS = """
with j as (
    select c.unique_id, c.cluster_id, t.person_id
    from clusters c join truth t using (unique_id)
),
merged as (  -- clusters holding more than one true person
    select cluster_id, count(distinct person_id) as people, count(*) as records,
        'false merge' as error, list(unique_id order by unique_id) as unique_ids,
        list(person_id order by unique_id) as person_ids
    from j group by cluster_id having count(distinct person_id) > 1
),
split as (  -- true people spread over more than one cluster
    select person_id, count(distinct cluster_id) as clusters, count(*) as records,
        'missed link' as error, list(unique_id order by unique_id) as unique_ids,
        list(cluster_id order by unique_id) as cluster_ids
    from j group by person_id having count(distinct cluster_id) > 1
)
select error, records, people as parts, unique_ids from merged
union all
select error, records, clusters as parts, unique_ids from split
order by parts desc, records desc, error, unique_ids
limit $limit
"""


def worst_errors(clusters: pa.Table, truth: pa.Table, limit: int = 20) -> pa.Table:
    """False merges (a cluster of several true people) and missed links (a person split over
    several clusters), worst first: columns `error`, `records`, `parts`, `unique_ids`."""
    con = duckdb.connect()
    try:
        con.register("clusters", clusters)
        con.register("truth", truth)
        return con.sql(_ERRORS, params={"limit": limit}).to_arrow_table()
    finally:
        con.close()


def error_records(errors: pa.Table, people: pa.Table) -> pa.Table:
    """The prepared records behind listed errors, to read side by side."""
    con = duckdb.connect()
    try:
        con.register("errors", errors)
        con.register("people", people)
        return con.sql(
            "select e.error, e.parts, p.* from (select error, parts, unnest(unique_ids) as "
            "unique_id from errors) e join people p using (unique_id) order by e.parts desc"
        ).to_arrow_table()
    finally:
        con.close()


def truth_from(folder: Path) -> pa.Table:
    """The synthetic partnership's truth for people records (`truth/records.csv`) as a table of
    `unique_id` (`agency:record_id`, as linkage names records) and `person_id`."""
    path = (
        folder / "records.csv"
        if (folder / "records.csv").exists()
        else (folder / "truth" / "records.csv")
    )
    if not path.exists():
        raise FileNotFoundError(f"{folder}: no truth/records.csv (made by `safeguard synth`)")
    con = duckdb.connect()
    try:
        return con.sql(
            "select agency || ':' || record_id as unique_id, person_id "
            "from read_csv($path, all_varchar = true) where kind = 'people'",
            params={"path": str(path)},
        ).to_arrow_table()
    finally:
        con.close()
