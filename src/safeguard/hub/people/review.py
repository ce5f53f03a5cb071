"""A person's links as the last linkage run scored them: how confidently each of their records
joined them, and the uncertain pairs touching them that await a person's decision."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import Q

from safeguard.hub.people.models import LinkDecision, PersonRecord
from safeguard.linkage.run import review_rows
from safeguard.linkage.saved import MANIFEST, Saved
from safeguard.settings import get_settings

_cache: dict[str, tuple[int, pa.Table]] = {}


def _live_pairs(folder: Path) -> pa.Table | None:
    """The last run's scored pairs, read once per run (keyed on its manifest's time) rather
    than once per page."""
    manifest = folder / MANIFEST
    if not manifest.exists():
        return None
    stamp = manifest.stat().st_mtime_ns
    cached = _cache.get(str(folder))
    if cached is None or cached[0] != stamp:
        cached = (stamp, Saved(folder).pairs(["match_probability"]))
        _cache[str(folder)] = cached
    return cached[1]


def _pairs_touching(ids: list[str]) -> pa.Table | None:
    pairs = _live_pairs(get_settings().linkage_dir)
    if not ids or pairs is None:
        return None
    wanted = pa.array(ids, pa.string())
    touching = pc.or_(
        pc.is_in(pairs["unique_id_l"], value_set=wanted),
        pc.is_in(pairs["unique_id_r"], value_set=wanted),
    )
    return pairs.filter(touching)


def saved_pair(left: str, right: str) -> dict[str, Any] | None:
    """The last run's stored scores for one pair (ids in order), or None if it was not scored."""
    saved = Saved(get_settings().linkage_dir)
    if not saved.linked():
        return None
    found = saved.pairs(between=(left, right))
    return found.to_pylist()[0] if found.num_rows else None


def model() -> dict[str, Any]:
    """The last run's model (for explaining its scores)."""
    folder = get_settings().linkage_dir
    return dict(json.loads((folder / "model.json").read_text(encoding="utf-8")))


def links_of(ids: list[str], pending: bool = True) -> dict[str, Any]:
    """For each of a person's records (`ids`), the best-scoring pair joining it to another of their
    records (`confidence`: the pair and its match probability), and the pairs between the
    review thresholds touching their records that nobody has decided (`pending`; only when
    asked: they name other people's records)."""
    pairs = _pairs_touching(ids)
    if pairs is None:
        return {"confidence": {}, "pending": []}
    mine = set(ids)
    rows = pairs.to_pylist()
    confidence: dict[str, dict[str, Any]] = {}
    for row in rows:
        left, right, p = row["unique_id_l"], row["unique_id_r"], row["match_probability"]
        if left in mine and right in mine:
            for a, b in ((left, right), (right, left)):
                if p > confidence.get(a, {}).get("probability", -1):
                    confidence[a] = {"other": b, "probability": p}
    if not pending:
        return {"confidence": confidence, "pending": []}
    touched = sorted(set(pairs["unique_id_l"].to_pylist()) | set(pairs["unique_id_r"].to_pylist()))
    person_of = dict(
        PersonRecord.objects.filter(unique_id__in=touched).values_list("unique_id", "person_id")
    )
    decided = set(
        LinkDecision.objects.filter(current=True)
        .filter(Q(left__in=touched) | Q(right__in=touched))
        .values_list("left", "right")
    )
    queue = review_rows(rows, person_of, decided, get_settings().linkage_config())
    return {"confidence": confidence, "pending": queue}


def summaries(saved: Saved, ids: list[str]) -> dict[str, str]:
    """One line per record: name, birth date (or year), postcode, as linkage prepared them."""
    if not ids:
        return {}
    columns = ["forename1", "surname", "dob", "dob_year", "postcode"]
    table = saved.records(columns, ids=ids)
    return {
        r["unique_id"]: " ".join(
            str(v)
            for v in (r["forename1"], r["surname"], r["dob"] or r["dob_year"], r["postcode"])
            if v
        )
        for r in table.to_pylist()
    }
