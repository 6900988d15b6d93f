#!/usr/bin/env python3
"""Every Word file of a built site, opened by LibreOffice (headless): it
converts to PDF, its pages are A4, its page count is within one of the
browser's print of the same document, and the figures of the Markdown
document are in its text. Usage: check.py SITE SHOTS [PNG_DIR]
(SHOTS: the browser test's PDFs, tests/browser/check.mjs; PNG_DIR: where to
put the first pages as PNG, for a look)."""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

site, shots = Path(sys.argv[1]), Path(sys.argv[2])
pngs = Path(sys.argv[3]) if len(sys.argv) > 3 else None
docs = sorted(site.glob("*/*/*.docx"))
assert docs, f"no .docx under {site}"
FIGURE = re.compile(r"\d+(?:\.\d+)?(?:户|人|万元|亿元|个|%)")
passed = failed = 0
with tempfile.TemporaryDirectory() as tmp:
    for d in docs:
        rel = d.relative_to(site)
        out = Path(tmp) / (str(rel).replace("/", "_"))
        out.mkdir()
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", str(out), str(d)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180)
        pdf = out / (d.stem + ".pdf")
        problems = []
        if not pdf.exists():
            problems.append("LibreOffice did not convert it")
        else:
            info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
            pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
            size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
            w, h = float(size.group(1)), float(size.group(2))
            if abs(w - 595.3) > 1.5 or abs(h - 841.9) > 1.5:
                problems.append(f"page size {w} x {h}, not A4")
            browser = shots / f"{rel.parts[0]}_{rel.parts[1]}_{d.stem}.pdf"
            if browser.exists():
                info = subprocess.run(["pdfinfo", str(browser)], capture_output=True, text=True).stdout
                bpages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
                if abs(bpages - pages) > 1:
                    problems.append(f"{pages} pages, the browser prints {bpages}")
            else:
                bpages = "?"
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
            flat = re.sub(r"\s+", "", text)
            md = d.with_suffix(".md").read_text(encoding="utf-8")
            # A chart's description is its image's alt text in Word.
            md = "\n".join(l for l in md.splitlines() if not l.startswith("!["))
            # The Markdown's figures (not its chart data, which Word draws).
            wanted = set(FIGURE.findall(md))
            missing = sorted(f for f in wanted if f not in flat)
            if missing:
                problems.append(f"figures not in the text: {missing[:8]}")
            if pngs:
                pngs.mkdir(parents=True, exist_ok=True)
                subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf),
                                str(pngs / str(rel).replace("/", "_").replace(".docx", ""))])
        if problems:
            failed += 1
            print(f"FAIL {rel}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {rel}: {pages} pages (browser {bpages}), {len(wanted)} figures found")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
