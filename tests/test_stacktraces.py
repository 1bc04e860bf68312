"""`exception.stacktrace` is Python's own traceback text, without the `^^^` marker lines."""

from __future__ import annotations

import builtins
import re
import sys
import traceback
from typing import Any, NoReturn

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litellm_otel import stacktraces

_MARKERS = re.compile(r"^ *[\^~]+ *$")


def python_text(exc: BaseException) -> str:
    """What `traceback.format_exception` prints for `exc`, its marker lines left out."""
    lines = python_full_text(exc).splitlines(keepends=True)
    return "".join(line for line in lines if not _MARKERS.match(line.rstrip("\n")))


def python_full_text(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def raised(function: Any, *args: Any) -> BaseException:
    try:
        function(*args)
    except BaseException as exc:  # every kind is a case here
        return exc
    raise AssertionError("nothing was raised")


class ProviderError(Exception):
    pass


def fail(message: str) -> NoReturn:
    raise ProviderError(message)


def fail_from_cause() -> NoReturn:
    try:
        fail("upstream 429")
    except ProviderError as exc:
        raise RuntimeError("rate limited") from exc


def fail_in_handler() -> NoReturn:
    try:
        {"present": 1}["missing"]
    except KeyError:
        fail("while handling")
    raise AssertionError("the lookup did not fail")


def fail_suppressed() -> NoReturn:
    try:
        fail("hidden")
    except ProviderError:
        raise ValueError("shown") from None


def recurse(depth: int) -> NoReturn:
    if depth == 0:
        fail("deep")
    recurse(depth - 1)


def fail_with_notes() -> NoReturn:
    exc = ProviderError("noted")
    exc.__notes__ = ["first note", "second\nnote"]  # type: ignore[attr-defined]  # add_note's (3.11+)
    raise exc


class Unprintable(Exception):
    def __str__(self) -> str:
        raise RuntimeError("no text")


def fail_unprintable() -> NoReturn:
    raise Unprintable()


def fail_empty() -> NoReturn:
    raise ProviderError()


@pytest.mark.parametrize(
    ("function", "args"),
    [
        (fail, ("plain",)),
        (fail_from_cause, ()),
        (fail_in_handler, ()),
        (fail_suppressed, ()),
        (recurse, (2,)),
        (recurse, (40,)),  # folded: "[Previous line repeated 37 more times]"
        (fail_with_notes, ()),
        (fail_unprintable, ()),
        (fail_empty, ()),
    ],
    ids=["plain", "cause", "context", "suppressed", "shallow", "recursion", "notes", "unprintable", "empty"],
)
def test_same_text_as_python_without_markers(function: Any, args: tuple[Any, ...]) -> None:
    exc = raised(function, *args)
    assert stacktraces.format_exception(exc) == python_text(exc)


def test_recursion_is_folded_as_python_folds_it() -> None:
    text = stacktraces.format_exception(raised(recurse, 40))
    assert "[Previous line repeated 37 more times]" in text
    assert text.count("in recurse") == 4  # three shown, then the one that raised


def test_cached_frames_follow_each_exception() -> None:
    first = stacktraces.format_exception(raised(fail, "first failure")).splitlines()
    second = stacktraces.format_exception(raised(fail, "second failure")).splitlines()
    assert first[-1] == f"{__name__}.ProviderError: first failure"
    assert second[-1] == f"{__name__}.ProviderError: second failure"
    assert first[:-1] == second[:-1]  # the same frames, from the cache the second time


def test_unraised_exception_is_its_line_alone() -> None:
    exc = ProviderError("never raised")
    expected = f"{__name__}.ProviderError: never raised\n"
    assert stacktraces.format_exception(exc) == python_text(exc) == expected


def test_chain_loop_ends() -> None:
    first, second = ProviderError("a"), ProviderError("b")
    first.__context__, second.__context__ = second, first
    assert stacktraces.format_exception(first) == python_text(first)


def test_syntax_error_is_left_to_traceback() -> None:
    exc = raised(compile, "x = (", "<case>", "exec")
    assert stacktraces.format_exception(exc) == python_full_text(exc)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception groups are Python 3.11's")
def test_exception_group_is_left_to_traceback() -> None:
    group = getattr(builtins, "ExceptionGroup")  # noqa: B009 (absent from Python 3.10)

    def fail_group() -> NoReturn:
        raise group("several", [ProviderError("one"), ValueError("two")])

    exc = raised(fail_group)
    assert stacktraces.format_exception(exc) == python_full_text(exc)


@given(message=st.text(max_size=200), depth=st.integers(min_value=0, max_value=12))
def test_any_message_and_depth(message: str, depth: int) -> None:
    def nest(level: int) -> NoReturn:
        if level == 0:
            raise ProviderError(message)
        nest(level - 1)

    exc = raised(nest, depth)
    assert stacktraces.format_exception(exc) == python_text(exc)
