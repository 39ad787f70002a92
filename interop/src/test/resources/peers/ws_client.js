// Node ws (Debian node-ws) as the client of our server. Usage: node ws_client.js ws://H:P
'use strict';
const crypto = require('crypto');
const WebSocket = require('ws');
const s = require('./common.js');

const BASE = process.argv[2];

function connect(conn, path = '/echo') {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${BASE}${path}?conn=${conn}`, ['x-unknown', s.SUBPROTOCOL], {
      perMessageDeflate: true, maxPayload: 4 << 20, handshakeTimeout: s.TIMEOUT,
    });
    const c = s.wrap(ws);
    ws.once('upgrade', (res) => { c.extensions = res.headers['sec-websocket-extensions'] || ''; });
    ws.once('open', () => resolve(c));
    ws.once('error', reject);
  });
}

async function main() {
  let c = await connect('main');
  s.report('subprotocol', c.ws.protocol);
  s.report('extensions', c.extensions);
  await c.echo(s.TEXT, 'text');
  await c.echo(s.BINARY, 'binary');
  await c.echo(s.BIG, 'big');
  s.FRAGMENTS.forEach((f, i) => c.ws.send(f, { fin: i === s.FRAGMENTS.length - 1 }));
  s.report('fragmented', s.hexOf(await c.recv()));
  c.ws.ping(Buffer.from(s.PING_PAYLOAD));
  const pong = await c.nextPong();
  s.report('pong', pong.toString() === s.PING_PAYLOAD ? 'ok' : `payload ${pong.toString('hex')}`);
  c.ws.send(s.PING_REQUEST);
  s.report('server_ping', (await c.recv()).data.toString());
  s.report('close', await c.close(1000, 'done'));

  c = await connect('c4001');
  await c.echo('bye?', 'c4001_echo');
  s.report('close4001', await c.close(4001, s.CLIENT_REASON));

  for (const code of [1000, 4002]) {
    c = await connect(`s${code}`, `/close/${code}`);
    c.ws.send('close');
    s.report(`server${code}`, await c.closed);
  }

  // maxSize is after decompression: exactly MAX_SIZE random bytes (larger once compressed) come back whole, one
  // byte more is refused with 1009
  c = await connect('maxsize');
  const exact = crypto.randomBytes(s.MAX_SIZE);
  s.report('maxsize_sent', s.digest({ data: exact }));
  c.ws.send(exact);
  s.report('maxsize_echo', s.digest(await c.recv()));
  c.ws.send(crypto.randomBytes(s.MAX_SIZE + 1));
  s.report('maxsize_plus_one', await c.closed);
  s.report('done', '1');
}

s.run(main);
