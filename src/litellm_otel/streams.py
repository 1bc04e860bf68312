"""The proxy handed to callers of streaming LiteLLM calls.

The caller keeps LiteLLM's own stream type (`isinstance(stream, CustomStreamWrapper)` holds, and
a Messages API stream of SSE bytes stays one); the proxy only watches the chunks go by, handing
each to its call's accumulator, and tells its call when the stream ends: exhausted, failed,
closed early or dropped. Per chunk it keeps references and a few counters, nothing more; the
attributes are built once, at the end.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

import wrapt

from litellm_otel.stream_state import ChunkClock

_logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    _Proxy = wrapt.ObjectProxy[Any]
else:
    _Proxy = wrapt.ObjectProxy  # not subscriptable at run time on every supported wrapt


class StreamCall(Protocol):
    """What a stream tells the call it belongs to, once, when it ends."""

    def finish_stream(self, stream: object, state: Any, *, completed: bool) -> None: ...

    def fail_stream(self, state: Any, exc: BaseException) -> None: ...


class TracedStream(_Proxy):
    """LiteLLM's stream, unchanged for the caller, ending its call's span exactly once."""

    def __init__(self, wrapped: Any, call: StreamCall, state: ChunkClock) -> None:
        super().__init__(wrapped)
        self._self_call: StreamCall | None = call
        self._self_state = state  # the call's accumulator for its API surface's chunks

    # LiteLLM's __iter__/__aiter__ return the unwrapped stream; iterating must stay on the proxy.
    def __iter__(self) -> TracedStream:
        return self

    def __aiter__(self) -> TracedStream:
        return self

    def __next__(self) -> Any:
        try:
            chunk = self.__wrapped__.__next__()
        except StopIteration:
            self._on_stream_end(completed=True)
            raise
        except BaseException as exc:
            self._on_stream_error(exc)
            raise
        try:
            self._self_state.add(chunk)
        except Exception:  # an odd chunk costs us data, never the caller's stream
            _logger.debug("litellm-otel: could not read a chunk", exc_info=True)
        return chunk

    async def __anext__(self) -> Any:
        try:
            chunk = await self.__wrapped__.__anext__()
        except StopAsyncIteration:
            self._on_stream_end(completed=True)
            raise
        except BaseException as exc:
            self._on_stream_error(exc)
            raise
        try:
            self._self_state.add(chunk)
        except Exception:
            _logger.debug("litellm-otel: could not read a chunk", exc_info=True)
        return chunk

    def __enter__(self) -> TracedStream:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    async def __aenter__(self) -> TracedStream:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def close(self) -> None:
        try:
            close = getattr(self.__wrapped__, "close", None)
            if close is not None:
                close()
        finally:
            self._on_stream_end(completed=False)

    async def aclose(self) -> None:
        try:
            aclose = getattr(self.__wrapped__, "aclose", None)
            if aclose is not None:
                await aclose()
        finally:
            self._on_stream_end(completed=False)

    def __del__(self) -> None:
        # A stream the caller dropped without exhausting or closing it: end with what arrived.
        if getattr(self, "_self_call", None) is not None:
            self._on_stream_end(completed=False)

    def _on_stream_end(self, *, completed: bool) -> None:
        call, self._self_call = self._self_call, None
        if call is not None:
            call.finish_stream(self.__wrapped__, self._self_state, completed=completed)

    def _on_stream_error(self, exc: BaseException) -> None:
        call, self._self_call = self._self_call, None
        if call is not None:
            call.fail_stream(self._self_state, exc)
