"""Deliveries in: validate against the contract, quarantine bad rows, land as Parquet, load.

`ingest()` runs one delivery through; the hub's database is reached through the `DeliveryStore`
port, so this package does not import Django.
"""

from safeguard.ingest.pipeline import DeliveryStore, KnownDelivery, LandedFile, ingest
from safeguard.ingest.report import DeliveryReport, FileReport, Outcome, exit_code, summary

__all__ = [
    "DeliveryReport",
    "DeliveryStore",
    "FileReport",
    "KnownDelivery",
    "LandedFile",
    "Outcome",
    "exit_code",
    "ingest",
    "summary",
]
