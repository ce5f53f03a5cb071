"""The catalogue of recommendations a partnership reviews itself against: the reports (sources),
each recommendation with its number, title, a plain-English paraphrase and whether that
paraphrase has been checked against the published report, and the agencies that assess.

A catalogue is configuration (TOML), never code. Safeguard ships a default
(`data/recommendations.toml`: Jay 2014, Casey 2015, IICSA 2022, the 2025 national audit) and a
partnership replaces it with its own (the setting `SAFEGUARD_RECOMMENDATIONS`), or keeps it and
adds its own entries (`include_default = true` in its file). A file with any problem is refused
whole, every problem named with its place. Pure: no Django.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

DEFAULT = "recommendations.toml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TOP = {"name", "version", "include_default", "agencies", "sources", "recommendations"}
_SOURCE = {"title", "published", "url"}
_ENTRY = {"id", "source", "number", "title", "text", "url", "checked", "note"}


class CatalogueError(ValueError):
    """A catalogue that cannot be used; the message names every problem and where it is."""


@dataclass(frozen=True)
class Source:
    """A report: its code, title, when it was published and where."""

    code: str
    title: str
    published: dt.date
    url: str


@dataclass(frozen=True)
class Recommendation:
    """One recommendation: `text` paraphrases it in plain English (never a quotation);
    `checked` says whether that paraphrase was compared with the published report, and `note`
    what was or was not checked."""

    id: str
    source: Source
    number: str
    title: str
    text: str
    url: str
    checked: bool
    note: str = ""

    @property
    def label(self) -> str:
        """ "Jay 2014, 3: Looked-after children ..." for headings and lists."""
        return f"{self.source.title.split(' (')[0]}, {self.number}: {self.title}"


@dataclass(frozen=True)
class Catalogue:
    name: str
    version: str
    agencies: dict[str, str]
    sources: dict[str, Source]
    recommendations: tuple[Recommendation, ...]
    source: str = ""

    def get(self, recommendation_id: str) -> Recommendation | None:
        return next((r for r in self.recommendations if r.id == recommendation_id), None)

    def by_source(self) -> list[tuple[Source, list[Recommendation]]]:
        """The recommendations grouped by report, in the order the file lists them."""
        return [
            (s, [r for r in self.recommendations if r.source.code == code])
            for code, s in self.sources.items()
        ]


def load(path: Path | None = None) -> Catalogue:
    """The catalogue at `path` (with the default's entries first when it says
    `include_default = true`), or the default. Raises CatalogueError naming each problem."""
    default = parse(_read(None), f"safeguard default ({DEFAULT})")
    if path is None:
        return default
    data = _read(path)
    if data.get("include_default") is True:
        return parse(data, str(path), default)
    return parse(data, str(path))


def _read(path: Path | None) -> dict[str, Any]:
    where = str(path or DEFAULT)
    try:
        if path is None:
            text = resources.files("safeguard.governance").joinpath("data", DEFAULT).read_text()
        else:
            text = path.read_text(encoding="utf-8")
        return tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{where}: cannot read the recommendations: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{where}: not valid TOML: {exc}") from exc


def parse(
    data: dict[str, Any], source: str = "recommendations", base: Catalogue | None = None
) -> Catalogue:
    """A catalogue from its TOML tables, checked whole: every problem is named with its place.
    With `base`, its agencies, sources and entries come first and this file adds to them."""
    problems: list[str] = []
    for key in sorted(set(data) - _TOP):
        problems.append(f"top level: unexpected field `{key}`")
    for key in ("name", "version"):
        if not _text(data.get(key)):
            problems.append(f"top level: `{key}` must be text")
    agencies = dict(base.agencies) if base else {}
    for code, label in _table(data, "agencies", "top level", problems).items():
        if not _text(label):
            problems.append(f"[agencies]: `{code}` must name the agency in text")
        agencies[code] = str(label)
    if not agencies:
        problems.append("[agencies]: name at least one agency that assesses")
    sources = dict(base.sources) if base else {}
    for code, row in _table(data, "sources", "top level", problems).items():
        found = _source(code, row, problems)
        if code in sources:
            problems.append(f"[sources.{code}]: the default catalogue has this source already")
        elif found is not None:
            sources[code] = found
    entries = list(base.recommendations) if base else []
    rows = data.get("recommendations", [])
    if not isinstance(rows, list) or not rows:
        problems.append("top level: `recommendations` must be a list of [[recommendations]]")
        rows = []
    seen = {r.id for r in entries}
    for n, row in enumerate(rows, 1):
        entry = _entry(n, row, sources, problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(f"[[recommendations]] {n}: id {entry.id!r} is used twice")
        seen.add(entry.id)
        entries.append(entry)
    if problems:
        raise CatalogueError(f"{source}: " + "; ".join(problems))
    return Catalogue(
        str(data["name"]), str(data["version"]), agencies, sources, tuple(entries), source
    )


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _url(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def _table(data: dict[str, Any], key: str, where: str, problems: list[str]) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.append(f"{where}: `{key}` must be a table")
        return {}
    return value


def _source(code: str, row: Any, problems: list[str]) -> Source | None:
    where = f"[sources.{code}]"
    if not isinstance(row, dict):
        problems.append(f"{where}: must be a table")
        return None
    before = len(problems)
    for key in sorted(set(row) - _SOURCE):
        problems.append(f"{where}: unexpected field `{key}`")
    if not _text(row.get("title")):
        problems.append(f"{where}: `title` must be text")
    if not isinstance(row.get("published"), dt.date):
        problems.append(f"{where}: `published` must be a date, like 2014-08-26")
    if not _url(row.get("url")):
        problems.append(f"{where}: `url` must be a web address (https://...)")
    if len(problems) > before:
        return None
    return Source(code, row["title"].strip(), row["published"], row["url"])


def _entry(
    n: int, row: Any, sources: dict[str, Source], problems: list[str]
) -> Recommendation | None:
    where = f"[[recommendations]] {n}"
    if not isinstance(row, dict):
        problems.append(f"{where}: must be a table")
        return None
    where = f"{where} ({row.get('id', 'no id')})"
    before = len(problems)
    for key in sorted(set(row) - _ENTRY):
        problems.append(f"{where}: unexpected field `{key}`")
    if not isinstance(row.get("id"), str) or not _ID.match(row["id"]):
        problems.append(f"{where}: `id` must be lower-case letters, digits and hyphens")
    if row.get("source") not in sources:
        problems.append(f"{where}: `source` must be one of the [sources] ({', '.join(sources)})")
    for key in ("number", "title", "text"):
        if not _text(row.get(key)):
            problems.append(f"{where}: `{key}` must be text")
    if "url" in row and not _url(row["url"]):
        problems.append(f"{where}: `url` must be a web address (https://...)")
    if not isinstance(row.get("checked"), bool):
        problems.append(f"{where}: `checked` must be true or false")
    elif not row["checked"] and not _text(row.get("note")):
        problems.append(f"{where}: an entry not checked against its report needs a `note`")
    if len(problems) > before:
        return None
    found = sources[row["source"]]
    return Recommendation(
        id=row["id"],
        source=found,
        number=row["number"].strip(),
        title=row["title"].strip(),
        text=" ".join(row["text"].split()),
        url=row.get("url", found.url),
        checked=row["checked"],
        note=str(row.get("note", "")).strip(),
    )
