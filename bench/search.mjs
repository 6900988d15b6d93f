// Search in the browser: for each query, the time from typing it to the
// first result on screen (and to the whole first page) and the bytes of the
// scripts it loaded, from file:// and from a web server, in headless
// Chromium (a fresh context per query, so nothing is cached). Each query
// runs $SEARCH_RUNS times (default 3) and the median times are given: the
// machine's load makes single runs vary by half.
//
//   node bench/search.mjs <site dir> <query> [<query> ...]
//
// Prints one line per query and origin: origin, query, ms to the first
// result, ms to the first page, KB fetched, scripts, results. Exit code 1
// if a query finds nothing.
import { createRequire } from "node:module";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(new URL("../tests/browser/package.json", import.meta.url));
const { chromium } = require("playwright-core");
const site = path.resolve(process.argv[2]);
const queries = process.argv.slice(3);
const runs = Number(process.env.SEARCH_RUNS ?? 3);
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, "http://localhost").pathname);
  const file = path.join(site, rel);
  if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
    res.writeHead(404).end();
    return;
  }
  const type = file.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8";
  res.writeHead(200, { "content-type": type });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const origins = [
  ["file", "file://" + site],
  ["http", `http://127.0.0.1:${server.address().port}`],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = false;
console.log("origin\tquery\tms_to_first_result\tms_to_first_page\tKB_fetched\tscripts\tresults");
for (const [name, origin] of origins) {
  for (const q of queries) {
    const first = [], whole = [];
    let line;
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${origin}/search.html`, { waitUntil: "load" });
      const before = await page.evaluate(() => Array.from(document.scripts).map((s) => s.src));
      const [ms, all] = await page.evaluate(
        (q) =>
          new Promise((resolve) => {
            const input = document.getElementById("q");
            const list = document.getElementById("results");
            const t0 = performance.now();
            let shown;
            const seen = () => {
              if (shown === undefined && (list.querySelector("li") || list.dataset.done !== undefined)) shown = performance.now() - t0;
              if (list.dataset.done !== undefined) resolve([shown, performance.now() - t0]);
              else requestAnimationFrame(seen);
            };
            input.value = q;
            input.dispatchEvent(new Event("input"));
            seen();
          }),
        q,
      );
      first.push(ms);
      whole.push(all);
      const loaded = await page.evaluate(() => Array.from(document.scripts).map((s) => s.src));
      const fetched = loaded.filter((n) => !before.includes(n));
      let bytes = 0;
      for (const url of fetched) {
        const rel = decodeURIComponent(new URL(url).pathname).slice(name === "file" ? site.length : 0);
        bytes += fs.statSync(path.join(site, rel)).size;
      }
      const results = await page.$$eval("#results li", (li) => li.length);
      const status = await page.textContent("#status");
      if (results === 0) failed = true;
      line = [(bytes / 1024).toFixed(0), fetched.length, `${results} (${status})`];
      await context.close();
    }
    console.log([name, q, median(first).toFixed(0), median(whole).toFixed(0), ...line].join("\t"));
  }
}
await browser.close();
server.close();
process.exit(failed ? 1 : 0);
