// Opens a drover report.html in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core) with the page's scripts running, and checks it as a user sees it:
//   - no console error, no uncaught page error, no request leaving the file (the report is
//     self-contained: no network to view it);
//   - every chart is drawn, with the run's data (an SVG chart per trend that has values, each
//     with at least one bar of non-zero size on screen);
//   - the tables hold summary.json's numbers (trend counts, checks' passes and fails, every
//     threshold, close-code counts; for drover conform every case with its verdict);
//   - a percentile spectrum chart per trend with values (p0 ... p99.999 marked);
//   - results over time, when summary.json has "timeseries" (required with --expect-timeseries,
//     which report_test.sh gives for drover run): every time chart drawn with one point per
//     interval (the client overlay and the message rates have a value in every interval), the
//     client overlay on the trend, message and session charts, a chart per trend, hovering an
//     interval shows its numbers in the tooltip, the mouse wheel zooms the time axis of every
//     chart together and a double-click resets it;
//   - a latency rise (--expect-rise TREND:AFTER_MS:MIN_MS[:LOW_MS], which report_test.sh gives for
//     its run against the echo fake's slow-ack fault): in the "Over time" chart of TREND, the
//     drawn p99 line, read against the chart's own y axis (its grid lines and their labels), is
//     LOW (under LOW_MS, default MIN_MS/2) at every interval that ends by AFTER_MS-500 and HIGH
//     (at least MIN_MS) at every one that starts from AFTER_MS+500, at least two of each; hovering
//     the first HIGH interval and the LOW one before it shows those values in the tooltip, and the
//     tooltip's times put the rise between AFTER_MS and AFTER_MS+1500;
//   - printed (media print): no navigation or tooltip chrome, the charts still drawn;
//   - hostile server text (--hostile STRING, repeatable) appears on the page as text, within the
//     elements --hostile-in SELECTOR picks (default body: where the server's text is shown, not
//     where the command line is), and runs nothing: no element or attribute it could have
//     injected exists, and the marker its script would set on window is unset.
// Writes a full-page screenshot (light and dark colour schemes, and print) for the test's artefacts.
//   node report_check.mjs REPORT_DIR SCREENSHOT_PREFIX [--hostile TEXT]... [--hostile-in SELECTOR] [--marker NAME]
//                         [--expect-timeseries] [--expect-rise TREND:AFTER_MS:MIN_MS[:LOW_MS]]
// Exit 0 when every check holds, 1 with one line per problem otherwise, 2 on a usage error.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const usage =
  "usage: node report_check.mjs REPORT_DIR SCREENSHOT_PREFIX [--hostile TEXT]... [--hostile-in SELECTOR] [--marker NAME] [--expect-timeseries] [--expect-rise TREND:AFTER_MS:MIN_MS[:LOW_MS]]";
