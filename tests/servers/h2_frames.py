#!/usr/bin/python3
"""A hostile HTTP/2 server, frame by frame (Debian's python3-h2), for the engine's never-twice
tests (tests/http_goaway_test.cpp). Each listener is an origin of its own (TLS, ALPN h2, its
own certificate and SETTINGS_MAX_CONCURRENT_STREAMS). What it does with a request is said by
the request's path:

  /answer               processes it and answers 200 with a token
  /answer-with-wording  the same, with a header whose value is libcurl's GOAWAY wording
  /hold                 processes it and answers nothing until the control port says
  /goaway-then-answer   GOAWAY(last_stream = this stream), then processes and answers it
  /refuse-once          the first time a code comes: GOAWAY(last_stream = this stream - 2),
                        not processed, the connection closed; after that, as /answer

"Processes" counts the request's code: the `code` of a POST form, or of the query of a GET.
The control port (plain HTTP/1.1 on 127.0.0.1) answers:

  GET  /count?code=C           how many times C was processed
  GET  /held                   how many requests are held
  POST /release?code=C&how=H   the held request of C: H = reset (RST_STREAM INTERNAL_ERROR)
                               or close (its connection closed, no GOAWAY)

Usage: h2_frames.py CONFIG_JSON, where CONFIG_JSON is
  {"listeners": {"NAME": {"cert": PEM, "key": PEM, "max_streams": N}, ...}}
It prints one line, `ready {"control": PORT, "NAME": PORT, ...}`, once every port listens, and
runs until SIGTERM.
"""
import json
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import h2.config
import h2.connection
import h2.errors
import h2.events
import h2.settings
import hyperframe.frame

WORDING = "recveived GOAWAY, error=0, last_stream=0"

lock = threading.Lock()
processed = {}  # code -> times processed
refused = set()  # codes refused once by /refuse-once
held = {}  # code -> Connection holding its stream


def count(code):
    with lock:
        processed[code] = processed.get(code, 0) + 1


