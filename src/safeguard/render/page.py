"""Self-contained HTML pages for reports: one file, charts embedded as PNG data, no server, no
network, printable (an A4/Letter print layout). Renders what it is given; decides nothing."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Sequence
from typing import Any

from safeguard.result import DISCLAIMER

STYLE = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;max-width:1100px;margin:2em auto;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;margin-top:1.8em;border-bottom:1px solid #ccc}
.caveat{background:#fff4e5;border-left:4px solid #e08a00;padding:.6em 1em;margin:1em 0}
.meta{color:#555}table{border-collapse:collapse;margin:.6em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.25em .55em;text-align:left;vertical-align:top}th{background:#f1f1f1}
td.num{text-align:right;font-variant-numeric:tabular-nums}figure{margin:1em 0}figure img{max-width:100%}
figcaption{color:#555;font-size:.9em}.flag{color:#a00000;font-weight:600}
@media print{body{max-width:none;margin:0;font-size:11pt}h2{break-after:avoid}figure,table{break-inside:avoid}
@page{size:A4;margin:16mm}}
"""


def esc(value: Any) -> str:
    """Text made safe for HTML; None shows as an empty cell."""
    return "" if value is None else html.escape(str(value))


def number(value: Any, digits: int = 0) -> str:
    """A figure with thousands separators (1,234,567 or 1,234.5)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return f"{value:,.{digits}f}"
    return esc(value)


def figure(png: bytes, caption: str, alt: str | None = None) -> str:
    """A chart embedded in the page as PNG data, with its caption."""
    data = base64.b64encode(png).decode("ascii")
    return (f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt or caption)}">'
            f"<figcaption>{esc(caption)}</figcaption></figure>")


def table_rows(rows: Iterable[Sequence[Any]], numeric: Sequence[int] = ()) -> list[str]:
    """The `<tr>` of each row, every value escaped (cells already holding markup are passed as `Markup`)."""
    body = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            text = cell.html if isinstance(cell, Markup) else esc(cell)
            cells.append(f'<td class="num">{text}</td>' if i in numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return body


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], numeric: Sequence[int] = ()) -> str:
    """An HTML table; cells already containing markup are passed as `Markup`."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = table_rows(rows, numeric)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


class Markup:
    """A cell or block that is already HTML (a link, a flagged code)."""

    def __init__(self, html_text: str):
        self.html = html_text


def link(url: str | None, text: str | None = None) -> Markup:
    if not url:
        return Markup(esc(text))
    return Markup(f'<a href="{esc(url)}">{esc(text or url)}</a>')


def page(title: str, sections: Iterable[str], subtitle: str | None = None) -> str:
    """The whole page: title, the plain-words caveat at the top, then the sections in order."""
    sub = f'<p class="meta">{esc(subtitle)}</p>' if subtitle else ""
    body = "\n".join(sections)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{esc(title)}</h1>{sub}<p class=\"caveat\"><strong>{esc(DISCLAIMER)}</strong></p>"
            f"{body}<p class=\"caveat\">{esc(DISCLAIMER)}</p></body></html>")


def section(heading: str, *blocks: str) -> str:
    return f"<section><h2>{esc(heading)}</h2>{''.join(blocks)}</section>"


def paragraph(text: str) -> str:
    return f"<p>{esc(text)}</p>"
