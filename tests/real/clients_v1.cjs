// The real v1 client library, remotedev@0.2.9, as an app against a RemoteDev server at
// ws://HOST:PORT/socketcluster/ (SocketCluster protocol v1), watched by a monitor: the raw
// socketcluster-client@13 that remotedev bundles, logged in as a monitor.
//   node tests/real/clients_v1.cjs --port PORT [--host 127.0.0.1] [--timeout-ms 30000] [--verbose]
// Checks (docs/protocols/remotedev.md): login answers "log" to a monitor; the app's INIT, sent
// before its handshake finished, arrives on "log" as {id: APP_SOCKET_ID, data: INIT} (log-noid
// wrapped); its ACTION and STATE, sent after, arrive on "log" unchanged; the app library
// receives START, STOP, DISPATCH, ACTION, IMPORT and SYNC sent by the monitor on "respond"; an
// app that disconnects makes {id, type: "DISCONNECTED"} arrive on "log".
// Exit 0 when every check passed, 1 otherwise; the last lines are a JSON summary and PASS/FAIL.
'use strict';
const path = require('path');
const { createRequire } = require('module');
const { parse_args, Record, same } = require('./lib/checks.cjs');

const usage = 'usage: node clients_v1.cjs --port PORT [--host HOST] [--timeout-ms MS] [--verbose]';

