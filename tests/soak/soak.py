#!/usr/bin/env python3
"""Chaos soak: warroomd against warroom-sim with faults on, SIGKILLed and restarted, then checked.

Starts warroom-sim (10 % 5xx, 5 % 429 with Retry-After, 2 % connection resets, 0-40 ms of jittered
latency on all three services) and warroomd on a generated config, triggers incidents through the
simulated PagerDuty (which sends signed webhooks), acknowledges and resolves them at random by
clicking the card's buttons in the simulated Mattermost and by acting in PagerDuty, replays
deliveries (the same X-Webhook-Id again: a duplicate; an older event of the incident under a fresh
id: a late, reordered delivery) and SIGKILLs warroomd at random moments, restarting it on the same
store. Then it clears the faults, waits for quiescence and checks the final state with
check_state.py. Exit status 0 only when every invariant held. Python 3 standard library only.
"""
import argparse
import hashlib
import hmac
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_state  # noqa: E402

SECRET = 'soak-webhook-secret'
ADMIN = 'soak-admin'
TEAM = 'team00000000000000000000aa'
CLICKERS = ['alice00000000000000000000a', 'bob0000000000000000000000b', 'carol00000000000000000000c']
PD_USERS = ['alice@example.com', 'bob@example.com', None]  # None: automation, no From
FAULTS = {'error_rate': 0.10, 'rate_limit_rate': 0.05, 'retry_after_s': 1, 'reset_rate': 0.02,
          'latency_ms_min': 0, 'latency_ms_max': 40}

SEED = {
    'pagerduty': {
        'users': [{'id': 'PALICE1', 'name': 'Alice', 'email': 'alice@example.com'},
                  {'id': 'PBOB001', 'name': 'Bob', 'email': 'bob@example.com'},
                  {'id': 'PWARROM', 'name': 'warroom', 'email': 'bot@example.com'}],
        'escalation_policies': [{'id': 'PEP0001', 'name': 'Ops', 'levels': [['PALICE1'], ['PBOB001']]}],
        'services': [{'id': 'PSVC001', 'name': 'Checkout', 'escalation_policy_id': 'PEP0001'}]},
    'mattermost': {
        'team': {'id': TEAM, 'name': 'ops'},
        'bot_user_id': 'bot0000000000000000000000a',
        'users': [{'id': 'bot0000000000000000000000a', 'username': 'warroom', 'email': 'bot@example.com'},
                  {'id': CLICKERS[0], 'username': 'alice', 'email': 'alice@example.com'},
                  {'id': CLICKERS[1], 'username': 'bob', 'email': 'bob@example.com'},
                  {'id': CLICKERS[2], 'username': 'carol', 'email': 'carol@example.com'}]},
    'jira': {'projects': [{'key': 'OPS', 'id': '10000', 'issue_types': ['Incident', 'Task']}],
             'priorities': ['Highest', 'High', 'Medium', 'Low', 'Lowest']},
}


def log(*parts):
    print('soak:', *parts, flush=True)


def call(port, method, path, body=None, headers=None, timeout=10):
    """(status, parsed JSON or text); status 0 when nothing answered."""
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    req = urllib.request.Request(f'http://127.0.0.1:{port}{path}', data=data, method=method)
    req.add_header('Content-Type', 'application/json')
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (OSError, urllib.error.URLError):
        return 0, None
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors='replace')


def eventually(condition, deadline_s, every_s=0.2):
    """True once condition() is; False when the deadline passes first."""
    end = time.monotonic() + deadline_s
    while True:
        if condition():
            return True
        if time.monotonic() > end:
            return False
        time.sleep(every_s)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Sim:
    def __init__(self, binary, work):
        seed = os.path.join(work, 'seed.json')
        with open(seed, 'w') as f:
            json.dump(SEED, f)
        self.err = open(os.path.join(work, 'sim.log'), 'w')
        self.proc = subprocess.Popen(
            [binary, '--seed', seed, '--pagerduty-token', 'pd-token', '--mattermost-token', 'mm-token',
             '--jira-email', 'bot@example.com', '--jira-token', 'jira-token', '--webhook-secret', SECRET,
             '--webhook-retry-base-ms', '50', '--webhook-retry-cap-ms', '2000',
             '--webhook-max-attempts', '40'],
            stdout=subprocess.PIPE, stderr=self.err, text=True)
        self.ports = {}
        for line in self.proc.stdout:  # one line per listener, then "ready"
            if line.strip() == 'ready':
                break
            name, _, addr = line.strip().partition(' listening on ')
            self.ports[name] = int(addr.rsplit(':', 1)[1])
        if set(self.ports) != {'pagerduty', 'mattermost', 'jira', 'control'}:
            raise RuntimeError(f'warroom-sim did not start: {self.ports}')

    def control(self, method, path, body=None):
        return call(self.ports['control'], method, path, body)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.err.close()


