"""Shared by the Python peers: the scenario's messages (the same as Scenario.java) and the report format."""
import hashlib
import os
import sys

SUBPROTOCOL = "echo.v1"
TEXT = "h\u00e9llo, wsflux \u2713 \U0001F680"
BINARY = bytes([0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF])
FRAGMENTS = ["frag-", "ment-", "ed \u2713"]
BIG = bytes(i % 251 for i in range(1 << 20))
PING_PAYLOAD = b"ping-1"
PING_REQUEST = "ping-me"
CLIENT_REASON = "client bye"
MAX_SIZE = 1 << 20  # the default maxSize of our client and server, after decompression (Scenario.MAX_SIZE)


def incompressible(length):
    """Random bytes, which DEFLATE stores in more bytes than they are."""
    return os.urandom(length)


def report(key, value):
    """One key=value line on stdout, flushed at once so the test sees it even if we hang later."""
    print(f"{key}={value}", flush=True)


def hexof(message):
    return (message.encode("utf-8") if isinstance(message, str) else bytes(message)).hex()


def kind(message):
    return "text" if isinstance(message, str) else "binary"


def digest(message):
    data = bytes(message)
    return f"{len(data)}:{hashlib.sha256(data).hexdigest()}"


def log(*args):
    print(*args, file=sys.stderr, flush=True)
