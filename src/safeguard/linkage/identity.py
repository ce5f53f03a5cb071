"""From scored pairs to people: clustering under human decisions, and stable person ids.

Two steps, both pure (no database, no Django):

`cluster` joins records through pairs at or above the upper threshold and through every
"same person" decision (must-link), never through a pair someone decided are different people
(cannot-link). When the links would still put two such records in one person (A-B and B-C
link, but A and C were decided different), the links are added strongest first and any link that
would join the two is refused; each refusal is reported with the decision that blocked it.

`assign` gives every cluster a person id. A cluster keeps the id of the earlier person most of
its records belonged to, so a person keeps their id across re-runs as records join them; a
cluster of records split off a merge takes back the id of the person they were merged away
from; any other cluster gets a new id. Records that change person are reported as
events with their reason: `merged` (a person's records all joined another person, whose id they
now share), `split` (some of a person's records now form a new person) or `moved` (records left
one existing person for another).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

EventKind = Literal["merged", "split", "moved"]


@dataclass(frozen=True)
class Decision:
    """A person's decision on two records: the same person (`same`) or different people."""

    left: str
    right: str
    same: bool
    reason: str
    by: str
    id: int | None = None

    def describe(self) -> str:
        verdict = "the same person" if self.same else "different people"
        ref = f"decision {self.id}" if self.id is not None else "a decision"
        return f"{ref} by {self.by}: {self.left} and {self.right} are {verdict} ({self.reason})"


@dataclass(frozen=True)
class Refusal:
    """A link not made because it would join records decided to be different people.

    `probability` is the model's for that pair, or None when the link was a "same person"
    decision (two decisions then contradict each other)."""

    left: str
    right: str
    probability: float | None
    blocked_by: Decision

    def __str__(self) -> str:
        link = (
            f"a confirmed link {self.left} = {self.right}"
            if self.probability is None
            else f"the link {self.left} = {self.right} (probability {self.probability:.4f})"
        )
        return f"refused {link}: it would join what {self.blocked_by.describe()}"


@dataclass(frozen=True)
class Clustering:
    """`clusters` (`unique_id`, `cluster` int) for every record, and the links refused."""

    clusters: pa.Table
    refusals: list[Refusal] = field(default_factory=list)


@dataclass(frozen=True)
class Event:
    """Records that changed person in one run, and why."""

    kind: EventKind
    person: int
    """The person the records now belong to (for `merged`, the surviving person)."""
    other: int
    """The person they left (for `merged`, the person merged away)."""
    records: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Assignment:
    """Each record's person (`unique_id`, `person_id`), new and retired ids, and the events."""

    people: pa.Table
    new_people: list[int]
    retired: list[int]
    events: list[Event]
    revived: list[int] = field(default_factory=list)
    """Retired people given back their id: records merged away from them were split off."""


_EDGES = """
select coalesce(l.pos, -1) as l, coalesce(r.pos, -1) as r, s.match_probability
from strong s
left join ids l on l.unique_id = s.unique_id_l
left join ids r on r.unique_id = s.unique_id_r
"""

_NAMED = "select coalesce(i.pos, -1) from names n left join ids i using (unique_id) order by n.k"


