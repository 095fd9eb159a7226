// Opens a drover report.html in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) with the page's scripts running, and checks it as a user sees it:
//   - no console error, no uncaught page error, no request leaving the file (the report is
//     self-contained: no network to view it);
//   - every chart is drawn, with the run's data (an SVG chart per trend that has values, each
//     with at least one bar of non-zero size on screen);
//   - the tables hold summary.json's numbers (trend counts, checks' passes and fails, every
//     threshold, close-code counts; for drover conform every case with its verdict);
//   - hostile server text (--hostile STRING, repeatable) appears on the page as text, within the
//     elements --hostile-in SELECTOR picks (default body: where the server's text is shown, not
//     where the command line is), and runs nothing: no element or attribute it could have
//     injected exists, and the marker its script would set on window is unset.
// Writes a full-page screenshot (light and dark colour schemes) for the test's artefacts.
//   node report_check.mjs REPORT_DIR SCREENSHOT_PREFIX [--hostile TEXT]... [--hostile-in SELECTOR] [--marker NAME]
// Exit 0 when every check holds, 1 with one line per problem otherwise, 2 on a usage error.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const usage =
  "usage: node report_check.mjs REPORT_DIR SCREENSHOT_PREFIX [--hostile TEXT]... [--hostile-in SELECTOR] [--marker NAME]";
const args = process.argv.slice(2);
const positional = [];
const hostile = [];
let marker = "__drover_pwned";
let hostileIn = "body";
for (let i = 0; i < args.length; ++i) {
  if (args[i] === "--hostile") hostile.push(args[++i]);
  else if (args[i] === "--hostile-in") hostileIn = args[++i];
  else if (args[i] === "--marker") marker = args[++i];
  else positional.push(args[i]);
}
if (positional.length !== 2 || hostile.includes(undefined) || !marker || !hostileIn) {
  console.error(usage);
  process.exit(2);
}
const [reportDir, screenshotPrefix] = positional;
const reportFile = path.resolve(reportDir, "report.html");
const summaryFile = path.resolve(reportDir, "summary.json");
for (const f of [reportFile, summaryFile]) {
  if (!fs.existsSync(f)) {
    console.error(`report_check: ${f} does not exist`);
    process.exit(2);
  }
}
const summary = JSON.parse(fs.readFileSync(summaryFile, "utf8"));
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
if (!fs.existsSync(chromiumPath)) {
  console.error(`report_check: no Chromium at ${chromiumPath} (./setup.sh installs Debian's chromium; CHROMIUM= points elsewhere)`);
  process.exit(2);
}

const problems = [];
const problem = (text) => problems.push(text);

// "1,234" and "1 234" are 1234; "12.5%" is 12.5.
const asNumber = (text) => {
  const t = text.replace(/[,\u00a0\u202f ]/g, "").replace(/%$/, "");
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
};

// A browser that does not start is not a finding about the report: one more try, and then its
// own words (Playwright's launch error holds Chromium's log) with exit 2. The first start on a
// fresh, busy machine is slow (cold caches, a test build beside it): two minutes each.
const launch = () =>
  chromium.launch({
    executablePath: chromiumPath,
    // No sandbox: CI runs as root, where Chromium's sandbox cannot start.
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    timeout: 120_000,
  });
