"""The delivery manifest: who sent a delivery, when it was extracted and what period it covers."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from safeguard.contract.kinds import CONTRACT_VERSION, KINDS

MANIFEST_NAME = "manifest.json"
FILE_SUFFIXES = (".csv", ".jsonl", ".xlsx")
AGENCY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class ManifestError(ValueError):
    """The manifest is missing, unreadable or says something impossible."""


@dataclass(frozen=True)
class Manifest:
    """What `manifest.json` says about a delivery."""

    agency: str
    agency_name: str
    extract_date: dt.date
    period_start: dt.date
    period_end: dt.date
    contract_version: str = CONTRACT_VERSION
    files: dict[str, str] = field(default_factory=dict)

    def kind_of(self, filename: str) -> str | None:
        """The record kind a delivered file holds: as the manifest maps it, else its name's stem."""
        if filename in self.files:
            return self.files[filename]
        stem = PurePath(filename).stem
        return stem if stem in KINDS else None

    def to_json(self) -> dict[str, Any]:
        return {
            "agency": self.agency,
            "agency_name": self.agency_name,
            "extract_date": self.extract_date.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "contract_version": self.contract_version,
            "files": dict(self.files),
        }


def _date(data: dict[str, Any], key: str) -> dt.date:
    value = data.get(key)
    if not value:
        raise ManifestError(f"manifest: `{key}` is missing (a date, YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ManifestError(f"manifest: `{key}` is {value!r}, not a date YYYY-MM-DD") from None


def parse_manifest(text: str) -> Manifest:
    """Read a manifest from its JSON text, saying exactly what is wrong with a bad one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManifestError(f"manifest: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ManifestError("manifest: must be a JSON object")
    agency = str(data.get("agency") or "")
    if not AGENCY_PATTERN.match(agency):
        raise ManifestError(
            f"manifest: `agency` is {agency!r}; it must be a short code of lower-case letters, "
            "digits and hyphens, such as `cheshire-police`"
        )
    files = data.get("files") or {}
    if not isinstance(files, dict):
        raise ManifestError("manifest: `files` must map file names to record kinds")
    for name, kind_name in files.items():
        if kind_name not in KINDS:
            raise ManifestError(
                f"manifest: file {name!r} is mapped to {kind_name!r}, which is not a record kind "
                f"({', '.join(KINDS)})"
            )
    manifest = Manifest(
        agency=agency,
        agency_name=str(data.get("agency_name") or agency),
        extract_date=_date(data, "extract_date"),
        period_start=_date(data, "period_start"),
        period_end=_date(data, "period_end"),
        contract_version=str(data.get("contract_version") or CONTRACT_VERSION),
        files={str(k): str(v) for k, v in files.items()},
    )
    if manifest.period_start > manifest.period_end:
        raise ManifestError("manifest: `period_start` is after `period_end`")
    if manifest.contract_version.split(".")[0] != CONTRACT_VERSION.split(".")[0]:
        raise ManifestError(
            f"manifest: contract version {manifest.contract_version} is not supported "
            f"(this hub reads version {CONTRACT_VERSION})"
        )
    return manifest
