"""Deliveries in: validate against the contract, quarantine bad rows, land as Parquet, load.

`ingest()` runs one delivery through; the hub's database is reached through the `DeliveryStore`
port, so this package does not import Django. Its names are loaded when first asked for, so a
command that only reads a report does not load DuckDB and Arrow.
"""

from __future__ import annotations

import importlib
from typing import Any

_FROM = {
    "DeliveryStore": "pipeline",
    "KnownDelivery": "pipeline",
    "LandedFile": "pipeline",
    "ingest": "pipeline",
    "DeliveryReport": "report",
    "FileReport": "report",
    "Outcome": "report",
    "exit_code": "report",
    "summary": "report",
}
__all__ = sorted(_FROM)


def __getattr__(name: str) -> Any:
    if name not in _FROM:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_FROM[name]}"), name)
