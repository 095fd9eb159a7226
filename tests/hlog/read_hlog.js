// Reads an HdrHistogram interval log (drover run --hlog FILE) with hdr-histogram-js, an
// implementation independent of drover's, and prints what it decoded as one JSON object:
//   {"start_time_s": S, "tags": {TAG: {"count": N, "p50": V, "p99": V, "max": V,
//     "intervals": [{"start_s": S, "length_s": L, "count": N, "min": V, "max": V}, ...]}}}
// Values are the histograms' own (thousandths of the trend's unit); start_s is relative to
// the log's BaseTime. Usage: node read_hlog.js FILE. Exit 1 with a message on any error.
"use strict";
const fs = require("fs");
const hdr = require("hdr-histogram-js");

function main(path) {
  const text = fs.readFileSync(path, "utf8");
  const reader = new hdr.HistogramLogReader(text);
  const totals = new Map();
  const tags = {};
  let interval;
  while ((interval = reader.nextIntervalHistogram()) !== null) {
    const tag = interval.tag;
    if (!totals.has(tag)) {
      totals.set(tag, hdr.build({ bitBucketSize: 64, highestTrackableValue: interval.highestTrackableValue,
                                  numberOfSignificantValueDigits: interval.numberOfSignificantValueDigits }));
      tags[tag] = { intervals: [] };
    }
    totals.get(tag).add(interval);
    tags[tag].intervals.push({
      start_s: interval.startTimeStampMsec / 1000 - reader.baseTimeSec,
      length_s: (interval.endTimeStampMsec - interval.startTimeStampMsec) / 1000,
      count: interval.totalCount,
      min: interval.minNonZeroValue,
      max: interval.maxValue,
    });
  }
  for (const [tag, total] of totals) {
    Object.assign(tags[tag], {
      count: total.totalCount,
      p50: total.getValueAtPercentile(50),
      p99: total.getValueAtPercentile(99),
      max: total.maxValue,
    });
  }
  process.stdout.write(JSON.stringify({ start_time_s: reader.startTimeSec, tags }) + "\n");
}

try {
  if (process.argv.length !== 3) throw new Error("usage: node read_hlog.js FILE");
  main(process.argv[2]);
} catch (e) {
  process.stderr.write("read_hlog.js: " + (e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
}
