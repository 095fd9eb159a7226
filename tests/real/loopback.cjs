// Preload (node --require, or NODE_OPTIONS=--require=...) that confines every TCP listener of
// the process to 127.0.0.1, whatever host the program asks for (none, "::", "0.0.0.0",
// "localhost", an interface address). @redux-devtools/cli calls httpServer.listen(port) with no
// host, i.e. every interface; remotedev-server's SocketCluster workers listen on the host given
// by --hostname, or every interface. Unix-socket listens (SocketCluster's broker) and inherited
// handles are left alone. Set through NODE_OPTIONS, the preload also runs in every child
// process Node forks (SocketCluster's worker cluster, workers and broker).
'use strict';
const net = require('net');

const LOOPBACK = '127.0.0.1';
const original = net.Server.prototype.listen;

function is_port(value) {
  return typeof value === 'number' || (typeof value === 'string' && /^[0-9]+$/.test(value));
}

net.Server.prototype.listen = function listen_on_loopback(...args) {
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    // listen(options[, cb]) or listen(handle[, backlog][, cb])
    const is_handle = first._handle !== undefined || first.fd !== undefined;
    if (!is_handle && first.path === undefined) {
      args[0] = Object.assign({}, first, { host: LOOPBACK, ipv6Only: false });
    }
  } else if (is_port(first) || first === undefined || first === null || typeof first === 'function') {
    // listen([port][, host][, backlog][, cb]): port may be missing (random port).
    const rest = typeof first === 'function' || first === undefined || first === null ? args : args.slice(1);
    const callback = rest.find((a) => typeof a === 'function');
    const numbers = rest.filter((a) => typeof a === 'number');
    const port = is_port(first) ? Number(first) : 0;
    const options = { port, host: LOOPBACK };
    // listen(port, backlog) and listen(port, host, backlog) both exist; a numeric second
    // argument is the backlog.
    if (numbers.length > 0) options.backlog = numbers[numbers.length - 1];
    args = callback ? [options, callback] : [options];
  }
  // Anything else is a Unix socket path or a pipe name: not a network listener.
  return original.apply(this, args);
};
