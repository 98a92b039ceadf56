#!/usr/bin/env python3
"""Draws the hub's API document's schemas from real answers (issue #16 item 6).

  ./mvnw -pl central-hub -am verify -Dtracetrack.api-contract=false -Dtracetrack.api-capture=/tmp/api.jsonl
  python3 scripts/openapi-from-answers.py /tmp/api.jsonl

reads every exchange the hub's tests made (ApiContract's capture), and fills in
central-hub/src/main/resources/openapi.yaml where it is silent: a tag per operation, a request
schema with a real example for every write that sent JSON, a response schema for every 2xx JSON
answer, the media type of every other answer, problem+json for every refusal, and the codes each
refusal answered with. What the
document already says is kept. Schemas are inferred from all the answers seen: a field present in
every answer is required, a field seen null in one is nullable, a map keyed by data (byArea,
byDock, ...) becomes additionalProperties. Run it again after adding routes; read the diff.
"""
import json
import re
import sys
from collections import defaultdict

import yaml

DOC = 'central-hub/src/main/resources/openapi.yaml'
DATE_TIME = re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$')
DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
NAME = re.compile(r'^[a-z][a-zA-Z0-9]*$')

TAGS = [
    (r'^/(health|metrics|openapi)|^/api/v1/system', 'Operations'),
    (r'^/api/(bag|bills|health|system_health)\b|^/eod_summary_preview', 'Seed-era routes'),
    (r'^/api/v1/auth', 'Sign-in'),
    (r'^/api/v1/(bags|links|search)', 'Bags and links'),
    (r'^/api/v1/stats', 'Stats'),
    (r'^/api/v1/audit', 'Audit'),
    (r'^/api/v1/(exports|imports)', 'Import and export'),
    (r'^/api/v1/eod', 'End of day'),
    (r'^/api/v1/bills', 'Bills'),
    (r'^/api/v1/(areas|users|promotion-requests)', 'Users and areas'),
    (r'^/api/v1/me', 'My account'),
    (r'^/api/v1/docks', 'Docks'),
    (r'^/api/v1/sync', 'Sync (docks)'),
    (r'^/api/v1/conflicts', 'Conflicts'),
]
TAG_TEXT = {
    'Operations': 'Health, readiness, metrics and this document: for operators and load balancers.',
    'Seed-era routes': "The old system's routes: 308 to their /api/v1 successors, with Deprecation and Link headers.",
    'Sign-in': 'Tokens for integrators, cookie sessions for the web UI.',
    'Bags and links': 'Parent and child bags, links between them, lookup and search.',
    'Stats': 'The dashboard: totals, per area and dock, the last 14 days.',
    'Audit': 'The hash-chained audit trail and the dock scans, for admins.',
    'Import and export': 'CSV and XLSX in and out, streamed.',
    'End of day': 'The day per deployment time zone, and its e-mail.',
    'Bills': 'Dispatch bills: parents, weights, finalize, manifests.',
    'Users and areas': 'People, roles, areas and role requests.',
    'My account': "The caller's own account: password, sessions, two-factor, notifications.",
    'Docks': 'Registering and enrolling dock edge nodes, and the fleet.',
    'Sync (docks)': 'What edge nodes call with their device credential: push, changes, snapshots.',
    'Conflicts': 'Dock scans the hub refused, and how an admin resolves them.',
}


class NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def tag_of(path):
    for pattern, tag in TAGS:
        if re.search(pattern, path):
            return tag
    return 'Other'


def kind(v):
    if v is None:
        return 'null'
    if isinstance(v, bool):
        return 'boolean'
    if isinstance(v, int):
        return 'integer'
    if isinstance(v, float):
        return 'number'
    if isinstance(v, str):
        return 'string'
    if isinstance(v, list):
        return 'array'
    return 'object'


def infer(values, key=None):
    """A schema every value in values satisfies (values: the samples, None for a JSON null)."""
    kinds = {kind(v) for v in values}
    nullable = 'null' in kinds
    kinds.discard('null')
    if not kinds:
        return {}  # only ever null: its type is unknown
    if kinds == {'integer', 'number'}:
        kinds = {'number'}
    present = [v for v in values if v is not None]
    if len(kinds) > 1:
        schema = {'type': sorted(kinds)}
    else:
        k = kinds.pop()
        if k == 'object':
            schema = infer_object(present, key)
        elif k == 'array':
            items = [i for v in present for i in v]
            schema = {'type': 'array', 'items': infer(items, key) if items else {}}
        elif k == 'string':
            schema = {'type': 'string'}
            if all(DATE_TIME.match(v) for v in present):
                schema['format'] = 'date-time'
            elif all(DATE.match(v) for v in present):
                schema['format'] = 'date'
        else:
            schema = {'type': k}
    if nullable:
        t = schema.get('type')
        if t is None:
            return schema
        schema['type'] = (t if isinstance(t, list) else [t]) + ['null']
    return schema


def infer_object(objects, key):
    keys = set()
    for o in objects:
        keys.update(o.keys())
    data_keyed = key is not None and (key.startswith('by') or 'By' in key or key in ('totals', 'faults', 'counts')) \
        or any(not NAME.match(k) for k in keys) or len(keys) > 40
    if data_keyed and keys:
        return {'type': 'object', 'additionalProperties': infer([v for o in objects for v in o.values()])}
    props = {}
    for k in sorted(keys, key=lambda k: list(objects[0].keys()).index(k) if k in objects[0] else 999):
        props[k] = infer([o.get(k) for o in objects if k in o], k)
    required = [k for k in props if all(k in o for o in objects)]
    schema = {'type': 'object', 'properties': props}
    if required:
        schema['required'] = required
    return schema


