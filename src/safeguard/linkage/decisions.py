"""The rules for practitioners' link decisions, before any is stored: a pair is two different
records, both linked; a reason and a decider are kept; a "same person" decision may not join
two people holding records someone decided are different people; a split names some of a
person's records, never all. Pure: the hub passes in what it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence, Set

from safeguard.linkage.identity import Decision


class DecisionRefused(ValueError):
    """A decision that cannot be recorded as asked; the message says why."""


def pair(a: str, b: str) -> tuple[str, str]:
    """The two records in id order (as decisions are kept)."""
    a, b = a.strip(), b.strip()
    if a == b:
        raise DecisionRefused(f"{a}: a record is always the same person as itself")
    return (a, b) if a < b else (b, a)


def checked(
    left: str,
    right: str,
    same: bool,
    reason: str,
    by: str,
    linked: Set[str],
    people: Mapping[str, int],
    current: Sequence[Decision],
) -> tuple[str, str]:
    """The pair, in order, if a decision on it may be recorded; else `DecisionRefused`.

    `linked`: which of the two records are linked; `people`: each record of the two records'
    people, and its person; `current`: every current decision."""
    left, right = pair(left, right)
    if not reason.strip():
        raise DecisionRefused("give a reason: it is kept with the decision")
    if not by.strip():
        raise DecisionRefused("say who decides: it is kept with the decision")
    missing = sorted({left, right} - set(linked))
    if missing:
        raise DecisionRefused(
            f"no linked record {', '.join(missing)} (ids are agency:record_id, as "
            "`safeguard review list` shows them; run `safeguard link` after ingesting)"
        )
    if same:
        apart = [d for d in current if not d.same and (d.left, d.right) != (left, right)]
        blocking = conflict((left, right), apart, people)
        if blocking is not None:
            raise DecisionRefused(
                f"refused: joining {left} and {right} would make one person of "
                f"{blocking.left} and {blocking.right}, contradicting {blocking.describe()}. "
                "Change that decision first if it was wrong."
            )
    return left, right


def conflict(
    same: tuple[str, str], apart: Iterable[Decision], people: Mapping[str, int]
) -> Decision | None:
    """The "different people" decision that joining the `same` pair would contradict, with the
    people (`people`: record -> person) as they are now, if any."""
    joined = {people.get(same[0]), people.get(same[1])} - {None}
    for d in apart:
        if people.get(d.left) in joined and people.get(d.right) in joined:
            return d
    return None


def split_pairs(person: int, members: Set[str], leaving: Iterable[str]) -> list[tuple[str, str]]:
    """The "different people" pairs that split `leaving` off `person` (whose records are
    `members`): each leaving record against each staying one, so no re-run joins them."""
    chosen = {r.strip() for r in leaving}
    if not chosen:
        raise DecisionRefused("name the records to split off")
    if not members:
        raise DecisionRefused(f"no person P{person} with linked records")
    strangers = sorted(chosen - set(members))
    if strangers:
        raise DecisionRefused(f"not records of P{person}: {', '.join(strangers)}")
    staying = set(members) - chosen
    if not staying:
        raise DecisionRefused(
            f"that is every record of P{person}; name the records to split off, not all"
        )
    return [pair(a, b) for a in sorted(chosen) for b in sorted(staying)]