class Connection:
    def __init__(self, sock, max_streams):
        self.sock = sock
        self.h2 = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        self.requests = {}  # stream id -> {"path", "method", "body"}
        self.actions = []  # (kind, stream id) from the control port
        self.closed = False
        # After a GOAWAY that ends the connection: read and drop until the client closes (or
        # 5 s), as a server does. Closed with the client's frames unread, the socket would
        # send RST, and the client could lose the GOAWAY before reading it.
        self.draining_until = None
        self.h2.initiate_connection()
        self.h2.update_settings({h2.settings.SettingCodes.MAX_CONCURRENT_STREAMS: max_streams})
        self.flush()

    def flush(self):
        data = self.h2.data_to_send()
        if data and not self.closed:
            try:
                self.sock.sendall(data)
            except OSError:
                self.close()

    def close(self):
        if not self.closed:
            self.closed = True
            try:
                self.sock.close()
            except OSError:
                pass

    def answer(self, stream, extra=()):
        body = json.dumps({"access_token": "IGQVJ-h2frames", "user_id": "17841405793187218"})
        headers = [(":status", "200"), ("content-type", "application/json"),
                   ("content-length", str(len(body)))] + list(extra)
        self.h2.send_headers(stream, headers)
        self.h2.send_data(stream, body.encode(), end_stream=True)

    def code_of(self, request):
        path, _, query = request["path"].partition("?")
        fields = urllib.parse.parse_qs(request["body"].decode() if request["method"] == "POST"
                                       else query)
        return path, fields.get("code", [""])[0]

    def handle(self, stream):
        request = self.requests.pop(stream)
        path, code = self.code_of(request)
        if path == "/answer":
            count(code)
            self.answer(stream)
        elif path == "/answer-with-wording":
            count(code)
            self.answer(stream, [("x-note", WORDING)])
        elif path == "/hold":
            count(code)
            with lock:
                held[code] = (self, stream)
        elif path == "/goaway-then-answer":
            # Written by hand: h2's state machine sends nothing more after its own GOAWAY.
            goaway = hyperframe.frame.GoAwayFrame(0)
            goaway.last_stream_id = stream
            self.flush()
            self.sock.sendall(goaway.serialize())
            count(code)
            self.answer(stream)
        elif path == "/refuse-once":
            with lock:
                first = code not in refused
                refused.add(code)
            if first:
                self.h2.close_connection(last_stream_id=max(stream - 2, 0))
                self.flush()
                self.draining_until = time.monotonic() + 5
                return
            count(code)
            self.answer(stream)
        else:
            self.h2.send_headers(stream, [(":status", "404"), ("content-length", "0")],
                                 end_stream=True)
        self.flush()

    def run(self):
        while not self.closed:
            with lock:
                actions, self.actions = self.actions, []
            for kind, stream in actions:
                if kind == "reset":
                    self.h2.reset_stream(stream, h2.errors.ErrorCodes.INTERNAL_ERROR)
                    self.flush()
                elif kind == "close":
                    self.close()
            if self.closed:
                break
            try:
                ready, _, _ = select.select([self.sock], [], [], 0.05)
                if not ready and not (isinstance(self.sock, ssl.SSLSocket) and self.sock.pending()):
                    if self.draining_until is not None and time.monotonic() > self.draining_until:
                        break
                    continue
                data = self.sock.recv(65536)
            except (OSError, ValueError):
                break
            if not data:
                break
            if self.draining_until is not None:
                if time.monotonic() > self.draining_until:
                    break
                continue
            try:
                events = self.h2.receive_data(data)
            except Exception:  # a protocol error ends the connection, as any server would
                break
            for event in events:
                if isinstance(event, h2.events.RequestReceived):
                    headers = {k.decode() if isinstance(k, bytes) else k:
                               v.decode() if isinstance(v, bytes) else v
                               for k, v in event.headers}
                    self.requests[event.stream_id] = {
                        "path": headers.get(":path", ""), "method": headers.get(":method", ""),
                        "body": b""}
                    if event.stream_ended:
                        self.handle(event.stream_id)
                elif isinstance(event, h2.events.DataReceived):
                    self.h2.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                    if event.stream_id in self.requests:
                        self.requests[event.stream_id]["body"] += event.data
                elif isinstance(event, h2.events.StreamEnded):
                    if event.stream_id in self.requests:
                        self.handle(event.stream_id)
            self.flush()
        self.close()


def serve(listener, settings):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(settings["cert"], settings["key"])
    context.set_alpn_protocols(["h2"])
    while True:
        try:
            raw, _ = listener.accept()
        except OSError:
            return
        def connection(raw=raw):
            try:
                sock = context.wrap_socket(raw, server_side=True)
            except (OSError, ssl.SSLError):
                raw.close()
                return
            Connection(sock, settings.get("max_streams", 100)).run()
        threading.Thread(target=connection, daemon=True).start()


class Control(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, text, status=200):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        with lock:
            if url.path == "/count":
                return self.reply(str(processed.get(query["code"][0], 0)))
            if url.path == "/held":
                return self.reply(str(len(held)))
        self.reply("unknown", 404)

    def do_POST(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        with lock:
            entry = held.pop(query["code"][0], None)
            if entry is None:
                return self.reply("not held", 404)
            connection, stream = entry
            connection.actions.append((query["how"][0], stream))
        self.reply("ok")


def main():
    config = json.loads(sys.argv[1])
    ports = {}
    for name, settings in config["listeners"].items():
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        ports[name] = listener.getsockname()[1]
        threading.Thread(target=serve, args=(listener, settings), daemon=True).start()
    control = ThreadingHTTPServer(("127.0.0.1", 0), Control)
    ports["control"] = control.server_address[1]
    threading.Thread(target=control.serve_forever, daemon=True).start()
    print("ready " + json.dumps(ports), flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
