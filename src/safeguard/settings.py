"""Safeguard's configuration: one typed settings object read from the environment.

Every setting is documented in `docs/configuration.md` (a test keeps the two in step).
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from pydantic import Field, IPvAnyNetwork, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from safeguard.ingest.limits import DEFAULT as INGEST_LIMITS
from safeguard.ingest.limits import Limits
from safeguard.linkage.config import LinkageConfig


class Settings(BaseSettings):
    """Settings read from `SAFEGUARD_*` environment variables (and `DATABASE_URL`)."""

    model_config = SettingsConfigDict(env_prefix="SAFEGUARD_", extra="ignore")

    data_dir: Path = Field(
        default=Path("safeguard-data"),
        description="Where the embedded store, landed deliveries and reports live.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias="DATABASE_URL",
        description="PostgreSQL URL (postgres://user@host:port/name); unset means SQLite "
        "at `<data_dir>/hub.sqlite3`.",
    )
    ingest_chunk_rows: int = Field(
        default=50_000,
        gt=0,
        description="Rows read, validated and loaded at a time; bounds ingest memory.",
    )
    ingest_max_unpacked_bytes: int = Field(
        default=INGEST_LIMITS.unpacked_bytes,
        gt=0,
        description="The most a delivered zip (or a workbook inside one) may unpack to.",
    )
    ingest_max_zip_ratio: int = Field(
        default=INGEST_LIMITS.zip_ratio,
        gt=0,
        description="How many times its packed size a zip member over 1 MB may unpack to.",
    )
    ingest_max_field_bytes: int = Field(
        default=INGEST_LIMITS.field_bytes,
        gt=0,
        description="The longest value a delivered field may hold (and the longest JSON line).",
    )
    ingest_max_columns: int = Field(
        default=INGEST_LIMITS.columns,
        gt=0,
        description="The most columns a delivered file may have.",
    )
    # defaults and bounds are the linkage configuration's own, so the two cannot drift apart
    link_upper: float = Field(
        default=LinkageConfig.model_fields["upper"].default,
        gt=0,
        lt=1,
        description="Linkage: records link automatically at or above this match probability.",
    )
    link_lower: float = Field(
        default=LinkageConfig.model_fields["lower"].default,
        gt=0,
        lt=1,
        description="Linkage: pairs from here up to the upper threshold go to human review.",
    )
    screening_catalogue: Path | None = Field(
        default=None,
        description="A partnership's own CSE screening catalogue (TOML); unset means the "
        "default shipped with Safeguard.",
    )
    timescales: Path | None = Field(
        default=None,
        description="A partnership's own catalogue of clocks and timescales (TOML); unset "
        "means the default shipped with Safeguard.",
    )
    mash_vocabulary: Path | None = Field(
        default=None,
        description="A partnership's own MASH vocabulary (TOML): referral sources, concern "
        "factors, ratings and their clocks, decision outcomes; unset means the default.",
    )
    recommendations: Path | None = Field(
        default=None,
        description="A partnership's own catalogue of recommendations to review itself "
        "against (TOML); unset means the default shipped with Safeguard.",
    )
    ssd_mapping: Path | None = Field(
        default=None,
        description="A partnership's own mapping of MASH outcomes to the Standard Safeguarding "
        "Dataset's outcome flags (TOML); unset means the default shipped with Safeguard.",
    )
    retention: Path | None = Field(
        default=None,
        description="A partnership's own retention schedule (TOML): how long each type of "
        "record is kept, and why; unset means the default shipped with Safeguard.",
    )
    public_reports_per_hour: int = Field(
        default=10,
        gt=0,
        description="Concerns (and additions) one source may send to /report/ in an hour; "
        "the source is kept only as a keyed hash in the cache, never stored.",
    )
    alert_email_from: str = Field(
        default="safeguard@localhost",
        description="The sender of alert emails (Django's mail settings send them; the "
        "console in demo mode).",
    )
    rhi_provider: str = Field(
        default="return-interviews",
        description="The agency code of the provider commissioned for return home interviews "
        "(its interviewers hold the role rhi_worker).",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The hub's address as its users reach it, for links in alert emails.",
    )
    email_url: str | None = Field(
        default=None,
        description="Where alert emails go: smtp://user:password@host:port (or smtp+tls://); "
        "unset prints them to the console.",
    )
    operator: str | None = Field(
        default=None,
        description="The account the command line acts as when `--as` is not given (a "
        "data operator's service account for scheduled ingest, linkage and analysis).",
    )
    demo: bool = Field(
        default=False, description="Demo mode: allows the built-in development secret key."
    )
    secret_key: str | None = Field(
        default=None, description="Django secret key; required outside demo mode."
    )

    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the hub answers to besides 127.0.0.1 and localhost "
        "(a JSON list in the environment).",
    )
    idle_minutes: int = Field(
        default=30, gt=0, description="A signed-in session ends after this many idle minutes."
    )
    session_hours: int = Field(
        default=12,
        gt=0,
        description="A signed-in session ends this many hours after its sign-in, however busy.",
    )
    enrol_hours: int = Field(
        default=72,
        gt=0,
        description="Hours a new or reset account has to set up its authenticator at sign-in.",
    )
    lockout_failures: int = Field(
        default=5, gt=0, description="Failed sign-ins in a row that lock an account."
    )
    lockout_source_failures: int = Field(
        default=50,
        gt=0,
        description="Failed sign-ins from one network address, to any accounts, that refuse "
        "further sign-ins from it for `lockout_source_minutes`.",
    )
    lockout_source_minutes: int = Field(
        default=60,
        gt=0,
        description="How long an address's failed sign-ins count against it.",
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Addresses or networks of the reverse proxies in front of the hub (a JSON "
        'list, e.g. ["10.0.0.5", "10.1.0.0/24"]). A request from one of them is taken to '
        "come from the nearest address in its X-Forwarded-For that is not a trusted proxy; "
        "empty (the default): every request comes from its connection's own address.",
    )
    audit_anchor_key: SecretStr | None = Field(
        default=None,
        description="The key that signs the audit trail's anchors (HMAC-SHA256, at least 32 "
        "bytes); prefer `SAFEGUARD_AUDIT_ANCHOR_KEY_FILE`. Never in the repository.",
    )
    audit_anchor_key_file: Path | None = Field(
        default=None,
        description="A file outside the repository holding the audit anchors' key; unset "
        "(and no `SAFEGUARD_AUDIT_ANCHOR_KEY`) means no anchors are written.",
    )
    audit_anchor_dir: Path | None = Field(
        default=None,
        description="Where the audit trail's signed anchors are written, outside the "
        "database; unset means `<data_dir>/audit-anchors`.",
    )
    assets_dir: Path = Field(
        default=Path(__file__).resolve().parents[2] / "node_modules",
        description="Where `make assets` installed the front-end packages (GOV.UK Frontend, "
        "MOJ Frontend, HTMX) and built the stylesheet.",
    )

    def asset_dirs(self) -> dict[str, Path]:
        """Static-file prefixes and the folders they are served from."""
        return {
            "govuk": self.assets_dir / "govuk-frontend" / "dist" / "govuk",
            "moj": self.assets_dir / "@ministryofjustice" / "frontend" / "moj",
            "htmx": self.assets_dir / "htmx.org" / "dist",
            "cytoscape": self.assets_dir / "cytoscape" / "dist",
            "built": self.assets_dir / ".safeguard",
        }

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "hub.sqlite3"

    @property
    def landing_dir(self) -> Path:
        return self.data_dir / "landing"

    @property
    def linkage_dir(self) -> Path:
        return self.data_dir / "linkage"

    @property
    def intelligence_dir(self) -> Path:
        return self.data_dir / "intelligence"

    def ingest_limits(self) -> Limits:
        """The bounds ingest applies to untrusted deliveries."""
        return Limits(
            unpacked_bytes=self.ingest_max_unpacked_bytes,
            zip_ratio=self.ingest_max_zip_ratio,
            field_bytes=self.ingest_max_field_bytes,
            columns=self.ingest_max_columns,
        )

    def linkage_config(self) -> LinkageConfig:
        """The linkage thresholds these settings ask for (validated together)."""
        return LinkageConfig(upper=self.link_upper, lower=self.link_lower)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()


def variable(name: str) -> str:
    """The environment variable that sets the setting `name`."""
    alias = Settings.model_fields[name].validation_alias
    return alias if isinstance(alias, str) else f"SAFEGUARD_{name.upper()}"


def misconfigured(exc: Exception) -> str:
    """One line naming each setting that is wrong and what is wrong with it (never its value,
    which may be a secret)."""
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(
            f"{variable(str(e['loc'][0]))}: {e['msg'].lower()}" for e in exc.errors() if e["loc"]
        )
    found = re.search(r'field "(\w+)"', str(exc))  # pydantic-settings could not decode JSON
    return f'{variable(found.group(1)) if found else "?"}: not valid JSON (a list: ["a", "b"])'


def settings_or_exit() -> Settings:
    """The settings; or, when a setting is wrong, one line on standard error and exit code 2.
    Every entry point (the command line, the web server) calls this first."""
    from pydantic import ValidationError
    from pydantic_settings import SettingsError

    try:
        return get_settings()
    except (ValidationError, SettingsError) as exc:
        print(f"safeguard: misconfigured: {misconfigured(exc)}", file=sys.stderr)
        raise SystemExit(2) from None
