#!/usr/bin/env python3
"""What a built site's documents carry into print, per document: the tables
that print (not the web page's set-apart data tables), sentences about the
tool or about missing data, sentences said twice, and pages when printed to
A4 by headless Chromium.

Usage: scripts/doc-stats.py SITE [office/year/doc.html ...]
(without documents: every summary.html and plan.html of the site)."""
import glob
import html
import os
import re
import subprocess
import sys
import tempfile

MACHINE = ["本年度没有", "未绘制", "自动生成", "nianbao", "缺少数据", "没有数据"]


def printed_tables(page: str) -> int:
    # Generated tables the office did not choose sit in <div class="data-table">.
    tables = len(re.findall(r"<table>", page))
    apart = len(re.findall(r'<div class="data-table"><table>', page))
    old_apart = len(re.findall(r'<div class="chart-data"><table>', page))
    return tables - apart - old_apart


def sentences(page: str) -> list[str]:
    body = re.sub(r"<(table|svg|figure|nav|head|aside|div class=\"data-table\")[\s\S]*?</\1>", "", page)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", body))
    out = []
    for part in re.split(r"[。；！？\n]", text):
        part = part.strip()
        if len(part) >= 15:  # as the text.repeated rule
            out.append(part)
    return out


def pages(path: str) -> int:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with tempfile.TemporaryDirectory() as tmp:
        pdf = os.path.join(tmp, "doc.pdf")
        subprocess.run(["chromium", *flags, f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
                        f"--print-to-pdf={pdf}", "file://" + os.path.abspath(path)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout
        return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def main():
    site = sys.argv[1]
    docs = sys.argv[2:] or sorted(
        os.path.relpath(p, site)
        for p in glob.glob(os.path.join(site, "*/*/summary.html")) + glob.glob(os.path.join(site, "*/*/plan.html")))
    print("| 文档 | 印出的表格 | 关于工具或缺数的句子 | 重复的句子 | A4 页数 |")
    print("|---|---:|---:|---:|---:|")
    for rel in docs:
        path = os.path.join(site, rel)
        page = open(path, encoding="utf-8").read()
        said = sentences(page)
        machine = sum(1 for s in said if any(m in s for m in MACHINE))
        seen, twice = set(), 0
        for s in said:
            if s in seen:
                twice += 1
            seen.add(s)
        print(f"| {rel} | {printed_tables(page)} | {machine} | {twice} | {pages(path)} |")


main()
