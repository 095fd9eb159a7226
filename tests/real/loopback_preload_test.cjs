// ctest real_loopback_preload: every form of net.Server.listen() a program may call ends up on
// 127.0.0.1 with loopback.cjs preloaded (run as `node --require ./loopback.cjs THIS`), the
// callbacks and backlog still work, and Unix-socket listens are left alone.
'use strict';
const assert = require('assert');
const fs = require('fs');
const http = require('http');
const net = require('net');
const os = require('os');
const path = require('path');

assert.ok(net.Server.prototype.listen.name === 'listen_on_loopback',
  'run with --require tests/real/loopback.cjs');

function listen(description, server, ...args) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${description}: no 'listening' within 10 s`)), 10000);
    let called_back = false;
    const callback_index = args.findIndex((a) => a === 'CALLBACK');
    if (callback_index >= 0) args[callback_index] = () => { called_back = true; };
    server.once('error', (err) => { clearTimeout(timer); reject(new Error(`${description}: ${err.message}`)); });
    server.once('listening', () => {
      clearTimeout(timer);
      // 'listening' listeners run in order: the callback (registered by listen) first.
      setImmediate(() => {
        if (callback_index >= 0 && !called_back) reject(new Error(`${description}: callback not called`));
        else resolve(server.address());
      });
    });
    server.listen(...args);
  });
}

function close(server) {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function main() {
  const cases = [
    ['listen()', []],
    ['listen(cb)', ['CALLBACK']],
    ['listen(0)', [0]],
    ['listen("0")', ['0']],
    ['listen(0, cb)', [0, 'CALLBACK']],
    ['listen(0, "0.0.0.0")', [0, '0.0.0.0']],
    ['listen(0, "::", cb)', [0, '::', 'CALLBACK']],
    ['listen(0, "::", 7, cb)', [0, '::', 7, 'CALLBACK']],
    ['listen(0, "localhost")', [0, 'localhost']],
    ['listen(0, 5)', [0, 5]],
    ['listen(0, null, 5, cb)', [0, null, 5, 'CALLBACK']],
    ['listen({port: 0})', [{ port: 0 }]],
    ['listen({port: 0, host: "::", ipv6Only: true}, cb)', [{ port: 0, host: '::', ipv6Only: true }, 'CALLBACK']],
    ['listen({port: 0, host: "0.0.0.0", backlog: 3})', [{ port: 0, host: '0.0.0.0', backlog: 3 }]],
  ];
  let count = 0;
  for (const make of [() => net.createServer(), () => http.createServer()]) {
    for (const [description, args] of cases) {
      const server = make();
      const address = await listen(description, server, ...args);
      assert.strictEqual(address.address, '127.0.0.1', `${description} bound ${JSON.stringify(address)}`);
      assert.strictEqual(address.family, 'IPv4');
      assert.ok(address.port > 0);
      // The listener takes a connection on 127.0.0.1.
      await new Promise((resolve, reject) => {
        const socket = net.connect(address.port, '127.0.0.1', () => { socket.destroy(); resolve(); });
        socket.on('error', reject);
      });
      await close(server);
      count++;
    }
  }
  // A fixed port is kept: take one, free it, ask for it on every interface.
  const probe = net.createServer();
  const { port } = await listen('probe', probe, 0);
  await close(probe);
  const fixed = net.createServer();
  const address = await listen(`listen(${port}, "0.0.0.0")`, fixed, port, '0.0.0.0');
  assert.deepStrictEqual([address.address, address.port], ['127.0.0.1', port]);
  await close(fixed);
  count++;

  // Unix sockets are not network listeners: path and options.path go through unchanged.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drover-loopback-'));
  try {
    for (const [description, make_args] of [
      ['listen(path)', (p) => [p]],
      ['listen({path})', (p) => [{ path: p }]],
    ]) {
      const socket_path = path.join(dir, `s${count}`);
      const server = net.createServer();
      const bound = await listen(description, server, ...make_args(socket_path));
      assert.strictEqual(bound, socket_path, `${description} bound ${JSON.stringify(bound)}`);
      await close(server);
      count++;
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`PASS: ${count} listen() forms: TCP ones on 127.0.0.1, Unix sockets unchanged`);
}

main().catch((err) => { console.error(`FAIL: ${err.stack || err}`); process.exit(1); });
