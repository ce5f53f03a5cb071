"""Where Splink runs: DuckDB (in process, the default) or Spark (the path to national scale).

`db_api(backend)` gives the Splink database API for a backend name. DuckDB needs nothing. Spark
uses `spark_session()`: the session already running in this process (e.g. on a cluster or
Databricks, which must have Splink's similarity jar on `spark.jars`) or, when there is none, a
local one started here on first use (`local[2]`, a few shuffle partitions, Splink's jar, quiet
logs, scratch folders in a temporary directory removed at exit). PySpark and Java are needed
only then: importing this module never starts or imports Spark.

A saved model holds SQL in the dialect it was trained in. `for_dialect(model, dialect)` renders
the settings' comparisons and blocking rules again for another backend and keeps every trained
parameter, so a model trained on DuckDB scores the same pairs on Spark and the other way round.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

import duckdb
from splink import DuckDBAPI, SettingsCreator

from safeguard.linkage import settings as model_settings

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from splink.internals.database_api import DatabaseAPI

Backend = Literal["duckdb", "spark"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)
DEFAULT_BACKEND: Backend = "duckdb"

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_local: SparkSession | None = None


class BackendError(RuntimeError):
    """Spark cannot start here: PySpark or Java is missing."""


def backend_name(name: str) -> Backend:
    """`name` checked as a backend (for options and settings); raises `ValueError` otherwise."""
    for backend in BACKENDS:
        if name == backend:
            return backend
    raise ValueError(f"unknown linkage backend {name!r}: choose one of {', '.join(BACKENDS)}")


@dataclass(frozen=True)
class SparkSettings:
    """The local Spark session's settings: sized for one machine (2 cores here) and small data
    in tests; a cluster brings its own session instead."""

    master: str = "local[2]"
    driver_memory: str = "2g"
    shuffle_partitions: int = 4
    app_name: str = "safeguard-linkage"
    log_level: str = "ERROR"
    java_options: tuple[str, ...] = ("-XX:+ExitOnOutOfMemoryError",)
    """For the driver JVM. By default it ends on running out of memory rather than leave Python
    waiting on it for ever. Short runs such as tests start faster with quick-start options
    (`QUICK_START_JAVA_OPTIONS`)."""
    options: dict[str, str] = field(default_factory=dict)
    """Further Spark settings (`spark.*`), applied last."""


QUICK_START_JAVA_OPTIONS = (
    "-XX:+ExitOnOutOfMemoryError",
    "-XX:TieredStopAtLevel=1",
    "-XX:ReservedCodeCacheSize=256m",
    "-XX:+UseSerialGC",
)
"""JVM options for a short-lived local session (tests, small files): compile less, collect
garbage simply. They halve a small run's CPU time but slow a long one; not for large data."""

_LOG4J = """\
rootLogger.level = {level}
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{{HH:mm:ss}} %p %c{{1}}: %m%n%ex
"""


