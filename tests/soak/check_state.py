#!/usr/bin/env python3
"""The chaos soak's checker: the simulator's final state against a reference model.

Pure functions over JSON values (the simulator's /state dumps, its journal, the daemon's admin list)
so the rules can be tested without processes: `python3 check_state.py --self-test`.

The model is what the soak's driver did: per incident id, its number and the range of statuses it
may have ended in (`min`: what a confirmed action made certain; `max`: what every attempted action
would give). A button click that reached a daemon being killed may or may not have acted, hence a
range, not one value.
"""
import collections
import json
import sys

sys.dont_write_bytecode = True

RANK = {'triggered': 0, 'acknowledged': 1, 'resolved': 2}
# The buttons a card shows in each status.
CARD_ACTIONS = {'triggered': ['acknowledge', 'resolve'], 'acknowledged': ['resolve'], 'resolved': []}
OPENING_NOTE = '[warroom] War room:'
MARKER = '[warroom]'


class Report:
    """Invariants checked and the violations found, each one sentence naming the incident."""

    def __init__(self):
        self.checked = 0
        self.violations = []

    def expect(self, ok, what):
        self.checked += 1
        if not ok:
            self.violations.append(what)


def card_actions(post):
    """The action ids of a card post's buttons, in order."""
    out = []
    for attachment in (post.get('props') or {}).get('attachments') or []:
        for action in attachment.get('actions') or []:
            out.append(action.get('id', ''))
    return out


def index(pd, mm, jira):
    """Per incident id: its PagerDuty incident, channels, cards, issues."""
    incidents = {i['id']: i for i in pd.get('incidents', [])}
    cards = collections.defaultdict(list)
    for post in mm.get('posts', []):
        owner = (post.get('props') or {}).get('warroom_incident')
        if owner:
            cards[owner].append(post)
    channels = collections.defaultdict(list)
    for ch in mm.get('channels', []):
        name = ch.get('display_name', '')
        if name.startswith('INC ') and ':' in name:
            channels[name[4:name.index(':')]].append(ch)
    issues = collections.defaultdict(list)
    for issue in jira.get('issues', []):
        for label in issue.get('labels', []):
            if label.startswith('pagerduty-'):
                issues[label[len('pagerduty-'):]].append(issue)
    return incidents, channels, cards, issues


def check_incident(report, iid, want, pd_inc, channels, cards, issues, daemon_room):
    """The one-of-each and agreement rules for one incident of the model."""
    report.expect(pd_inc is not None, f'{iid}: unknown to PagerDuty')
    if pd_inc is None:
        return
    number = str(pd_inc.get('incident_number', want.get('number')))
    status = pd_inc.get('status', '')
    report.expect(len(channels.get(number, [])) == 1,
                  f'{iid}: {len(channels.get(number, []))} channels named INC {number}')
    report.expect(len(issues.get(iid, [])) == 1, f'{iid}: {len(issues.get(iid, []))} Jira issues')
    report.expect(len(cards.get(iid, [])) == 1, f'{iid}: {len(cards.get(iid, []))} cards')
    notes = [n for n in pd_inc.get('notes', []) if n.get('content', '').startswith(OPENING_NOTE)]
    report.expect(len(notes) == 1, f'{iid}: {len(notes)} opening notes')
    lo, hi = RANK[want['min']], RANK[want['max']]
    report.expect(lo <= RANK.get(status, -1) <= hi,
                  f'{iid}: PagerDuty says {status}, the driver made it {want["min"]}..{want["max"]}')
    if len(cards.get(iid, [])) == 1:
        shown = card_actions(cards[iid][0])
        report.expect(shown == CARD_ACTIONS.get(status),
                      f'{iid}: PagerDuty {status} but the card offers {shown}')
    if len(issues.get(iid, [])) == 1:
        category = issues[iid][0].get('status_category', '')
        report.expect((category == 'done') == (status == 'resolved'),
                      f'{iid}: PagerDuty {status} but the Jira issue is in category {category}')
    seen = (daemon_room or {}).get('status')
    report.expect(seen == status, f'{iid}: PagerDuty {status} but warroomd has {seen}')


def check_nothing_twice(report, pd, mm, jira):
    """No Mattermost message, Jira comment or warroom note written twice in the same place."""
    # A message names the step that wrote it (props.warroom_step): the same step twice is a double.
    # Without one (an older daemon), the same text twice in a channel counts as one.
    posts = collections.Counter()
    texts = {}
    for p in mm.get('posts', []):
        props = p.get('props') or {}
        if props.get('warroom_incident'):
            continue  # cards are counted per incident
        key = props.get('warroom_step') or (p.get('channel_id'), p.get('message'))
        posts[key] += 1
        texts[key] = p.get('message', '')
    for key, n in sorted(posts.items(), key=str):
        report.expect(n == 1, f'{key}: posted {n} times: {texts[key][:80]!r}')
    for issue in jira.get('issues', []):
        comments = collections.Counter(json.dumps(c.get('body'), sort_keys=True)
                                       for c in issue.get('comments', []))
        for body, n in comments.items():
            report.expect(n == 1, f'{issue.get("key")}: comment written {n} times: {body[:80]}')
    for inc in pd.get('incidents', []):
        ours = collections.Counter(n.get('content', '') for n in inc.get('notes', [])
                                   if n.get('content', '').startswith(MARKER))
        for content, n in ours.items():
            report.expect(n == 1, f'{inc["id"]}: note written {n} times: {content[:80]!r}')