def daemon_config(work, sim_ports, port):
    url = lambda name: f'http://127.0.0.1:{sim_ports[name]}'  # noqa: E731
    path = os.path.join(work, 'warroom.yaml')
    with open(path, 'w') as f:
        f.write(f'''server:
  listen: "127.0.0.1:{port}"
  public_url: "http://127.0.0.1:{port}"
  admin_token: "{ADMIN}"
store:
  path: "{os.path.join(work, 'warroom.db')}"
log:
  level: warn
pagerduty:
  api_url: "{url('pagerduty')}"
  token: "pd-token"
  from_email: "bot@example.com"
  webhook_secrets: ["{SECRET}"]
  responder_levels: ["1", "2"]
mattermost:
  url: "{url('mattermost')}"
  token: "mm-token"
  team_id: "{TEAM}"
  action_secret: "soak-action-secret"
jira:
  url: "{url('jira')}"
  email: "bot@example.com"
  token: "jira-token"
  project_key: "OPS"
  issue_type: "Incident"
outbound:
  request_timeout: "3s"
  retry: {{ base: "100ms", cap: "2s", max_attempts: 100, give_up_after: "10m" }}
reminders: {{ unacknowledged_after: "0s" }}
archive: {{ after_resolved: "0s" }}
''')
    return path


class Daemon:
    """warroomd on a fixed port, its output appended to one log across restarts."""

    def __init__(self, binary, config, port, work):
        self.cmd, self.port = [binary, '--config', config], port
        self.out = open(os.path.join(work, 'warroomd.log'), 'ab')
        self.proc = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=self.out, stderr=subprocess.STDOUT)
        if not eventually(lambda: call(self.port, 'GET', '/healthz', timeout=1)[0] == 200, 30, 0.05):
            raise RuntimeError('warroomd did not come up; see warroomd.log')

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def admin(self, path):
        return call(self.port, 'GET', path, headers={'Authorization': f'Bearer {ADMIN}'})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.out.close()


