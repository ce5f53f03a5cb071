"""The person page's review rule (`review_rows`, in memory) is the review queue's
(`review_pairs`, in DuckDB): the same pairs, in the same order."""

import random

import pyarrow as pa

from safeguard.linkage import identity
from safeguard.linkage.config import LinkageConfig
from safeguard.linkage.run import review_pairs, review_rows


def test_the_two_review_rules_agree() -> None:
    rng = random.Random(7)
    ids = [f"a:{i}" for i in range(40)]
    person_of = {uid: rng.randrange(12) for uid in ids}
    pairs = []
    for _ in range(300):
        left, right = sorted(rng.sample(ids, 2))
        pairs.append(
            {"unique_id_l": left, "unique_id_r": right, "match_probability": round(rng.random(), 3)}
        )
    chosen = rng.sample(pairs, 20)
    decisions = [
        identity.Decision(p["unique_id_r"], p["unique_id_l"], True, "r", "x") for p in chosen
    ]
    decided = {tuple(sorted((d.left, d.right))) for d in decisions}
    config = LinkageConfig(upper=0.9, lower=0.4)
    table = pa.Table.from_pylist(pairs)
    people = pa.table({"unique_id": list(person_of), "person_id": list(person_of.values())})
    queue = review_pairs(table, people, decisions, config)
    assert queue, "the case should leave pairs to review"
    assert review_rows(pairs, person_of, decided, config) == queue
