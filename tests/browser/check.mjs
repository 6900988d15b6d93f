// Browser checks of the built site, in headless Chromium (run from .ci/run
// after `cargo run --release -- build`):
//
// - every HTML page loads with 0 console errors, 0 page errors, 0 failed
//   requests and 0 requests that leave the site;
// - every chart is drawn (inline SVG with a size and text; linked SVG files
//   load and render);
// - every internal link resolves;
// - each 总结 prints to PDF on A4 pages.
//
// Usage: node check.mjs [site dir] — default ../../output. Screenshots and
// PDFs go to $NIANBAO_SHOTS (default /tmp/nianbao-shots) for a person to
// look at. Exit code 1 on any failure.

import { chromium } from "playwright-core";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const site = path.resolve(process.argv[2] ?? new URL("../../output", import.meta.url).pathname);
const shots = process.env.NIANBAO_SHOTS ?? "/tmp/nianbao-shots";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
fs.mkdirSync(shots, { recursive: true });

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".md": "text/markdown; charset=utf-8",
};

// A plain static server over the site folder.
const server = http.createServer((req, res) => {
  const url = new URL(req.url, "http://localhost");
  // Chromium asks for a favicon when it opens an SVG file by itself; pages
  // declare an inline one and never ask.
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204).end();
    return;
  }
  let file = path.join(site, decodeURIComponent(url.pathname));
  if (!file.startsWith(site)) {
    res.writeHead(403).end();
    return;
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  if (!fs.existsSync(file)) {
    res.writeHead(404).end("not found");
    return;
  }
  res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origin = `http://127.0.0.1:${server.address().port}`;

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}
const pages = walk(site)
  .filter((f) => f.endsWith(".html"))
  .map((f) => path.relative(site, f).split(path.sep).join("/"))
  .sort();

const failures = [];
const fail = (page, what) => failures.push(`${page}: ${what}`);

