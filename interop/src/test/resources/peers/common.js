// Shared by the Node peers: the scenario's messages (the same as Scenario.java), a message queue over a ws
// WebSocket, and the key=value report format.
'use strict';
const crypto = require('crypto');

const BIG = Buffer.alloc(1 << 20);
for (let i = 0; i < BIG.length; i++) BIG[i] = i % 251;

const TIMEOUT = 20000;

function report(key, value) { process.stdout.write(`${key}=${value}\n`); }

function hexOf(m) { return Buffer.from(m.data).toString('hex'); }

function digest(m) {
  return `${m.data.length}:${crypto.createHash('sha256').update(m.data).digest('hex')}`;
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), TIMEOUT);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Queues messages and pongs of a ws WebSocket; closed resolves with "code:reason" of the peer's Close. */
function wrap(ws) {
  const c = { ws, messages: [], waiters: [], pongs: [], pongWaiters: [] };
  ws.on('message', (data, isBinary) => {
    const m = { data: Buffer.from(data), isBinary };
    const w = c.waiters.shift();
    if (w) w(m); else c.messages.push(m);
  });
  ws.on('pong', (data) => {
    const w = c.pongWaiters.shift();
    if (w) w(data); else c.pongs.push(data);
  });
  c.closed = withTimeout(new Promise((resolve) => {
    ws.once('close', (code, reason) => resolve(`${code}:${reason.toString()}`));
  }), 'close');
  c.recv = () => withTimeout(new Promise((resolve) => {
    if (c.messages.length) resolve(c.messages.shift()); else c.waiters.push(resolve);
  }), 'message');
  c.nextPong = () => withTimeout(new Promise((resolve) => {
    if (c.pongs.length) resolve(c.pongs.shift()); else c.pongWaiters.push(resolve);
  }), 'pong');
  c.echo = async (message, name) => {
    c.ws.send(message);
    const reply = await c.recv();
    report(name, name === 'big' ? digest(reply) : hexOf(reply));
    report(`${name}_type`, reply.isBinary ? 'binary' : 'text');
  };
  c.close = (code, reason) => { ws.close(code, reason); return c.closed; };
  return c;
}

function run(main) {
  main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
}

module.exports = {
  SUBPROTOCOL: 'echo.v1',
  TEXT: 'h\u00e9llo, wsflux \u2713 \u{1F680}',
  BINARY: Buffer.from([0x00, 0x01, 0x02, 0x7f, 0x80, 0xfe, 0xff]),
  FRAGMENTS: ['frag-', 'ment-', 'ed \u2713'],
  BIG,
  PING_PAYLOAD: 'ping-1',
  PING_REQUEST: 'ping-me',
  PING_ANSWER: 'pong-received',
  CLIENT_REASON: 'client bye',
  // the default maxSize of our client and server, after decompression (Scenario.MAX_SIZE)
  MAX_SIZE: 1 << 20,
  SERVER_REASON: 'server bye',
  TIMEOUT,
  report, hexOf, digest, wrap, run, withTimeout,
};
