"""python -m jcodec: validate, pretty-print or compact JSON and JSON Lines, in
the conventions of python -m json.tool (positional infile and outfile, "-" or
nothing for stdin and stdout, --sort-keys, --json-lines, --indent, --compact).

Input is read as bytes and parsed by jcodec.loads (never decoded as text
first); output is jcodec.dumps's bytes. By default a document is written
indented by two spaces (json.tool indents by default too; 2 is the one width
jcodec writes, OPT_INDENT_2), --compact writes it without whitespace, and
JSON Lines are written one compact document per line. Invalid input is
reported as

    FILE:LINE:COLUMN: MESSAGE
    the offending line (a window around the error when it is long)
                  ^

on stderr, with exit status 1: LINE counts from 1, COLUMN is the character
(code point) in that line, from 1, of the byte jcodec's error points at.
--check does only that: nothing is written, and the exit status says whether
the input is valid. Exit status 2 is a usage error (argparse's), or an input
that cannot be opened, as with json.tool.
"""
import argparse
import os
import sys

import jcodec

PROG = "python -m jcodec"

# Lines longer than this many characters are shown as a window of
# CONTEXT characters either side of the error.
LONG_LINE = 120
CONTEXT = 50
# JSON's whitespace: a line of nothing else is blank in JSON Lines input.
WHITESPACE = b" \t\r\n"


class InputError(Exception):
    """Invalid input: where (the bytes of the document or line, the byte
    offset in them, the number of their first line) and jcodec's message."""

    def __init__(self, data, pos, msg, first_line=1):
        super().__init__(msg)
        self.data, self.pos, self.msg, self.first_line = data, pos, msg, first_line


def build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A command line interface for jcodec to validate and pretty-print "
                    "JSON documents and JSON Lines. Input is read as bytes (UTF-8); output "
                    "is UTF-8, never escaped to ASCII.",
        epilog="Invalid input is reported on stderr as FILE:LINE:COLUMN: MESSAGE, then the "
               "line and a caret under the offending character (COLUMN counts characters "
               "from 1), with exit status 1.")
    parser.add_argument("infile", nargs="?", default="-",
                        help="a JSON file to be validated or pretty-printed (default: stdin)")
    parser.add_argument("outfile", nargs="?", default="-",
                        help="write the output of infile to outfile (default: stdout)")
    parser.add_argument("--check", action="store_true",
                        help="validate only: write nothing; exit status 0 when infile is "
                             "valid, 1 (with the error on stderr) when it is not")
    parser.add_argument("--sort-keys", action="store_true",
                        help="sort the output of dictionaries by key (code point order)")
    parser.add_argument("--json-lines", action="store_true",
                        help="read JSON Lines (one document per line; blank lines skipped) "
                             "and write them back one compact document per line")
    parser.add_argument("--decimal", action="store_true",
                        help="read numbers with a fraction or an exponent as decimal.Decimal "
                             "and write them with their digits unchanged (1.10 stays 1.10)")
    parser.add_argument("--no-ensure-ascii", action="store_true",
                        help="accepted for json.tool's sake: jcodec always writes non-ASCII "
                             "characters as UTF-8")
    layout = parser.add_mutually_exclusive_group()
    layout.add_argument("--indent", type=int, choices=[2], default=None,
                        help="indent by 2 spaces, the default for a JSON document (2 is the "
                             "only width supported: jcodec's OPT_INDENT_2)")
    layout.add_argument("--compact", action="store_true",
                        help="suppress all whitespace (the layout of JSON Lines output)")
    return parser


# ---------------------------------------------------------------------------
# Reporting an error: FILE:LINE:COLUMN: MESSAGE, the line, a caret


def _display(text):
    """text as it is shown: control characters but tab as U+FFFD; and the
    padding that puts a caret under the character after it (tabs kept, wide
    characters counted twice, combining ones not at all)."""
    if text.isascii() and text.isprintable():
        return text, " " * len(text)
    import unicodedata

    shown, pad = [], []
    for ch in text:
        if ch != "\t" and not ch.isprintable():
            ch = "\ufffd"
        shown.append(ch)
        if ch == "\t":
            pad.append("\t")
        elif unicodedata.combining(ch):
            continue
        else:
            pad.append("  " if unicodedata.east_asian_width(ch) in ("W", "F") else " ")
    return "".join(shown), "".join(pad)


def _decode(data):
    return data.decode("utf-8", "replace")


def describe(name, error):
    """The three lines reporting an InputError."""
    data, pos = error.data, min(max(error.pos, 0), len(error.data))
    line_start = data.rfind(b"\n", 0, pos) + 1
    line_end = data.find(b"\n", pos)
    if line_end < 0:
        line_end = len(data)
    if line_end > pos and data[line_end - 1] == 0x0D:  # CRLF
        line_end -= 1
    line = error.first_line + data.count(b"\n", 0, line_start)
    prefix = data[line_start:pos]
    column = 1 + (len(prefix) if prefix.isascii() else len(_decode(prefix)))
    # What is shown of the line: cut from the bytes first, so that a line of
    # a hundred megabytes is never decoded whole, then to a window of
    # CONTEXT characters either side of the error when it is long.
    cut = max(line_start, pos - 4 * LONG_LINE)
    while cut < pos and 0x80 <= data[cut] < 0xC0:  # not inside a UTF-8 sequence
        cut += 1
    stop = min(line_end, pos + 4 * LONG_LINE)
    before, after = _decode(data[cut:pos]), _decode(data[pos:stop])
    before_cut, after_cut = cut > line_start, stop < line_end
    if before_cut or after_cut or len(before) + len(after) > LONG_LINE:
        if before_cut or len(before) > CONTEXT:
            before = "..." + before[-CONTEXT:]
        if after_cut or len(after) > CONTEXT:
            after = after[:CONTEXT + 1] + "..."
    shown_before, pad = _display(before)
    shown_after, _ = _display(after)
    return (f"{name}:{line}:{column}: {error.msg}\n"
            f"{shown_before}{shown_after}\n"
            f"{pad}^\n")


