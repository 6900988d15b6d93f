// Issue 27 in headless Chromium, from file:// and with the keyboard only:
// three printed figures of different kinds (a rate, a sum of parts, a 同比)
// are reached with Tab, opened with Enter, and their panels read (operands
// and file:line, rule ids); Escape closes a panel; in print the panels and
// the figures' look of buttons are gone.
//
//   cd tests/browser && npm ci && node figures.mjs ../../output
//
// (the sample site built from data/: `nianbao build --out output`).
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const site = path.resolve(process.argv[2] ?? "../../output");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";

const CASES = [
  {
    kind: "rate",
    page: "xx-qu/2017/summary.html",
    figure: "162.8%",
    panel: ["1645万元 ÷ 1010万元", "2017/measures.yaml:63", "2017/measures.yaml:64", "figure.rate", "原文如此"],
  },
  {
    kind: "sum of parts",
    page: "xx-qu/2017/summary.html",
    figure: "2531.2万元",
    panel: [" + ", "2017/funds.yaml:", "funds.total"],
  },
  {
    kind: "同比",
    page: "shili-xian/2023/summary.html",
    figure: "增长9.3%",
    panel: ["2022年", "2023年", "2022/funds.yaml", "2023/funds.yaml"],
  },
];

const failures = [];
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
    return { expanded: b.getAttribute("aria-expanded"), text: p && !p.hidden ? p.innerText : null };
  });
  if (opened.expanded !== "true" || !opened.text) {
    failures.push(`${c.kind}: Enter did not open the panel of ${c.figure}`);
    continue;
  }
  for (const s of c.panel) {
    if (!opened.text.includes(s)) failures.push(`${c.kind}: panel of ${c.figure} lacks “${s}”:\n${opened.text}`);
  }
  console.log(`${c.kind} ${c.figure}:\n${opened.text}\n`);
  // In print the open panel is hidden.
  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const b = document.activeElement;
    return getComputedStyle(document.getElementById(b.getAttribute("aria-controls"))).display;
  });
  if (printed !== "none") failures.push(`${c.kind}: the panel prints (display: ${printed})`);
  await page.emulateMedia({ media: "screen" });
  await page.keyboard.press("Escape");
  const closed = await page.evaluate(() => document.activeElement.getAttribute("aria-expanded"));
  if (closed !== "false") failures.push(`${c.kind}: Escape did not close the panel of ${c.figure}`);
  await page.close();
}

await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`${CASES.length} figures opened with the keyboard from file://`);
