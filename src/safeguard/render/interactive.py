"""A sortable, filterable HTML table: plain HTML that reads fine without script, and a small script of
the project's own (no CDN, no network) that adds sorting by a click on a column heading, a text filter
and a filter on one column's values. Renders what it is given; decides nothing."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from safeguard.render.page import Markup, esc, table_rows

STYLE = """
.sg-tools{margin:.6em 0;display:flex;gap:.8em;flex-wrap:wrap;align-items:center}
.sg-tools input{padding:.25em .5em;min-width:18em}table.sg-sortable th{cursor:pointer;user-select:none}
table.sg-sortable th[aria-sort=ascending]::after{content:" \\25B2"}table.sg-sortable th[aria-sort=descending]::after{content:" \\25BC"}
.sg-count{color:#555}table.sg-sortable{font-size:.85em}table.sg-sortable td{overflow-wrap:break-word}table.sg-sortable td code{white-space:nowrap}
"""

# The whole script: each table.sg-sortable gets sorting on its headings, the text box filters rows by
# any cell, the select filters by the column named in data-filter-column. Numbers sort as numbers.
SCRIPT = r"""
(function(){
function num(t){var s=t.replace(/[,\s%]/g,'');return s!==''&&!isNaN(s)?parseFloat(s):null;}
document.querySelectorAll('table.sg-sortable').forEach(function(table){
  var body=table.tBodies[0], heads=table.tHead.rows[0].cells, tools=document.getElementById(table.id+'-tools');
  var text=tools.querySelector('input'), pick=tools.querySelector('select'), count=tools.querySelector('.sg-count');
  var col=parseInt(table.dataset.filterColumn||'-1',10);
  function apply(){
    var q=text.value.toLowerCase(), v=pick?pick.value:'', shown=0;
    Array.prototype.forEach.call(body.rows,function(r){
      var ok=(!q||r.textContent.toLowerCase().indexOf(q)>=0)&&(!v||(col>=0&&r.cells[col].textContent.trim()===v));
      r.style.display=ok?'':'none'; if(ok){shown++;}
    });
    count.textContent=shown+' of '+body.rows.length+' rows shown';
  }
  text.addEventListener('input',apply); if(pick){pick.addEventListener('change',apply);}
  Array.prototype.forEach.call(heads,function(th,i){
    th.tabIndex=0;
    function sort(){
      var up=th.getAttribute('aria-sort')!=='ascending';
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',up?'ascending':'descending');
      var rows=Array.prototype.slice.call(body.rows);
      rows.sort(function(a,b){
        var x=a.cells[i].textContent.trim(), y=b.cells[i].textContent.trim(), nx=num(x), ny=num(y);
        var c=(nx!==null&&ny!==null)?nx-ny:x.localeCompare(y);
        return up?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    }
    th.addEventListener('click',sort);
    th.addEventListener('keydown',function(e){if(e.key==='Enter'){sort();}});
  });
  apply();
});
})();
"""


def _text(cell: Any) -> str:
    """A cell as the script sees it (its text content, markup removed)."""
    if isinstance(cell, Markup):
        return html.unescape(re.sub(r"<[^>]+>", "", cell.html)).strip()
    return "" if cell is None else str(cell).strip()


def sortable_table(table_id: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                   filter_column: int | None = None, numeric: Sequence[int] = ()) -> str:
    """The table with its tools (filter box, a select over `filter_column`'s values, a row count)."""
    rows = [list(r) for r in rows]
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = table_rows(rows, numeric)
    select = ""
    if filter_column is not None:
        values = sorted({_text(r[filter_column]) for r in rows})
        options = "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in values)
        select = (f'<label>{esc(headers[filter_column])}: <select><option value="">all</option>{options}'
                  "</select></label>")
    tools = (f'<div class="sg-tools" id="{esc(table_id)}-tools"><label>Filter: <input type="search" '
             f'placeholder="any text, e.g. an identifier"></label>{select}<span class="sg-count"></span></div>')
    data = f' data-filter-column="{filter_column}"' if filter_column is not None else ""
    return (f'{tools}<table class="sg-sortable" id="{esc(table_id)}"{data}><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def script_tag() -> str:
    """The style and script, once per page."""
    return f"<style>{STYLE}</style><script>{SCRIPT}</script>"