class Driver:
    """Acts like the people and PagerDuty; keeps the model (status range per incident)."""

    def __init__(self, sim, daemon, rng):
        self.sim, self.daemon, self.rng = sim, daemon, rng
        self.model = {}  # incident id -> {'number', 'min', 'max'}
        self.cards = {}  # incident id -> card post id
        self.ack_clicked = set()  # incidents whose Acknowledge button was clicked
        self.counts = {'triggers': 0, 'clicks': 0, 'clicks_refused': 0, 'pd_actions': 0,
                       'pd_refused': 0, 'duplicates': 0, 'reordered': 0, 'replays_unanswered': 0}

    def trigger(self, n):
        status, body = self.sim.control('POST', '/control/pagerduty/trigger', {
            'title': f'soak {n}', 'urgency': self.rng.choice(['high', 'low']), 'service_id': 'PSVC001'})
        if status != 200:
            raise RuntimeError(f'trigger refused: {status} {body}')
        inc = body['incident']
        self.model[inc['id']] = {'number': inc['incident_number'], 'min': 'triggered', 'max': 'triggered'}
        self.counts['triggers'] += 1
        return inc['id']

    def raise_to(self, iid, key, status):
        if check_state.RANK[status] > check_state.RANK[self.model[iid][key]]:
            self.model[iid][key] = status

    def card_of(self, iid):
        if iid not in self.cards:
            _, mm = self.sim.control('GET', '/state/mattermost')
            for post in (mm or {}).get('posts', []):
                owner = (post.get('props') or {}).get('warroom_incident')
                if owner:
                    self.cards[owner] = post['id']
        return self.cards.get(iid)

    def act(self, iid, status):
        """acknowledged or resolved, from a button when the card is there (half the time)."""
        card = self.card_of(iid) if self.rng.random() < 0.5 else None
        if card:
            code, _ = self.sim.control('POST', '/control/mattermost/click', {
                'post_id': card, 'action_id': 'acknowledge' if status == 'acknowledged' else 'resolve',
                'user_id': self.rng.choice(CLICKERS)})
            if code == 200:  # queued: the callback may reach a daemon being killed
                self.counts['clicks'] += 1
                self.raise_to(iid, 'max', status)
                if status == 'acknowledged':
                    self.ack_clicked.add(iid)
            else:
                self.counts['clicks_refused'] += 1
            return
        body = {'incident_id': iid}
        who = self.rng.choice(PD_USERS)
        if who:
            body['from'] = who
        verb = 'acknowledge' if status == 'acknowledged' else 'resolve'
        code, _ = self.sim.control('POST', f'/control/pagerduty/{verb}', body)
        if code == 200:
            self.counts['pd_actions'] += 1
            # An Acknowledge click still being retried may reach PagerDuty after this resolve
            # and reopen the incident (two people acting at once; PagerDuty has no conditional
            # update): then acknowledged is a correct ending too, as long as all agree.
            late_ack = status == 'resolved' and iid in self.ack_clicked
            self.raise_to(iid, 'min', 'acknowledged' if late_ack else status)
            self.raise_to(iid, 'max', status)
        else:
            self.counts['pd_refused'] += 1

    def replay(self):
        """A duplicate (same X-Webhook-Id) or a late older event (fresh id) of some incident."""
        _, hooks = self.sim.control('GET', '/webhooks?purpose=webhook')
        done = [d for d in (hooks or {}).get('deliveries', []) if d.get('outcome') == 'delivered']
        if not done:
            return
        pick = self.rng.choice(done)
        webhook_id = pick['webhook_id']
        kind = 'duplicates'
        later = [d for d in done if d['incident_id'] == pick['incident_id'] and d['seq'] > pick['seq']]
        if later and self.rng.random() < 0.5:
            webhook_id = f'soak-late-{self.rng.getrandbits(48):x}'
            kind = 'reordered'
        body = pick['body'] if isinstance(pick['body'], str) else json.dumps(pick['body'])
        raw = body.encode()
        sig = 'v1=' + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
        code, _ = call(self.daemon.port, 'POST', '/webhooks/pagerduty', raw,
                       {'X-PagerDuty-Signature': sig, 'X-Webhook-Id': webhook_id})
        self.counts[kind if code in (200, 202) else 'replays_unanswered'] += 1