def spark_available() -> str | None:
    """None when a local Spark session can start here, else why not (PySpark or Java missing)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed (pip install 'safeguard[spark]')"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not shutil.which("java"):
        return "Java is not installed (Spark needs Java 17 or later on PATH or JAVA_HOME)"
    return None


def spark_session(settings: SparkSettings | None = None) -> SparkSession:
    """The active Spark session, or a local one started now (and reused until `stop_spark`)."""
    global _local
    with _lock:
        if _local is not None:
            return _local
        reason = spark_available()
        if reason is not None:
            raise BackendError(reason)
        from pyspark.sql import SparkSession

        active = SparkSession.getActiveSession()
        if active is not None:
            return active
        _local = _start_local(settings or SparkSettings())
        return _local


def _start_local(settings: SparkSettings) -> SparkSession:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    scratch = Path(tempfile.mkdtemp(prefix="safeguard-spark-"))
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    log4j = scratch / "log4j2.properties"
    log4j.write_text(_LOG4J.format(level=settings.log_level.lower()), encoding="utf-8")
    java_options = [f"-Dlog4j2.configurationFile={log4j.as_uri()}", *settings.java_options]
    # The driver binds to the loopback address (and Spark stops warning that it does).
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.master(settings.master).appName(settings.app_name)
    options = {
        "spark.jars": similarity_jar_location(),
        "spark.driver.memory": settings.driver_memory,
        "spark.sql.shuffle.partitions": str(settings.shuffle_partitions),
        "spark.default.parallelism": str(settings.shuffle_partitions),
        # Only this machine: no web UI, the driver on the loopback address.
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        # Scratch files in the temporary folder, not the working directory.
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        "spark.sql.session.timeZone": "UTC",
        # Splink's queries are long: cap the plan text Spark keeps of each.
        "spark.sql.maxPlanStringLength": "100000",
        "spark.driver.extraJavaOptions": " ".join(java_options),
    }
    for key, value in {**options, **settings.options}.items():
        builder = builder.config(key, value)
    started = builder.getOrCreate()
    started.sparkContext.setLogLevel(settings.log_level)
    # Splink writes intermediate tables here (break_lineage_method="parquet").
    started.sparkContext.setCheckpointDir(str(scratch / "checkpoints"))
    _log.info("started a local Spark %s session (%s)", started.version, settings.master)
    return started


def stop_spark() -> None:
    """Stop the local Spark session started here, if any (a session we did not start is left)."""
    global _local
    with _lock:
        if _local is not None:
            _local.stop()
            _local = None


def db_api(
    backend: Backend = DEFAULT_BACKEND, spark: SparkSession | None = None
) -> DatabaseAPI[Any]:
    """A fresh Splink database API on `backend`; Spark uses `spark` or `spark_session()`."""
    if backend == "duckdb":
        return DuckDBAPI(duckdb.connect(config=duckdb_config()))
    if backend == "spark":
        from splink.backends.spark import SparkAPI

        session = spark or spark_session()
        # Splink breaks lineage by writing Parquet under the checkpoint folder by default.
        with contextlib.suppress(Exception):  # e.g. a session without a SparkContext
            if session.sparkContext.getCheckpointDir() is None:
                folder = tempfile.mkdtemp(prefix="safeguard-spark-")
                atexit.register(shutil.rmtree, folder, ignore_errors=True)
                session.sparkContext.setCheckpointDir(folder)
        return SparkAPI(spark_session=session)  # type: ignore[no-untyped-call]
    raise ValueError(f"unknown linkage backend {backend!r}: choose one of {', '.join(BACKENDS)}")


#: DuckDB's memory for one linker (its default is 80% of the machine's). Past it DuckDB spills to
#: a temporary folder of this process, removed when done, instead of growing. On a million
#: records, 2 GB took no longer than no limit and kept the whole run's peak at 2.5 GB, not 3.4.
DUCKDB_MEMORY_LIMIT = "3GiB"


def duckdb_config() -> dict[str, Any]:
    """Settings for linkage's DuckDB connections. Linkage sorts its results where order
    matters, so DuckDB need not keep insertion order, which holds rows back in memory."""
    return {
        "memory_limit": DUCKDB_MEMORY_LIMIT,
        "temp_directory": str(Path(tempfile.gettempdir()) / f"safeguard-duckdb-{os.getpid()}"),
        "preserve_insertion_order": False,
    }


def dialect(api: DatabaseAPI[Any]) -> str:
    """The SQL dialect name of a Splink database API (`duckdb`, `spark`)."""
    return str(api.sql_dialect.sql_dialect_str)


def for_dialect(model: dict[str, Any], sql_dialect: str) -> dict[str, Any]:
    """A saved model with its SQL rendered for `sql_dialect`: each comparison level's condition
    and the prediction blocking rules come from `safeguard.linkage.settings`; everything trained
    (prior, m and u probabilities, term-frequency settings) is kept as saved.

    The model's comparisons and levels must be those of the settings (checked by name and
    label) and so must its blocking rules; a model of other settings raises `ValueError` and
    must be retrained."""
    saved_dialect = str(model.get("sql_dialect", "duckdb"))
    if saved_dialect == sql_dialect:
        return model
    creator = settings_like(model)
    rendered = creator.create_settings_dict(sql_dialect)
    ported = copy.deepcopy(model)
    saved = ported["comparisons"]
    fresh = rendered["comparisons"]
    if [c["output_column_name"] for c in saved] != [c["output_column_name"] for c in fresh]:
        raise ValueError(
            "the saved model's comparisons are not those of the current settings; retrain it"
        )
    for old, new in zip(saved, fresh, strict=True):
        name = new["output_column_name"]
        old_levels, new_levels = old["comparison_levels"], new["comparison_levels"]
        labels_old = [lv.get("label_for_charts") for lv in old_levels]
        labels_new = [lv.get("label_for_charts") for lv in new_levels]
        if labels_old != labels_new:
            raise ValueError(
                f"the saved model's {name!r} levels {labels_old} are not the settings' "
                f"{labels_new}; retrain it"
            )
        for level, level_new in zip(old_levels, new_levels, strict=True):
            level["sql_condition"] = level_new["sql_condition"]
    rules = "blocking_rules_to_generate_predictions"
    as_saved = creator.create_settings_dict(saved_dialect)
    if _rule_keys(model.get(rules, [])) != _rule_keys(as_saved[rules]):
        raise ValueError(
            "the saved model's blocking rules are not those of the current settings; retrain it"
        )
    ported[rules] = rendered[rules]
    ported["sql_dialect"] = sql_dialect
    return ported


def settings_like(model: dict[str, Any]) -> SettingsCreator:
    """The settings a saved model was made from: with the `identifier` comparison if it has
    one, without the comparisons it left out (columns empty in its records)."""
    names = [c["output_column_name"] for c in model["comparisons"]]
    with_identifier = "identifier" in names
    every = model_settings.settings(with_identifier=with_identifier).create_settings_dict("duckdb")
    empty = frozenset(c["output_column_name"] for c in every["comparisons"]) - set(names)
    return model_settings.settings(with_identifier=with_identifier, empty=empty)


def _rule_keys(rules: list[Any]) -> list[tuple[str, tuple[str, ...]]]:
    """Blocking rules as (SQL, exploded arrays), however Splink wrote them out."""
    keys: list[tuple[str, tuple[str, ...]]] = []
    for rule in rules:
        if isinstance(rule, str):
            keys.append((rule, ()))
        else:
            keys.append((rule["blocking_rule"], tuple(rule.get("arrays_to_explode") or ())))
    return keys
