// The real v2 client library, @redux-devtools/remote@1.0.0, enhancing a redux store as an app
// against a RemoteDev server at ws://HOST:PORT/socketcluster/ (SocketCluster protocol v2),
// watched by a monitor: the raw socketcluster-client@20 that the library bundles, logged in as
// a monitor.
//   node tests/real/clients_v2.mjs --port PORT [--host 127.0.0.1] [--timeout-ms 30000] [--verbose]
// Checks (docs/protocols/remotedev.md): login answers "log" to a monitor; the app's START,
// STATE, ACTION and STOP arrive on "log" unchanged; the app library acts on START, ACTION,
// DISPATCH, IMPORT, SYNC and STOP sent by the monitor on "respond" (its store changes, or it
// answers on "log"); an app that disconnects makes {id, type: "DISCONNECTED"} arrive on "log".
// Exit 0 when every check passed, 1 otherwise; the last lines are a JSON summary and PASS/FAIL.
import fs from 'fs';
import { createRequire } from 'module';
import path from 'path';
import checks from './lib/checks.cjs';

const { parse_args, Record, same } = checks;
const require = createRequire(import.meta.url);
const usage = 'usage: node clients_v2.mjs --port PORT [--host HOST] [--timeout-ms MS] [--verbose]';

// socketcluster-client is CommonJS: the library's `import socketClusterClient` is this very
// exports object, so wrapping create() lets the script see the socket the library makes (its
// id, its subscriptions, and a way to disconnect it at the end).
const remote_entry = require.resolve('@redux-devtools/remote');
const remote_version = JSON.parse(fs.readFileSync(path.join(path.dirname(remote_entry), '..', 'package.json'), 'utf8')).version;
const scc = createRequire(remote_entry)('socketcluster-client');
const created = [];
const original_create = scc.create;
scc.create = (options) => { const s = original_create(options); created.push(s); return s; };
const { devToolsEnhancer } = await import('@redux-devtools/remote');
const { legacy_createStore: createStore } = await import('redux');

function consume(iterable, fn) {
  (async () => { for await (const value of iterable) fn(value); })();
}

function parse_json(text) {
  try { return JSON.parse(text); } catch (err) { return undefined; }
}

function lifted_state(counter) {
  return {
    actionsById: { 0: { type: 'PERFORM_ACTION', action: { type: '@@INIT' }, timestamp: 1 } },
    nextActionId: 1, stagedActionIds: [0], skippedActionIds: [], committedState: { counter },
    currentStateIndex: 0, computedStates: [{ state: { counter } }],
  };
}

