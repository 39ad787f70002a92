"""Python websockets (Debian python3-websockets 10.x) as the client of our server.
Usage: websockets_client.py ws://H:P [--no-compression]"""
import asyncio
import sys

import websockets
from common import *

BASE = sys.argv[1]
COMPRESSION = None if "--no-compression" in sys.argv[2:] else "deflate"
TIMEOUT = 20


async def connect(conn, path="/echo"):
    return await websockets.connect(
        f"{BASE}{path}?conn={conn}", subprotocols=["x-unknown", SUBPROTOCOL], max_size=4 << 20,
        open_timeout=TIMEOUT, close_timeout=TIMEOUT, ping_interval=None, compression=COMPRESSION)


async def echo(ws, message, name):
    await ws.send(message)
    reply = await asyncio.wait_for(ws.recv(), TIMEOUT)
    report(name, digest(reply) if name == "big" else hexof(reply))
    report(name + "_type", kind(reply))


async def main():
    ws = await connect("main")
    report("subprotocol", ws.subprotocol)
    report("extensions", ws.response_headers.get("Sec-WebSocket-Extensions", ""))
    await echo(ws, TEXT, "text")
    await echo(ws, BINARY, "binary")
    await echo(ws, BIG, "big")
    await echo(ws, FRAGMENTS, "fragmented")  # an iterable is sent as one fragmented message
    waiter = await ws.ping(PING_PAYLOAD)
    await asyncio.wait_for(waiter, TIMEOUT)
    report("pong", "ok")
    await ws.send(PING_REQUEST)
    report("server_ping", await asyncio.wait_for(ws.recv(), TIMEOUT))
    await ws.close(1000, "done")
    report("close", f"{ws.close_code}:{ws.close_reason}")

    ws = await connect("c4001")
    await echo(ws, "bye?", "c4001_echo")
    await ws.close(4001, CLIENT_REASON)
    report("close4001", f"{ws.close_code}:{ws.close_reason}")

    for code in (1000, 4002):
        ws = await connect(f"s{code}", f"/close/{code}")
        await ws.send("close")
        await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
        report(f"server{code}", f"{ws.close_code}:{ws.close_reason}")

    # maxSize is after decompression: exactly MAX_SIZE random bytes (larger once compressed) come back whole,
    # one byte more is refused with 1009
    ws = await connect("maxsize")
    exact = incompressible(MAX_SIZE)
    report("maxsize_sent", digest(exact))
    await ws.send(exact)
    report("maxsize_echo", digest(await asyncio.wait_for(ws.recv(), TIMEOUT)))
    await ws.send(incompressible(MAX_SIZE + 1))
    await asyncio.wait_for(ws.wait_closed(), TIMEOUT)
    report("maxsize_plus_one", f"{ws.close_code}:{ws.close_reason}")
    report("done", "1")


asyncio.run(main())
