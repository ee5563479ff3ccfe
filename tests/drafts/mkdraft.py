#!/usr/bin/python3
"""Write or read a draft the way src/app/draft.c does (see include/ticketed/draft.h),
for the tests of `ticketed drafts` and the editor that must not depend on draft.c.

  mkdraft.py URL ID TITLE EDITS_JSON   write a draft, print its journal's path
                                       (EDITS_JSON may be @FILE: read from FILE)
  mkdraft.py --read JOURNAL            print the journal's edits (JSON), either version

Drafts go to $XDG_STATE_HOME/ticketed/drafts (created 0700). TITLE may use
\\e (ESC) and \\a (BEL) for hostile titles. The journal is version 1 (one JSON
object, as older ticketed wrote it) unless MKDRAFT_VERSION=2 (JSON Lines: a
header, then one record with every edit and its checksum). MKDRAFT_SAVED_AT
sets the save time written (\\e and \\a work there too)."""
import json, os, re, sys, time


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return '%016x' % h


def normalize(url):
    m = re.match(r'^([A-Za-z][A-Za-z0-9+.-]*://)?([^/?#]*)(.*)$', url)
    scheme, auth, rest = m.group(1) or '', m.group(2), m.group(3)
    host = auth.rsplit('@', 1)[-1]
    out = scheme.lower() + host.lower() + rest
    while len(out) > len(scheme) and out.endswith('/'):
        out = out[:-1]
    return out


def hostile(s):
    return s.replace('\\e', '\x1b').replace('\\a', '\x07')


def compact(v):
    return json.dumps(v, ensure_ascii=False, separators=(',', ':'))


def read(path):
    """The edits of a journal: version 1's "edits", or version 2's records
    replayed (a torn last line ignored), in the order draft.c gives them."""
    data = open(path, 'rb').read()
    first = data.split(b'\n', 1)[0]
    try:
        head = json.loads(first)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get('version') != 2:
        return json.loads(data)['edits']
    lines = data.split(b'\n')[1:-1]  # complete lines; what follows the last newline is torn
    state, order, seq = {}, {}, 0
    for i, line in enumerate(lines):
        m = re.match(rb'^\{"sum":"([0-9a-f]{16})","rec":(.*)\}$', line)
        if not m or fnv1a64(m.group(2)) != m.group(1).decode():
            if i == len(lines) - 1:
                break  # a torn last record
            raise SystemExit('%s:%d: damaged record' % (path, i + 2))
        rec = json.loads(m.group(2))
        for e in rec['set']:
            k = (e['field'], e.get('key'))
            if k not in state:
                order[k] = seq
            state[k] = e
            seq += 1
        for d in rec['drop']:
            k = (d['field'], d.get('key'))
            state.pop(k, None)
            order.pop(k, None)
            seq += 1
    return [state[k] for k in sorted(state, key=lambda k: order[k])]


def write(url, tid, title, edits):
    title = hostile(title)
    saved = hostile(os.environ.get('MKDRAFT_SAVED_AT', time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())))
    norm = normalize(url)
    key = '%d-%s' % (tid, fnv1a64(norm.encode()))
    d = os.path.join(os.environ['XDG_STATE_HOME'], 'ticketed', 'drafts')
    os.makedirs(d, mode=0o700, exist_ok=True)
    base = compact({'TicketId': tid, 'Title': title}).encode()
    h = fnv1a64(base)
    base_file = '%s.base-%s.json' % (key, h)
    with open(os.path.join(d, base_file), 'wb') as f:
        f.write(base)
    path = os.path.join(d, key + '.json')
    if os.environ.get('MKDRAFT_VERSION') == '2':
        head = {'version': 2, 'url': norm, 'ticket_id': tid, 'created_at': saved, 'title': title,
                'base_file': base_file, 'base_hash': h}
        rec = compact({'at': saved, 'set': edits, 'drop': []}).encode()
        with open(path, 'wb') as f:
            f.write(compact(head).encode() + b'\n')
            f.write(b'{"sum":"' + fnv1a64(rec).encode() + b'","rec":' + rec + b'}\n')
    else:
        journal = {'version': 1, 'url': norm, 'ticket_id': tid, 'saved_at': saved,
                   'title': title, 'base_file': base_file, 'base_hash': h, 'edits': edits}
        with open(path, 'w') as f:
            json.dump(journal, f)
    os.chmod(path, 0o600)
    print(path)


def main():
    if sys.argv[1] == '--read':
        print(json.dumps(read(sys.argv[2])))
    else:
        e = sys.argv[4]
        write(sys.argv[1], int(sys.argv[2]), sys.argv[3], json.loads(open(e[1:]).read() if e.startswith('@') else e))


main()