let browser;
for (let attempt = 1; !browser; ++attempt) {
  try {
    browser = await launch();
  } catch (e) {
    console.error(`report_check: Chromium (${chromiumPath}) did not start (attempt ${attempt}): ${e.message}`);
    if (attempt === 2) process.exit(2);
  }
}
try {
  for (const scheme of ["light", "dark"]) {
    const context = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => consoleErrors.push(`uncaught: ${e.message}`));
    page.on("dialog", async (d) => {
      problem(`a dialog opened (${d.type()}: ${d.message()}): the page ran script it should not have`);
      await d.dismiss();
    });
    const reportUrl = pathToFileURL(reportFile).href;
    await page.route("**/*", (route) => {
      const url = route.request().url();
      if (url === reportUrl || url.startsWith("data:")) return route.continue();
      problem(`the page asked for ${url}: a report must be self-contained`);
      return route.abort();
    });
    await page.goto(reportUrl, { waitUntil: "load", timeout: 90_000 });
    await page.waitForTimeout(300);  // a chart drawn by script after load gets its moment
    for (const e of consoleErrors) problem(`[${scheme}] console error: ${e}`);
    await page.screenshot({ path: `${screenshotPrefix}-${scheme}.png`, fullPage: true });
    if (scheme === "dark") {
      // Dark mode is a colour scheme, not a second layout: its text must not be the light one's.
      const colors = await page.evaluate(() => {
        const s = getComputedStyle(document.body);
        return { bg: s.backgroundColor, fg: s.color };
      });
      if (colors.bg === "rgb(255, 255, 255)" || colors.bg === colors.fg) problem(`dark mode: body is ${colors.fg} on ${colors.bg}`);
      await context.close();
      continue;
    }

    const page_ = await page.evaluate(([markerName, hostileSelector]) => {
      const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
      const rows = (sel) => [...document.querySelectorAll(sel)].map((tr) => [...tr.cells].map(text));
      const charts = [...document.querySelectorAll("svg.chart")].map((svg) => {
        const bars = [...svg.querySelectorAll(".chart-bar, rect, path, polyline")]
          .map((b) => b.getBoundingClientRect())
          .filter((r) => r.width > 0 && r.height > 0);
        const caption = svg.closest("figure") ? text(svg.closest("figure").querySelector("figcaption")) : "";
        const box = svg.getBoundingClientRect();
        return { caption, drawn: bars.length, width: box.width, height: box.height };
      });
      return {
        title: document.title,
        hostileText: [...document.querySelectorAll(hostileSelector)].map((e) => e.innerText).join("\n"),
        charts,
        percentiles: rows("#percentiles tbody tr"),
        checks: rows("#checks tbody tr"),
        thresholds: rows("#thresholds tbody tr"),
        closeCodes: rows("#close-codes tbody tr"),
        cases: [...document.querySelectorAll(".case")].map((c) => ({
          id: text(c.querySelector(".case-id")),
          badge: text(c.querySelector(".badge")),
        })),
        scripts: [...document.querySelectorAll("script")].map((s) => s.textContent),
        injected: {
          marker: window[markerName] !== undefined,
          imgOnerror: document.querySelectorAll("img[onerror], [onerror], [onload]:not(body)").length,
          iframes: document.querySelectorAll("iframe, object, embed").length,
        },
      };
    }, [marker, hostileIn]);

    if (!page_.title) problem("the page has no title");
    const isConform = summary.command === "conform" || Array.isArray(summary.cases);
    const trends = Object.entries(summary.metrics || {}).filter(([, m]) => m.type === "trend" && m.count > 0);

    // Charts: one drawn chart per trend with values (conform reports have none to draw when no
    // trend was recorded).
    if (trends.length > 0 && page_.charts.length === 0) problem("no chart on the page although the run has trends");
    for (const c of page_.charts) {
      if (c.width < 50 || c.height < 30) problem(`chart "${c.caption}" is ${c.width}x${c.height} px on screen`);
      if (c.drawn === 0) problem(`chart "${c.caption}" has nothing drawn in it`);
    }
    for (const [name] of trends) {
      if (!page_.charts.some((c) => c.caption.includes(name))) problem(`no chart for the trend ${name}`);
    }

    // Tables: the summary's numbers, as the user reads them.
    const rowFor = (rows, name) => rows.find((r) => r.length > 0 && (r[0] === name || r[0].endsWith(` ${name}`) || r[1] === name));
    const holds = (row, value) => row.some((cell) => asNumber(cell) === value);
    if (!isConform) {
      for (const [name, m] of trends) {
        const row = rowFor(page_.percentiles, name) || page_.percentiles.find((r) => r[0].startsWith(name));
        if (!row) problem(`the percentiles table has no row for ${name}`);
        else if (!holds(row, m.count)) problem(`the row of ${name} does not show its count ${m.count}: ${row.join(" | ")}`);
      }
    }
    for (const c of summary.checks || []) {
      const row = page_.checks.find((r) => r.some((cell) => cell === c.name || cell.endsWith(c.name)));
      if (!row) problem(`the checks table has no row for "${c.name}"`);
      else if (!holds(row, c.passes) || !holds(row, c.fails))
        problem(`the check "${c.name}" row does not show ${c.passes} passes and ${c.fails} fails: ${row.join(" | ")}`);
    }
    const thresholds = summary.thresholds || [];
    if (page_.thresholds.length !== thresholds.length)
      problem(`the thresholds table has ${page_.thresholds.length} rows, summary.json ${thresholds.length}`);
    for (const t of thresholds) {
      if (!page_.thresholds.some((r) => r.join(" ").includes(t.expression))) problem(`threshold "${t.expression}" is not in the table`);
    }
    for (const cc of summary.close_codes || []) {
      const row = page_.closeCodes.find((r) => asNumber(r[0]) === cc.code);
      if (!row) problem(`the close codes table has no row for ${cc.code}`);
      else if (!holds(row.slice(1), cc.count)) problem(`close code ${cc.code} does not show its count ${cc.count}: ${row.join(" | ")}`);
    }
    for (const c of summary.cases || []) {
      const shown = page_.cases.find((x) => x.id === c.id);
      if (!shown) problem(`case ${c.id} is not on the page`);
      else if (shown.badge !== c.verdict) problem(`case ${c.id} shows "${shown.badge}", summary.json says ${c.verdict}`);
    }

    // Hostile text: shown as text, never run.
    for (const h of hostile) {
      if (!page_.hostileText.includes(h))
        problem(`the hostile text ${JSON.stringify(h)} is not shown as text in ${hostileIn}`);
    }
    if (page_.injected.marker) problem(`window.${marker} is set: hostile text ran as script`);
    if (page_.injected.imgOnerror > 0) problem(`${page_.injected.imgOnerror} element(s) with an event-handler attribute: hostile text became markup`);
    if (page_.injected.iframes > 0) problem(`${page_.injected.iframes} iframe/object/embed element(s) on the page`);
    for (const s of page_.scripts) {
      if (s.includes(marker)) problem("a <script> element holds the hostile text");
    }
    await context.close();
  }
} finally {
  await browser.close();
}

if (problems.length > 0) {
  for (const p of problems) console.log(`FAIL: ${p}`);
  process.exit(1);
}
console.log(`report_check: ${reportFile}: every check holds (screenshots ${screenshotPrefix}-light.png, -dark.png)`);
