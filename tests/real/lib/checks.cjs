// What the client scripts (clients_v1.cjs, clients_v2.mjs) share: argument parsing, a record of
// everything each side saw, waits on that record with deadlines, named checks, and the final
// report (one line per check, a JSON summary, exit code 0 only when every check passed).
'use strict';
const util = require('util');

function parse_args(argv, usage) {
  const args = { host: '127.0.0.1', port: 0, timeout_ms: 30000, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage}`);
      return argv[++i];
    };
    if (a === '--port') args.port = Number(value());
    else if (a === '--host') args.host = value();
    else if (a === '--timeout-ms') args.timeout_ms = Number(value());
    else if (a === '--verbose') args.verbose = true;
    else throw new Error(`unknown argument ${a}\n${usage}`);
  }
  if (!Number.isInteger(args.port) || args.port <= 0 || args.port > 65535) throw new Error(usage);
  return args;
}

class Record {
  constructor({ verbose, timeout_ms }) {
    this.events = [];      // {who, what, data}
    this.waiters = [];
    this.checks = [];      // {name, ok, detail}
    this.verbose = verbose;
    this.deadline = Date.now() + timeout_ms;
  }

  // who: 'monitor' | 'app'; what: a short tag ('log', 'respond', 'state', ...).
  add(who, what, data) {
    const event = { who, what, data };
    this.events.push(event);
    if (this.verbose) console.log(`  [${who}] ${what} ${compact(data)}`);
    for (const w of this.waiters.slice()) {
      if (w.match(event)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(event); }
    }
  }

  // The first event (already seen or still to come) that matches, or an error naming what
  // was awaited at the deadline: min(timeout_ms, what is left of the whole run).
  wait(description, match, timeout_ms = 10000) {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    const ms = Math.max(0, Math.min(timeout_ms, this.deadline - Date.now()));
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (e) => { clearTimeout(timer); resolve(e); } };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`not seen within ${ms} ms: ${description}`));
      }, ms);
      this.waiters.push(waiter);
    });
  }

  check(name, ok, detail) {
    this.checks.push({ name, ok: !!ok, detail: ok ? undefined : detail });
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : ` -- ${detail}`}`);
    return !!ok;
  }

  // Waits for an event and records a check for it; resolves with the event or undefined.
  async expect(name, match, timeout_ms) {
    try {
      const e = await this.wait(name, match, timeout_ms);
      this.check(name, true);
      return e;
    } catch (err) {
      this.check(name, false, `${err.message}; seen: ${this.describe_seen()}`);
      return undefined;
    }
  }

  describe_seen() {
    return this.events.slice(-12).map((e) => `[${e.who}] ${e.what} ${compact(e.data)}`).join(' | ') || 'nothing';
  }

  // Prints the summary and returns the exit code.
  finish(label, error) {
    if (error) this.check('script ran to the end', false, error.stack || String(error));
    const failed = this.checks.filter((c) => !c.ok);
    console.log(JSON.stringify({
      result: failed.length === 0 ? 'pass' : 'fail',
      label,
      passed: this.checks.filter((c) => c.ok).map((c) => c.name),
      failed: failed.map((c) => c.name),
    }));
    console.log(failed.length === 0 ? `PASS: ${label}: ${this.checks.length} checks`
      : `FAIL: ${label}: ${failed.length} of ${this.checks.length} checks failed`);
    return failed.length === 0 ? 0 : 1;
  }
}

function compact(data) {
  const s = typeof data === 'string' ? JSON.stringify(data) : util.inspect(data, { depth: 6, breakLength: Infinity });
  return s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

function delay(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

function same(a, b) { return util.isDeepStrictEqual(a, b); }

module.exports = { parse_args, Record, compact, delay, same };
