"""libsoup 3 (Debian gir1.2-soup-3.0 + python3-gi) as the client of our server. Usage: libsoup_client.py ws://H:P
libsoup cannot send fragmented messages nor a Ping on demand: its keepalive Ping stands for the client's Ping."""
import sys
import time

import gi

gi.require_version("Soup", "3.0")
from gi.repository import GLib, Soup  # noqa: E402

from common import *  # noqa: E402

BASE = sys.argv[1]
TIMEOUT = 20
context = GLib.MainContext.default()
GLib.timeout_add(50, lambda: True)  # wakes the loop so that deadlines are checked


def wait(predicate, what):
    deadline = time.monotonic() + TIMEOUT
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(what)
        context.iteration(True)


class Connection:
    def __init__(self, conn, path="/echo"):
        self.session = Soup.Session()
        # libsoup 3 offers permessage-deflate only with the extension manager feature added.
        self.session.add_feature_by_type(Soup.WebsocketExtensionManager)
        self.msg = Soup.Message.new("GET", f"{BASE}{path}?conn={conn}")
        self.result = {}
        self.messages = []
        self.pongs = 0
        self.closed = False
        self.session.websocket_connect_async(
            self.msg, None, ["x-unknown", SUBPROTOCOL], GLib.PRIORITY_DEFAULT, None, self._connected)
        wait(lambda: self.result, "connect " + conn)
        if "error" in self.result:
            raise self.result["error"]
        self.ws = self.result["ws"]
        self.ws.set_max_incoming_payload_size(0)  # default 128 KiB; 0 = no limit
        self.ws.connect("message", lambda ws, kind, data: self.messages.append((kind, data.get_data())))
        self.ws.connect("pong", lambda ws, data: setattr(self, "pongs", self.pongs + 1))
        self.ws.connect("closed", lambda ws: setattr(self, "closed", True))

    def _connected(self, session, result):
        try:
            self.result["ws"] = session.websocket_connect_finish(result)
        except GLib.Error as e:
            self.result["error"] = e

    def recv(self):
        wait(lambda: self.messages or self.closed, "message")
        kind, data = self.messages.pop(0)
        return data.decode("utf-8") if kind == Soup.WebsocketDataType.TEXT else data

    def echo(self, message, name):
        if isinstance(message, str):
            self.ws.send_text(message)
        else:
            self.ws.send_message(Soup.WebsocketDataType.BINARY, GLib.Bytes.new(message))
        reply = self.recv()
        report(name, digest(reply) if name == "big" else hexof(reply))
        report(name + "_type", kind(reply))

    def close(self, code, reason):
        self.ws.close(code, reason)
        return self.wait_closed()

    def wait_closed(self):
        wait(lambda: self.closed, "closed")
        return f"{self.ws.get_close_code()}:{self.ws.get_close_data() or ''}"


c = Connection("main")
report("subprotocol", c.ws.get_protocol())
report("extensions", c.msg.get_response_headers().get_one("Sec-WebSocket-Extensions") or "")
c.echo(TEXT, "text")
c.echo(BINARY, "binary")
c.echo(BIG, "big")
c.ws.set_keepalive_interval(1)
wait(lambda: c.pongs > 0, "pong")
c.ws.set_keepalive_interval(0)
report("pong", "ok")
c.ws.send_text(PING_REQUEST)
report("server_ping", c.recv())
report("close", c.close(1000, "done"))

c = Connection("c4001")
c.echo("bye?", "c4001_echo")
report("close4001", c.close(4001, CLIENT_REASON))

for code in (1000, 4002):
    c = Connection(f"s{code}", f"/close/{code}")
    c.ws.send_text("close")
    report(f"server{code}", c.wait_closed())

# maxSize is after decompression: exactly MAX_SIZE random bytes (larger once compressed) come back whole, one
# byte more is refused with 1009
c = Connection("maxsize")
exact = incompressible(MAX_SIZE)
report("maxsize_sent", digest(exact))
c.ws.send_message(Soup.WebsocketDataType.BINARY, GLib.Bytes.new(exact))
report("maxsize_echo", digest(c.recv()))
c.ws.send_message(Soup.WebsocketDataType.BINARY, GLib.Bytes.new(incompressible(MAX_SIZE + 1)))
report("maxsize_plus_one", c.wait_closed())
report("done", "1")
