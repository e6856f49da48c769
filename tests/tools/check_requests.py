#!/usr/bin/python3
"""Checks HTTP requests (and optionally responses) against the vendors' OpenAPI specs (tests/fixtures/openapi/).

    check_requests.py FILE...        each FILE holds JSON lines or a JSON array of records:
        {"service": "pagerduty"|"mattermost"|"jira", "method": "POST", "path": "/rest/api/3/issue",
         "body": {...} (absent or null: no body), "status": 201, "response": {...} (both optional)}

Prints one line per problem (request body not matching the spec's request schema, or, when given, a response not
matching the documented response schema) and a summary; exits 1 when any problem was found, 2 on unusable input.
Paths are matched against the spec's path templates; a path the spec does not know is reported as unknown. The specs
are subsets (refresh_fixtures.py): an operation the daemon starts calling must be added to its OPERATIONS list.
Jira /rest/api/2 paths are checked against the v3 spec's operations (the same operations).
A schema does not hold every rule: Jira's ADF-versus-string descriptions and labels without spaces, Mattermost's
channel-name rules and action ids, PagerDuty's required From header are in the vendor notes; test those yourself.
Needs Debian's python3-jsonschema and runs with /usr/bin/python3.
"""
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
try:
    import vendor_specs
except ImportError as e:
    print(f'check_requests: {e} (apt-get install -y python3-jsonschema; run with /usr/bin/python3)')
    sys.exit(2)

SPECS = {'pagerduty': vendor_specs.pagerduty, 'mattermost': vendor_specs.mattermost, 'jira': vendor_specs.jira}


def records(path):
    text = open(path, encoding='utf-8').read().strip()
    if text.startswith('['):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def problems(rec):
    spec = SPECS[rec['service']]()
    method, path = rec['method'].upper(), rec['path'].split('?')[0]
    template, _ = spec.find(method, path)
    if template is None:
        return [f'{method} {path}: no such operation in the {rec["service"]} spec subset '
                '(tests/tools/refresh_fixtures.py OPERATIONS)']
    out = spec.check(method, path, rec.get('body'), rec.get('body') is not None)
    if 'status' in rec and 'response' in rec:
        out += spec.check_response(method, path, rec['status'], rec['response']) or []
    return out


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    found = checked = 0
    for path in argv:
        try:
            recs = records(path)
        except (OSError, ValueError) as e:
            print(f'check_requests: cannot read {path}: {e}')
            return 2
        for rec in recs:
            if rec.get('service') not in SPECS or 'method' not in rec or 'path' not in rec:
                print(f'check_requests: {path}: record without service/method/path: {json.dumps(rec)[:120]}')
                return 2
            checked += 1
            for p in problems(rec):
                found += 1
                print(f'{rec["service"]}: {p}')
    print(f'check_requests: {checked} records, {found} problems')
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
