"""One callgrind process, many measured calls: the instruction-count gates'
runner (instructions.py, scaling.py).

Starting CPython under valgrind costs about as much as the calls the gates
measure (5 s of this machine's time each), so each gate runs a few processes
that make many calls, and callgrind writes one profile per call: the program
calls jcodec._cache_clear (DUMP_POINT) before each measured call and once at
its end, and --dump-before makes every such call close a profile. A profile
then holds what ran between two dump points: with --collect-atstart=no and
--toggle-collect=FUNCTION, only the inside of that function; otherwise
everything (the interpreter's loop around the call included).

    segments(program, toggles=(), env=None, name=..., directory=None)
        runs `valgrind --tool=callgrind ... program`, returns (the instruction
        count of each profile a dump point closed, the program's stdout); the
        first is what ran before the first dump point; the profiles go to a
        temporary folder in `directory` (the system's by default)
"""
import pathlib
import re
import subprocess
import tempfile

# jcodec._cache_clear's C function, whatever suffix link-time optimisation
# gives the static name (a profile's trigger line names the function matched:
# cache_clear.lto_priv.0). _cache_clear(keys=False) clears nothing the calls
# use: a dump point only.
DUMP_POINT = "cache_clear*"
TOTALS = re.compile(rb"^(?:totals|summary):\s*(\d+)", re.M)
TRIGGER = b"Trigger: --dump-before=" + DUMP_POINT.rstrip("*").encode()


def failure(what, stderr):
    """An error naming its cause: the last line of the program's own output
    (valgrind's lines start with ==pid==), the whole end of it after."""
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("==")]
    cause = lines[-1].strip() if lines else "no output"
    return RuntimeError(f"{what} failed ({cause})\n{stderr[-2000:]}")


def segments(program, toggles=(), env=None, name="the workload", directory=None):
    with tempfile.TemporaryDirectory(prefix="callgrind-", dir=directory) as out:
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.out", "--cache-sim=no"]
        if toggles:
            command.append("--collect-atstart=no")
        # One option per function: callgrind keeps only the last one given for
        # a name, so the dump point must not be one of the toggled functions.
        command += [f"--toggle-collect={function}" for function in toggles]
        command += [f"--dump-before={DUMP_POINT}", *map(str, program)]
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        if done.returncode != 0:
            raise failure(f"callgrind on {name}", done.stderr)
        profiles = sorted(pathlib.Path(out).glob("cg.out.*"), key=lambda p: int(p.suffix[1:]))
        texts = [p.read_bytes() for p in profiles]
    counts = [int(TOTALS.search(text).group(1)) for text in texts if TRIGGER in text]
    return counts, done.stdout
