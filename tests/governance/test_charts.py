"""KPI charts: SVG drawn on the server, accessible (title, description reading out every
value, role="img"), with no script, the same bytes every time, gaps where a figure is
suppressed, and the target drawn where one is published. No database: tables built by hand."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from safeguard.hub.governance import charts
from safeguard.hub.governance.kpis import ALL, catalogue, suppress
from safeguard.hub.governance.kpis.table import Table, Tally, build, last_months

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = last_months(dt.date(2026, 6, 30), 12)


def _percent() -> Table:
    tallies = [Tally(ALL, m, "", 8 + n % 3, 10) for n, m in enumerate(MONTHS)]
    tallies[3] = Tally(ALL, MONTHS[3], "", 2, 3)  # small: suppressed when published
    return build(catalogue()["decided_in_time"], tallies, MONTHS)


def _levels() -> Table:
    tallies = [
        Tally(ALL, m, band, n + k, 40)
        for n, m in enumerate(MONTHS)
        for k, band in enumerate(("mild", "moderate", "significant"))
    ]
    return build(
        catalogue()["children_by_level"], tallies, MONTHS, ("mild", "moderate", "significant")
    )


def test_a_chart_is_inline_svg_with_a_title_and_a_description() -> None:
    text = charts.svg(_percent())
    assert text.startswith("<svg ") and "<?xml" not in text and "<!DOCTYPE" not in text
    root = ET.fromstring(text)
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == "Referral decisions within 1 working day, All areas, Jul 2025 to Jun 2026"
    assert desc.text is not None
    assert desc.text.startswith("Line chart by month. Jul 2025: 80%, Aug 2025: 90%")
    assert "Oct 2025: 66.7%" in desc.text and desc.text.endswith("Target 90%.")
    assert "<script" not in text and "onload" not in text


def test_the_same_table_draws_the_same_bytes() -> None:
    assert charts.svg(_percent()) == charts.svg(_percent())
    assert charts.svg(_levels()) == charts.svg(_levels())
    assert charts.svg(_percent()) != charts.svg(_levels())


def test_suppressed_figures_are_gaps_said_so() -> None:
    published = suppress(_percent())
    text = charts.svg(published)
    assert "Oct 2025: not shown" in charts.describe(published)
    assert "fewer than 5 (not shown)" in text


def test_counts_are_bars_and_categories_are_lines_with_a_legend() -> None:
    levels = charts.svg(_levels())
    assert "Mild" in levels and "Significant" in levels  # the legend, as text
    assert charts.describe(_levels()).startswith("Line chart by month. Mild: Jul 2025: 0")
    contacts = build(catalogue()["contacts"], [Tally(ALL, m, "", 7) for m in MONTHS], MONTHS)
    assert charts.describe(contacts).startswith("Bar chart by month. Jul 2025: 7,")
    assert ET.fromstring(charts.svg(contacts)).find(f"{SVG}title") is not None


def test_each_chart_on_a_page_has_its_own_ids() -> None:
    a = ET.fromstring(charts.svg(_percent(), ALL))
    b = ET.fromstring(charts.svg(_percent(), "halton"))
    assert a.get("aria-labelledby") != b.get("aria-labelledby")
    ids = [{e.get("id") for e in root.iter() if e.get("id")} for root in (a, b)]
    assert len(ids[0]) > 20 and not ids[0] & ids[1]


def test_a_chart_as_a_data_uri_for_an_image() -> None:
    uri = charts.data_uri(charts.svg(_percent()))
    assert uri.startswith("data:image/svg+xml;base64,PHN2ZyBy")
