"""One analysis run: evidence from the landed records, then every linked child screened.

Outputs go to one folder (`$SAFEGUARD_DATA_DIR/intelligence/` from the CLI):
`evidence.parquet` (every indicator found, with its source record), `screenings.parquet` (each
child's screening on the assessment date: score, proposed band, at risk, referral, and the
scoring indicators with their points and evidence records), `timeline.parquet` (the same on
every day evidence arrived, from which the first flag is read), `findings.json` (network
findings with members and evidence edges), `missing_episodes.parquet` and
`missing_alerts.parquet`, and `summary.json`.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from safeguard.intelligence import indicators, missing, network, screening, text
from safeguard.intelligence.catalogue import Catalogue
from safeguard.intelligence.sources import SourceFile, open_records
from safeguard.timescales import Timescales

SUMMARY_FILE, FINDINGS_FILE = "summary.json", "findings.json"

_REASONS = """
create or replace table screenings as
with today as (select * from timeline where day = $as_of),
scoring as (
    select e.key, e.code, e.level, list(distinct e.agency || ':' || e.kind || ':' || e.record_id)
        as records, list(distinct e.detail) as details, max(e.occurred) as last_seen
    from keyed e join today t using (key)
    where e.occurred is null or cast(e.occurred as date) <= $as_of
    group by all)
select t.key as person_id, t.day as assessed_on, t.age, t.score, t.band_by_score, t.band,
    t.at_risk, t.referral, t.disclosed,
    list({'code': s.code, 'level': s.level, 'records': s.records, 'details': s.details,
          'last_seen': s.last_seen} order by s.code)
        filter (where list_contains(t.scoring_codes, s.code)) as reasons,
    $catalogue as catalogue
from today t left join scoring s using (key)
group by all
"""


def screen_and_find(
    con: duckdb.DuckDBPyConnection,
    catalogue: Catalogue,
    keys: pa.Table,
    as_of: dt.date,
    siloed: bool = False,
    settled: frozenset[str] = frozenset(),
) -> list[network.Finding]:
    """Screen (`screening.screen`), build the POLE graph and find networks; when the catalogue
    has a `network` indicator, add its evidence for children in adult findings (not those
    people have explained or closed: `settled`) and screen again, then find again with the
    children now at risk. Returns the findings."""
    screening.screen(con, catalogue, keys, as_of)
    network.build(con, keys, siloed)
    findings = network.find(con)
    for indicator in catalogue.indicators:
        if indicator.rule != "network":
            continue
        live = [f for f in findings if f.id not in settled]
        rows = network.network_evidence(con, live, indicator.code, indicator.level)
        rows = [r for r in rows if r[3] is None or r[3].date() <= as_of]
        if rows:
            table = pa.table(
                {c: [r[i] for r in rows] for i, c in enumerate(indicators.COLUMNS)}
            ).cast(con.sql("select * from evidence limit 0").to_arrow_table().schema)
            con.register("network_arrow", table)
            con.execute("insert into evidence select * from network_arrow")
            screening.screen(con, catalogue, keys, as_of)
            findings = network.find(con)
    return findings


@dataclass(frozen=True)
class AnalysisSummary:
    """What an analysis run found."""

    as_of: str
    catalogue: str
    evidence: int
    children_screened: int
    at_risk: int
    referrals: int
    bands: dict[str, int]
    findings: dict[str, int]
    missing_episodes: int
    missing_alerts: dict[str, int]
    seconds: float


@dataclass(frozen=True)
class Analysis:
    """A run's summary and what the hub stores: screenings, findings, missing alerts."""

    summary: AnalysisSummary
    screenings: pa.Table
    findings: list[network.Finding]
    episodes: pa.Table
    alerts: pa.Table


