// Issue 27 in headless Chromium, from file:// and with the keyboard only:
// printed figures of different kinds (a rate, a sum of parts, a 同比, a
// figure in nianbao's own table, in a chart's table and in a sentence
// nianbao writes) are reached with Tab, opened with Enter, and their panels read (operands
// and file:line, rule ids); axe-core finds no violation with the panel open;
// Escape closes a panel; in print the panels and the figures' look of
// buttons are gone, and the 总结 printed to PDF with a panel open (Chromium's
// print, read back with pdftotext) has its figures and no data file name or
// rule id. Every 核对表 fits a 1000px window (no horizontal scrolling) and
// has no axe violation.
//
//   cd tests/browser && npm ci && node figures.mjs ../../output
//
// (the sample site built from data/: `nianbao build --out output`).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const site = path.resolve(process.argv[2] ?? "../../output");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const CASES = [
  {
    kind: "rate",
    page: "xx-qu/2017/summary.html",
    figure: "162.8%",
    panel: ["1645万元 ÷ 1010万元", "2017/measures.yaml:63", "2017/measures.yaml:64", "figure.rate", "原文如此"],
    // Printed with this panel open: the figures are in the PDF's text.
    print: ["162.8%", "2531.2万元", "1645万元", "81个"],
  },
  {
    kind: "sum of parts",
    page: "xx-qu/2017/summary.html",
    figure: "2531.2万元",
    panel: [" + ", "2017/funds.yaml:", "funds.total"],
  },
  {
    kind: "register table",
    page: "xx-qu/2017/summary.html",
    figure: "724",
    panel: ["2017/register.yaml:17", "register.gap"],
  },
  {
    kind: "chart's table",
    page: "xx-qu/2017/summary.html",
    figure: "52",
    panel: ["计数：52个", "产业发展", "2017/projects.yaml:"],
  },
  {
    kind: "sentence nianbao writes",
    page: "shili-xian/2023/plan.html",
    figure: "450万元",
    panel: ["50万元 + 100万元 + 300万元 = 450万元", "2023/projects.yaml:5"],
  },
  {
    kind: "同比",
    page: "shili-xian/2023/summary.html",
    figure: "增长9.3%",
    panel: ["2022年", "2023年", "2022/funds.yaml", "2023/funds.yaml"],
  },
];

// Words of the panels that must never print: data files and rule ids.
const NEVER_PRINTED = [".yaml", "figure.rate", "figure.zero", "figure.over", "breakdown.sum", "funds.total", "funds.rate", "project.status", "register.", "核对表"];

const failures = [];

/** Every axe-core violation of the page as it is now. */
async function axe(page, where) {
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.addScriptTag({ content: AXE });
  const res = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ["violations"], preload: false }));
  for (const v of res.violations) {
    const nodes = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
    failures.push(`${where}: axe ${v.id} [${v.impact}] ${v.help} (${v.nodes.length}: ${nodes})`);
  }
  return res.violations.length;
}

/** The page printed to A4 by Chromium (as --print-to-pdf), as pdftotext reads it. */
async function printedText(page, name) {
  const dir = process.env.NIANBAO_SHOTS ?? path.join(os.tmpdir(), "nianbao-shots");
  fs.mkdirSync(dir, { recursive: true });
  const pdf = path.join(dir, name);
  await page.pdf({ path: pdf, format: "A4", preferCSSPageSize: true });
  return execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });

