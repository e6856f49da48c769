"""Vendor OpenAPI specs turned into request-body validators.

Reads the spec subsets in tests/fixtures/openapi/ (or $WARROOM_API_SPECS), which refresh_fixtures.py cuts from the
vendors' documents: the operations the daemon calls and the components they reference. OpenAPI 3.0 schemas are
adapted to JSON Schema (`nullable`) and checked with jsonschema's Draft 4 validator, $refs resolved against the
whole document.
"""
import copy
import functools
import json
import os
import re

import jsonschema

SPEC_DIR = os.environ.get('WARROOM_API_SPECS') or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'fixtures', 'openapi')


# --- OpenAPI operations ----------------------------------------------------------------------------------------------

def _to_json_schema(node):
    """OpenAPI 3.0 -> JSON Schema: `nullable: true` becomes an explicit null type (enum, or anyOf when untyped)."""
    if isinstance(node, list):
        return [_to_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items()}
    if isinstance(out.get('nullable'), bool):
        nullable = out.pop('nullable')
        if nullable:
            if isinstance(out.get('type'), str):
                out['type'] = [out['type'], 'null']
                if 'enum' in out:
                    out['enum'] = list(out['enum']) + [None]
            elif 'type' not in out:
                out = {'anyOf': [out, {'type': 'null'}]}
    return out


class Spec:
    """One API's operations, looked up by method and concrete path: request bodies and responses are checked
    against the spec."""

    def __init__(self, doc, rewrite=None, overrides=None):
        self.doc = _to_json_schema(doc)
        self.resolver = jsonschema.RefResolver.from_schema(self.doc)
        self.rewrite, self.overrides, self.ops = rewrite or (lambda p: p), overrides or {}, []
        for template, ops in self.doc.get('paths', {}).items():
            regex = re.compile('^' + re.sub(r'\\\{[^}]+\\\}', '[^/]+', re.escape(template)) + '$')
            for method, op in (ops or {}).items():
                if isinstance(op, dict) and method in ('get', 'post', 'put', 'patch', 'delete'):
                    self.ops.append((method.upper(), regex, template, op))
        # Literal routes before templated ones (/users/usernames before /users/{user_id}).
        self.ops.sort(key=lambda op: (op[2].count('{'), -len(op[2])))

    def _deref(self, node):
        return self.resolver.resolve(node['$ref'])[1] if isinstance(node, dict) and '$ref' in node else node or {}

    def find(self, method, path):
        path = self.rewrite(path)
        return next(((template, op) for m, regex, template, op in self.ops if m == method and regex.match(path)),
                    (None, None))

    def _problems(self, schema, value, prefix):
        validator = jsonschema.Draft4Validator(schema, resolver=self.resolver)
        return [f'{prefix}: {"/".join(str(p) for p in e.absolute_path) or "(body)"}: {e.message[:240]}'
                for e in sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))]

    def request_schema(self, method, path):
        """(template, JSON request-body schema or None, body required)."""
        template, op = self.find(method, path)
        request = self._deref((op or {}).get('requestBody'))
        schema = ((request.get('content') or {}).get('application/json') or {}).get('schema')
        return template, self.overrides.get((method, template), schema), bool(request.get('required'))

    def check(self, method, path, body, has_body):
        """Problems with this request body per the spec (empty when valid or when the spec has no schema)."""
        template, schema, required = self.request_schema(method, path)
        if schema is None:
            return []
        if not has_body:
            return [f'{method} {template}: request body required by the spec'] if required else []
        return self._problems(schema, body, f'{method} {template}')

    def check_response(self, method, path, status, body):
        """Problems with a response per the spec; None when the spec documents no JSON schema for it."""
        template, op = self.find(method, path)
        response = self._deref(((op or {}).get('responses') or {}).get(str(status)))
        schema = ((response.get('content') or {}).get('application/json') or {}).get('schema')
        return None if schema is None else self._problems(schema, body, f'{method} {template} -> {status}')


def _load_json(name):
    with open(os.path.join(SPEC_DIR, name), encoding='utf-8') as f:
        return json.load(f)


@functools.lru_cache(maxsize=None)
def pagerduty():
    return Spec(_load_json('pagerduty.json'))


@functools.lru_cache(maxsize=None)
def jira():
    # One Cloud spec for both versions: v2 has the same operations, with strings where v3 has ADF (NOTES §4.1).
    return Spec(_load_json('jira.json'), rewrite=lambda p: re.sub(r'^/rest/api/2/', '/rest/api/3/', p))


@functools.lru_cache(maxsize=None)
def mattermost():
    doc = _load_json('mattermost.json')
    paths = doc['paths']
    # Where the 2023 spec is known to be wrong or behind the server (NOTES §3.2, §3.4):
    # props is an object, not a string; current servers also take {"user_ids": [...]} on add-member.
    overrides = {}
    for template in ('/api/v4/posts/{post_id}', '/api/v4/posts/{post_id}/patch'):
        schema = copy.deepcopy(paths[template]['put']['requestBody']['content']['application/json']['schema'])
        schema['properties']['props'] = {'type': 'object'}
        overrides[('PUT', template)] = schema
    add = copy.deepcopy(paths['/api/v4/channels/{channel_id}/members']['post']['requestBody']['content']
                        ['application/json']['schema'])
    add.pop('required', None)
    add['properties']['user_ids'] = {'type': 'array', 'items': {'type': 'string'}, 'minItems': 1, 'maxItems': 1000}
    add['anyOf'] = [{'required': ['user_id']}, {'required': ['user_ids']}]
    overrides[('POST', '/api/v4/channels/{channel_id}/members')] = add
    # Not an API v4 route, so not in the spec: a slash command's response_url, which takes the JSON of a command
    # response (developers.mattermost.com/integrate/slash-commands/, "response_url"; server: model.CommandResponse).
    paths['/hooks/commands/{hook_id}'] = {'post': {'requestBody': {'required': True, 'content': {'application/json': {
        'schema': {'type': 'object', 'required': ['text'],
                   'properties': {'text': {'type': 'string', 'minLength': 1},
                                  'response_type': {'type': 'string', 'enum': ['ephemeral', 'in_channel']}}}}}},
        'responses': {}}}
    return Spec(doc, overrides=overrides)
