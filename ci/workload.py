"""The program the instruction-count gates run under callgrind (ci/callgrind.py):
    python3 ci/workload.py CALLS
CALLS is JSON, a list of [impl, op, document, count, cold]. Every argument is
made first (loads: the document's bytes; dumps: its parsed value); then, per
entry, a dump point (jcodec._cache_clear; keys=True when cold: an empty key
cache, as a fresh process has) and COUNT calls of IMPL.OP. One more dump point
ends the run. So, counting the profiles the dump points close from 0, profile
0 is start-up and profile i + 1 holds entry i's calls and nothing else the
program does."""
import importlib
import json
import sys

import jcodec

calls = json.loads(sys.argv[1])
arguments = {}
for impl, op, path, count, cold in calls:
    if (op, path) not in arguments:
        with open(path, "rb") as f:
            data = f.read()
        arguments[(op, path)] = data if op == "loads" else json.loads(data)
functions = [(getattr(importlib.import_module(impl), op), arguments[(op, path)], count, cold)
             for impl, op, path, count, cold in calls]
for function, argument, count, cold in functions:
    jcodec._cache_clear(keys=cold)
    for _ in range(count):
        function(argument)
jcodec._cache_clear(keys=False)