def main(capture):
    doc = yaml.safe_load(open(DOC))
    ops = []
    for path, item in doc['paths'].items():
        for method, op in item.items():
            if method not in ('get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'):
                continue
            regex = re.compile('^' + re.sub(r'\\\{[^}]+\\\}', '[^/]+', re.escape(path)) + '$')
            literals = len([s for s in path.split('/') if not s.startswith('{')])
            ops.append((method.upper(), path, regex, literals, op))
    ops.sort(key=lambda o: -o[3])

    answers = defaultdict(list)     # (method, path, status) -> [json]
    problem_codes = defaultdict(set)  # (method, path, status) -> {Problem.code seen}
    types = defaultdict(set)        # (method, path, status) -> {content type}
    requests = defaultdict(list)    # (method, path) -> [json] of requests answered 2xx
    for line in open(capture):
        x = json.loads(line)
        path = x['path'].split('?')[0]
        op = next((o for o in ops if o[0] == x['method'] and o[2].match(path)), None)
        if op is None:
            continue
        key = (op[0], op[1])
        status = str(x['status'])
        ctype = (x.get('contentType') or '').split(';')[0].strip().lower()
        if ctype:
            types[key + (status,)].add(ctype)
        if ctype == 'application/problem+json' and x.get('body'):
            try:
                problem_codes[key + (status,)].add(json.loads(x['body']).get('code'))
            except ValueError:
                pass
        if ctype == 'application/json' and x.get('body'):
            try:
                answers[key + (status,)].append(json.loads(x['body']))
            except ValueError:
                pass
        if x['status'] // 100 == 2 and x.get('request'):
            try:
                requests[key].append(json.loads(x['request']))
            except ValueError:
                pass

    for method, path, _, _, op in ops:
        key = (method, path)
        op.setdefault('tags', [tag_of(path)])
        responses = op.setdefault('responses', {})
        # a write that sent JSON: its request schema and a real example
        if method in ('POST', 'PUT', 'PATCH') and key in requests and 'requestBody' not in op:
            samples = [r for r in requests[key] if isinstance(r, dict)]
            if samples:
                schema = infer(samples)
                op['requestBody'] = {'required': True, 'content': {'application/json': {
                    'schema': schema, 'example': samples[0]}}}
        elif 'requestBody' in op:
            for media in op['requestBody'].get('content', {}).values():
                if 'example' not in media and 'examples' not in media and key in requests:
                    samples = [r for r in requests[key] if isinstance(r, dict)]
                    if samples:
                        media['example'] = samples[0]
        for status, response in list(responses.items()):
            status = str(status)
            if status[0] in '45':
                if '$ref' not in response:
                    text = response.get('description') if isinstance(response, dict) else None
                    responses[status] = {'$ref': '#/components/responses/Problem'}
                    if text and text != 'refused; see `code`':
                        responses[status]['description'] = text
                continue
            if status[0] != '2' or not isinstance(response, dict) or status == '204':
                continue
            content = response.setdefault('content', {})
            seen = types.get(key + (status,), set())
            if 'application/json' in seen and 'application/json' not in content and answers.get(key + (status,)):
                content['application/json'] = {'schema': infer(answers[key + (status,)])}
            for t in seen - {'application/json', 'application/problem+json'}:
                content.setdefault(t, {'schema': {'type': 'string', 'format': 'binary'} if 'openxml' in t or t.startswith('image/')
                                       else {'type': 'string'}})
            if not content:
                del response['content']
        # a status the tests saw that the document does not list
        for (m, p, status), _ in list(types.items()):
            if (m, p) == key and status[0] == '2' and status not in [str(s) for s in responses]:
                entry = {'description': 'answered'}
                if answers.get((m, p, status)):
                    entry['content'] = {'application/json': {'schema': infer(answers[(m, p, status)])}}
                responses[status] = entry

    # each refusal names the codes it answers with (Problem.code lists every code there is)
    for (m, p, status), codes in problem_codes.items():
        codes.discard(None)
        op = doc['paths'][p][m.lower()]
        responses = op.setdefault('responses', {})
        if not codes or (status not in responses and status in ('401', '403')):
            continue  # the security scheme's answers: every route has them
        entry = responses.setdefault(status, {'$ref': '#/components/responses/Problem'})
        base = (entry.get('description') or '').split('Among its codes:')[0].strip().rstrip('.')
        entry['description'] = (base + '. ' if base else '') + 'Among its codes: ' + ', '.join(sorted(codes)) + '.'

    doc['tags'] = [{'name': t, 'description': TAG_TEXT[t]} for t in TAG_TEXT]
    ordered = {k: doc[k] for k in ('openapi', 'info', 'servers', 'tags', 'security', 'components', 'paths') if k in doc}
    ordered.update({k: v for k, v in doc.items() if k not in ordered})
    with open(DOC, 'w') as out:
        # no anchors: a schema used twice is written twice (Jackson's YAML reader does not follow aliases)
        yaml.dump(ordered, out, Dumper=NoAliases, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)


if __name__ == '__main__':
    main(sys.argv[1])
