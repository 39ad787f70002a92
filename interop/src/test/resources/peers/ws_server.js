// Node ws (Debian node-ws) as the server for our client. Prints listening=PORT, then open_CONN=subprotocol|extensions
// and closed_CONN=code:reason for each connection (CONN: its conn= query).
'use strict';
const { WebSocketServer } = require('ws');
const s = require('./common.js');

const server = new WebSocketServer({
  host: '127.0.0.1', port: 0, perMessageDeflate: true, maxPayload: 4 << 20,
  handleProtocols: (protocols) => (protocols.has(s.SUBPROTOCOL) ? s.SUBPROTOCOL : false),
});
server.on('headers', (headers, req) => {
  req.extensionsHeader = headers.filter((h) => /^sec-websocket-extensions:/i.test(h))
    .map((h) => h.replace(/^[^:]*:\s*/, '')).join(', ');
});
server.on('listening', () => s.report('listening', server.address().port));
server.on('connection', (ws, req) => {
  const conn = req.url.split('conn=').pop();
  s.report(`open_${conn}`, `${ws.protocol}|${req.extensionsHeader}`);
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? null : data.toString();
    if (text === s.PING_REQUEST) {
      ws.once('pong', () => ws.send(s.PING_ANSWER));
      ws.ping(Buffer.from('server-ping'));
    } else if (text === 'fragments') {
      s.FRAGMENTS.forEach((f, i) => ws.send(f, { fin: i === s.FRAGMENTS.length - 1 }));
    } else if (text !== null && text.startsWith('close ')) {
      ws.close(Number(text.split(' ')[1]), s.SERVER_REASON);
    } else {
      ws.send(data, { binary: isBinary });
    }
  });
  ws.on('close', (code, reason) => s.report(`closed_${conn}`, `${code}:${reason.toString()}`));
});
