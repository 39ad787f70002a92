"""Python websockets (Debian python3-websockets 10.x) as the server for our client. Prints listening=PORT, then
open_CONN=subprotocol|extensions and closed_CONN=code:reason for each connection (CONN: its conn= query)."""
import asyncio

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


async def main():
    async with websockets.serve(handler, "127.0.0.1", 0, subprotocols=[SUBPROTOCOL], max_size=4 << 20,
                                ping_interval=None) as server:
        report("listening", server.sockets[0].getsockname()[1])
        await asyncio.Future()


asyncio.run(main())
