#!/usr/bin/python3
"""Regenerates tests/fixtures/ from the vendor material in ../shared/api (the research folder beside the repo).

    refresh_fixtures.py [--shared DIR] [--out DIR]

Captured payloads, signature vectors and samples are copied byte for byte. The vendors' OpenAPI documents
(PagerDuty 2.7 MB, Jira 2.4 MB, Mattermost's 40 YAML fragments) are cut down to the operations listed in
OPERATIONS below plus the components they reference, without descriptions, examples and vendor extensions,
written as JSON to openapi/. The request checker (check_requests.py) and the tests read only these files.
A new outbound call of the daemon needs its operation added to OPERATIONS and this script run again.
"""
import argparse
import json
import os
import re
import shutil
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openapi_yaml  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Files the tests read as they are: (folder under shared/api, file name).
VERBATIM = [('pagerduty', f'webhook-v3-captured-{kind}.json')
            for kind in ('pagey.ping', 'incident.triggered', 'incident.acknowledged', 'incident.resolved',
                         'incident.annotated')] + [
    ('pagerduty', 'webhook-v3-signature-vectors.json'),
    ('pagerduty', 'webhook-v3-docs-event-data-types.json'),
    ('pagerduty', 'webhook-v3-docs-example-incident.priority_updated.json'),
    ('pagerduty', 'webhook-v3-docs-example-service.updated.json'),
    ('pagerduty', 'rest-operations-extract.json'),
    ('mattermost', 'interactive-action-examples.json'),
    ('jira', 'rest-v3-operations-extract.json'),
    ('jira', 'statuscategories-sample-server.json'),
]

# The operations the daemon calls (src/api/), and the read-only ones a deployment check would use.
OPERATIONS = {
    'pagerduty': [
        ('put', '/incidents/{id}'), ('get', '/incidents/{id}'), ('post', '/incidents/{id}/notes'),
        ('get', '/incidents/{id}/notes'),
        ('get', '/oncalls'), ('get', '/users/{id}'), ('get', '/users'), ('get', '/users/me'),
        ('get', '/abilities'), ('post', '/incidents'), ('get', '/priorities'),
        ('post', '/incidents/{id}/responder_requests'), ('get', '/services'),
    ],
    'mattermost': [
        ('post', '/api/v4/channels'), ('get', '/api/v4/channels/{channel_id}'),
        ('delete', '/api/v4/channels/{channel_id}'),
        ('get', '/api/v4/teams/{team_id}/channels/name/{channel_name}'),
        ('post', '/api/v4/channels/{channel_id}/restore'), ('post', '/api/v4/channels/{channel_id}/members'),
        ('get', '/api/v4/channels/{channel_id}/posts'), ('get', '/api/v4/users/email/{email}'),
        ('get', '/api/v4/users/{user_id}'), ('post', '/api/v4/users/usernames'),
        ('post', '/api/v4/posts'), ('put', '/api/v4/posts/{post_id}'), ('put', '/api/v4/posts/{post_id}/patch'),
        ('get', '/api/v4/teams/{team_id}'), ('get', '/api/v4/teams/{team_id}/members/{user_id}'),
        ('get', '/api/v4/users/username/{username}'), ('get', '/api/v4/roles/name/{role_name}'),
    ],
    'jira': [
        ('post', '/rest/api/3/issue'), ('get', '/rest/api/3/issue/{issueIdOrKey}'),
        ('put', '/rest/api/3/issue/{issueIdOrKey}'), ('get', '/rest/api/3/issue/{issueIdOrKey}/transitions'),
        ('post', '/rest/api/3/issue/{issueIdOrKey}/transitions'),
        ('post', '/rest/api/3/issue/{issueIdOrKey}/comment'), ('post', '/rest/api/3/issue/{issueIdOrKey}/remotelink'),
        ('get', '/rest/api/3/search/jql'), ('get', '/rest/api/3/search'), ('get', '/rest/api/3/myself'),
        ('get', '/rest/api/3/project/{projectIdOrKey}'), ('get', '/rest/api/3/priority'),
        ('get', '/rest/api/3/project/{projectIdOrKey}/statuses'), ('get', '/rest/api/3/statuscategory'),
    ],
}

MATTERMOST_FRAGMENTS = ('channels.yaml', 'posts.yaml', 'users.yaml', 'teams.yaml', 'roles.yaml')

# Response examples of the full PagerDuty document that reply-reader tests parse: (path, method, status).
PAGERDUTY_EXAMPLES = [('/priorities', 'get', '200'), ('/incidents/{id}/responder_requests', 'post', '200'),
                      ('/services', 'get', '200'), ('/incidents/{id}/notes', 'get', '200')]

