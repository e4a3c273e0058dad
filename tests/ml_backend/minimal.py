"""A small HTTP server speaking Label Studio's ML backend protocol (health, setup, predict,
webhook), in a thread of the test process: for tests that need a backend to answer but test
something else (the role table). The protocol tests use the real label-studio-ml backend."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        self._send({"status": "UP"})

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))) or b"{}")
        if self.path == "/predict":
            self._send({"results": [{"result": "Positive", "score": 0.5} for _ in body.get("tasks", [])],
                        "model_version": "minimal"})
        else:
            self._send({"model_version": "minimal"}, 201 if self.path == "/webhook" else 200)

    def _send(self, answer, status: int = 200) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def start_minimal_backend() -> tuple[str, ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server
