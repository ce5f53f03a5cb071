"""The agency data contract: record kinds, their fields, the manifest and UK identifier rules.

Pure Python: no Django, so the contract serves the CLI, the hub, notebooks and Spark jobs alike.
"""

from safeguard.contract.fields import Field, FieldType
from safeguard.contract.kinds import CONTRACT_VERSION, KINDS, Kind, kind
from safeguard.contract.manifest import MANIFEST_NAME, Manifest, ManifestError, parse_manifest

__all__ = [
    "CONTRACT_VERSION",
    "KINDS",
    "MANIFEST_NAME",
    "Field",
    "FieldType",
    "Kind",
    "Manifest",
    "ManifestError",
    "kind",
    "parse_manifest",
]