# Keywords that only document; dropped unless they are a name (a property called "description" stays).
ANNOTATIONS = {'description', 'summary', 'example', 'examples', 'externalDocs', 'tags', 'title'}
# Objects whose keys are names chosen by the author, not keywords.
NAME_MAPS = {'properties', 'patternProperties', 'schemas', 'responses', 'paths', 'content', 'headers',
             'securitySchemes', 'requestBodies', 'parameters', 'links', 'callbacks', 'mapping', 'encoding'}


def prune(node, names=False):
    """The node without documentation-only keywords and vendor extensions (x-...)."""
    if isinstance(node, list):
        return [prune(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if not names and (key in ANNOTATIONS or key.startswith('x-')):
            continue
        out[key] = prune(value, names=not names and key in NAME_MAPS)
    return out


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == '$ref' and isinstance(value, str):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def subset(doc, operations, source):
    """The document cut down to `operations` and the components they reach through $ref."""
    paths = {}
    for method, template in operations:
        op = (doc.get('paths', {}).get(template) or {}).get(method)
        if op is None:
            continue  # not in this vendor's spec (e.g. a v2-only path); the checker reports it if called
        paths.setdefault(template, {})[method] = op
    components, todo = {}, list(refs(paths))
    while todo:
        ref = todo.pop()
        # A $ref may point inside a component (#/components/responses/Conflict/content/...): keep it whole.
        match = re.fullmatch(r'#/components/([^/]+)/([^/]+)(/.*)?', ref)
        if not match:
            raise SystemExit(f'refresh_fixtures: unsupported $ref {ref}')
        kind, name = match.group(1), match.group(2).replace('~1', '/').replace('~0', '~')
        if name in components.get(kind, {}):
            continue
        value = doc['components'][kind][name]
        components.setdefault(kind, {})[name] = value
        todo.extend(refs(value))
    out = prune({'paths': paths, 'components': components})
    missing = [f'{m.upper()} {t}' for m, t in operations if m not in paths.get(t, {})]
    head = {'_source': source, '_generated_by': 'tests/tools/refresh_fixtures.py', '_not_in_spec': missing}
    if 'servers' in doc:
        head['servers'] = doc['servers']
    return {**head, 'openapi': doc.get('openapi', '3.0.0'), **out}


def mattermost_doc(folder):
    paths = {}
    for name in MATTERMOST_FRAGMENTS:
        with open(os.path.join(folder, name), encoding='utf-8') as f:
            paths.update(openapi_yaml.load_yaml(f.read()))
    with open(os.path.join(folder, 'definitions.yaml'), encoding='utf-8') as f:
        return {'openapi': '3.0.0', 'paths': paths, 'components': openapi_yaml.load_yaml(f.read())['components']}


def load_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


def write_json(path, doc):
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(doc, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write('\n')


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--shared', default=os.path.join(os.path.dirname(REPO), 'shared'))
    parser.add_argument('--out', default=os.path.join(REPO, 'tests', 'fixtures'))
    args = parser.parse_args(argv)
    api = os.path.join(args.shared, 'api')
    if not os.path.isdir(api):
        print(f'refresh_fixtures: no {api}')
        return 2
    for folder, name in VERBATIM:
        os.makedirs(os.path.join(args.out, folder), exist_ok=True)
        shutil.copyfile(os.path.join(api, folder, name), os.path.join(args.out, folder, name))
    specs = {
        'pagerduty': (load_json(os.path.join(api, 'pagerduty', 'openapiv3-rest.json')),
                      'github.com/PagerDuty/api-schema reference/REST/openapiv3.json @91a06fb3c64b'),
        'jira': (load_json(os.path.join(api, 'jira', 'jira-cloud-platform-swagger-v3.v3.json')),
                 "Atlassian's Jira Cloud platform swagger-v3.v3.json (1001.0.0-SNAPSHOT-57a0ca5b)"),
        'mattermost': (mattermost_doc(os.path.join(api, 'mattermost', 'api-reference-v4-source-2023')),
                       'github.com/mattermost/mattermost-api-reference v4/source @a00af94dab63 '
                       f'({", ".join(MATTERMOST_FRAGMENTS)}, definitions.yaml)'),
    }
    examples = {}
    for path, method, status in PAGERDUTY_EXAMPLES:
        response = specs['pagerduty'][0]['paths'][path][method]['responses'][status]
        examples[f'{method.upper()} {path} {status}'] = \
            response['content']['application/json']['examples']['response']['value']
    write_json(os.path.join(args.out, 'pagerduty', 'openapi-response-examples.json'), examples)
    os.makedirs(os.path.join(args.out, 'openapi'), exist_ok=True)
    for service, (doc, source) in specs.items():
        out = subset(doc, OPERATIONS[service], source)
        write_json(os.path.join(args.out, 'openapi', f'{service}.json'), out)
        print(f'{service}: {sum(len(v) for v in out["paths"].values())} operations, '
              f'{sum(len(v) for v in out["components"].values())} components'
              + (f', not in the spec: {", ".join(out["_not_in_spec"])}' if out['_not_in_spec'] else ''))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