def check(model, pd, mm, jira, daemon):
    """Every invariant; `daemon` is warroomd's GET /api/v1/incidents answer."""
    report = Report()
    incidents, channels, cards, issues = index(pd, mm, jira)
    rooms = {r['id']: r for r in daemon.get('incidents', []) if 'id' in r}
    report.expect(len(incidents) == len(model),
                  f'PagerDuty holds {len(incidents)} incidents, the driver triggered {len(model)}')
    for iid, want in sorted(model.items()):
        check_incident(report, iid, want, incidents.get(iid), channels, cards, issues, rooms.get(iid))
    dead = daemon.get('dead_jobs', [])
    report.expect(not dead, f'{len(dead)} dead jobs: ' + '; '.join(
        f'{j.get("incident_id")} {j.get("kind")}: {j.get("last_error", "")[:80]}' for j in dead[:5]))
    check_nothing_twice(report, pd, mm, jira)
    return report


def fault_counts(journal):
    """Injected faults by kind, from the simulator's journal."""
    counts = collections.Counter(r.get('fault') or '' for r in journal.get('requests', []))
    counts.pop('', None)
    return dict(sorted(counts.items()))


# --- self-test -------------------------------------------------------------------------------

def _world(status='acknowledged'):
    card = {'id': 'c1', 'channel_id': 'ch1', 'message': '', 'props': {
        'warroom_incident': 'P1', 'attachments': [{'actions': [{'id': a} for a in CARD_ACTIONS[status]]}]}}
    pd = {'incidents': [{'id': 'P1', 'incident_number': 7, 'status': status, 'notes': [
        {'content': '[warroom] War room: Mattermost channel ~inc-7\nwarroom-ref: open/P1'}]}]}
    mm = {'channels': [{'id': 'ch1', 'display_name': 'INC 7: disk full'}],
          'posts': [card, {'id': 'm1', 'channel_id': 'ch1', 'message': 'War room opened'}]}
    jira = {'issues': [{'key': 'OPS-1', 'labels': ['pagerduty', 'pagerduty-P1'],
                        'status_category': 'done' if status == 'resolved' else 'new', 'comments': []}]}
    daemon = {'incidents': [{'id': 'P1', 'status': status}], 'dead_jobs': []}
    return {'P1': {'number': 7, 'min': 'triggered', 'max': 'resolved'}}, pd, mm, jira, daemon


def self_test():
    cases = []
    model, pd, mm, jira, daemon = _world()
    cases.append(('clean', (model, pd, mm, jira, daemon), []))
    model, pd, mm, jira, daemon = _world()
    pd['incidents'][0]['notes'].append(dict(pd['incidents'][0]['notes'][0]))
    cases.append(('doubled note', (model, pd, mm, jira, daemon), ['2 opening notes', 'note written 2 times']))
    model, pd, mm, jira, daemon = _world()
    mm['posts'].append({'id': 'm2', 'channel_id': 'ch1', 'message': 'War room opened'})
    cases.append(('doubled message', (model, pd, mm, jira, daemon), ['posted 2 times']))
    model, pd, mm, jira, daemon = _world()
    mm['posts'] += [{'id': f'r{i}', 'channel_id': 'ch1', 'message': 'Reopened',
                     'props': {'warroom_step': f'P1/job.{i}.message'}} for i in (1, 2, 2)]
    cases.append(('same text, two steps; one step twice', (model, pd, mm, jira, daemon),
                  ['P1/job.2.message: posted 2 times']))
    model, pd, mm, jira, daemon = _world('resolved')
    jira['issues'][0]['status_category'] = 'indeterminate'
    daemon['incidents'][0]['status'] = 'acknowledged'
    cases.append(('disagreement', (model, pd, mm, jira, daemon), ['category indeterminate', 'warroomd has']))
    model, pd, mm, jira, daemon = _world()
    mm['posts'][0]['props']['attachments'][0]['actions'] = [{'id': 'acknowledge'}, {'id': 'resolve'}]
    model['P1']['min'] = 'resolved'
    mm['channels'].append({'id': 'ch2', 'display_name': 'INC 7: disk full'})
    daemon['dead_jobs'] = [{'incident_id': 'P1', 'kind': 'open', 'last_error': 'x'}]
    cases.append(('card, range, channels, dead', (model, pd, mm, jira, daemon),
                  ['card offers', 'driver made it resolved', '2 channels', '1 dead jobs']))
    failed = 0
    for name, args, wanted in cases:
        report = check(*args)
        text = '\n'.join(report.violations)
        ok = report.checked > 10 and len(report.violations) == len(wanted) and all(w in text for w in wanted)
        if not ok:
            failed += 1
            print(f'FAIL {name}: {report.violations}', file=sys.stderr)
    counts = fault_counts({'requests': [{'fault': 'reset'}, {'fault': ''}, {'fault': 'error'}, {'fault': 'reset'}]})
    if counts != {'error': 1, 'reset': 2}:
        failed += 1
        print(f'FAIL fault_counts: {counts}', file=sys.stderr)
    print(f'check_state self-test: {len(cases) + 1 - failed}/{len(cases) + 1} passed')
    return 1 if failed else 0


if __name__ == '__main__':
    if sys.argv[1:] == ['--self-test']:
        sys.exit(self_test())
    print('usage: check_state.py --self-test (the soak imports the rest)', file=sys.stderr)
    sys.exit(2)
