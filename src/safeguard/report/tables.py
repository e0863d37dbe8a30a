"""The report's tables as files: flagged.csv (written in parts, joined in priority order), flagged.xlsx
(the first rows of the same, streamed) and questions.csv. Every text cell is spreadsheet-safe
(render/cells.py: a cell a spreadsheet would run as a formula gets a leading quote)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import BinaryIO

import polars as pl

from safeguard.batch.flags import FLAG_ORDER
from safeguard.render.cells import spreadsheet_safe, spreadsheet_safe_expr
from safeguard.report import figures as F
from safeguard.report.texts import questions

XLSX_ROWS = 100_000  # a workable spreadsheet (Excel's limit is 1,048,575); flagged.csv has every row
# (measured: XlsxWriter writes about 15,000 flagged rows a second here, so 1M rows would add a minute)


def write_questions(path: Path) -> None:
    """questions.csv: each fact and the question to ask for it, so flagged.csv can name facts only
    (a question repeated on every held row made the file ~1 KB a row: 3.7 GB at 10M rows)."""
    frame = pl.DataFrame(list(questions().items()), schema=["fact", "question"], orient="row")
    frame.with_columns(spreadsheet_safe_expr("fact"), spreadsheet_safe_expr("question")).write_csv(path)


def _header(columns: list[str], id_column: str | None) -> list[str]:
    """flagged.csv's header: the identifier under the manifest's own name."""
    return [(id_column or "person_id") if c == F.ID else c for c in columns]


class FlaggedCsv:
    """flagged.csv written in pieces: each category's rows appended to its own part file as the slices come,
    then the parts joined in priority order under one header. Held rows name their first questions (the
    question for each fact is in questions.csv); text cells are spreadsheet-safe."""

    def __init__(self, path: Path, columns: list[str], id_column: str | None = None):
        self.path = path
        self.columns = columns
        self.header = _header(columns, id_column)
        self.parts = {flag: path.with_name(f".{path.name}.{i}.part") for i, flag in enumerate(FLAG_ORDER)}
        self.handles: dict[str, BinaryIO] = {}

    def __enter__(self) -> FlaggedCsv:
        return self

    def __exit__(self, *exc) -> None:
        for fh in self.handles.values():
            fh.close()

    def add(self, flag: str, rows: pl.DataFrame) -> None:
        """Append a slice's rows of one category to that category's part."""
        if flag not in self.handles:
            self.handles[flag] = self.parts[flag].open("wb")
        safe = [spreadsheet_safe_expr(c) if rows.schema[c] == pl.String else pl.col(c) for c in self.columns]
        rows.select(safe).write_csv(self.handles[flag], include_header=False)

    def finish(self) -> None:
        """Join the parts in priority order under the header into flagged.csv."""
        with self.path.open("wb") as out:
            pl.DataFrame(schema=self.header).write_csv(out)
            for flag in FLAG_ORDER:
                fh = self.handles.pop(flag, None)
                if fh is None:
                    continue
                fh.close()
                with self.parts[flag].open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
                self.parts[flag].unlink()


def write_xlsx(csv_path: Path, xlsx_path: Path) -> int:
    """flagged.xlsx from flagged.csv (already spreadsheet-safe), streamed row by row in XlsxWriter's
    constant-memory mode; at most Excel's 1,048,575 rows (the CSV has them all). Returns rows written."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True, "strings_to_formulas": False,
                                                "strings_to_urls": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("flagged")
    bold = book.add_format({"bold": True})
    header = pl.read_csv(csv_path, n_rows=0).columns
    batches = pl.scan_csv(csv_path, infer_schema=False).collect_batches(chunk_size=100_000)
    sheet.write_row(0, 0, header, bold)
    sheet.freeze_panes(1, 0)
    written = 0
    numeric = {i for i, c in enumerate(header) if c in ("manifest_row", "missing_count")}
    for batch in batches:
        if written >= XLSX_ROWS:
            break
        for row in batch.head(XLSX_ROWS - written).iter_rows():
            written += 1
            for i, cell in enumerate(row):
                if cell is None or cell == "":
                    continue
                if i in numeric:
                    sheet.write_number(written, i, int(cell))
                else:
                    sheet.write_string(written, i, spreadsheet_safe(cell))
    if written:
        sheet.autofilter(0, 0, written, len(header) - 1)
    total = pl.scan_csv(csv_path, infer_schema=False).select(pl.len()).collect().item()
    about = book.add_worksheet("about")
    about.write_string(0, 0, f"Flagged rows in this workbook: {written:,}, in priority order (most serious kind "
                             "first, then manifest order).")
    about.write_string(1, 0, f"All {total:,} flagged rows are in flagged.csv." if total > written else
                       "Every flagged row is here (and in flagged.csv).")
    about.write_string(2, 0, "Text that a spreadsheet would run as a formula starts with a quote (').")
    book.close()
    return written
