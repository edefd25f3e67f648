"""Fault injection and leaks for the Decimal options: loads(decimal=True) and
dumps(option=OPT_SERIALIZE_DECIMAL).

Every allocation request of the call (CPython's MEM and OBJ domains through
jcodec._fail_alloc_after, so the Decimals' own, libmpdec's included) is
failed in turn: the call must raise exactly MemoryError, with exactly one
failure injected, and the next plain call must give what it gave before;
afterwards nothing is retained, traced or in the allocator layer
(_memory_helpers.retained_after)."""
from decimal import Decimal

import pytest

import jcodec
import _memory_helpers as mh

pytestmark = pytest.mark.usefixtures("default_cache")

OPT = jcodec.OPT_SERIALIZE_DECIMAL
ERRORS = (jcodec.JSONDecodeError, jcodec.JSONEncodeError)


def outcome(call):
    """("ok", result as its exact text) or ("error", type, str, pos)."""
    fn, args, kwargs = call
    try:
        result = fn(*args, **kwargs)
    except ERRORS as exc:
        return ("error", type(exc), str(exc), getattr(exc, "pos", None))
    return ("ok", result if isinstance(result, bytes) else repr(result))


def armed(call, k):
    """The call with allocation request k failing (0: counted only): the type
    of what it raised (None) and the fault result."""
    fn, args, kwargs = call
    jcodec._fail_alloc_after(k)
    try:
        fn(*args, **kwargs)
    except BaseException as exc:  # noqa: B902 - the exact type is the point
        raised = type(exc)
    else:
        raised = None
    return raised, jcodec._fault_result()


def sweep(call):
    """Fails each allocation request of the call in turn; the number of
    requests."""
    expected = outcome(call)
    assert outcome(call) == expected  # steady state: one-time caches made
    raised, result = armed(call, 0)
    total = result["allocations"]
    assert total > 0 and result["failures"] == 0
    problems = []
    for k in range(1, total + 1):
        raised, result = armed(call, k)
        if raised is not MemoryError or result["failures"] != 1:
            problems.append(f"k={k}: raised {raised}, fault result {result}")
        again = outcome(call)
        if again != expected:
            problems.append(f"k={k}: then {again!r:.200}")
        if len(problems) > 10:
            break
    assert not problems, f"{total} requests:\n  " + "\n  ".join(problems)
    return total


DOCUMENT = (b'{"price": 1.10, "items": [1, 2.5e-3, -0.0, 1e400, 123456789012345678901234567890.5],'
            b' "nested": {"a": [3.25, {"b": 1E+2}]}, "n": 7}')
LOADS_CALLS = {
    "document": (jcodec.loads, (DOCUMENT,), {"decimal": True}),
    "str": (jcodec.loads, (DOCUMENT.decode() + " ",), {"decimal": True}),
    "long_array": (jcodec.loads, (("[" + ",".join(f"{i}.{i % 7}5" for i in range(150)) + "]").encode(),),
                   {"decimal": True}),
    "error_after_decimals": (jcodec.loads, (b"[1.5, 2.5, 1.5.]",), {"decimal": True}),
    "beyond_exponent_limit": (jcodec.loads, (b"[1.5, 1e99999999999999999999]",), {"decimal": True}),
}

VALUES = [Decimal("1.10"), Decimal("-0"), Decimal("1E3"), Decimal("9" * 200 + ".5"), Decimal("0E-8")]
DUMPS_CALLS = {
    "values": (jcodec.dumps, ({"a": VALUES, "b": [VALUES[0], {"c": VALUES[2]}]},), {"option": OPT}),
    "keys": (jcodec.dumps, ({Decimal("1.5"): 1, Decimal("-2E-9"): [Decimal("3")]},),
             {"option": OPT | jcodec.OPT_NON_STR_KEYS}),
    "sorted_keys": (jcodec.dumps, ({Decimal("2.5"): 1, Decimal("1.5"): 2},),
                    {"option": OPT | jcodec.OPT_NON_STR_KEYS | jcodec.OPT_SORT_KEYS}),
    "indented": (jcodec.dumps, ([VALUES, {"x": VALUES[1]}],), {"option": OPT | jcodec.OPT_INDENT_2}),
    "nan_value": (jcodec.dumps, ({"a": [1, Decimal("NaN")]},), {"option": OPT}),
    "infinity_key": (jcodec.dumps, ({Decimal("-Infinity"): 1},), {"option": OPT | jcodec.OPT_NON_STR_KEYS}),
    "without_option_default": (jcodec.dumps, ([Decimal("1.5")],), {"default": str}),
}


@pytest.mark.parametrize("name", sorted(LOADS_CALLS))
def test_loads_decimal_every_allocation_fails_cleanly(name):
    call = LOADS_CALLS[name]
    assert sweep(call) >= 3


@pytest.mark.parametrize("name", sorted(DUMPS_CALLS))
def test_dumps_decimal_every_allocation_fails_cleanly(name):
    call = DUMPS_CALLS[name]
    assert sweep(call) >= 2


def test_first_decimal_call_imports_decimal_and_fails_cleanly():
    """The first loads(decimal=True) of an interpreter imports decimal; an
    allocation failing then is a MemoryError, and the next call works.
    (The thread's context, which the first Decimal's context variable lives
    in, is made first: CPython 3.11 crashes when making it fails, in
    context_new_empty, with or without jcodec.)"""
    from support import run_child

    proc = run_child("""
        import contextvars, sys, jcodec
        contextvars.ContextVar("made_first").set(1)
        assert "decimal" not in sys.modules
        failed = 0
        for k in range(1, 400):
            jcodec._fail_alloc_after(k)
            try:
                jcodec.loads(b'[1.5]', decimal=True)
            except MemoryError:
                failed += 1
            if jcodec._fault_result()["failures"] == 0:
                break
            for name in [m for m in sys.modules if m == "decimal" or m.startswith("_decimal")]:
                del sys.modules[name]  # import it again, under the next k
        # 3.13's _decimal makes a new Decimal type per import, and jcodec
        # keeps the one it imported: compare by text, not by equality.
        (value,) = jcodec.loads(b'[1.5]', decimal=True)
        assert type(value).__name__ == "Decimal" and str(value) == "1.5", repr(value)
        print(failed)
    """)
    assert proc.returncode == 0, proc.stderr
    assert int(proc.stdout) > 0


def _all_calls(round_number):
    for calls in (LOADS_CALLS, DUMPS_CALLS):
        for call in calls.values():
            outcome(call)
            armed(call, 1 + round_number % 3)


def test_nothing_retained():
    retained = mh.retained_after(_all_calls, rounds=6, warmup=6)
    assert retained.bytes == 0, retained.top
    assert retained.own_bytes == 0


def test_sweeps_leave_nothing():
    def sweeps(i):
        for calls in (LOADS_CALLS, DUMPS_CALLS):
            for call in calls.values():
                sweep(call)

    retained = mh.retained_after(sweeps, rounds=1, warmup=1)
    assert retained.bytes == 0, retained.top
    assert retained.own_bytes == 0


def test_refcounts_of_the_values_are_unchanged():
    import sys

    values = [Decimal("1.25"), Decimal("NaN")]
    before = [sys.getrefcount(v) for v in values]
    for _ in range(100):
        jcodec.dumps([values[0]], option=OPT)
        with pytest.raises(jcodec.JSONEncodeError):
            jcodec.dumps([values[1]], option=OPT)
        with pytest.raises(jcodec.JSONEncodeError):
            jcodec.dumps({values[1]: 1}, option=OPT | jcodec.OPT_NON_STR_KEYS)
    assert [sys.getrefcount(v) for v in values] == before
