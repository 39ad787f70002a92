"""websocket-client (Debian python3-websocket) as the client of our server. Usage: websocket_client.py ws://H:P
It has no permessage-deflate: it offers no extension, so the server must not compress."""
import struct
import sys

import websocket
from websocket import ABNF
from common import *

BASE = sys.argv[1]
TIMEOUT = 20


def connect(conn, path="/echo"):
    return websocket.create_connection(
        f"{BASE}{path}?conn={conn}", timeout=TIMEOUT, subprotocols=["x-unknown", SUBPROTOCOL])


def echo(ws, message, name):
    if isinstance(message, str):
        ws.send(message)
    else:
        ws.send_binary(message)
    reply = ws.recv()
    report(name, digest(reply) if name == "big" else hexof(reply))
    report(name + "_type", kind(reply))


def close_frame(ws):
    """Reads frames up to the peer's Close; returns "code:reason"."""
    while True:
        opcode, frame = ws.recv_data_frame(True)
        if opcode == ABNF.OPCODE_CLOSE:
            code = struct.unpack("!H", frame.data[:2])[0] if len(frame.data) >= 2 else 1005
            return f"{code}:{frame.data[2:].decode('utf-8')}"


ws = connect("main")
report("subprotocol", ws.getsubprotocol())
report("extensions", ws.getheaders().get("sec-websocket-extensions", ""))
echo(ws, TEXT, "text")
echo(ws, BINARY, "binary")
echo(ws, BIG, "big")
for i, fragment in enumerate(FRAGMENTS):
    opcode = ABNF.OPCODE_TEXT if i == 0 else ABNF.OPCODE_CONT
    ws.send_frame(ABNF.create_frame(fragment.encode("utf-8"), opcode, 1 if i == len(FRAGMENTS) - 1 else 0))
reply = ws.recv()
report("fragmented", hexof(reply))
ws.ping(PING_PAYLOAD)
opcode, frame = ws.recv_data_frame(True)
report("pong", "ok" if opcode == ABNF.OPCODE_PONG and frame.data == PING_PAYLOAD else f"{opcode}:{frame.data!r}")
ws.send(PING_REQUEST)
report("server_ping", ws.recv())  # recv() answers the server's Ping on the way
ws.send_close(1000, b"done")
report("close", close_frame(ws))
ws.shutdown()

ws = connect("c4001")
echo(ws, "bye?", "c4001_echo")
ws.send_close(4001, CLIENT_REASON.encode())
report("close4001", close_frame(ws))
ws.shutdown()

for code in (1000, 4002):
    ws = connect(f"s{code}", f"/close/{code}")
    ws.send("close")
    report(f"server{code}", close_frame(ws))  # websocket-client answers with its own Close 1000
    ws.shutdown()

# maxSize: exactly MAX_SIZE random bytes come back whole, one byte more is refused with 1009 (uncompressed here)
ws = connect("maxsize")
exact = incompressible(MAX_SIZE)
report("maxsize_sent", digest(exact))
ws.send_binary(exact)
report("maxsize_echo", digest(ws.recv()))
ws.send_binary(incompressible(MAX_SIZE + 1))
report("maxsize_plus_one", close_frame(ws))
ws.shutdown()
report("done", "1")
