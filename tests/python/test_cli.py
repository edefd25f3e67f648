"""python -m jcodec, run as a subprocess: pretty-printing, compact output and
JSON Lines against the standard library's output, stdin and stdout, files,
--check's exit status and its report (FILE:LINE:COLUMN: MESSAGE, the line, a
caret under the offending character) byte for byte, windows on long lines,
usage errors, and 200 MB documents."""
import json
import os
import subprocess
import sys
import time
from decimal import Decimal

import pytest

import jcodec

PACKAGE_PARENT = os.path.dirname(os.path.dirname(jcodec.__file__))


def cli(*args, input=None, timeout=60):
    """python -m jcodec ARGS, with this jcodec; the CompletedProcess (bytes)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (PACKAGE_PARENT, env.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-m", "jcodec", *map(str, args)], input=input,
                          capture_output=True, env=env, timeout=timeout)


def check_error(path, data, report):
    """--check of data (written to path) fails with exactly `report` (the
    three lines, with PATH for the file's name) on stderr, as does a plain
    run, which writes nothing on stdout."""
    path.write_bytes(data)
    expected = report.replace("PATH", str(path)).encode()
    for args in (["--check", path], [path]):
        proc = cli(*args)
        assert (proc.returncode, proc.stdout) == (1, b""), proc
        assert proc.stderr == expected, proc.stderr.decode(errors="replace")


DOC = {"name": "jcodec", "tags": ["json", "fast", "caf\u00e9 \u4e2d"], "n": [1, 2.5, -0.0, 10**30],
       "nested": {"z": None, "a": True, "m": {}}, "empty": []}
DOC_BYTES = json.dumps(DOC).encode()


# ---------------------------------------------------------------------------
# Output


def test_pretty_by_default_from_stdin():
    proc = cli(input=DOC_BYTES)
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout == (json.dumps(DOC, indent=2, ensure_ascii=False) + "\n").encode()
    assert cli("--indent", "2", input=DOC_BYTES).stdout == proc.stdout
    assert cli("-", input=DOC_BYTES).stdout == proc.stdout
    assert cli("--no-ensure-ascii", input=DOC_BYTES).stdout == proc.stdout


def test_compact_and_sorted():
    compact = cli("--compact", input=DOC_BYTES)
    assert compact.stdout == (json.dumps(DOC, separators=(",", ":"), ensure_ascii=False) + "\n").encode()
    both = cli("--compact", "--sort-keys", input=DOC_BYTES)
    assert both.stdout == (json.dumps(DOC, separators=(",", ":"), ensure_ascii=False,
                                      sort_keys=True) + "\n").encode()
    pretty_sorted = cli("--sort-keys", input=DOC_BYTES)
    assert pretty_sorted.stdout == (json.dumps(DOC, indent=2, ensure_ascii=False,
                                               sort_keys=True) + "\n").encode()


def test_infile_and_outfile(tmp_path):
    infile, outfile = tmp_path / "in.json", tmp_path / "out.json"
    infile.write_bytes(DOC_BYTES)
    proc = cli("--compact", infile, outfile)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    assert json.loads(outfile.read_bytes()) == DOC
    # The whole document is read before outfile is opened: in place works.
    assert cli("--sort-keys", outfile, outfile).returncode == 0
    assert outfile.read_bytes() == (json.dumps(DOC, indent=2, ensure_ascii=False,
                                               sort_keys=True) + "\n").encode()


def test_invalid_input_leaves_outfile_alone(tmp_path):
    infile, outfile = tmp_path / "in.json", tmp_path / "out.json"
    infile.write_bytes(b"[1,")
    proc = cli(infile, outfile)
    assert proc.returncode == 1 and not outfile.exists()


def test_decimal_keeps_the_digits():
    data = b'{"price": 1.10, "big": 1e400, "n": 2, "tiny": -0.000E-7}'
    proc = cli("--compact", "--decimal", input=data)
    assert proc.stdout == b'{"price":1.10,"big":1E+400,"n":2,"tiny":-0E-10}\n', proc.stderr
    assert json.loads(proc.stdout, parse_float=Decimal)["price"] == Decimal("1.10")
    plain = cli("--compact", input=b"[1.10]")
    assert plain.stdout == b"[1.1]\n"
    out_of_range = cli("--check", input=b"[1e400]")
    assert out_of_range.returncode == 1
    assert out_of_range.stderr.startswith(b"<stdin>:1:2: number out of range: 1e400")
    assert cli("--check", "--decimal", input=b"[1e400]").returncode == 0


def test_deeper_than_dumps_writes():
    data = b"[" * 300 + b"]" * 300
    assert cli("--check", input=data).returncode == 0  # loads takes 1024 levels
    proc = cli(input=data)
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.startswith(b"<stdin>: cannot be written: maximum nesting depth of 254")


def test_stdout_closed_early():
    """A reader that stops (| head): exit status 1, no traceback."""
    data = b"[" + b",".join(b'"%d"' % i for i in range(300000)) + b"]"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (PACKAGE_PARENT, os.environ.get("PYTHONPATH")) if p))
    child = subprocess.Popen([sys.executable, "-m", "jcodec"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    child.stdin.write(data)
    child.stdin.close()
    assert child.stdout.read(10) == b'[\n  "0",\n '
    child.stdout.close()
    stderr = child.stderr.read()
    assert child.wait(timeout=60) == 1
    assert stderr == b""


# ---------------------------------------------------------------------------
# --check and the error report


def test_check_valid(tmp_path):
    path = tmp_path / "ok.json"
    path.write_bytes(DOC_BYTES)
    proc = cli("--check", path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    assert cli("--check", input=b" [1, 2] \r\n").returncode == 0


def test_report_points_at_the_character(tmp_path):
    path = tmp_path / "doc.json"
    check_error(path, b'{"a": [1, 2,\n  "b" 3]}',
                "PATH:2:7: expected ',' or ']' after array element, found '3'\n"
                '  "b" 3]}\n'
                "      ^\n")
    check_error(path, b'{"a" 1}',
                "PATH:1:6: expected ':' after object key, found '1'\n"
                '{"a" 1}\n'
                "     ^\n")
    check_error(path, b"[1,]",
                "PATH:1:3: trailing comma before ']'\n"
                "[1,]\n"
                "  ^\n")


def test_report_at_the_end_and_of_an_empty_file(tmp_path):
    path = tmp_path / "doc.json"
    check_error(path, b"[", "PATH:1:2: expected a value, found end of data\n[\n ^\n")
    check_error(path, b"", "PATH:1:1: empty document\n\n^\n")
    check_error(path, b'{"a":1}\r\n,',
                "PATH:2:1: extra data after the JSON value: ','\n,\n^\n")


def test_report_keeps_tabs_and_counts_characters(tmp_path):
    """COLUMN counts characters (code points), not bytes; the caret line
    keeps the tabs and gives wide characters two cells."""
    path = tmp_path / "doc.json"
    check_error(path, b'\n\n\t{"k": tru}',
                "PATH:3:8: invalid literal: expected 'true'\n"
                '\t{"k": tru}\n'
                "\t      ^\n")
    check_error(path, '["\u4e2d\u6587", 1, x]'.encode(),
                "PATH:1:11: expected a value, found 'x'\n"
                '["\u4e2d\u6587", 1, x]\n'
                "            ^\n")
    check_error(path, b'["caf\xc3\xa9", "\xff"]',
                "PATH:1:11: invalid UTF-8 byte 0xFF (not a UTF-8 lead byte)\n"
                '["caf\u00e9", "\ufffd"]\n'
                "          ^\n")
    # A control character is shown as U+FFFD, the caret under it.
    check_error(path, b'["a\x01"]',
                "PATH:1:4: unescaped control character 0x01 in string\n"
                '["a\ufffd"]\n'
                "   ^\n")


def test_report_on_a_long_line_shows_a_window(tmp_path):
    path = tmp_path / "doc.json"
    data = b"[" + b"1," * 300 + b"x" + b",1" * 300 + b"]"
    check_error(path, data,
                "PATH:1:602: expected a value, found 'x'\n"
                "..." + "1," * 25 + "x" + ",1" * 25 + "...\n"
                + " " * 53 + "^\n")
    # Non-ASCII before the error on a long line: the window is cut on a
    # character boundary.
    data = b'["' + "\u00e9".encode() * 1000 + b'" x]'
    check_error(path, data,
                "PATH:1:1005: expected ',' or ']' after array element, found 'x'\n"
                "..." + "\u00e9" * 48 + '" x]\n'
                + " " * 53 + "^\n")


# ---------------------------------------------------------------------------
# JSON Lines


def test_json_lines_in_and_out():
    data = b'{"a": 1}\n\n  \n[2, 3]\r\n"x"\n{"b": [1.5]}'
    proc = cli("--json-lines", input=data)
    assert (proc.returncode, proc.stderr) == (0, b"")
    assert proc.stdout == b'{"a":1}\n[2,3]\n"x"\n{"b":[1.5]}\n'
    assert cli("--json-lines", "--sort-keys", input=b'{"b":1,"a":2}\n').stdout == b'{"a":2,"b":1}\n'
    assert cli("--json-lines", "--decimal", input=b"[1.50]\n").stdout == b"[1.50]\n"
    assert cli("--json-lines", "--check", input=data).returncode == 0
    empty = cli("--json-lines", input=b"\n\n")
    assert (empty.returncode, empty.stdout) == (0, b"")


@pytest.mark.parametrize("decimal", [[], ["--decimal"]], ids=["iter_lines", "decimal"])
def test_json_lines_error_names_the_line(tmp_path, decimal):
    path = tmp_path / "lines.jsonl"
    path.write_bytes(b'{"a": 1}\n\n[2]\r\n{"x" 3}\r\n[4]\n')
    proc = cli("--json-lines", "--check", *decimal, path)
    assert proc.returncode == 1
    assert proc.stderr == (f"{path}:4:6: expected ':' after object key, found '3'\n"
                           '{"x" 3}\n'
                           "     ^\n").encode()


def test_json_lines_usage_errors(tmp_path):
    proc = cli("--json-lines", "--indent", "2", input=b"1\n")
    assert proc.returncode == 2 and b"no --indent" in proc.stderr
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"1\n")
    proc = cli("--json-lines", path, path)
    assert proc.returncode == 2 and b"outfile must not be infile" in proc.stderr
    assert path.read_bytes() == b"1\n"


# ---------------------------------------------------------------------------
# Usage


def test_help():
    proc = cli("--help")
    assert proc.returncode == 0
    text = proc.stdout.decode()
    assert text.startswith("usage: python -m jcodec ")
    for option in ("--check", "--sort-keys", "--json-lines", "--indent", "--compact", "--decimal",
                   "infile", "outfile", "FILE:LINE:COLUMN"):
        assert option in text, option
    assert "2 is the only width" in " ".join(text.split())


def test_usage_errors(tmp_path):
    for args in (["--indent", "4"], ["--tab"], ["--indent", "2", "--compact"], ["a", "b", "c"]):
        proc = cli(*args, input=b"1")
        assert proc.returncode == 2 and proc.stderr.startswith(b"usage: python -m jcodec"), args
    missing = cli(tmp_path / "missing.json")
    assert missing.returncode == 2 and b"can't open" in missing.stderr
    assert cli("--check", tmp_path / "a.json", tmp_path / "b.json").returncode == 2


# ---------------------------------------------------------------------------
# 200 MB


LINE = b'  "' + b"abcdefghij" * 100 + b'",\n'  # 1006 bytes


def _scratch_directory(tmp_path_factory):
    """Where the big files go: RAM (/dev/shm) when it has room, as writing
    600 MB there takes a fraction of what a disk takes; else pytest's tmp."""
    import shutil
    import tempfile

    if os.path.isdir("/dev/shm") and shutil.disk_usage("/dev/shm").free > 2 * 1024 ** 3:
        return tempfile.mkdtemp(prefix="jcodec-cli-", dir="/dev/shm")
    return str(tmp_path_factory.mktemp("big"))


@pytest.fixture(scope="module")
def big_files(tmp_path_factory):
    """A 200 MB document (an array of 1000-character strings, one per line),
    the same with an invalid escape on its last line but one, and 200 MB of
    JSON Lines (a string per line). Generated here, in a temporary
    directory, and removed after the tests."""
    import pathlib
    import shutil

    directory = pathlib.Path(_scratch_directory(tmp_path_factory))
    count = 200 * 1024 * 1024 // len(LINE)
    good, bad, lines = directory / "good.json", directory / "bad.json", directory / "lines.jsonl"
    try:
        body = LINE * count
        for path, end in ((good, b'  "end"\n]\n'), (bad, b'  "abc\\x"\n]\n')):
            with open(path, "wb") as f:
                f.write(b"[\n")
                f.write(body)
                f.write(end)
        del body
        lines.write_bytes((LINE[:-2] + b"\n") * count)  # a string on each line
        yield count, good, bad, lines
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def test_200mb_document(big_files):
    count, good, bad, _ = big_files
    assert good.stat().st_size > 200 * 1000 * 1000
    started = time.monotonic()
    proc = cli("--check", good, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
    proc = cli("--check", bad, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == (f"{bad}:{count + 2}:7: invalid escape: backslash followed by 'x'\n"
                           '  "abc\\x"\n'
                           "      ^\n").encode()
    assert time.monotonic() - started < 60


def test_200mb_json_lines(big_files):
    count, _, _, lines = big_files
    assert lines.stat().st_size > 200 * 1000 * 1000
    proc = cli("--json-lines", "--check", lines, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"", b"")
