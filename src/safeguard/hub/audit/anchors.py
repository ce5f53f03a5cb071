"""Anchors: the audit chain's head (its last place and hash) at a moment, signed with a key
the database does not hold (HMAC-SHA256) and written to a folder outside the database, one
file each, never overwritten. Whoever can rewrite the database, recomputing every hash, or
delete its newest events, still cannot make the chain agree with an anchor written before;
keep the folder where the database's administrators cannot write (another machine, write-once
storage) for that to hold. The key comes from `SAFEGUARD_AUDIT_ANCHOR_KEY` or
`SAFEGUARD_AUDIT_ANCHOR_KEY_FILE`, never from the repository."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from safeguard.settings import get_settings

#: The shortest key accepted, in bytes.
MIN_KEY = 32
_PREFIX = "audit-anchor-"
#: The source tree (a key file inside it could end up in the repository).
_SOURCE = Path(__file__).resolve().parents[4]


class NoKey(Exception):
    """No usable anchor key is configured (the message says what to do)."""


@dataclass(frozen=True)
class Anchor:
    """One anchor file: the head it names, when, and whether its signature matched (None:
    not checked, no key)."""

    name: str
    at: str
    seq: int
    hash: str
    signed: bool | None


def folder() -> Path:
    """Where anchors are written: `SAFEGUARD_AUDIT_ANCHOR_DIR`, or under the data folder."""
    settings = get_settings()
    return settings.audit_anchor_dir or settings.data_dir / "audit-anchors"


def configured_key() -> bytes | None:
    """The anchor key, if one is configured (raises `NoKey` if the one configured is unfit)."""
    settings = get_settings()
    if settings.audit_anchor_key is not None:
        key = settings.audit_anchor_key.get_secret_value().encode()
    elif settings.audit_anchor_key_file is not None:
        path = settings.audit_anchor_key_file.expanduser().resolve()
        if (_SOURCE / "pyproject.toml").exists() and path.is_relative_to(_SOURCE):
            raise NoKey(f"the anchor key file {path} is inside the source tree: keep it outside")
        try:
            key = path.read_bytes().strip()
        except OSError as e:
            raise NoKey(f"the anchor key file cannot be read: {e.strerror}") from None
    else:
        return None
    if len(key) < MIN_KEY:
        raise NoKey(f"the anchor key is shorter than {MIN_KEY} bytes")
    return key


def required_key() -> bytes:
    """The anchor key; `NoKey` with what to set when there is none."""
    key = configured_key()
    if key is None:
        raise NoKey(
            "no anchor key is configured: set SAFEGUARD_AUDIT_ANCHOR_KEY_FILE to a file "
            f"outside the repository holding a random key of at least {MIN_KEY} bytes "
            "(or SAFEGUARD_AUDIT_ANCHOR_KEY)"
        )
    return key


def _body(at: str, seq: int, hash_: str) -> dict[str, object]:
    return {"version": 1, "at": at, "seq": seq, "hash": hash_}


def _mac(key: bytes, body: dict[str, object]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, text, hashlib.sha256).hexdigest()


def write(where: Path, key: bytes, seq: int, hash_: str, now: dt.datetime) -> Anchor:
    """Write a signed anchor naming event `seq` and its hash; never over an existing file."""
    at = now.astimezone(dt.UTC).isoformat(timespec="seconds")
    body = _body(at, seq, hash_)
    name = f"{_PREFIX}{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{seq}.json"
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (where / name).open("x", encoding="utf-8") as out:
        json.dump({**body, "hmac_sha256": _mac(key, body)}, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    return Anchor(name, at, seq, hash_, True)


def written_on(where: Path, day: dt.date) -> bool:
    """Has an anchor been written on `day` (UTC)?"""
    return any(where.glob(f"{_PREFIX}{day:%Y%m%d}T*.json"))


def read(where: Path, key: bytes | None) -> list[Anchor]:
    """Every anchor in `where`, oldest first; one that cannot be read counts as unsigned."""
    found = []
    for path in sorted(where.glob(f"{_PREFIX}*.json")) if where.is_dir() else []:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            body = _body(str(data["at"]), int(data["seq"]), str(data["hash"]))
            mac = str(data["hmac_sha256"])
        except (OSError, ValueError, KeyError, TypeError):
            found.append(Anchor(path.name, "", 0, "", False))
            continue
        signed = None if key is None else hmac.compare_digest(mac, _mac(key, body))
        found.append(
            Anchor(path.name, str(body["at"]), int(data["seq"]), str(body["hash"]), signed)
        )
    return found
