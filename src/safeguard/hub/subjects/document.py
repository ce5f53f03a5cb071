"""The subject-access document set on disk: the whole export as JSON, and a readable HTML
copy with a section per agency and record type. Pure: no Django. Each file is written beside
its name and renamed when complete, so a file that is there is whole."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

TITLES = {
    "agency_records": "Records agencies sent about you",
    "mash_contacts": "Concerns about you to the MASH (the front door), and what was decided",
    "open_cases": "Teams that held your case",
    "missing_episodes": "Times you were missing, and what followed",
    "screenings": "Screenings for risk of exploitation, and the decisions on them",
    "network_findings": "Networks the hub found you in (other people left out)",
    "mace": "Multi-agency child exploitation (MACE) meetings about you",
    "home_notifications": "Notifications your children's home made about you",
    "identity_decisions": "Decisions about which records are yours",
    "viewed_by": "Who looked at your record (by role and agency)",
}


def write(folder: Path, document: dict[str, Any]) -> list[Path]:
    """Write `<person>.json` and `<person>.html` into `folder`; the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"subject-access-{document['person']}"
    texts = {
        folder / f"{stem}.json": json.dumps(document, indent=2, sort_keys=True, default=str),
        folder / f"{stem}.html": page(document),
    }
    for path, text in texts.items():
        part = path.with_suffix(path.suffix + ".part")
        part.write_text(text, encoding="utf-8")
        part.replace(path)
    return list(texts)


def page(document: dict[str, Any]) -> str:
    """The readable copy: agency records grouped by agency and type, then each section."""
    e = html.escape
    out = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Subject access: {e(document['person'])}</title></head><body>",
        f"<h1>What the hub holds about {e(document['person'])}</h1>",
        f"<p>Made {e(str(document.get('made_at', '')))}. Other people's details are "
        "replaced by [redacted third party].</p>",
    ]
    sections = document["sections"]
    for name, rows in sections.items():
        out.append(f"<h2>{e(TITLES.get(name, name))} ({len(rows)})</h2>")
        if name == "agency_records":
            groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault((row["agency"], row["type"]), []).append(row)
            for (agency, kind), group in sorted(groups.items()):
                out.append(f"<h3>{e(agency)}: {e(kind.replace('_', ' '))}</h3>")
                out.extend(_table([_flat(r) for r in group]))
        else:
            out.extend(_table(rows))
    out.append("</body></html>")
    return "\n".join(out)


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """An agency record as one row: its place in the hub, then what the agency sent."""
    kept = {k: v for k, v in row.items() if k not in ("agency", "type", "data")}
    return kept | {k: v for k, v in row.get("data", {}).items() if k != "record_id"}


def _table(rows: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["<p>None.</p>"]
    columns = list(dict.fromkeys(k for row in rows for k in row))
    head = "".join(f"<th scope='col'>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = [
        "<tr>" + "".join(f"<td>{_cell(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows
    ]
    return ["<table><thead><tr>", head, "</tr></thead><tbody>", *body, "</tbody></table>"]


def _cell(value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, dict | list):
        return html.escape(json.dumps(value, default=str))
    return html.escape(str(value))
