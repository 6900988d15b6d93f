#!/usr/bin/env python3
"""The Markdown documents' 落款 survives pandoc → docx: the signature and the
date each a paragraph of their own, right-aligned (issue 13). Usage:
check.py SITE — converts every */*/summary.md and plan.md with pandoc."""
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile

site = sys.argv[1]
docs = sorted(glob.glob(os.path.join(site, "*/*/summary.md")) + glob.glob(os.path.join(site, "*/*/plan.md")))
assert docs, "no documents under " + site
failed = 0
for md in docs:
    text = open(md, encoding="utf-8").read()
    tail = text.rstrip("\n").split("\n")
    # The last rows of the Markdown: | 落款 | and maybe | 日期 |.
    rows = [l.strip("| ").strip() for l in tail[-2:] if l.startswith("| ") and "---" not in l]
    if not rows:
        failed += 1
        print(f"FAIL {md}: the document does not end with its 落款")
        continue
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "doc.docx")
        subprocess.run(["pandoc", os.path.basename(md), "-o", out], cwd=os.path.dirname(md),
                       check=True, stderr=subprocess.DEVNULL)
        xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    paras = re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", xml, re.S)
    for row in rows:
        hits = [p for p in paras if row in re.sub(r"<[^>]+>", "", p)]
        ok = bool(hits) and all('<w:jc w:val="right"' in p for p in hits[-1:]) \
            and re.sub(r"<[^>]+>", "", hits[-1]).strip() == row
        if not ok:
            failed += 1
            print(f"FAIL {md}: “{row}” is not a right-aligned paragraph of its own in the docx")
print(f"{len(docs) - failed} passed, {failed} failed")
sys.exit(1 if failed else 0)
