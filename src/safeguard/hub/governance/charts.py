"""KPI charts as SVG drawn on the server (matplotlib, no JavaScript): one chart per KPI over
its months, for one area, always shown beside the KPI's table.

- a percentage is a line (with its target dashed, where one is published); a count is bars;
  a KPI split into categories (levels, types) is one line per category;
- accessible: the SVG carries a <title> and a <desc> (role="img") that reads out every value,
  colours are the Okabe-Ito palette (distinct for colour-blind readers), text stays text;
- deterministic: fixed font, fixed hash salt for ids, no date or version stamped, so the same
  table always gives the same bytes (tests and the meeting pack compare them);
- suppressed or missing values are gaps, never zeros.
"""

from __future__ import annotations

import base64
import io
import math
import re
from typing import Any
from xml.sax.saxutils import escape

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from safeguard.hub.governance.kpis import ALL, SUPPRESSED, Table, area_label

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_STYLE: dict[Any, Any] = {
    "svg.hashsalt": "safeguard-kpis",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def svg(table: Table, area: str = ALL) -> str:
    """The chart of `table` for `area` (the whole partnership by default) as an <svg> element
    to put inline in a page or the pack, beside the table."""
    lines = _lines(table, area)
    labels = [
        f"{_MONTHS[m.month - 1]}\n{m.year}" if n == 0 or m.month == 1 else _MONTHS[m.month - 1]
        for n, m in enumerate(table.months)
    ]
    with rc_context(_STYLE):
        figure = Figure(figsize=(7.2, 2.8))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        _draw(axes, table, labels, lines)
        axes.set_title(f"{table.definition.title}: {area_label(area)}", loc="left", fontsize=10)
        axes.grid(axis="y", color="#dddddd", linewidth=0.6)
        axes.set_axisbelow(True)
        gaps = any(_gap(v) for _, values in lines for v in values)
        if gaps:
            figure.text(0.01, 0.02, "Gaps: no figure, or fewer than 5 (not shown)", fontsize=7)
        figure.tight_layout(rect=(0, 0.06 if gaps else 0, 1, 1))
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    ident = f"kpi-{table.definition.id}-{area}".replace("_", "-")
    return _accessible(out.getvalue(), ident, _title(table, area), describe(table, area))


def data_uri(chart: str) -> str:
    """A chart as a data: URI, for an <img> (give it `describe(...)` as its alt text) where
    inline SVG does not suit, such as the PDF pack."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.encode("utf-8")).decode("ascii")


def describe(table: Table, area: str = ALL) -> str:
    """What the chart shows, in words: every value month by month (the SVG's <desc>)."""
    unit = "%" if table.definition.percent else ""
    parts = []
    for name, values in _lines(table, area):
        said = ", ".join(
            f"{_month(m.year, m.month)}: " + ("not shown" if _gap(v) else f"{_number(v)}{unit}")
            for m, v in zip(table.months, values, strict=True)
        )
        parts.append(f"{name}: {said}" if name else said)
    kind = "Line" if table.definition.percent or len(parts) > 1 else "Bar"
    target = table.definition.target
    goal = f" Target {_number(target)}{unit}." if target is not None else ""
    return f"{kind} chart by month. " + "; ".join(parts) + "." + goal


def _lines(table: Table, area: str) -> list[tuple[str, list[float | None]]]:
    return [
        (table.label(c) if c else "", [v for _, v in table.trend(area, c)])
        for c in table.categories
    ]


def _draw(
    axes: Axes, table: Table, labels: list[str], lines: list[tuple[str, list[float | None]]]
) -> None:
    x = list(range(len(labels)))
    if len(lines) == 1 and not table.definition.percent:
        heights = [math.nan if v is None else v for v in lines[0][1]]
        axes.bar(x, heights, color=PALETTE[0], width=0.65)
    else:
        for n, (name, values) in enumerate(lines):
            ys = [math.nan if v is None else v for v in values]
            colour = PALETTE[n % len(PALETTE)]
            axes.plot(x, ys, marker="o", markersize=3, color=colour, label=name or None)
        if len(lines) > 1:
            axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
    target = table.definition.target
    if target is not None:
        axes.axhline(target, color="#505a5f", linestyle="--", linewidth=1)
        axes.annotate(f"target {_number(target)}%", (x[-1], target), fontsize=7, va="bottom")
    if table.definition.percent:
        axes.set_ylim(0, 105)
        axes.set_ylabel("%")
    else:
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xticks(x, labels)
    axes.tick_params(axis="x", labelsize=7)


def _accessible(text: str, ident: str, title: str, description: str) -> str:
    """The SVG as an inline element: no XML prolog or doctype, role="img", labelled by its
    <title> and <desc> (ids from `ident`, unique on a page of charts)."""
    start = text.index("<svg")
    # matplotlib's own ids (figure_1, text_1, clip paths) made unique on a page of charts
    body = text[start:].replace(' id="', f' id="{ident}-')
    body = body.replace("url(#", f"url(#{ident}-").replace('href="#', f'href="#{ident}-')
    head_end = body.index(">") + 1
    head = re.sub(r"\s+", " ", body[:head_end])
    labelled = f'<svg role="img" aria-labelledby="{ident}-title {ident}-desc" '
    head = head.replace("<svg ", labelled, 1)
    label = (
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )
    return head + label + body[head_end:]


def _title(table: Table, area: str) -> str:
    first, last = table.months[0], table.months[-1]
    span = f"{_month(first.year, first.month)} to {_month(last.year, last.month)}"
    return f"{table.definition.title}, {area_label(area)}, {span}"


def _month(year: int, month: int) -> str:
    return f"{_MONTHS[month - 1]} {year}"


def _gap(value: float | str | None) -> bool:
    return value is None or value == SUPPRESSED


def _number(value: float | None) -> str:
    assert value is not None
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