const browser = await chromium.launch({
  executablePath,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
const checkedLinks = new Map();
let charts = 0;
let links = 0;
let pdfPages = 0;

for (const rel of pages) {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") fail(rel, `console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => fail(rel, `page error: ${e.message}`));
  // A dialog means a payload from the data ran as script.
  page.on("dialog", (d) => {
    fail(rel, `script ran: ${d.type()} “${d.message()}”`);
    d.dismiss().catch(() => {});
  });
  page.on("requestfailed", (r) => fail(rel, `request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("request", (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) fail(rel, `external request: ${r.url()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) fail(rel, `HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(`${origin}/${rel}`, { waitUntil: "load" });

  // Charts: each page shows its chart files as images, drawn at a real
  // size and named for a screen reader (the files' own text is checked
  // below).
  const drawn = await page.$$eval("figure.chart img", (imgs) =>
    imgs.map((i) => {
      const b = i.getBoundingClientRect();
      return { w: b.width, h: b.height, natural: i.naturalWidth, alt: i.getAttribute("alt"), src: i.getAttribute("src") };
    }),
  );
  for (const c of drawn) {
    charts++;
    if (c.w < 200 || c.h < 50 || c.natural === 0 || !c.alt) fail(rel, `chart not drawn: ${JSON.stringify(c)}`);
  }
  const images = await page.$$eval("img", (imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));
  for (const src of images) fail(rel, `image did not load: ${src}`);

  // Links: every internal one resolves; none leaves the site.
  const hrefs = await page.$$eval("a[href]", (as) => as.map((a) => a.getAttribute("href")));
  for (const href of hrefs) {
    if (href.startsWith("#")) continue;
    if (/^[a-z]+:/i.test(href) || href.startsWith("//")) {
      fail(rel, `absolute link: ${href}`);
      continue;
    }
    const target = new URL(href, `${origin}/${rel}`);
    target.hash = "";
    links++;
    if (!checkedLinks.has(target.href)) {
      const res = await page.request.get(target.href);
      checkedLinks.set(target.href, res.status());
    }
    if (checkedLinks.get(target.href) !== 200) fail(rel, `broken link: ${href}`);
  }

  const name = rel.replaceAll("/", "_").replace(/\.html$/, "");
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

  if (rel.endsWith("summary.html") || rel.endsWith("plan.html")) {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
    fs.writeFileSync(path.join(shots, `${name}.pdf`), pdf);
    const boxes = [...pdf.toString("latin1").matchAll(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/g)];
    if (boxes.length === 0) fail(rel, "PDF has no pages");
    for (const [, w, h] of boxes) {
      pdfPages++;
      // A4 is 595.28 × 841.89 pt.
      if (Math.abs(w - 595.28) > 1.5 || Math.abs(h - 841.89) > 1.5) fail(rel, `PDF page is ${w}×${h} pt, not A4`);
    }
  }
  await page.close();
}

// Search: each expected phrase finds its page, typed or given in the URL.
// Expectations come from $NIANBAO_SEARCH_EXPECT (a JSON file), default
// search-expect.json here (phrases from the sample data's documents).
const expectFile = process.env.NIANBAO_SEARCH_EXPECT ?? new URL("search-expect.json", import.meta.url).pathname;
const expectations = fs.existsSync(expectFile) ? JSON.parse(fs.readFileSync(expectFile, "utf8")) : [];
let searches = 0;
for (const { q, href } of expectations) {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") fail("search.html", `console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => fail("search.html", `page error: ${e.message}`));
  page.on("dialog", (d) => {
    fail("search.html", `script ran: ${d.type()} “${d.message()}”`);
    d.dismiss().catch(() => {});
  });
  await page.goto(`${origin}/search.html`, { waitUntil: "load" });
  await page.fill("#q", q);
  await page.waitForFunction(() => document.getElementById("results").dataset.done !== undefined);
  const typed = await page.$$eval("#results li a", (as) => as.map((a) => a.getAttribute("href")));
  await page.goto(`${origin}/search.html?q=${encodeURIComponent(q)}`, { waitUntil: "load" });
  await page.waitForFunction(() => document.getElementById("results").dataset.done !== undefined);
  const linked = await page.$$eval("#results li a", (as) => as.map((a) => a.getAttribute("href")));
  for (const [how, got] of [["typed", typed], ["?q=", linked]]) {
    if (!got.includes(href)) fail("search.html", `search (${how}) for “${q}” did not find ${href}: ${JSON.stringify(got)}`);
  }
  if (linked.length > 0) {
    await page.click("#results li a");
    await page.waitForLoadState("load");
    if (!page.url().endsWith(linked[0])) fail("search.html", `result link went to ${page.url()}`);
  }
  searches++;
  await page.close();
}

// The chart files the Markdown links to: each loads and renders.
const svgFiles = walk(site).filter((f) => f.endsWith(".svg"));
for (const f of svgFiles) {
  const rel = path.relative(site, f).split(path.sep).join("/");
  const page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") fail(rel, `console error: ${m.text()}`);
  });
  const res = await page.goto(`${origin}/${rel}`, { waitUntil: "load" });
  if (res.status() !== 200) fail(rel, `HTTP ${res.status()}`);
  const box = await page.evaluate(() => {
    const b = document.documentElement.getBoundingClientRect();
    return { w: b.width, h: b.height, texts: document.querySelectorAll("text").length };
  });
  if (box.w < 200 || box.h < 50 || box.texts === 0) fail(rel, `SVG file not drawn: ${JSON.stringify(box)}`);
  await page.close();
}

await browser.close();
server.close();

console.log(
  `浏览器检查：${pages.length} 个页面、${charts} 个页面上的图表、${svgFiles.length} 个 SVG 文件、${links} 个链接、${searches} 次搜索、${pdfPages} 页 PDF；截图在 ${shots}`,
);
if (failures.length) {
  console.error(`失败 ${failures.length} 项：\n` + failures.join("\n"));
  process.exit(1);
}
console.log("全部通过。");
