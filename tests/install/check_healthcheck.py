#!/usr/bin/env python3
"""Runs docker/healthcheck.sh (the image's HEALTHCHECK) against a local HTTP server on 127.0.0.1:0:
exit 0 for `/healthz` answering 200, non-zero for 503, for a wrong path, and for a closed port."""
import http.server
import socket
import subprocess
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    status = 200  # what /healthz answers; set per case

    def do_GET(self):  # noqa: N802 (http.server's naming)
        code = Handler.status if self.path == "/healthz" else 404
        body = b'{"status":"ok"}' if code == 200 else b'{"error":"unavailable"}'
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def probe(script: str, addr: str) -> int:
    return subprocess.run(["bash", script, addr], capture_output=True, timeout=30).returncode


def closed_port() -> int:
    # Bound but not listening: connecting is refused, and no one else can take the port meanwhile.
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    closed_port.keep = sock
    return sock.getsockname()[1]


def main() -> int:
    script = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    addr = f"127.0.0.1:{server.server_address[1]}"
    failures = []
    try:
        for status, want_healthy in ((200, True), (503, False), (200, True)):
            Handler.status = status
            if (probe(script, addr) == 0) != want_healthy:
                failures.append(f"/healthz answering {status}: probe said {'un' if want_healthy else ''}healthy")
        if probe(script, f"127.0.0.1:{closed_port()}") == 0:
            failures.append("closed port: probe said healthy")
    finally:
        server.shutdown()
        thread.join()
    for failure in failures:
        print(f"FAIL: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
