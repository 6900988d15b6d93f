#!/usr/bin/env python3
"""Every Word file of a built site, opened by LibreOffice (headless): it
converts to PDF, its pages are A4, its page count is within one of the
browser's print of the same document, the figures of the Markdown
document are in its text, and the 署名 and 成文日期 sit where GB/T 9704-2012
7.3.5 puts them (7.3.5.1 when the HTML's 落款 has the class seal, else
7.3.5.2). Usage: check.py SITE SHOTS [PNG_DIR]
(SHOTS: the browser test's PDFs, tests/browser/check.mjs; PNG_DIR: where to
put the first pages and the last as PNG, for a look).

Writer 7 widens each character of Word's character grid (linesAndChars with
a negative charSpace: 28 characters of 16 pt in 156 mm, 15.8 pt each) to
two whole cells instead of narrowing it to one as Word and WPS do, and
prints 14 characters a line; the copy it converts keeps the grid's 22
lines and leaves the 28 characters to Word.

Also: the title prints in the lines the .docx breaks it into (by meaning,
GB/T 9704 7.3.3: Writer adds no break of its own), and no page but the
last leaves more than a third of its text block empty (a chart or table
kept with its caption moves to the next page without leaving a hole)."""
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# A4 and the text block (版心) in points: left margin 28 mm, 156 mm wide,
# 28 characters a line.
BLOCK_RIGHT = (28 + 156) / 25.4 * 72
CHAR = 156 / 25.4 * 72 / 28


def lines_only(src, dst):
    """A copy of a .docx whose grid is Word's 22 lines without its 28
    characters (see above)."""
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for item in zi.infolist():
            data = zi.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b'w:type="linesAndChars"', b'w:type="lines"')
            zo.writestr(item, data)


def signature(docx):
    """The document's 署名 and 成文日期 (None without one): its paragraphs
    of the styles 落款 and 成文日期."""
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    found = {}
    for p in xml.split("</w:p>"):
        style = re.search(r'<w:pStyle w:val="(\w+)"/>', p)
        if style and style.group(1) in ("Signature", "Date"):
            found[style.group(1)] = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))
    return found.get("Signature"), found.get("Date")


def placed(pdf, pages, office, date, seal):
    """What is wrong with where the 署名 and date are on the last page, by
    their boxes in points; an empty list when nothing is. A line's width is
    its words' (Writer puts 3.2 pt between digits and Chinese, which Word
    leaves out: autoSpaceDE is off), measured back from its right end."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(pages), "-l", str(pages), str(pdf), "-"],
                         capture_output=True, text=True).stdout
    boxes = {}
    for line in re.findall(r"<line (.*?)</line>", xml, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]+)</word>', line)
        text = "".join(w[2] for w in words)
        if words:
            boxes[text] = (float(words[-1][1]), sum(float(w[1]) - float(w[0]) for w in words))
    if not office:
        # `signature: false` (an unsigned 汇报): no 署名; the date, if any,
        # on the last page.
        return [f"成文日期 not found on the last page: {date!r}"] if date and date not in boxes else []
    if office not in boxes or (date and date not in boxes):
        return [f"落款 not found on the last page: {office!r}, {date!r}"]
    chars = lambda d: round(d / CHAR, 1)
    off = lambda end, n: abs(BLOCK_RIGHT - end - n * CHAR) > CHAR / 2
    s1, sw = boxes[office]
    if not date:
        n = 4 if seal else 2
        return [f"the 署名 {chars(BLOCK_RIGHT - s1)} characters from the right, not {n}"] if off(s1, n) else []
    d1, dw = boxes[date]
    problems = []
    if seal:
        # 7.3.5.1: the date four characters from the right, the 署名
        # centred over it.
        if off(d1, 4):
            problems.append(f"stamped: the date {chars(BLOCK_RIGHT - d1)} characters from the right, not 4")
        centres = (s1 - sw / 2) - (d1 - dw / 2)
        if s1 < BLOCK_RIGHT - 1 and abs(centres) > CHAR / 2:
            problems.append(f"stamped: the 署名 {chars(centres)} characters off the date's centre")
        return problems
    # 7.3.5.2: the 署名 two characters from the right (a date longer than
    # it there instead), the date starting two characters right of it.
    longer = (s1, "署名") if sw >= dw + 2 * CHAR else (d1, "date")
    if off(longer[0], 2):
        problems.append(f"not stamped: the {longer[1]} {chars(BLOCK_RIGHT - longer[0])} characters from the right, not 2")
    starts = (d1 - dw) - (s1 - sw)
    if abs(starts - 2 * CHAR) > CHAR / 2:
        problems.append(f"not stamped: the date starts {chars(starts)} characters right of the 署名, not 2")
    return problems


# The text block's bottom and height in points (bottom margin 26 mm: 1474
# twips; 225 mm of text).
BLOCK_BOTTOM = 841.89 - 1474 / 20
BLOCK_HEIGHT = 12756 / 20


def title_lines(docx):
    """The title's lines as the .docx breaks them (<w:br/> in the Title
    paragraph)."""
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    para = next(p for p in xml.split("</w:p>") if '<w:pStyle w:val="Title"/>' in p)
    return ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", part)) for part in para.split("<w:br/>")]


def layout(pdf, page):
    """The lines of a page, top to bottom: (text, yMin, yMax)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True).stdout
    out = []
    for m in re.finditer(r'<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', xml, re.S):
        text = "".join(re.findall(r">([^<]+)</word>", m.group(3)))
        out.append((text, float(m.group(1)), float(m.group(2))))
    return out


def title_and_holes(docx, pdf, pages):
    """What is wrong with the title's lines on page 1 and with the space a
    page leaves empty at its foot."""
    problems = []
    want = title_lines(docx)
    got = [t for t, _, _ in layout(pdf, 1)]
    draft = 1 if got and got[0] == "草稿" else 0
    if got[draft:draft + len(want)] != want:
        problems.append(f"title printed as {got[draft:draft + len(want)]}, not {want}")
    for page in range(1, pages):
        lines = layout(pdf, page)
        if not lines:
            continue
        empty = BLOCK_BOTTOM - max(y for _, _, y in lines)
        if empty > BLOCK_HEIGHT / 3:
            problems.append(f"page {page} leaves {empty / BLOCK_HEIGHT:.0%} of its text block empty")
    return problems


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
        copy = out / d.name
        lines_only(d, copy)
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
                        "--convert-to", "pdf", "--outdir", str(out), str(copy)],
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
            seal = 'class="sign seal"' in d.with_suffix(".html").read_text(encoding="utf-8")
            problems += placed(pdf, pages, *signature(d), seal)
            problems += title_and_holes(d, pdf, pages)
            if pngs:
                pngs.mkdir(parents=True, exist_ok=True)
                stem = str(pngs / str(rel).replace("/", "_").replace(".docx", ""))
                subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), stem])
                subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", str(pages), "-l", str(pages), str(pdf), stem])
        if problems:
            failed += 1
            print(f"FAIL {rel}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {rel}: {pages} pages (browser {bpages}), {len(wanted)} figures found, "
                  f"落款 {'stamped' if seal else 'not stamped'}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