const args = process.argv.slice(2);
const positional = [];
const hostile = [];
let marker = "__drover_pwned";
let hostileIn = "body";
let expectTimeseries = false;
let rise = null;  // { trend, afterMs, minMs, lowMs } from --expect-rise
const parseRise = (text) => {
  const m = /^([^:]+):(\d+):(\d+(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$/.exec(text ?? "");
  if (!m) return undefined;
  const minMs = Number(m[3]);
  return { trend: m[1], afterMs: Number(m[2]), minMs, lowMs: m[4] === undefined ? minMs / 2 : Number(m[4]) };
};
for (let i = 0; i < args.length; ++i) {
  if (args[i] === "--hostile") hostile.push(args[++i]);
  else if (args[i] === "--expect-timeseries") expectTimeseries = true;
  else if (args[i] === "--expect-rise") rise = parseRise(args[++i]);
  else if (args[i] === "--hostile-in") hostileIn = args[++i];
  else if (args[i] === "--marker") marker = args[++i];
  else positional.push(args[i]);
}
if (positional.length !== 2 || hostile.includes(undefined) || !marker || !hostileIn || rise === undefined) {
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

// The time charts' geometry (harness/reporting/svg_timeseries.cpp): a 640-wide viewBox whose
// plot starts at x 58 and is 532 wide, spanning the first interval's start to the last's end.
const CHART_W = 640, PLOT_LEFT = 58, PLOT_W = 532;
// The page script's number format in its tooltips.
const tipNumber = (v) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100).toLocaleString("en-US");

async function checkOverTime(page, points, scheme) {
  const n = points.length;
  const readCharts = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("#over-time svg.time-chart")].map((svg) => {
        const series = {};
        for (const g of svg.querySelectorAll("g.series")) {
          const xs = new Set();
          let drawn = false;
          for (const line of g.querySelectorAll("polyline")) {
            for (let i = 0; i < line.points.numberOfItems; ++i) xs.add(line.points.getItem(i).x);
            const r = line.getBoundingClientRect();
            drawn = drawn || r.width > 0 || r.height > 0;
          }
          series[g.dataset.name] = { points: xs.size, drawn };
        }
        return {
          caption: svg.closest("figure")?.querySelector("figcaption")?.textContent.trim() ?? "",
          intervals: Number(svg.dataset.intervals),
          series,
          viewBox: svg.querySelector("svg.plot")?.getAttribute("viewBox") ?? "",
          ticks: [...svg.querySelectorAll("g.time-axis text")].map((t) => `${t.textContent}@${t.getAttribute("x")}`).join(" "),
        };
      }));
  const charts = await readCharts();
  if (charts.length === 0) {
    problem('summary.json has "timeseries" but #over-time has no time chart');
    return;
  }
  for (const c of charts) {
    if (c.intervals !== n) problem(`time chart "${c.caption}" has ${c.intervals} intervals, summary.json ${n}`);
  }
  const trendNames = [...new Set(points.flatMap((p) => Object.keys(p.trends ?? {})))].filter((k) => !k.includes("{"));
  for (const name of trendNames) {
    const c = charts.find((x) => x.caption === name);
    if (!c) {
      problem(`no time chart for the trend ${name}`);
      continue;
    }
    const withValues = points.filter((p) => (p.trends?.[name]?.count ?? 0) > 0).length;
    for (const key of ["p50", "p95", "p99", "max"]) {
      const got = c.series[key]?.points ?? 0;
      if (got !== withValues) problem(`time chart ${name}: ${key} has ${got} points, the trend has values in ${withValues} intervals`);
    }
  }
  for (const caption of [...trendNames, "messages per second", "sessions per second"]) {
    const c = charts.find((x) => x.caption === caption);
    if (!c) {
      problem(`no time chart "${caption}"`);
      continue;
    }
    const clients = c.series["active clients"];
    if (!clients?.drawn) problem(`time chart "${caption}" has no client overlay drawn`);
    else if (clients.points !== n) problem(`time chart "${caption}": the client overlay has ${clients.points} points, the run ${n} intervals`);
  }
  const msgsIndex = charts.findIndex((x) => x.caption === "messages per second");
  if (msgsIndex < 0) return;
  for (const key of ["sent", "received"]) {
    const got = charts[msgsIndex].series[key]?.points ?? 0;
    if (got !== n) problem(`time chart "messages per second": ${key} has ${got} points, the run ${n} intervals`);
  }

  // Hover: the middle interval's numbers in the tooltip.
  const svg = page.locator("#over-time svg.time-chart").nth(msgsIndex);
  await svg.scrollIntoViewIfNeeded();
  const box = await svg.boundingBox();
  const t0 = points[0].t_ms, t1 = points[n - 1].end_ms;
  const k = Math.floor(n / 2);
  const xOf = (t) => box.x + ((PLOT_LEFT + (PLOT_W * (t - t0)) / (t1 - t0)) * box.width) / CHART_W;
  const x = xOf((points[k].t_ms + points[k].end_ms) / 2), y = box.y + box.height / 2;
  await page.mouse.move(x, y, { steps: 4 });
  const tipOf = (index) =>
    page.evaluate((i) => {
      const tip = document.querySelectorAll("#over-time svg.time-chart")[i].parentNode.querySelector(".chart-tip");
      return tip && !tip.hidden ? { text: tip.innerText, interval: Number(tip.dataset.interval) } : null;
    }, index);
  let tip = null;
  for (let i = 0; i < 20 && !tip; ++i) {
    tip = await tipOf(msgsIndex);
    if (!tip) await page.waitForTimeout(100);
  }
  if (!tip) problem(`[${scheme}] hovering interval ${k} of "messages per second" shows no tooltip`);
  else {
    const p = points[k], seconds = (p.end_ms - p.t_ms) / 1000;
    const want = [`sent: ${tipNumber(p.msgs_sent / seconds)}/s`, `received: ${tipNumber(p.msgs_received / seconds)}/s`,
      `active clients: ${tipNumber(p.active_clients)}`];
    if (tip.interval !== k) problem(`hovering interval ${k} shows interval ${tip.interval}`);
    for (const w of want) if (!tip.text.includes(w)) problem(`the tooltip of interval ${k} lacks "${w}": ${JSON.stringify(tip.text)}`);
  }

  // Zoom: the wheel narrows the time axis of every chart together; a double-click resets it.
  const span = (viewBox) => Number(viewBox.split(/\s+/)[2]);
  await page.mouse.wheel(0, -600);
  let zoomed = charts;
  for (let i = 0; i < 30; ++i) {
    zoomed = await readCharts();
    if (zoomed[msgsIndex].viewBox !== charts[msgsIndex].viewBox) break;
    await page.waitForTimeout(100);
  }
  if (!(span(zoomed[msgsIndex].viewBox) < span(charts[msgsIndex].viewBox)))
    problem(`the mouse wheel did not zoom the time axis (viewBox ${zoomed[msgsIndex].viewBox})`);
  else {
    if (zoomed.some((c) => c.viewBox !== zoomed[msgsIndex].viewBox)) problem("zooming one time chart did not zoom the others");
    if (zoomed[msgsIndex].ticks === charts[msgsIndex].ticks) problem("zooming did not redraw the time axis' ticks");
  }
  await page.mouse.dblclick(x, y);
  let reset = zoomed;
  for (let i = 0; i < 30; ++i) {
    reset = await readCharts();
    if (reset[msgsIndex].viewBox === charts[msgsIndex].viewBox) break;
    await page.waitForTimeout(100);
  }
  if (reset[msgsIndex].viewBox !== charts[msgsIndex].viewBox)
    problem(`a double-click did not reset the zoom (viewBox ${reset[msgsIndex].viewBox}, was ${charts[msgsIndex].viewBox})`);
}

