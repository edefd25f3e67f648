"""The program the instruction-count gates run under callgrind:
    python3 ci/workload.py IMPL OP DOCUMENT COUNT
calls IMPL.OP (loads of the document's bytes, or dumps of its parsed value)
COUNT times. Nothing else runs between the calls."""
import importlib
import json
import sys

impl, op, path, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
module = importlib.import_module(impl)
with open(path, "rb") as f:
    data = f.read()
argument = data if op == "loads" else json.loads(data)
function = getattr(module, op)
for _ in range(count):
    function(argument)