def analyse(
    files: Sequence[SourceFile],
    people: pa.Table,
    out: Path,
    catalogue: Catalogue,
    clocks: Timescales,
    as_of: dt.date,
    settled: frozenset[str] = frozenset(),
    recorded: pa.Table | None = None,
    texts: pa.Table | None = None,
    professionals: pa.Table | None = None,
) -> Analysis:
    """Derive the evidence, screen every linked child on `as_of`, find networks, and follow
    every missing episode (its return home interview on `clocks`); write the outputs to `out`
    (see the module's description). `people` is the hub's record of who is who
    (`safeguard.intelligence.sources.open_records`).
    Findings in `settled` (explained or closed by a person) stop counting as evidence;
    `recorded` (evidence rows practitioners recorded) counts beside what the records show, and
    `texts` (the hub's own free text, `text.HUB_TEXTS` columns) is read beside the agencies';
    `professionals` (the hub's reference data: name, phone, vehicle) are known as professionals
    beside those the agencies flag."""
    start = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    con = open_records(files, people)
    try:
        if texts is not None and texts.num_rows:
            con.register("hub_texts_arrow", texts.select(list(text.HUB_TEXTS)))
            con.execute("create table hub_texts as select * from hub_texts_arrow")
        if professionals is not None and professionals.num_rows:
            con.register("hub_professionals_arrow", professionals)
            con.execute("create table hub_professionals as select * from hub_professionals_arrow")
        indicators.derive(con, catalogue)
        if recorded is not None and recorded.num_rows:
            con.register("recorded_arrow", recorded)
            con.execute(
                "insert into evidence select * from recorded_arrow where occurred <= $end",
                {"end": dt.datetime.combine(as_of, dt.time.max)},
            )
        keys = con.sql(
            "select uid as subject, cast(person_id as varchar) as key from linked"
        ).to_arrow_table()
        findings = screen_and_find(con, catalogue, keys, as_of, settled=settled)
        missing.analyse(con, catalogue.missing, clocks.clock("return_home_interview"), as_of)
        label = f"{catalogue.name} {catalogue.version}"
        con.execute(_REASONS, {"as_of": as_of, "catalogue": label})
        evidence = con.sql("select * from evidence").to_arrow_table()
        screenings = con.sql("select * from screenings order by person_id").to_arrow_table()
        timeline = con.sql("select * from timeline order by key, day").to_arrow_table()
        episodes = con.sql("select * from episodes order by key, started").to_arrow_table()
        alerts = con.sql("select * from missing_alerts order by key, day").to_arrow_table()
        bands = dict(con.execute("select band, count(*) from screenings group by 1").fetchall())
    finally:
        con.close()
    pq.write_table(evidence, out / "evidence.parquet")
    pq.write_table(screenings, out / "screenings.parquet")
    pq.write_table(timeline, out / "timeline.parquet")
    pq.write_table(episodes, out / "missing_episodes.parquet")
    pq.write_table(alerts, out / "missing_alerts.parquet")
    (out / FINDINGS_FILE).write_text(
        json.dumps([asdict(f) for f in findings], indent=1), encoding="utf-8"
    )
    kinds = Counter(f.kind for f in findings)
    summary = AnalysisSummary(
        as_of=as_of.isoformat(),
        catalogue=label,
        evidence=evidence.num_rows,
        children_screened=screenings.num_rows,
        at_risk=sum(bool(x) for x in screenings["at_risk"].to_pylist()),
        referrals=sum(bool(x) for x in screenings["referral"].to_pylist()),
        bands={b.name: int(bands.get(b.name, 0)) for b in catalogue.bands},
        findings={k: kinds.get(k, 0) for k in ("adult", "group", "object", "place", "community")},
        missing_episodes=episodes.num_rows,
        missing_alerts=dict(Counter(alerts["kind"].to_pylist())),
        seconds=round(time.perf_counter() - start, 1),
    )
    (out / SUMMARY_FILE).write_text(json.dumps(asdict(summary), indent=2), encoding="utf-8")
    return Analysis(summary, screenings, findings, episodes, alerts)