// "500ms", "3s", "3.5s" (the page's time labels, under a minute) in ms; NaN for anything else.
const labelMs = (text) => {
  const m = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text.trim());
  return m ? Number(m[1]) * (m[2] === "s" ? 1000 : 1) : NaN;
};

// The latency rise as drawn: the p99 line of the trend's time chart, each point's height read
// against the chart's y axis on screen, so a wrong scale, a wrong point or a missing line shows.
async function checkRise(page, points, { trend, afterMs, minMs, lowMs }) {
  const label = `--expect-rise ${trend}`;
  const index = await page.evaluate((name) =>
    [...document.querySelectorAll("#over-time svg.time-chart")].findIndex(
      (svg) => svg.closest("figure")?.querySelector("figcaption")?.textContent.trim() === name), trend);
  if (index < 0) {
    problem(`${label}: no time chart for the trend`);
    return;
  }
  const svg = page.locator("#over-time svg.time-chart").nth(index);
  await svg.scrollIntoViewIfNeeded();
  const drawn = await page.evaluate((i) => {
    const chart = document.querySelectorAll("#over-time svg.time-chart")[i];
    const outer = chart.getScreenCTM();
    // Each left grid line is followed by its label (the clients' labels on the right have none).
    const scale = [...chart.querySelectorAll(":scope > line.chart-grid")].map((line) => ({
      label: line.nextElementSibling?.textContent ?? "",
      y: new DOMPoint(0, Number(line.getAttribute("y1"))).matrixTransform(outer).y,
    }));
    const line = [];
    for (const poly of chart.querySelectorAll('g.series[data-name="p99"] polyline')) {
      const ctm = poly.getScreenCTM();
      for (let k = 0; k < poly.points.numberOfItems; ++k) {
        const p = poly.points.getItem(k);
        const s = new DOMPoint(p.x, p.y).matrixTransform(ctm);
        if (!line.some((q) => q.ms === p.x)) line.push({ ms: p.x, x: s.x, y: s.y });  // a lone value is drawn twice
      }
    }
    return { scale, line };
  }, index);
  const ticks = drawn.scale.map((t) => ({ value: asNumber(t.label), y: t.y })).filter((t) => Number.isFinite(t.value));
  if (ticks.length < 2) {
    problem(`${label}: the chart's y axis has ${ticks.length} readable labels (${JSON.stringify(drawn.scale)})`);
    return;
  }
  const [a, b] = [ticks[0], ticks[ticks.length - 1]];
  if (a.y === b.y || a.value === b.value) {
    problem(`${label}: the chart's y axis has no extent (${JSON.stringify(ticks)})`);
    return;
  }
  const valueAt = (y) => a.value + ((y - a.y) * (b.value - a.value)) / (b.y - a.y);
  const seen = drawn.line
    .map((d) => ({ ...d, value: valueAt(d.y), p: points.find((p) => p.t_ms <= d.ms && d.ms < p.end_ms) }))
    .filter((d) => d.p)
    .sort((x, y) => x.ms - y.ms);
  const low = seen.filter((d) => d.p.end_ms <= afterMs - 500), high = seen.filter((d) => d.p.t_ms >= afterMs + 500);
  if (low.length < 2 || high.length < 2)
    problem(`${label}: the p99 line has ${low.length} points before ${afterMs - 500} ms and ${high.length} from ${afterMs + 500} ms (want 2 of each)`);
  const at = (d) => `${d.p.t_ms}-${d.p.end_ms} ms`;
  for (const d of low) {
    if (!(d.value < lowMs)) problem(`${label}: the p99 line is drawn at ${Math.round(d.value)} ms in ${at(d)}, before the fault (want under ${lowMs})`);
  }
  for (const d of high) {
    if (!(d.value >= minMs)) problem(`${label}: the p99 line is drawn at ${Math.round(d.value)} ms in ${at(d)}, after the fault (want at least ${minMs})`);
  }
  const first = seen.findIndex((d) => d.value >= minMs);
  if (first < 1) {
    problem(`${label}: the p99 line has ${first < 0 ? "no HIGH point" : "no LOW point before its first HIGH one"}`);
    return;
  }

  // Hover the last LOW interval and the first HIGH one: the tooltip's numbers and times.
  const box = await svg.boundingBox();
  const readTip = async (d) => {
    await page.mouse.move(d.x, box.y + box.height / 2, { steps: 4 });
    for (let i = 0; i < 20; ++i) {
      const tip = await page.evaluate((k) => {
        const t = document.querySelectorAll("#over-time svg.time-chart")[k].parentNode.querySelector(".chart-tip");
        return t && !t.hidden ? { head: t.querySelector(".tip-time")?.textContent ?? "", rows: [...t.querySelectorAll(".tip-row")].map((r) => r.textContent) } : null;
      }, index);
      const [from, to] = (tip?.head ?? "").split("\u2013").map(labelMs);
      if (tip && from === d.p.t_ms) {
        const row = tip.rows.find((r) => r.startsWith("p99: "));
        return { from, to, p99: row ? asNumber(row.slice(5).replace(/ ms$/, "")) : NaN, text: tip.head + " " + tip.rows.join(" | ") };
      }
      await page.waitForTimeout(100);
    }
    problem(`${label}: hovering ${at(d)} shows no tooltip for that interval`);
    return null;
  };
  const before = await readTip(seen[first - 1]), rising = await readTip(seen[first]);
  if (before && !(before.p99 < minMs)) problem(`${label}: the tooltip before the rise shows p99 ${before.p99} ms: ${before.text}`);
  if (rising) {
    if (!(rising.p99 >= minMs)) problem(`${label}: the tooltip of the rise shows p99 ${rising.p99} ms: ${rising.text}`);
    if (!(rising.to >= afterMs && rising.from < afterMs + 1500))
      problem(`${label}: the rise is in the interval ${rising.from}-${rising.to} ms, not between ${afterMs} and ${afterMs + 1500} ms: ${rising.text}`);
  }
  await page.mouse.move(0, 0);
}

