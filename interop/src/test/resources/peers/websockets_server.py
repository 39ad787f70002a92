"""Python websockets (Debian python3-websockets 10.x) as the server for our client. Prints listening=PORT, then
open_CONN=subprotocol|extensions and closed_CONN=code:reason for each connection (CONN: its conn= query).

Usage: websockets_server.py [--no-compression] [--tls CERT KEY]. Besides the echo, plain HTTP answers:
/redirect is a 302 to /echo, /forbidden a 403 with X-Reason: test and a body, /unavailable a 503 with a body."""
import asyncio
import http
import ssl
import sys

import websockets
from common import *

TIMEOUT = 20


async def handler(ws, path=None):
    conn = ws.path.split("conn=")[-1]
    report(f"open_{conn}", f"{ws.subprotocol}|{ws.response_headers.get('Sec-WebSocket-Extensions', '')}")
    try:
        async for message in ws:
            if message == PING_REQUEST:
                await asyncio.wait_for(await ws.ping(b"server-ping"), TIMEOUT)
                await ws.send("pong-received")
            elif message == "fragments":
                await ws.send(FRAGMENTS)  # an iterable is sent as one fragmented message
            elif isinstance(message, str) and message.startswith("close "):
                await ws.close(int(message.split()[1]), "server bye")
            else:
                await ws.send(message)
    except websockets.ConnectionClosed:
        pass
    await ws.wait_closed()
    report(f"closed_{conn}", f"{ws.close_code}:{ws.close_reason}")


async def process_request(path, headers):
    if path == "/redirect":
        return http.HTTPStatus.FOUND, [("Location", "/echo")], b""
    if path == "/forbidden":
        return http.HTTPStatus.FORBIDDEN, [("X-Reason", "test")], b"forbidden by test\n"
    if path == "/unavailable":
        return http.HTTPStatus.SERVICE_UNAVAILABLE, [], b"try later\n"
    return None


async def main():
    args = sys.argv[1:]
    context = None
    if "--tls" in args:
        cert, key = args[args.index("--tls") + 1:args.index("--tls") + 3]
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
    compression = None if "--no-compression" in args else "deflate"
    async with websockets.serve(handler, "127.0.0.1", 0, subprotocols=[SUBPROTOCOL], max_size=4 << 20,
                                ping_interval=None, ssl=context, compression=compression,
                                process_request=process_request) as server:
        report("listening", server.sockets[0].getsockname()[1])
        await asyncio.Future()


asyncio.run(main())