async function run(args, rec) {
  rec.check('@redux-devtools/remote@1.0.0 bundles socketcluster-client 20 (protocol v2)',
    remote_version === '1.0.0' && /^20\./.test(scc.version), `found ${remote_version} with ${scc.version}`);

  const monitor = scc.create({ hostname: args.host, port: args.port, autoReconnect: false,
    connectTimeout: 10000, ackTimeout: 10000 });
  consume(monitor.listener('error'), ({ error }) => rec.add('monitor', 'error', error && error.message));
  consume(monitor.listener('connect'), (status) => rec.add('monitor', 'connect',
    { id: status.id, pingTimeout: status.pingTimeout, isAuthenticated: status.isAuthenticated }));
  const connected = await rec.expect('monitor: handshake answered (id, pingTimeout)',
    (e) => e.who === 'monitor' && e.what === 'connect');
  if (!connected) return;
  rec.check('monitor: handshake status carries an id and a pingTimeout',
    typeof connected.data.id === 'string' && connected.data.id.length > 0 && Number.isInteger(connected.data.pingTimeout),
    `status ${JSON.stringify(connected.data)}`);

  let channel;
  try { channel = await monitor.invoke('login', 'monitor'); } catch (err) { channel = `error: ${err.message}`; }
  rec.check('monitor: login "monitor" answers channel "log"', channel === 'log', `answer ${JSON.stringify(channel)}`);
  const log = monitor.subscribe('log');
  consume(log, (data) => rec.add('monitor', 'log', data));
  consume(log.listener('subscribeFail'), ({ error }) => rec.add('monitor', 'subscribe failed', error && error.message));
  consume(log.listener('subscribe'), () => rec.add('monitor', 'subscribed', 'log'));
  if (!await rec.expect('monitor: subscribed to "log"', (e) => e.what === 'subscribed')) return;

  // The app: a redux store with the library's enhancer; it connects at once (realtime).
  const reducer = (state = { counter: 0 }, action) => {
    if (action.type === 'INCREMENT') return { counter: state.counter + 1 };
    if (action.type === 'ADD') return { counter: state.counter + action.by };
    return state;
  };
  const store = createStore(reducer, devToolsEnhancer({ realtime: true, hostname: args.host, port: args.port,
    name: 'drover-v2-app', suppressConnectErrors: false }));
  const app_socket = created.find((s) => s !== monitor);
  if (!rec.check('app: the enhancer created its socket', app_socket, 'socketcluster-client.create was not called')) return;
  consume(app_socket.listener('subscribe'), ({ channel: c }) => rec.add('app', 'subscribed', c));
  consume(app_socket.listener('connect'), (status) => rec.add('app', 'connect', { id: status.id }));
  store.subscribe(() => rec.add('app', 'state', store.getState()));

  const app_connect = await rec.expect('app: handshake answered', (e) => e.who === 'app' && e.what === 'connect');
  if (!app_connect) return;
  const app_id = app_socket.id;
  // On connect the library logs in as "master" and relays START (its socket id is set: "log").
  const start = await rec.expect('monitor: the app\'s START relayed on "log"',
    (e) => e.what === 'log' && e.data && e.data.type === 'START');
  if (!start) return;
  const instance_id = start.data.instanceId;
  rec.check('log: START arrives unchanged ({type, id, name, instanceId})',
    same(start.data, { type: 'START', id: app_id, name: 'drover-v2-app', instanceId: instance_id })
      && typeof instance_id === 'string' && instance_id.length > 0,
    `got ${JSON.stringify(start.data)}, app socket id ${app_id}`);
  if (!await rec.expect('app: login "master" answered "respond" and the app subscribed to it',
    (e) => e.who === 'app' && e.what === 'subscribed' && e.data === 'respond')) return;

  const is_log = (type, extra = () => true) => (e) => e.what === 'log' && e.data && e.data.type === type && extra(e.data);
  const count = (type) => rec.events.filter(is_log(type)).length;

  // START from the monitor: the app answers with its lifted state.
  void monitor.transmit('respond', { type: 'START', id: monitor.id });
  const state = await rec.expect('app -> monitor: START from the monitor answered with STATE on "log"', is_log('STATE'));
  if (state) {
    const lifted = parse_json(state.data.payload);
    rec.check('log: STATE arrives unchanged (id, name, instanceId, payload = the lifted state)',
      same(Object.keys(state.data).sort(), ['id', 'instanceId', 'name', 'payload', 'type'])
        && state.data.id === app_id && state.data.instanceId === instance_id
        && lifted && same(lifted.computedStates, [{ state: { counter: 0 } }]),
      `got ${JSON.stringify(state.data)}`);
  }

  // The app's own action, relayed because a monitor started it.
  store.dispatch({ type: 'INCREMENT' });
  const action = await rec.expect('monitor: the app\'s ACTION relayed on "log"', is_log('ACTION'));
  if (action) {
    const lifted_action = parse_json(action.data.action);
    rec.check('log: ACTION arrives unchanged (payload, action, nextActionId, id, instanceId)',
      action.data.payload === '{"counter":1}' && action.data.id === app_id && action.data.instanceId === instance_id
        && action.data.nextActionId === 2 && lifted_action && same(lifted_action.action, { type: 'INCREMENT' }),
      `got ${JSON.stringify(action.data)}`);
  }

  // ACTION from the monitor: the library evaluates it and dispatches it on the app's store.
  void monitor.transmit('respond', { type: 'ACTION', action: '{ type: "ADD", by: 5 }', id: monitor.id });
  await rec.expect('app: ACTION from the monitor dispatched (counter 1 + 5)',
    (e) => e.who === 'app' && e.what === 'state' && same(e.data, { counter: 6 }));
  await rec.expect('monitor: the dispatched ACTION relayed back on "log"',
    is_log('ACTION', (d) => d.payload === '{"counter":6}' && d.nextActionId === 3));

  // DISPATCH from the monitor: a DevTools action on the lifted store (time travel).
  void monitor.transmit('respond', { type: 'DISPATCH', action: { type: 'JUMP_TO_STATE', index: 0 }, id: monitor.id });
  await rec.expect('app: DISPATCH JUMP_TO_STATE from the monitor applied (counter back to 0)',
    (e) => e.who === 'app' && e.what === 'state' && same(e.data, { counter: 0 }));

  // IMPORT and SYNC from the monitor replace the lifted state; the library relays the new state.
  void monitor.transmit('respond', { type: 'IMPORT', state: JSON.stringify(lifted_state(42)), id: monitor.id });
  await rec.expect('app: IMPORT from the monitor applied (counter 42)',
    (e) => e.who === 'app' && e.what === 'state' && same(e.data, { counter: 42 }));
  await rec.expect('monitor: the imported state relayed on "log"',
    is_log('STATE', (d) => { const l = parse_json(d.payload); return l && same(l.computedStates, [{ state: { counter: 42 } }]); }));
  void monitor.transmit('respond', { type: 'SYNC', state: JSON.stringify(lifted_state(7)), id: monitor.id });
  await rec.expect('app: SYNC from another socket applied (counter 7)',
    (e) => e.who === 'app' && e.what === 'state' && same(e.data, { counter: 7 }));

  // STOP from the monitor: the library answers STOP and stops relaying.
  const stops_before = count('STOP');
  void monitor.transmit('respond', { type: 'STOP', id: monitor.id });
  const stop = await rec.expect('app -> monitor: STOP from the monitor answered with STOP on "log"',
    (e) => is_log('STOP')(e) && rec.events.filter(is_log('STOP')).indexOf(e) >= stops_before);
  if (stop) {
    rec.check('log: STOP arrives unchanged', same(stop.data, { type: 'STOP', id: app_id, name: 'drover-v2-app', instanceId: instance_id }),
      `got ${JSON.stringify(stop.data)}`);
  }

  app_socket.disconnect();
  const gone = await rec.expect('monitor: DISCONNECTED on "log" when the app disconnects', is_log('DISCONNECTED'));
  if (gone) {
    rec.check('log: DISCONNECTED is exactly {id: app socket id, type}', same(gone.data, { id: app_id, type: 'DISCONNECTED' }),
      `got ${JSON.stringify(gone.data)}`);
  }
  rec.check('monitor: no error on the monitor socket', !rec.events.some((e) => e.who === 'monitor' && e.what === 'error'),
    rec.describe_seen());
  monitor.disconnect();
}

let args;
try { args = parse_args(process.argv.slice(2), usage); } catch (err) { console.error(err.message); process.exit(2); }
const rec = new Record(args);
console.log(`@redux-devtools/remote@1.0.0 (v2) against ws://${args.host}:${args.port}/socketcluster/`);
let error;
try { await run(args, rec); } catch (err) { error = err; }
process.exit(rec.finish(`@redux-devtools/remote@1.0.0 via ${args.host}:${args.port}`, error));