for (const c of CASES) {
  const page = await context.newPage();
  page.on("pageerror", (e) => failures.push(`${c.page}: page error: ${e.message}`));
  page.on("console", (m) => m.type() === "error" && failures.push(`${c.page}: console error: ${m.text()}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) failures.push(`${c.page}: request ${r.url()}`);
  });
  await page.goto(pathToFileURL(path.join(site, c.page)).href);
  // Tab until the figure has the focus.
  let found = false;
  for (let i = 0; i < 400 && !found; i++) {
    await page.keyboard.press("Tab");
    found = await page.evaluate(
      (text) => document.activeElement?.matches("button.fig") && document.activeElement.textContent === text,
      c.figure,
    );
  }
  if (!found) {
    failures.push(`${c.kind}: ${c.figure} not reached with Tab on ${c.page}`);
    continue;
  }
  await page.keyboard.press("Enter");
  const opened = await page.evaluate(() => {
    const b = document.activeElement;
    const p = document.getElementById(b.getAttribute("aria-controls") ?? "");
    const after = p?.nextSibling?.textContent ?? "";
    return { expanded: b.getAttribute("aria-expanded"), text: p && !p.hidden ? p.innerText : null, after };
  });
  if (opened.expanded !== "true" || !opened.text) {
    failures.push(`${c.kind}: Enter did not open the panel of ${c.figure}`);
    continue;
  }
  // The text goes on after the panel with no comma or stop at its head.
  if (/^[，。；：、！？]/.test(opened.after)) failures.push(`${c.kind}: the line after the panel begins “${opened.after.slice(0, 5)}”`);
  for (const s of c.panel) {
    if (!opened.text.includes(s)) failures.push(`${c.kind}: panel of ${c.figure} lacks “${s}”:\n${opened.text}`);
  }
  console.log(`${c.kind} ${c.figure}:\n${opened.text}\n`);
  const violations = await axe(page, `${c.page} with the panel of ${c.figure} open`);
  console.log(`axe with the panel open: ${violations} violations`);
  if (c.print) {
    const text = (await printedText(page, "figures-open-panel.pdf")).replace(/\s+/g, "");
    for (const w of NEVER_PRINTED) {
      if (text.includes(w)) failures.push(`${c.page} printed with a panel open: “${w}” in the PDF's text`);
    }
    for (const w of c.print) {
      if (!text.includes(w)) failures.push(`${c.page} printed: “${w}” not in the PDF's text`);
    }
    console.log(`printed with the panel open: ${text.length} characters, none of the panel's`);
  }
  // In print the open panel is hidden. (Found by its open figure, not by
  // the focus: a figure of a web-only table loses the focus when print
  // hides it, sooner or later.)
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const b = document.querySelector("button.fig[aria-expanded='true']");
    return getComputedStyle(document.getElementById(b.getAttribute("aria-controls"))).display;
  });
  if (printed !== "none") failures.push(`${c.kind}: the panel prints (display: ${printed})`);
  await page.emulateMedia({ media: "screen" });
  // A figure of a web-only table lost the focus while print hid it.
  await page.evaluate(() => document.querySelector("button.fig[aria-expanded='true']").focus());
  await page.keyboard.press("Escape");
  const closed = await page.evaluate(() => document.activeElement.getAttribute("aria-expanded"));
  if (closed !== "false") failures.push(`${c.kind}: Escape did not close the panel of ${c.figure}`);
  await page.close();
}

// Every 核对表 in a 1000px window: nothing wider than the window; axe.
const narrow = await browser.newContext({ viewport: { width: 1000, height: 800 } });
const lists = fs
  .readdirSync(site, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => fs.readdirSync(path.join(site, d.name)).map((y) => path.join(d.name, y, "figures.html")))
  .filter((f) => fs.existsSync(path.join(site, f)));
if (lists.length < 5) failures.push(`${lists.length} 核对表 in ${site}`);
for (const f of lists) {
  const page = await narrow.newPage();
  page.on("pageerror", (e) => failures.push(`${f}: page error: ${e.message}`));
  await page.goto(pathToFileURL(path.join(site, f)).href);
  const m = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    table: Math.ceil(document.querySelector("table.figures")?.getBoundingClientRect().right ?? 0),
    window: window.innerWidth,
  }));
  if (m.page > m.window || m.table > m.window) {
    failures.push(`${f}: wider than a ${m.window}px window (page ${m.page}px, table to ${m.table}px)`);
  }
  await axe(page, f);
  await page.close();
}
console.log(`${lists.length} 核对表 within a 1000px window`);

await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${CASES.length} figures opened with the keyboard from file://`);
