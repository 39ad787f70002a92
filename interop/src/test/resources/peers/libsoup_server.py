"""libsoup 3 (gir1.2-soup-3.0 + python3-gi) as the server for our client. Prints listening=PORT, then
open_CONN=subprotocol|extensions and closed_CONN=code:reason for each connection (CONN: its conn= query).
libsoup cannot send fragments nor a Ping on demand: its keepalive Ping answers ping-me."""
import gi

gi.require_version("Soup", "3.0")
from gi.repository import GLib, Soup  # noqa: E402

from common import *  # noqa: E402

connections = []  # keeps the Python wrappers (and their signal handlers) alive


def on_websocket(server, msg, path, ws):
    conn = (msg.get_uri().get_query() or "").split("conn=")[-1]
    connections.append(ws)
    ws.set_max_incoming_payload_size(0)  # default 128 KiB; 0 = no limit
    extensions = msg.get_response_headers().get_one("Sec-WebSocket-Extensions") or ""
    report(f"open_{conn}", f"{ws.get_protocol()}|{extensions}")

    def on_pong(ws, data):
        ws.set_keepalive_interval(0)
        ws.send_text("pong-received")

    def on_message(ws, kind, data):
        payload = data.get_data()
        text = payload.decode("utf-8") if kind == Soup.WebsocketDataType.TEXT else None
        if text == PING_REQUEST:
            ws.set_keepalive_interval(1)
        elif text is not None and text.startswith("close "):
            ws.close(int(text.split()[1]), "server bye")
        else:
            ws.send_message(kind, data)

    ws.connect("message", on_message)
    ws.connect("pong", on_pong)
    ws.connect("closed", lambda ws: report(f"closed_{conn}", f"{ws.get_close_code()}:{ws.get_close_data() or ''}"))


server = Soup.Server()
server.add_websocket_handler(None, None, [SUBPROTOCOL], on_websocket)
server.listen_local(0, Soup.ServerListenOptions.IPV4_ONLY)
report("listening", server.get_uris()[0].get_port())
GLib.MainLoop().run()