def _positions(
    ids: pa.Array, strong: pa.Table, names: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The positions in `ids` (-1 where absent) of each `strong` pair's records, with its
    probability, and of each of `names`. DuckDB's hash joins: a fraction of pyarrow's
    `index_in` time on a million ids."""
    con = duckdb.connect()
    try:
        con.register("ids", pa.table({"unique_id": ids, "pos": np.arange(len(ids))}))
        con.register("strong", strong)
        con.register(
            "names",
            pa.table({"unique_id": pa.array(names, pa.string()), "k": np.arange(len(names))}),
        )
        edges = con.sql(_EDGES).to_arrow_table()
        found = con.sql(_NAMED).to_arrow_table()
    finally:
        con.close()
    left, right, probability = (edges[c].to_numpy() for c in ("l", "r", "match_probability"))
    return left, right, probability, found.column(0).to_numpy()


def _known(decisions: Iterable[Decision], position: dict[str, int]) -> list[Decision]:
    return [d for d in decisions if d.left in position and d.right in position]


def cluster(
    ids: pa.Array, pairs: pa.Table, decisions: Sequence[Decision], upper: float
) -> Clustering:
    """Cluster the records `ids` through `pairs` (`unique_id_l`, `unique_id_r`,
    `match_probability`) at or above `upper`, honouring `decisions`.

    Decisions about records not in `ids` are ignored (the records may come back later)."""
    n = len(ids)
    strong = pairs.filter(pc.greater_equal(pairs["match_probability"], upper))
    names = sorted({name for d in decisions for name in (d.left, d.right)})
    left, right, probability, found = _positions(ids, strong, names)
    keep = (left >= 0) & (right >= 0)
    position = {name: int(i) for name, i in zip(names, found, strict=True) if i >= 0}
    known = _known(decisions, position)
    apart = {frozenset((position[d.left], position[d.right])): d for d in known if not d.same}
    if apart:
        keys = np.minimum(left, right) * n + np.maximum(left, right)
        barred = [min(pair) * n + max(pair) for pair in apart]
        keep &= ~np.isin(keys, barred)
    left, right, probability = left[keep], right[keep], probability[keep]
    together = [(position[d.left], position[d.right]) for d in known if d.same]
    edges = np.concatenate(
        [np.array(together, dtype=np.int64).reshape(-1, 2), np.column_stack([left, right])]
    )
    import igraph  # here, not at the top: igraph imports matplotlib (0.4 s every command pays)

    graph = igraph.Graph(n=n, directed=False)
    graph.add_edges(edges)  # a NumPy array goes in without a Python object per edge
    membership = np.asarray(graph.connected_components().membership, dtype=np.int64)
    refusals: list[Refusal] = []
    conflicted = {int(membership[a]) for a, b in apart if membership[a] == membership[b]}
    if conflicted:
        weights = np.concatenate([np.full(len(together), np.inf), probability])
        membership, refusals = _resolve(ids, edges, weights, membership, conflicted, apart)
    table = pa.table({"unique_id": ids, "cluster": pa.array(membership, pa.int64())})
    return Clustering(table, refusals)


def _resolve(
    ids: pa.Array,
    edges: np.ndarray,
    weights: np.ndarray,
    membership: np.ndarray,
    conflicted: set[int],
    apart: dict[frozenset[int], Decision],
) -> tuple[np.ndarray, list[Refusal]]:
    """Re-cluster the components that hold records decided apart: add their links strongest
    first (decisions before model links), refusing any that would join records decided apart."""
    membership = membership.copy()
    next_cluster = int(membership.max()) + 1
    refusals = []
    in_conflict = np.isin(membership[edges[:, 0]], list(conflicted))
    chosen = np.flatnonzero(in_conflict)
    labels = ids.to_pylist()
    order = sorted(chosen, key=lambda i: (-weights[i], labels[edges[i, 0]], labels[edges[i, 1]]))
    root: dict[int, int] = {}
    forbid: dict[int, dict[int, Decision]] = {}
    for pair, decision in apart.items():
        a, b = tuple(pair)
        if int(membership[a]) in conflicted:
            forbid.setdefault(a, {})[b] = decision
            forbid.setdefault(b, {})[a] = decision

    def find(x: int) -> int:
        while root.get(x, x) != x:
            x = root[x]
        return x

    for i in order:
        a, b = find(int(edges[i, 0])), find(int(edges[i, 1]))
        if a == b:
            continue
        blocked = forbid.get(a, {}).get(b)
        if blocked is not None:
            weight = float(weights[i])
            refusals.append(
                Refusal(
                    labels[edges[i, 0]],
                    labels[edges[i, 1]],
                    None if np.isinf(weight) else weight,
                    blocked,
                )
            )
            continue
        root[b] = a
        merged = forbid.pop(a, {})
        for other, decision in forbid.pop(b, {}).items():
            merged.setdefault(other, decision)
        for other, decision in merged.items():
            others = forbid.setdefault(other, {})
            others.pop(b, None)
            others[a] = decision
        if merged:
            forbid[a] = merged
    groups: dict[int, int] = {}
    for node in np.flatnonzero(np.isin(membership, list(conflicted))):
        top = find(int(node))
        if top not in groups:
            groups[top] = next_cluster
            next_cluster += 1
        membership[node] = groups[top]
    return membership, refusals


_OVERLAP = """
select c.cluster, p.person_id, count(*) as n
from clusters c join previous p using (unique_id)
group by all
"""

_CLAIMS = f"""
select *, count(*) over (partition by cluster) as claims,
    count(*) over (partition by person_id) as shares
from ({_OVERLAP})
"""  # noqa: S608

_UNASSIGNED = """
select cluster, min(unique_id) as first from clusters
where cluster not in (select cluster from assigned)
group by all order by first
"""


def _greedy(rows: Iterable[tuple[int, int]], person_of: dict[int, int], taken: set[int]) -> None:
    """Give each cluster (in `rows` order) its person unless either is already matched."""
    for cluster_key, person in rows:
        if cluster_key not in person_of and person not in taken:
            person_of[cluster_key] = person
            taken.add(person)


def assign(
    clustering: Clustering,
    previous: pa.Table,
    next_person: int,
    pairs: pa.Table,
    decisions: Sequence[Decision] = (),
    former: pa.Table | None = None,
) -> Assignment:
    """Give every cluster a person id: the earlier person (`previous`: `unique_id`,
    `person_id`) most of its records belonged to, if no larger share of another cluster has
    claimed that person. Otherwise, the retired person its records were merged away from
    (`former`: `unique_id`, `person_id`), so undoing a wrong merge gives the id back; otherwise
    a new id from `next_person` up. `pairs` and `decisions` supply the reasons for records that
    changed person.

    Set-based: a cluster whose records all came from one earlier person, who has no records in
    any other cluster, keeps that person without a Python step; only contested clusters go
    through the largest-share-first loop."""
    clusters = clustering.clusters
    previous = previous.select(["unique_id", "person_id"])
    con = duckdb.connect()
    try:
        con.register("clusters", clusters)
        con.register("previous", previous)
        con.execute(f"create temp table claims as {_CLAIMS}")
        sole = con.sql(
            "select cluster, person_id from claims where claims = 1 and shares = 1"
        ).to_arrow_table()
        contested = con.sql(
            "select cluster, person_id from claims where claims > 1 or shares > 1 "
            "order by n desc, person_id, cluster"
        ).fetchall()
        person_of: dict[int, int] = {}
        taken: set[int] = set()
        _greedy(contested, person_of, taken)
        current = pc.unique(previous["person_id"]).to_numpy()
        revived: list[int] = []
        if former is not None and former.num_rows:
            con.register("previous", former.select(["unique_id", "person_id"]))
            formerly = con.sql(f"{_OVERLAP} order by n desc, person_id, cluster").fetchall()
            ever = set(current.tolist())
            matched = set(sole["cluster"].to_pylist())
            unmatched = [(c, p) for c, p, _ in formerly if p not in ever and c not in matched]
            before = set(person_of)
            _greedy(unmatched, person_of, taken)
            revived = [person_of[c] for c in person_of if c not in before]
        assigned = pa.table(
            {
                "cluster": pa.concat_arrays(
                    [
                        sole["cluster"].combine_chunks(),
                        pa.array(list(person_of), pa.int64()),
                    ]
                )
            }
        )
        con.register("assigned", assigned)
        unassigned = con.sql(_UNASSIGNED).fetchall()
    finally:
        con.close()
    new_people = list(range(next_person, next_person + len(unassigned)))
    for (cluster_key, _), person in zip(unassigned, new_people, strict=True):
        person_of[cluster_key] = person
    keys = clusters["cluster"].to_numpy()
    lookup = np.zeros(int(keys.max()) + 1 if len(keys) else 0, dtype=np.int64)
    lookup[sole["cluster"].to_numpy()] = sole["person_id"].to_numpy()
    if person_of:
        lookup[np.fromiter(person_of, np.int64)] = np.fromiter(person_of.values(), np.int64)
    people = pa.table(
        {"unique_id": clusters["unique_id"], "person_id": pa.array(lookup[keys], pa.int64())}
    )
    kept = np.concatenate(
        [sole["person_id"].to_numpy(), np.fromiter(taken, np.int64, count=len(taken))]
    )
    still = np.zeros(int(max(current.max(initial=0), kept.max(initial=0))) + 1, dtype=bool)
    still[kept] = True
    retired = sorted(current[~still[current]].tolist())
    events = _events(people, previous, set(retired), {*new_people, *revived}, pairs, decisions)
    return Assignment(people, new_people, retired, events, sorted(revived))


_MOVES = """
select p.person_id as before, n.person_id as after, list(unique_id order by unique_id) as records
from previous p join people n using (unique_id)
where p.person_id <> n.person_id
group by all
order by after, before
"""

_MEMBERS = """
select person_id, list(unique_id) from {table}
where person_id in (select person_id from involved)
group by all
"""


def _events(
    people: pa.Table,
    previous: pa.Table,
    retired: set[int],
    new: set[int],
    pairs: pa.Table,
    decisions: Sequence[Decision],
) -> list[Event]:
    con = duckdb.connect()
    try:
        con.register("people", people)
        con.register("previous", previous)
        moves = con.sql(_MOVES).fetchall()
        if not moves:  # the usual case: no record changed person
            return []
        involved = sorted({p for before, after, _ in moves for p in (before, after)})
        con.register("involved", pa.table({"person_id": pa.array(involved, pa.int64())}))
        members = {p: set(ids) for p, ids in con.sql(_MEMBERS.format(table="people")).fetchall()}
        was = {p: set(ids) for p, ids in con.sql(_MEMBERS.format(table="previous")).fetchall()}
    finally:
        con.close()
    moved = {uid for _, _, records in moves for uid in records}
    touching = pairs.filter(
        pc.or_(
            pc.is_in(pairs["unique_id_l"], value_set=pa.array(list(moved))),
            pc.is_in(pairs["unique_id_r"], value_set=pa.array(list(moved))),
        )
    ).select(["unique_id_l", "unique_id_r", "match_probability"])
    strength = {
        frozenset((row["unique_id_l"], row["unique_id_r"])): row["match_probability"]
        for row in touching.to_pylist()
    }
    decided = {frozenset((d.left, d.right)): d for d in decisions}
    events = []
    for before, after, records in moves:
        group = set(records)
        if before in retired:
            kind: EventKind = "merged"
            reason = _why_joined(group, members[after] - group, strength, decided)
        else:
            kind = "split" if after in new else "moved"
            reason = _why_parted(group, was[before] - group, strength, decided)
        events.append(Event(kind, after, before, tuple(records), reason))
    return events


def _decision_between(
    moved: set[str], rest: set[str], decided: dict[frozenset[str], Decision], same: bool
) -> Decision | None:
    """The first decision (in id order of the records) of kind `same` between the two sets."""
    for a in sorted(moved):
        for b in sorted(rest):
            decision = decided.get(frozenset((a, b)))
            if decision is not None and decision.same is same:
                return decision
    return None


def _why_joined(
    moved: set[str],
    rest: set[str],
    strength: dict[frozenset[str], float],
    decided: dict[frozenset[str], Decision],
) -> str:
    """Why `moved` joined `rest`: a "same person" decision, else the strongest link."""
    decision = _decision_between(moved, rest, decided, same=True)
    if decision is not None:
        return decision.describe()
    best = max(
        ((strength.get(frozenset((a, b)), 0.0), min(a, b), max(a, b)) for a in moved for b in rest),
        default=(0.0, "", ""),
    )
    if best[0] > 0:
        return f"linked by {best[1]} = {best[2]} at probability {best[0]:.4f}"
    return "linked through other records of the same person"


def _why_parted(
    moved: set[str],
    rest: set[str],
    strength: dict[frozenset[str], float],
    decided: dict[frozenset[str], Decision],
) -> str:
    """Why `moved` left `rest`: a "different people" decision, else the model's weaker link."""
    decision = _decision_between(moved, rest, decided, same=False)
    if decision is not None:
        return decision.describe()
    best = max((strength.get(frozenset((a, b)), 0.0) for a in moved for b in rest), default=0.0)
    if best > 0:
        return f"the model no longer links them: strongest pair probability {best:.4f}"
    return "the model no longer links them: no scored pair between them"
