"""What the Python benchmarks share: one JSON call to warroomd or warroom-sim's control API."""
import json
import urllib.request


def call(method, url, body=None, headers=None):
    """`body` is sent as JSON; a JSON answer comes back parsed, anything else as text."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read()
    return json.loads(text) if text[:1] in (b"{", b"[") else text.decode()