# ---------------------------------------------------------------------------
# Reading


def _loads(data, decimal, first_line=1):
    try:
        return jcodec.loads(data, decimal=True) if decimal else jcodec.loads(data)
    except jcodec.JSONDecodeError as e:
        raise InputError(data, e.pos, e.msg, first_line) from None


def read_document(fp, decimal):
    """The one document of a binary file: jcodec.load (which reads a regular
    file once, with no second copy), or with decimal loads of its bytes."""
    load = getattr(jcodec, "load", None)
    if decimal or load is None:
        return _loads(fp.read(), decimal)
    try:
        return load(fp)
    except jcodec.JSONDecodeError as e:  # doc: the bytes read, pos: a byte offset
        raise InputError(e.doc, e.pos, e.msg) from None


def iter_json_lines(fp, decimal):
    """The documents of a binary file of JSON Lines, one per line (LF or
    CRLF), blank lines skipped, the final newline optional: jcodec.iter_lines,
    which reads the file in chunks; with decimal (which iter_lines does not
    take) a line at a time here."""
    iter_lines = getattr(jcodec, "iter_lines", None)
    if iter_lines is None or decimal:
        for number, line in enumerate(fp, 1):
            if line.strip(WHITESPACE):
                yield _loads(line, decimal, number)
        return
    try:
        yield from iter_lines(fp)
    except jcodec.JSONDecodeError as e:
        # doc: the line's bytes; lineno: its number in the file; colno: the
        # byte in it, from 1 (pos is the offset in the whole file).
        raise InputError(e.doc, e.colno - 1, e.msg, e.lineno) from None


# ---------------------------------------------------------------------------
# The command


def _open_input(parser, path):
    if path == "-":
        return sys.stdin.buffer, "<stdin>"
    try:
        return open(path, "rb"), path
    except OSError as e:
        parser.error(f"can't open '{path}': {e}")


def _quiet_stdout():
    """The reader of stdout went away (`| head`): no traceback, and no second
    error when the interpreter flushes stdout at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 1


def _write_all(out, data):
    """out.write(data) until it is all written: on a pipe whose reader goes
    away mid-write, the write returns a short count (what the kernel took),
    and only the next one raises BrokenPipeError."""
    view = memoryview(data)
    while view:
        view = view[out.write(view):]


def options_of(args):
    """dumps' option for the command line's layout."""
    option = jcodec.OPT_APPEND_NEWLINE
    if not (args.compact or args.json_lines):
        option |= jcodec.OPT_INDENT_2
    if args.sort_keys:
        option |= jcodec.OPT_SORT_KEYS
    if args.decimal:
        option |= jcodec.OPT_SERIALIZE_DECIMAL
    return option


def run(args, infile, name):
    """Reads, checks or rewrites; the exit status."""
    option = options_of(args)
    out = None
    try:
        if args.json_lines:
            documents = iter_json_lines(infile, args.decimal)
        else:
            documents = (read_document(infile, args.decimal),)
        if args.check:
            for _ in documents:
                pass
            return 0
        to_stdout = args.outfile == "-"
        if to_stdout:
            out = sys.stdout.buffer
        for document in documents:
            text = jcodec.dumps(document, option=option)
            if out is None:  # opened once the input parses, as json.tool does
                out = open(args.outfile, "wb")
            _write_all(out, text)
        if out is None:  # JSON Lines without a document: an empty outfile
            out = open(args.outfile, "wb")
        out.flush()
        return 0
    except InputError as e:
        sys.stderr.write(describe(name, e))
        return 1
    except jcodec.JSONEncodeError as e:  # nesting beyond the 254 levels dumps writes
        sys.stderr.write(f"{name}: cannot be written: {e}\n")
        return 1
    except BrokenPipeError:
        return _quiet_stdout()
    except OSError as e:
        sys.stderr.write(f"{PROG}: {e}\n")
        return 1
    finally:
        if out is not None and out is not sys.stdout.buffer:
            out.close()


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.check and args.outfile != "-":
        parser.error("--check writes nothing: no outfile")
    if args.json_lines and args.indent is not None:
        parser.error("--json-lines writes one compact document per line: no --indent")
    if (args.json_lines and "-" not in (args.infile, args.outfile)
            and os.path.exists(args.infile) and os.path.exists(args.outfile)
            and os.path.samefile(args.infile, args.outfile)):
        parser.error("--json-lines writes as it reads: outfile must not be infile")
    infile, name = _open_input(parser, args.infile)
    with infile:
        return run(args, infile, name)


if __name__ == "__main__":
    sys.exit(main())