// Printed: the navigation and the tooltips gone, every chart still drawn.
async function checkPrint(page, screenshotPrefix) {
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: `${screenshotPrefix}-print.png`, fullPage: true });
  const printed = await page.evaluate(() => ({
    toc: getComputedStyle(document.querySelector(".toc")).display,
    tips: [...document.querySelectorAll(".chart-tip")].filter((t) => getComputedStyle(t).display !== "none").length,
    hidden: [...document.querySelectorAll("svg.chart")].filter((s) => {
      const r = s.getBoundingClientRect();
      return r.width < 50 || r.height < 30;
    }).length,
  }));
  if (printed.toc !== "none") problem("printed, the navigation bar is still shown");
  if (printed.tips > 0) problem("printed, a chart tooltip is still shown");
  if (printed.hidden > 0) problem(`printed, ${printed.hidden} chart(s) are not drawn`);
  await page.emulateMedia({ media: "screen" });
}

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
        // A line may be flat (a constant client count): a polyline needs length, a bar area.
        const bars = [...svg.querySelectorAll(".chart-bar, rect, path, polyline")].filter((b) => {
          const r = b.getBoundingClientRect();
          return b.tagName === "polyline" ? r.width > 0 || r.height > 0 : r.width > 0 && r.height > 0;
        });
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

    // Percentile spectrum: one chart per trend with values, each whole nine marked.
    const spectra = await page.evaluate(() =>
      [...document.querySelectorAll("svg.spectrum-chart")].map((svg) => ({
        caption: svg.closest("figure")?.querySelector("figcaption")?.textContent.trim() ?? "",
        points: svg.querySelector("polyline.spectrum-line")?.points.numberOfItems ?? 0,
        dots: svg.querySelectorAll("circle.spectrum-dot").length,
      })));
    for (const [name] of trends) {
      const s = spectra.find((x) => x.caption === name || x.caption.startsWith(`${name} `));
      if (!s) problem(`no percentile spectrum chart for the trend ${name}`);
      else if (s.points < 2 || s.dots !== 6) problem(`the spectrum of ${name} has ${s.points} points and ${s.dots} marked nines (want a line and 6)`);
    }

    // Results over time. Until the runner wrote "timeseries" (issue 8) these checks were
    // conditional on it; for drover run report_test.sh now requires it (--expect-timeseries).
    const points = summary.timeseries?.points ?? [];
    if (expectTimeseries && points.length < 2) problem(`summary.json has ${points.length} intervals in "timeseries" (want several)`);
    if (rise && points.length < 2) problem(`--expect-rise: summary.json has ${points.length} intervals in "timeseries"`);
    if (rise && points.length >= 2) await checkRise(page, points, rise);
    if (points.length > 0) await checkOverTime(page, points, scheme);

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
    await checkPrint(page, screenshotPrefix);
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
