#!/usr/bin/env python3
"""Writes the fuzz seed corpora (tests/fuzz/corpus/<target>/) from the vendor fixtures in
tests/fixtures (captured webhooks, documented and OpenAPI example bodies) plus hand-written edge
cases. Rerun after a fixture changes; inputs found by fuzzing are added by hand (crash-*, min-*)
and kept. Usage: tests/fuzz/make_corpus.py [repo root]"""
import hashlib
import hmac
import json
import pathlib
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parents[2])
FIX = ROOT / "tests" / "fixtures"
OUT = ROOT / "tests" / "fuzz" / "corpus"
PD_SECRET = b"fuzz-secret"   # the secret the http_request and pagerduty_webhook targets use
MAX_SEED = 16 * 1024          # keeps the corpus small; bigger examples are skipped


def write(target, name, data):
    if isinstance(data, str):
        data = data.encode()
    if len(data) > MAX_SEED:
        return
    folder = OUT / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def compact(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def examples(node, status=None):
    """(status, example body) pairs under every `responses` of an OpenAPI extract."""
    if isinstance(node, dict):
        for key, value in node.items():
            code = key if isinstance(key, str) and key.isdigit() and len(key) == 3 else status
            if key == "example" and isinstance(value, (dict, list)) and status:
                yield int(status), value
            elif key == "examples" and isinstance(value, dict) and status:
                for ex in value.values():
                    if isinstance(ex, dict) and isinstance(ex.get("value"), (dict, list)):
                        yield int(status), ex["value"]
            else:
                yield from examples(value, code)
    elif isinstance(node, list):
        for item in node:
            yield from examples(item, status)


# Status byte of the reply targets (tests/fuzz/reply_input.hpp): index into its status table.
STATUS_BYTE = {200: 0, 201: 1, 204: 2, 400: 4, 401: 5, 403: 6, 404: 7, 409: 8, 422: 9, 429: 10,
               500: 11, 502: 12, 503: 13}


def reply_seed(target, name, status, body):
    write(target, name, bytes([STATUS_BYTE.get(status, 0)]) + body.encode())


def pagerduty_webhooks():
    bodies = []
    for path in sorted((FIX / "pagerduty").glob("webhook-v3-*.json")):
        doc = json.loads(path.read_text())
        if "vectors" in doc:
            for i, vec in enumerate(doc["vectors"]):
                header = vec.get("header") or vec.get("signature") or ""
                write("pagerduty_webhook", f"vector-{i}", f"{header}\n{vec['body']}")
            continue
        body = doc.get("body", doc) if isinstance(doc, dict) else doc
        if isinstance(body, dict) and "event" in body:
            bodies.append((path.stem.replace("webhook-v3-", ""), compact(body)))
    for stem, body in bodies:
        sig = "v1=" + hmac.new(PD_SECRET, body.encode(), hashlib.sha256).hexdigest()
        write("pagerduty_webhook", stem, f"{sig}\n{body}")
        write("pagerduty_webhook", stem + "-unsigned", f"v1=00\n{body}")
        request = (f"POST /webhooks/pagerduty HTTP/1.1\r\nHost: warroom\r\n"
                   f"Content-Type: application/json\r\nX-PagerDuty-Signature: {sig}\r\n"
                   f"X-Webhook-Id: {stem}\r\nContent-Length: {len(body.encode())}\r\n\r\n{body}")
        write("http_request", "pagerduty-" + stem, request)
    return bodies


def mattermost_actions():
    doc = json.loads((FIX / "mattermost" / "interactive-action-examples.json").read_text())
    for key, value in doc.items():
        if key.startswith("action_request") and isinstance(value, dict):
            body = value.get("body", value)
            name = key.split(" ")[0]
            write("mattermost_action", name, compact(body))
            write("http_request", "click-" + name,
                  f"POST /webhooks/mattermost HTTP/1.1\r\nHost: w\r\nContent-Length: "
                  f"{len(compact(body).encode())}\r\n\r\n{compact(body)}")


def replies():
    pd = json.loads((FIX / "pagerduty" / "rest-operations-extract.json").read_text())
    for op, spec in pd["operations"].items():
        for i, (status, body) in enumerate(examples(spec.get("responses", {}))):
            slug = op.replace("/", "_").replace(" ", "").replace("{", "").replace("}", "")
            reply_seed("pagerduty_reply", f"{slug}-{status}-{i}", status, compact(body))
    for op, body in json.loads((FIX / "pagerduty" / "openapi-response-examples.json").read_text()).items():
        slug = op.replace("/", "_").replace(" ", "").replace("{", "").replace("}", "")
        reply_seed("pagerduty_reply", "ex-" + slug, 200, compact(body))
    jira = json.loads((FIX / "jira" / "rest-v3-operations-extract.json").read_text())
    for op, spec in jira["operations"].items():
        for i, (status, body) in enumerate(examples(spec.get("responses", {}))):
            slug = op.replace("/rest/api/3/", "").replace("/", "_").replace(" ", "")
            slug = slug.replace("{", "").replace("}", "")
            reply_seed("jira_reply", f"{slug}-{status}-{i}", status, compact(body))
    cats = (FIX / "jira" / "statuscategories-sample-server.json").read_text()
    reply_seed("jira_reply", "statuscategories", 200, compact(json.loads(cats)))


HAND = {
    "pagerduty_reply": [
        (400, '{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Incident Already Resolved"]}}'),
        (400, '{"error":{"message":"Invalid Input Provided","code":2001,"errors":["Open incident with matching dedup key already exists on this service"]}}'),
        (429, '{"error":{"message":"Rate Limit Exceeded","code":2020}}'),
        (200, '{"incident":{"id":"Q1","status":"acknowledged","number":7,"title":"x"}}'),
        (200, '{"users":[{"id":"U1","email":"SOMEONE@example.com","name":"S"}]}'),
        (200, '{"oncalls":[{"escalation_level":1,"user":{"id":"U1","summary":"a"}}],"more":true,"offset":0,"limit":25}'),
        (200, '[]'), (200, ''), (200, 'null'), (200, '{"incident":null}'),
    ],
    "mattermost_reply": [
        (201, '{"id":"c1c1c1c1c1c1c1c1c1c1c1c1c1","name":"inc-1-db","display_name":"INC 1: db","team_id":"t1","type":"O","delete_at":0}'),
        (200, '{"id":"u1","username":"alice","email":"alice@example.com"}'),
        (200, '[{"id":"u1","username":"alice"},{"id":"u2","username":"bob","email":""}]'),
        (200, '{"order":["p1","p2"],"posts":{"p1":{"id":"p1","props":{"attachments":[]}},"p2":{"id":"p2","user_id":"u","root_id":""}}}'),
        (400, '{"id":"store.sql_channel.save_channel.exists.app_error","message":"A channel with that name already exists","status_code":400}'),
        (404, '{"id":"app.channel.get_by_name.missing.app_error","message":"not found","status_code":404}'),
        (403, '{"id":"api.context.permissions.app_error","message":"You do not have the appropriate permissions.","status_code":403}'),
        (201, '{"id":"p1","channel_id":"c1","message":"m"}'),
        (200, '{"posts":{"p1":null},"order":["p9"]}'), (200, '[]'), (200, ''),
    ],
    "jira_reply": [
        (201, '{"id":"10000","key":"OPS-1","self":"https://acme.atlassian.net/rest/api/3/issue/10000"}'),
        (400, '{"errorMessages":[],"errors":{"summary":"You must specify a summary of the issue."}}'),
        (200, '{"issues":[{"key":"OPS-1","fields":{"status":{"statusCategory":{"key":"done"}}}}]}'),
        (200, '{"transitions":[{"id":"11","name":"To Do","to":{"statusCategory":{"key":"new"}}},{"id":"31","name":"Done","to":{"statusCategory":{"key":"done"}}}]}'),
        (404, '{"errorMessages":["Issue does not exist or you do not have permission to see it."],"errors":{}}'),
        (204, ''), (200, '{"issues":null}'),
    ],
}


def hand_written():
    for target, seeds in HAND.items():
        for i, (status, body) in enumerate(seeds):
            reply_seed(target, f"hand-{i}", status, body)
    forms = [
        "token=fuzz-token&team_id=t1&channel_id=c1&channel_name=inc-1&user_id=u1&user_name=alice"
        "&command=%2Fincident&text=ack&response_url=http%3A%2F%2Fmm%2Fhook&trigger_id=tr1",
        "token=fuzz-token&channel_id=c1&user_id=u1&trigger_id=t&text=new+--service+db+Disk+full",
        "token=fuzz-token&channel_id=c1&user_id=u1&trigger_id=t&text=add+%40bob+%40carol",
        "token=fuzz-token&channel_id=c1&user_id=u1&trigger_id=t&text=note+it%27s+%F0%9F%94%A5",
        "token=wrong&channel_id=c1", "token=a&token=b", "a=%zz", "=x", "a", "",
    ]
    for i, form in enumerate(forms):
        write("slash_command", f"form-{i}", form)
    write("http_request", "command",
          f"POST /webhooks/mattermost/command HTTP/1.1\r\nHost: w\r\nContent-Type: "
          f"application/x-www-form-urlencoded\r\nContent-Length: {len(forms[0])}\r\n\r\n{forms[0]}")
    http = {
        "healthz": "GET /healthz HTTP/1.1\r\nHost: w\r\n\r\n",
        "incident": "GET /api/v1/incidents/Q1?x=1 HTTP/1.1\r\nHost: w\r\n\r\n",
        "chunked": "POST /webhooks/pagerduty HTTP/1.1\r\nHost: w\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "4\r\n{\"a\"\r\n2\r\n:1\r\n0\r\n\r\n",
        "smuggle": "POST /webhooks/pagerduty HTTP/1.1\r\nHost: w\r\nContent-Length: 3\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "two-hosts": "GET /metrics HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "absolute": "GET http://w/healthz HTTP/1.1\r\nHost: w\r\n\r\n",
        "method": "DELETE /healthz HTTP/1.1\r\nHost: w\r\n\r\n",
        "too-long": "POST /webhooks/pagerduty HTTP/1.1\r\nHost: w\r\nContent-Length: 999999\r\n\r\n",
    }
    for name, text in http.items():
        write("http_request", name, text)
    for i, text in enumerate(["", "{}", "[]", '{"context":[]}', '{"context":{"token":"v1.k1.e30.AA"}}',
                              '{"user_id":"u","channel_id":"c","context":{"action":"resolve",'
                              '"incident_id":"Q1","token":"v1.k1.eyJhIjoxfQ.x"}}']):
        write("mattermost_action", f"hand-{i}", text)
    for i, text in enumerate(["v1=\n", "v1=abc, v2=def\n{}", "\n{\"event\":null}",
                              "v1=00\n{\"event\":{\"event_type\":\"pagey.ping\"}}"]):
        write("pagerduty_webhook", f"hand-{i}", text)
    for name, path in [("example", ROOT / "config" / "warroom.example.yaml"),
                       ("demo", ROOT / "config" / "demo.yaml")]:
        if path.exists():
            write("config_yaml", name, path.read_text())
    for i, text in enumerate(["", "server: [", "a: &x [*x]", "server:\n  listen: '[::1]:99999'\n",
                              "pagerduty:\n  token_file: /x\n  token: y\n",
                              "mattermost:\n  action_secret: ${A\n"]):
        write("config_yaml", f"hand-{i}", text)


def text_seeds(titles):
    lines = ["inc-{number}-{title}", "{service}-{urgency}-{id}", "{title}", "", "---", "{nope}"]
    for i, title in enumerate(titles):
        pattern = lines[i % len(lines)]
        number = (i * 37).to_bytes(4, "little")
        body = f"{pattern}\n{title}\nAPI Service\nhigh\nPGR0VU2"
        write("channel_name", f"seed-{i}", number + bytes([i]) + body.encode())
        write("markdown", f"seed-{i}", bytes([64 if i % 2 else 5]) + title.encode())
        write("jira_adf", f"seed-{i}", f"https://pd.example/incidents/Q{i}\nPD #{i}\n{title}\n\nmore")


def main():
    bodies = pagerduty_webhooks()
    mattermost_actions()
    replies()
    hand_written()
    titles = [json.loads(b)["event"].get("data", {}).get("title") or "" for _, b in bodies]
    titles += ["@channel look", "<!here> x", "a@b.c @alice_ @_x", "**bold** [x](y) `c` ~s~ \\",
               "\u00e9\u0301 \U0001F525" * 20, "\xff\xfe bad \xc0\x80",
               "012345678901234567890123456789012345678901234567890123456789012345678901",
               "abcdefabcdefabcdefabcdefabcdefabcdefabcd", "line\nbreak\ttab\r\n", "@ALL.", "  "]
    text_seeds([t for t in titles if isinstance(t, str)])
    # Invalid UTF-8 (stray continuation, overlong NUL, surrogate, truncated) around mentions.
    raw = b"\xff\xfe @here\xc0\x80@\xed\xa0\x80all <\xe2\x80!channel> \xf0\x9f\x94"
    write("markdown", "invalid-utf8", bytes([9]) + raw)
    write("channel_name", "invalid-utf8", bytes(5) + b"{title}\n" + raw)


if __name__ == "__main__":
    main()
