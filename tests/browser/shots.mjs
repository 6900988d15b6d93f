// Screenshots of issue 27 for a look (not a test; run by hand): seed 000's
// 2017 总结 with the 小额信贷 rate's panel open (162.8% as published, 162.9%
// computed), and its 核对表, in a 1000×800 window.
//
//   cd tests/browser && node shots.mjs ../../output /tmp/nianbao-figures-shots
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const site = path.resolve(process.argv[2] ?? "../../output");
const out = path.resolve(process.argv[3] ?? "/tmp/nianbao-figures-shots");
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});
const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
const open = async (rel) => {
  const page = await context.newPage();
  await page.goto(pathToFileURL(path.join(site, rel)).href);
  return page;
};

// The figure opened with the keyboard, its line in the middle of the window.
const summary = await open("xx-qu/2017/summary.html");
await summary.locator("button.fig", { hasText: /^162\.8%$/ }).focus();
await summary.keyboard.press("Enter");
await summary.evaluate(() => document.activeElement.scrollIntoView({ block: "center" }));
await summary.screenshot({ path: path.join(out, "xx-qu-2017-summary-162.8-panel.png") });

// The 核对表: its top, the rate's row, the register's rows, the whole page.
const list = await open("xx-qu/2017/figures.html");
await list.screenshot({ path: path.join(out, "xx-qu-2017-figures-1000px.png") });
for (const [name, row] of [
  ["xiaoe", "新增扶贫小额信贷.完成率"],
  ["register", "建档立卡基数"],
]) {
  await list.evaluate(
    (row) => [...document.querySelectorAll("tbody th")].find((t) => t.textContent === row)?.scrollIntoView({ block: "center" }),
    row,
  );
  await list.screenshot({ path: path.join(out, `xx-qu-2017-figures-1000px-${name}.png`) });
}
await list.screenshot({ path: path.join(out, "xx-qu-2017-figures-1000px-full.png"), fullPage: true });
await browser.close();
console.log(`screenshots in ${out}`);
