#!/usr/bin/python3
"""Write a draft the way src/app/draft.c does (see include/ticketed/draft.h),
for the CLI tests of `ticketed drafts` that must not depend on the editor.

  mkdraft.py URL ID TITLE EDITS_JSON
Drafts go to $XDG_STATE_HOME/ticketed/drafts (created 0700). TITLE may use
\\e (ESC) and \\a (BEL) for hostile titles. Prints the journal's path."""
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


def main():
    url, tid, title, edits = sys.argv[1], int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
    title = title.replace('\\e', '\x1b').replace('\\a', '\x07')
    norm = normalize(url)
    key = '%d-%s' % (tid, fnv1a64(norm.encode()))
    d = os.path.join(os.environ['XDG_STATE_HOME'], 'ticketed', 'drafts')
    os.makedirs(d, mode=0o700, exist_ok=True)
    base = json.dumps({'TicketId': tid, 'Title': title}, separators=(',', ':')).encode()
    h = fnv1a64(base)
    base_file = '%s.base-%s.json' % (key, h)
    with open(os.path.join(d, base_file), 'wb') as f:
        f.write(base)
    journal = {'version': 1, 'url': norm, 'ticket_id': tid,
               'saved_at': time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime()),
               'title': title, 'base_file': base_file, 'base_hash': h, 'edits': edits}
    path = os.path.join(d, key + '.json')
    with open(path, 'w') as f:
        json.dump(journal, f)
    print(path)


main()
