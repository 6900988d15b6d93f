#!/usr/bin/env python3
"""Every 核对表 spreadsheet (figures.xlsx) of a built site, opened by
LibreOffice Calc (headless) and saved as CSV with every text cell quoted:
the header row is the table's Chinese headings, every row has its 序号 as a
number, and on seed 000's 2017 核对表 (xx-qu) the acknowledged 小额信贷 rate
reads 162.8 as a number (not text) and 原文如此. Usage: check.py SITE"""
import csv
import io
import subprocess
import sys
import tempfile
from pathlib import Path

HEADER = ["序号", "名称", "印出", "户", "人", "数值", "单位", "算式", "来源", "核对", "状态", "说明"]
# Field separator ",", text delimiter '"', UTF-8, from line 1, standard
# cell formats, default language, every text cell quoted.
FILTER = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true'


def to_csv(xlsx, out):
    """The sheet as Calc saves it: its lines as written (quotes kept)."""
    subprocess.run(
        ["soffice", "--headless", "--norestore", "--convert-to", FILTER, "--outdir", str(out), str(xlsx)],
        check=True, capture_output=True, timeout=300,
    )
    return (out / (xlsx.stem + ".csv")).read_text(encoding="utf-8")


def quoted(field_text):
    return field_text.startswith('"')


def raw_fields(line):
    """A CSV line's fields as written, quotes kept (none of ours holds a
    quoted comma across lines: checked by csv below)."""
    fields, cur, inside = [], "", False
    for ch in line:
        if ch == '"':
            inside = not inside
        if ch == "," and not inside:
            fields.append(cur)
            cur = ""
        else:
            cur += ch
    fields.append(cur)
    return fields


def check(xlsx, work):
    failures = []
    text = to_csv(xlsx, work)
    rows = list(csv.reader(io.StringIO(text)))
    if rows[0] != HEADER:
        failures.append(f"{xlsx}: header {rows[0]}")
    lines = text.splitlines()
    for n, line in enumerate(lines[1:], start=1):
        first = raw_fields(line)[0]
        if quoted(first) or first != str(n):
            failures.append(f"{xlsx}: 序号 of row {n} is {first!r}, not the number {n}")
    return failures, rows, lines


def main():
    site = Path(sys.argv[1])
    books = sorted(site.glob("*/*/figures.xlsx"))
    if len(books) < 5:
        sys.exit(f"{len(books)} figures.xlsx in {site}")
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, xlsx in enumerate(books):
            work = Path(tmp) / str(i)
            work.mkdir()
            f, rows, lines = check(xlsx, work)
            failures += f
            if xlsx.relative_to(site).as_posix() != "xx-qu/2017/figures.xlsx":
                continue
            at = [j for j, r in enumerate(rows) if r[1] == "新增扶贫小额信贷.完成率"]
            if not at:
                failures.append(f"{xlsx}: no row of 新增扶贫小额信贷.完成率")
                continue
            raw = raw_fields(lines[at[0]])
            row = rows[at[0]]
            if raw[5] != "162.8" or row[2] != "162.8%" or row[10] != "原文如此":
                failures.append(f"{xlsx}: 小额信贷's rate reads {raw}")
            if not quoted(raw[1]):
                failures.append(f"{xlsx}: the name is not a text cell: {raw[1]}")
    if failures:
        sys.exit("\n".join(failures))
    print(f"{len(books)} figures.xlsx opened by LibreOffice Calc: headings, 序号 and values as numbers")


if __name__ == "__main__":
    main()