async function run(args, rec) {
  const remotedev = require('remotedev');
  const from_remotedev = createRequire(require.resolve('remotedev'));
  const scc = from_remotedev('socketcluster-client');
  rec.check('remotedev@0.2.9 bundles socketcluster-client 13 (protocol v1)',
    require('remotedev/package.json').version === '0.2.9' && /^13\./.test(scc.version), `found ${scc.version}`);

  // The monitor: its own socket (multiplex: false, or the factory would hand the app's socket
  // out again for the same host and port).
  const monitor = scc.create({ hostname: args.host, port: args.port, multiplex: false,
    autoReconnect: false, connectTimeout: 10000, ackTimeout: 10000 });
  monitor.on('error', (err) => rec.add('monitor', 'error', err.message));
  monitor.on('connect', (status) => rec.add('monitor', 'connect', status));
  const connected = await rec.expect('monitor: handshake answered (id, pingTimeout)',
    (e) => e.who === 'monitor' && e.what === 'connect');
  if (!connected) return;
  rec.check('monitor: handshake status carries an id and a pingTimeout',
    typeof connected.data.id === 'string' && connected.data.id.length > 0 && Number.isInteger(connected.data.pingTimeout),
    `status ${JSON.stringify(connected.data)}`);

  monitor.emit('login', 'monitor', (err, channel) => rec.add('monitor', 'login answer', { err, channel }));
  const login = await rec.expect('monitor: login answered', (e) => e.what === 'login answer');
  if (!login) return;
  rec.check('monitor: login "monitor" answers channel "log"', !login.data.err && login.data.channel === 'log',
    `answer ${JSON.stringify(login.data)}`);
  const log = monitor.subscribe('log');
  log.on('subscribe', () => rec.add('monitor', 'subscribed', 'log'));
  log.on('subscribeFail', (err) => rec.add('monitor', 'subscribe failed', String(err && err.message)));
  log.watch((data) => rec.add('monitor', 'log', data));
  if (!await rec.expect('monitor: subscribed to "log"', (e) => e.what === 'subscribed')) return;

  // The app: remotedev's connect() creates its socket synchronously; the factory's client map
  // is how this script reaches it (to learn its id and to disconnect it at the end).
  const app = remotedev.connect({ realtime: true, hostname: args.host, port: args.port, name: 'drover-v1-app' });
  const app_socket = Object.values(scc.clients).find((s) => s !== monitor);
  if (!rec.check('app: remotedev created its socket', app_socket, 'no second socket in the factory map')) return;
  app_socket.on('connect', (status) => rec.add('app', 'connect', status));
  app_socket.on('subscribe', (channel) => rec.add('app', 'subscribed', channel));
  app_socket.on('error', (err) => rec.add('app', 'error', err.message));
  app.subscribe((message) => rec.add('app', 'message', JSON.parse(JSON.stringify(message))));

  // INIT goes out at the next tick, before the handshake answer: socket.id is unset, so
  // remotedev emits it as "log-noid" and the server wraps it.
  app.init({ counter: 0 });
  const app_connect = await rec.expect('app: handshake answered', (e) => e.who === 'app' && e.what === 'connect');
  if (!app_connect) return;
  const app_id = app_socket.id;
  const init = await rec.expect('monitor: INIT (log-noid) relayed on "log" as {id, data}',
    (e) => e.what === 'log' && e.data && e.data.data && e.data.data.type === 'INIT');
  if (!init) return;
  const instance_id = init.data.data.instanceId;
  rec.check('log-noid: the wrapper is exactly {id: sender socket id, data: original}',
    same(Object.keys(init.data).sort(), ['data', 'id']) && init.data.id === app_id,
    `got ${JSON.stringify(init.data)}, app socket id ${app_id}`);
  rec.check('log-noid: INIT arrives unchanged inside the wrapper',
    // socket.id is still null when remotedev builds INIT: "id": null is part of what it sends.
    same(init.data.data, { payload: '{"counter":0}', action: {}, type: 'INIT', id: null, instanceId: instance_id, name: 'drover-v1-app' })
      && typeof instance_id === 'string' && instance_id.length > 0,
    `got ${JSON.stringify(init.data.data)}`);

  // After the handshake remotedev emits "log" with the socket id inside.
  app.send({ type: 'INCREMENT' }, { counter: 1 });
  const action = await rec.expect('monitor: ACTION relayed on "log"',
    (e) => e.what === 'log' && e.data && e.data.type === 'ACTION');
  if (action) {
    let lifted = null;
    try { lifted = JSON.parse(action.data.action); } catch (err) { lifted = null; }
    rec.check('log: ACTION arrives unchanged (payload, action, id, instanceId, name)',
      same(Object.keys(action.data).sort(), ['action', 'id', 'instanceId', 'name', 'payload', 'type'])
        && action.data.payload === '{"counter":1}' && action.data.id === app_id
        && action.data.instanceId === instance_id && action.data.name === 'drover-v1-app'
        && lifted && same(lifted.action, { type: 'INCREMENT' }) && Number.isInteger(lifted.timestamp),
      `got ${JSON.stringify(action.data)}`);
  }
  app.send(null, { counter: 5 });
  const state = await rec.expect('monitor: STATE relayed on "log"',
    (e) => e.what === 'log' && e.data && e.data.type === 'STATE');
  if (state) {
    rec.check('log: STATE arrives unchanged',
      same(state.data, { payload: '{"counter":5}', type: 'STATE', id: app_id, instanceId: instance_id, name: 'drover-v1-app' }),
      `got ${JSON.stringify(state.data)}`);
  }

  // Monitor -> app on "respond". remotedev subscribes to the channel its login answered with
  // ("respond" for "master"): wait until the server confirmed that subscription.
  const subscribed = await rec.expect('app: login "master" answered "respond" and the app subscribed to it',
    (e) => e.who === 'app' && e.what === 'subscribed' && e.data === 'respond');
  if (!subscribed) return;
  // remotedev drops messages for another instance: one sent first, then the real ones, must
  // never reach the app's listener (the relay keeps order on a channel).
  monitor.emit('respond', { type: 'DISPATCH', action: { type: 'JUMP_TO_STATE', index: 0 }, instanceId: `not-${instance_id}` });
  const to_app = [
    { type: 'START', id: monitor.id, instanceId: instance_id },
    { type: 'DISPATCH', action: { type: 'JUMP_TO_STATE', index: 1 }, id: monitor.id, instanceId: instance_id },
    { type: 'ACTION', action: '{ type: "ADD", by: 5 }', id: monitor.id, instanceId: instance_id },
    { type: 'IMPORT', state: '{"actionsById":{},"computedStates":[]}', id: monitor.id, instanceId: instance_id },
    { type: 'SYNC', state: '{"actionsById":{},"computedStates":[]}', id: monitor.id, instanceId: instance_id },
    { type: 'STOP', id: monitor.id, instanceId: instance_id },
  ];
  for (const message of to_app) monitor.emit('respond', message);
  for (const sent of to_app) {
    // remotedev sets payload to action when a message has none.
    const expected = Object.assign({}, sent, sent.payload === undefined && sent.action !== undefined ? { payload: sent.action } : {});
    const got = await rec.expect(`app: ${sent.type} from the monitor received`,
      (e) => e.who === 'app' && e.what === 'message' && e.data.type === sent.type);
    if (got) rec.check(`app: ${sent.type} arrives unchanged`, same(got.data, expected), `got ${JSON.stringify(got.data)}`);
  }
  rec.check('app: a message for another instanceId was relayed but not delivered by remotedev',
    !rec.events.some((e) => e.who === 'app' && e.what === 'message' && e.data.instanceId !== instance_id),
    'remotedev delivered a message for another instance');
  const app_messages = rec.events.filter((e) => e.who === 'app' && e.what === 'message');
  rec.check('app: the six messages arrive once each, in order',
    same(app_messages.map((e) => e.data.type), to_app.map((m) => m.type)),
    `got ${app_messages.map((e) => e.data.type).join(',')}`);

  // The app goes away: monitors hear of it on "log".
  app_socket.disconnect();
  const gone = await rec.expect('monitor: DISCONNECTED on "log" when the app disconnects',
    (e) => e.what === 'log' && e.data && e.data.type === 'DISCONNECTED');
  if (gone) {
    rec.check('log: DISCONNECTED is exactly {id: app socket id, type}', same(gone.data, { id: app_id, type: 'DISCONNECTED' }),
      `got ${JSON.stringify(gone.data)}`);
  }
  monitor.disconnect();
}

async function main() {
  let args;
  try { args = parse_args(process.argv.slice(2), usage); } catch (err) { console.error(err.message); process.exit(2); }
  const rec = new Record(args);
  console.log(`remotedev@0.2.9 (v1) against ws://${args.host}:${args.port}/socketcluster/`);
  let error;
  try { await run(args, rec); } catch (err) { error = err; }
  process.exit(rec.finish(`remotedev@0.2.9 via ${args.host}:${args.port}`, error));
}

main();
