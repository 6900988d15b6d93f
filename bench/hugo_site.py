#!/usr/bin/env python3
"""Write the reports of a built nianbao site as a plain Hugo site, for the
benchmark's reference: one page per report (front matter, the 总结's
Markdown with its tables, and two of its charts as inline SVG), a base
layout and an index. Usage: hugo_site.py <nianbao output> <hugo dir>"""
import os, shutil, sys

src, dst = sys.argv[1], sys.argv[2]
shutil.rmtree(dst, ignore_errors=True)
os.makedirs(os.path.join(dst, "layouts", "_default"))
with open(os.path.join(dst, "hugo.toml"), "w") as f:
    f.write('baseURL = "/"\ntitle = "reports"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
            '[markup.goldmark.renderer]\nunsafe = true\n')
base = '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n'
open(os.path.join(dst, "layouts", "_default", "baseof.html"), "w").write(base)
open(os.path.join(dst, "layouts", "_default", "single.html"), "w").write('{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
open(os.path.join(dst, "layouts", "_default", "list.html"), "w").write('{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
open(os.path.join(dst, "layouts", "index.html"), "w").write('{{ define "main" }}<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n')
n = 0
charts = 0
for office in sorted(os.listdir(src)):
    odir = os.path.join(src, office)
    if office.startswith(".") or not os.path.isdir(odir) or office == "static":
        continue
    for year in sorted(os.listdir(odir)):
        md = os.path.join(odir, year, "summary.md")
        if not os.path.isfile(md):
            continue
        body = open(md, encoding="utf-8").read()
        lines = body.split("\n")
        title = lines[0].lstrip("# ").strip()
        svgs = ""
        for name in ("exits", "funds"):
            # Beside the page since 2026-12 (in charts/ before).
            for p in (os.path.join(odir, year, name + ".svg"),
                      os.path.join(odir, year, "charts", name + ".svg")):
                if os.path.isfile(p):
                    svgs += "\n" + open(p, encoding="utf-8").read().replace("\n", "") + "\n"
                    charts += 1
                    break
        out = os.path.join(dst, "content", office, year + ".md")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w", encoding="utf-8") as f:
            f.write('---\ntitle: "%s"\n---\n' % title.replace('"', "'"))
            f.write("\n".join(lines[1:]))
            f.write(svgs)
        n += 1
if n and not charts:
    # The reference would be lighter than the reports it stands for.
    sys.exit("hugo_site.py: no chart files found beside the reports")
print(f"hugo site: {n} pages, {charts} charts in {dst}")
