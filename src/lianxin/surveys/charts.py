"""Result bars as SVG drawn on the server with pygal (as ``dashboards.charts``): no JavaScript,
printable; the page shows the same figures in a table beside it."""

from __future__ import annotations

import re

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#222",
    foreground_subtle="#bbb",
    colors=("#b3261e",),
    font_family="'Noto Sans CJK SC', 'WenQuanYi Micro Hei', sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
)


def bars_svg(*, title: str, rows: list[dict]) -> str:
    """One horizontal bar per option (``rows``: label, count, percent), the count and share
    printed on the bar."""
    chart = pygal.HorizontalBar(
        style=_STYLE,
        width=640,
        height=max(120, 44 * len(rows) + 40),
        show_legend=False,
        js=[],
        disable_xml_declaration=True,
        explicit_size=False,
        margin=8,
        print_values=True,
        include_x_axis=True,
        truncate_label=-1,
    )
    chart.title = None
    chart.x_labels = [r["label"][:24] for r in rows]
    chart.add(
        title,
        [
            {"value": r["count"], "formatter": lambda v, p=r["percent"]: f"{v:g} ({p:g}%)"}
            for r in rows
        ],
    )
    return _SCRIPT.sub("", chart.render(is_unicode=True))
