#!/usr/bin/env python3
"""Generates the permessage-deflate fixtures of PerMessageDeflateDecoderTest with real zlib.

Run from this directory: python3 generate.py
messages.txt holds one message per line (UTF-8, no line breaks inside a message).
zlib-w<N>.hex holds, per message, the hex payload that a zlib raw deflate stream with a window of
N bits (wbits=-N, level 6, memLevel 8) produces for it with context takeover: each message is
compressed into the same stream, flushed with Z_SYNC_FLUSH, and its 00 00 ff ff tail removed
(RFC 7692 section 7.2.1). zlib-w15-no-context.hex uses a fresh stream per message.
zlib-w12-level1-memlevel5.hex uses level 1 and memLevel 5, like Python websockets' compressor.
Every file is checked by decompressing it again with a window of the same size.
"""
import random
import zlib

WORDS = ("alpha bravo charlie delta echo foxtrot golf hotel india juliett kilo lima mike "
         "november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu").split()


def corpus():
    rng = random.Random(7692)
    messages = []
    for i in range(40):
        user = rng.randrange(200)
        messages.append('{"id":%d,"user":"user%d","action":"%s","ts":%d}'
                        % (i, user, rng.choice(("click", "view", "scroll", "buy")),
                           1700000000000 + rng.randrange(10**6)))
    for size in (700, 3000, 9000):
        messages.append(" ".join(rng.choice(WORDS) for _ in range(size // 6))[:size])
    block = " ".join(rng.choice(WORDS) for _ in range(3000))[:18000]
    messages.append(block + "|" + block)  # a back-reference 18001 bytes long and far away
    messages.append("")
    for i in range(10):
        messages.append('{"id":%d,"user":"user%d","note":"%s"}'
                        % (40 + i, rng.randrange(200), " ".join(rng.choice(WORDS) for _ in range(8))))
    return messages


def compress(messages, wbits, level=6, mem_level=8, context=True):
    payloads = []
    compressor = zlib.compressobj(level, zlib.DEFLATED, -wbits, mem_level)
    for message in messages:
        if not context:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -wbits, mem_level)
        data = compressor.compress(message.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
        assert data.endswith(b"\x00\x00\xff\xff")
        payloads.append(data[:-4])
    decompressor = zlib.decompressobj(-wbits)
    for message, payload in zip(messages, payloads):
        if not context:
            decompressor = zlib.decompressobj(-wbits)
        assert decompressor.decompress(payload + b"\x00\x00\xff\xff") == message.encode()
    return payloads


def write(name, payloads):
    with open(name, "w") as out:
        for payload in payloads:
            out.write(payload.hex() + "\n")


def main():
    messages = corpus()
    with open("messages.txt", "w", encoding="utf-8") as out:
        for message in messages:
            out.write(message + "\n")
    for wbits in range(9, 16):
        write("zlib-w%d.hex" % wbits, compress(messages, wbits))
    write("zlib-w15-no-context.hex", compress(messages, 15, context=False))
    write("zlib-w12-level1-memlevel5.hex", compress(messages, 12, level=1, mem_level=5))


if __name__ == "__main__":
    main()