def schedule(args, rng):
    """(time offset s, what, argument) for the whole driving phase, in time order."""
    d = args.duration
    plan = []
    for n in range(args.incidents):
        t = rng.uniform(0, 0.6 * d)
        plan.append((t, 'trigger', n))
        goal = rng.choices(['triggered', 'acknowledged', 'resolved'], [0.2, 0.3, 0.5])[0]
        t2 = rng.uniform(t + 1, 0.8 * d)
        if goal == 'acknowledged' or (goal == 'resolved' and rng.random() < 0.7):
            plan.append((t2, 'ack', n))
        if goal == 'resolved':
            plan.append((rng.uniform(t2 + 2, 0.9 * d + 2), 'resolve', n))
    for k in range(args.kills):
        plan.append((rng.uniform(0.05 * d, 0.9 * d), 'kill', k))
    for r in range(args.incidents // 2):
        plan.append((rng.uniform(0.1 * d, d), 'replay', r))
    return sorted(plan, key=lambda p: p[0])


def drive(args, driver, daemon, rng):
    ids = {}
    kills = 0
    start = time.monotonic()
    for at, what, arg in schedule(args, rng):
        pause = start + at - time.monotonic()
        if pause > 0:
            time.sleep(pause)  # pacing the plan, not waiting for work
        if what == 'trigger':
            ids[arg] = driver.trigger(arg)
        elif what == 'kill':
            daemon.kill()
            kills += 1
            time.sleep(rng.uniform(0, 0.5))  # down for a moment: webhooks and clicks fail meanwhile
            daemon.start()
        elif what == 'replay':
            driver.replay()
        elif arg in ids:
            driver.act(ids[arg], 'acknowledged' if what == 'ack' else 'resolved')
    return kills


def quiescent(sim, daemon, model):
    """No webhook or click in flight, every incident has a war room and no job left to run."""
    _, hooks = sim.control('GET', '/webhooks')
    if any(d.get('outcome') == 'pending' for d in (hooks or {}).get('deliveries', [])):
        return False
    code, listing = daemon.admin('/api/v1/incidents')
    if code != 200 or {r['id'] for r in listing['incidents']} < set(model):
        return False
    for iid in model:
        code, detail = daemon.admin(f'/api/v1/incidents/{iid}')
        if code != 200 or any(j['state'] in ('queued', 'running') for j in detail.get('jobs', [])):
            return False
    return True


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    build = os.path.join(os.path.dirname(os.path.dirname(here)), 'build', 'dev')
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--duration', type=float, default=60, help='driving phase, seconds')
    p.add_argument('--incidents', type=int, default=200)
    p.add_argument('--kills', type=int, default=20)
    p.add_argument('--seed', type=int, default=None)
    p.add_argument('--sim', default=os.path.join(build, 'tests', 'sim', 'warroom-sim'))
    p.add_argument('--daemon', default=os.path.join(build, 'src', 'warroomd'))
    p.add_argument('--settle', type=float, default=180, help='quiescence deadline, seconds')
    p.add_argument('--workdir', help='kept afterwards (default: a temporary folder, removed on success)')
    args = p.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    rng = random.Random(seed)
    work = args.workdir or tempfile.mkdtemp(prefix='warroom-soak-')
    os.makedirs(work, exist_ok=True)
    log(f'seed {seed}, {args.incidents} incidents, {args.kills} kills, {args.duration:g} s, in {work}')

    began = time.monotonic()
    sim = Sim(args.sim, work)
    daemon = None
    try:
        port = free_port()
        daemon = Daemon(args.daemon, daemon_config(work, sim.ports, port), port, work)
        sim.control('POST', '/control/pagerduty/subscribe', {'url': f'http://127.0.0.1:{port}/webhooks/pagerduty'})
        for service in ('pagerduty', 'mattermost', 'jira'):
            sim.control('POST', f'/faults/{service}', FAULTS)
        driver = Driver(sim, daemon, rng)
        kills = drive(args, driver, daemon, rng)
        sim.control('DELETE', '/faults')
        driven = time.monotonic()
        settled = eventually(lambda: quiescent(sim, daemon, driver.model), args.settle, 1.0)
        log(f'driving {driven - began:.0f} s, settling {time.monotonic() - driven:.0f} s'
            + ('' if settled else ' (NOT quiescent by the deadline)'))
        states = {s: sim.control('GET', f'/state/{s}')[1] for s in ('pagerduty', 'mattermost', 'jira')}
        with open(os.path.join(work, 'states.json'), 'w') as f:
            json.dump(states, f)
        _, journal = sim.control('GET', '/journal')
        _, listing = daemon.admin('/api/v1/incidents')
        report = check_state.check(driver.model, states['pagerduty'], states['mattermost'],
                                   states['jira'], listing or {})
        faults = check_state.fault_counts(journal or {})
        with open(os.path.join(work, 'result.json'), 'w') as f:
            json.dump({'seed': seed, 'kills': kills, 'counts': driver.counts, 'faults': faults,
                       'model': driver.model, 'checked': report.checked,
                       'violations': report.violations}, f, indent=1)
        log(f'incidents {len(driver.model)}, kills {kills}, requests {len((journal or {}).get("requests", []))}')
        log('faults injected: ' + ', '.join(f'{k} {v}' for k, v in faults.items()))
        log('driver: ' + ', '.join(f'{k} {v}' for k, v in driver.counts.items()))
        log(f'invariants checked {report.checked}, violations {len(report.violations)}')
        for v in report.violations[:40]:
            log('VIOLATION', v)
        ok = settled and not report.violations
    finally:
        if daemon:
            daemon.stop()
        sim.stop()
    if ok and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    elif not ok:
        log(f'kept {work} (warroomd.log, sim.log, result.json)')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
