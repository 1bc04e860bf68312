"""`exception.stacktrace`: an exception's traceback as Python prints it, at a cost a failing call
can pay on every request.

`traceback.format_exception` costs milliseconds on LiteLLM's deep async stacks: per frame it
checks the source file's mtime (`os.stat`) and, on Python 3.11+, parses the source line to draw
the `^^^^` markers under the failing expression. Measured with the proxy bench (`nox -s
bench-proxy`, LiteLLM 1.110.2, one 429 retried once in ten requests): the exception events of
the failed attempts cost more than everything else litellm-otel does per request.

This module prints the same text without the markers: each frame's `File …, line …, in …` and
its source line (read through `linecache`, as traceback does, without the mtime check), chained
causes and contexts with Python's own separators, repeated frames folded as Python folds them,
then the exception's type, message and notes. A formatted frame is kept per code location, so a
failure that recurs (a retry storm) costs a dictionary lookup per frame. Anything this does not
print alike (exception groups, syntax errors) is left to `traceback`.
"""

from __future__ import annotations

import builtins
import linecache
import traceback
from types import CodeType, TracebackType
from typing import Final

_CAUSE: Final = "\nThe above exception was the direct cause of the following exception:\n\n"
_CONTEXT: Final = "\nDuring handling of the above exception, another exception occurred:\n\n"
_HEADER: Final = "Traceback (most recent call last):\n"
_REPEATS_SHOWN: Final = 3  # traceback's _RECURSIVE_CUTOFF: a frame repeated more is folded
_MAX_FRAMES: Final = 4096  # formatted frames kept; the cache starts afresh when full

# Printed in a shape of their own (the group's tree, the syntax error's caret line), anywhere in
# the printed chain: by traceback. BaseExceptionGroup is Python 3.11's.
_OWN_SHAPES: Final[tuple[type[BaseException], ...]] = tuple(
    cls for cls in (getattr(builtins, "BaseExceptionGroup", None), SyntaxError) if cls is not None
)

_Where = tuple[str, int, str]  # a frame's file, line and function: what Python folds repeats by
_frames: dict[tuple[int, int], tuple[CodeType, _Where, str]] = {}


def format_exception(exc: BaseException) -> str:
    """`exc` and its chain of causes and contexts as `traceback.format_exception` prints them,
    without the markers under each frame's source line."""
    chain: list[tuple[BaseException, str]] = []  # newest first: each with what precedes it
    seen: set[int] = set()
    current: BaseException | None = exc
    joint = ""
    while current is not None and id(current) not in seen:
        if isinstance(current, _OWN_SHAPES):  # printed in a shape of their own: by traceback
            return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        seen.add(id(current))
        chain.append((current, joint))
        if current.__cause__ is not None:
            current, joint = current.__cause__, _CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, joint = current.__context__, _CONTEXT
        else:
            current = None
    parts: list[str] = []
    for link, joint in reversed(chain):
        if link.__traceback__ is not None:
            parts.append(_HEADER)
            _add_frames(parts, link.__traceback__)
        parts.append(_exception_line(link))
        parts.append(joint)
    return "".join(parts)


def _add_frames(parts: list[str], tb: TracebackType | None) -> None:
    last: _Where | None = None
    repeated = 0
    while tb is not None:
        code = tb.tb_frame.f_code
        # Keyed by the code object and the instruction: `tb_lineno` walks the code's line table
        # from its start, every time (CPython 3.11), and LiteLLM's functions run to thousands of
        # lines. The entry holds the code object, so its id stays its own while cached.
        cached = _frames.get((id(code), tb.tb_lasti))
        if cached is None or cached[0] is not code:
            cached = _frame(code, tb)
        where = cached[1]
        if where != last:
            _add_repeats(parts, repeated)
            last, repeated = where, 0
        repeated += 1
        if repeated <= _REPEATS_SHOWN:
            parts.append(cached[2])
        tb = tb.tb_next
    _add_repeats(parts, repeated)


def _add_repeats(parts: list[str], repeated: int) -> None:
    if repeated > _REPEATS_SHOWN:
        more = repeated - _REPEATS_SHOWN
        parts.append(f"  [Previous line repeated {more} more time{'s' if more > 1 else ''}]\n")


def _frame(code: CodeType, tb: TracebackType) -> tuple[CodeType, _Where, str]:
    filename, line, name = code.co_filename, tb.tb_lineno, code.co_name
    source = linecache.getline(filename, line, tb.tb_frame.f_globals).strip()
    formatted = f'  File "{filename}", line {line}, in {name}\n'
    if source:
        formatted += f"    {source}\n"
    if len(_frames) >= _MAX_FRAMES:
        _frames.clear()
    entry = (code, (filename, line, name), formatted)
    _frames[id(code), tb.tb_lasti] = entry
    return entry


def _exception_line(exc: BaseException) -> str:
    cls = type(exc)
    module = cls.__module__
    name = cls.__qualname__ if module in ("__main__", "builtins") else f"{module}.{cls.__qualname__}"
    try:
        message = str(exc)
    except Exception:
        message = "<exception str() failed>"
    line = f"{name}: {message}\n" if message else f"{name}\n"
    notes = getattr(exc, "__notes__", None)
    if isinstance(notes, list | tuple):
        for note in notes:
            try:
                line += f"{note}\n"
            except Exception:
                line += "<note str() failed>\n"
    return line
