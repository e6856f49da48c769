#!/usr/bin/python3
"""The request checker against the in-repo spec subsets: valid calls pass, broken ones are reported, and every
operation refresh_fixtures.py lists is in its subset. Run with /usr/bin/python3 (python3-jsonschema)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import refresh_fixtures  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(HERE), 'fixtures')


def load(*parts):
    with open(os.path.join(FIXTURES, *parts), encoding='utf-8') as f:
        return json.load(f)


def run_checker(records):
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(records, f)
    try:
        out = subprocess.run([sys.executable, os.path.join(HERE, 'check_requests.py'), f.name],
                             capture_output=True, text=True, check=False)
    finally:
        os.unlink(f.name)
    return out.returncode, out.stdout


class CheckRequests(unittest.TestCase):
    def test_documented_requests_pass(self):
        examples = load('mattermost', 'interactive-action-examples.json')
        post = examples['create_post_with_buttons_request (derived)']
        rc, out = run_checker([
            {'service': 'mattermost', 'method': post['method'], 'path': post['path'], 'body': post['body']},
            {'service': 'pagerduty', 'method': 'PUT', 'path': '/incidents/PT4KHLK',
             'body': {'incident': {'type': 'incident_reference', 'status': 'acknowledged'}}},
            {'service': 'jira', 'method': 'POST', 'path': '/rest/api/2/issue/OPS-7/transitions',
             'body': {'transition': {'id': '31'}}},
            {'service': 'mattermost', 'method': 'POST', 'path': '/api/v4/channels/c1/members',
             'body': {'user_ids': ['u1', 'u2']}},
        ])
        self.assertEqual(rc, 0, out)
        self.assertIn('4 records, 0 problems', out)

    def test_broken_requests_are_reported(self):
        rc, out = run_checker([
            {'service': 'pagerduty', 'method': 'PUT', 'path': '/incidents/P1',
             'body': {'incident': {'type': 'incident_reference', 'status': 'sleeping'}}},
            {'service': 'mattermost', 'method': 'POST', 'path': '/api/v4/channels',
             'body': {'team_id': 't', 'name': 5, 'display_name': 'd', 'type': 'O'}},
            {'service': 'jira', 'method': 'POST', 'path': '/rest/api/3/issue/OPS-7/remotelink',
             'body': {'object': {'url': 5}}},
            {'service': 'jira', 'method': 'DELETE', 'path': '/rest/api/3/project/OPS'},
        ])
        self.assertEqual(rc, 1, out)
        self.assertIn('incident/status', out)
        self.assertIn('POST /api/v4/channels: name: 5 is not', out)
        self.assertIn('object/url', out)
        self.assertIn('DELETE /rest/api/3/project/OPS: no such operation', out)

    def test_every_listed_operation_is_in_its_subset(self):
        for service, operations in refresh_fixtures.OPERATIONS.items():
            doc = load('openapi', f'{service}.json')
            for method, template in operations:
                self.assertIn(method, doc['paths'].get(template, {}), f'{service} {method.upper()} {template}')


if __name__ == '__main__':
    unittest.main()
