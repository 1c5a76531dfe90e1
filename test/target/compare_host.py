#!/usr/bin/env python3
"""Compares what host_main.c printed (each output as "output NN" and hex lines) with the outputs
`tigris run` wrote for a prepared entry (run_target.py prepare). Exit 0 when every output is
byte-identical. Usage: compare_host.py ENTRY.json OUT.txt TAG [NOTE]"""
import json
import sys

entry, out, tag = sys.argv[1:4]
note = sys.argv[4] if len(sys.argv) > 4 else ""
want = json.load(open(entry))["expected"]
got, cur = [], None
for line in open(out).read().splitlines():
    if line.startswith("output "):
        cur = []
        got.append(cur)
    elif cur is not None:
        cur.append(line.strip())
got = ["".join(g) for g in got]
if got != want:
    sys.exit(f"{tag}: FAIL: the generated C's outputs differ from tigris run")
print(f"{tag}: PASS ({len(got)} output(s) bit-identical to tigris run{'; ' + note if note else ''})")
