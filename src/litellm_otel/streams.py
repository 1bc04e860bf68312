"""The proxy handed to callers of streaming LiteLLM calls.

The caller keeps LiteLLM's own stream type (`isinstance(stream, CustomStreamWrapper)` holds); the
proxy only watches the chunks go by and tells its call when the stream ends: exhausted, failed,
closed early or dropped. Per chunk it keeps references and a few counters, nothing more; the
attributes are built once, at the end.
"""

from __future__ import annotations

import logging
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any

import wrapt

from litellm_otel.content import StreamContent
from litellm_otel.extract import field

_logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from litellm_otel.patch import _Traced

    _Proxy = wrapt.ObjectProxy[Any]
else:
    _Proxy = wrapt.ObjectProxy  # not subscriptable at run time on every supported wrapt


class StreamState:
    """What one stream delivered so far: read by the call when the stream ends."""

    __slots__ = (
        "chunk_count",
        "content",
        "finish_reasons",
        "first_chunk_at",
        "last_chunk",
        "last_chunk_at",
        "response",
        "usage",
    )

    def __init__(self, *, capture_content: bool = False) -> None:
        self.chunk_count = 0
        self.content = StreamContent() if capture_content else None
        self.first_chunk_at: float | None = None
        self.last_chunk_at: float | None = None
        self.last_chunk: Any = None
        self.usage: Any = None  # the latest usage a chunk carried
        self.response: Any = None  # Responses API: the response snapshot of the latest event
        self.finish_reasons: dict[int, str] | None = None  # per choice index

    def add(self, chunk: Any) -> None:
        now = time.perf_counter()
        if self.first_chunk_at is None:
            self.first_chunk_at = now
        self.last_chunk_at = now
        self.chunk_count += 1
        self.last_chunk = chunk
        if self.content is not None:
            self.content.add(chunk)
        # LiteLLM's chunks are pydantic models: their fields are read from their __dict__, as a
        # missing attribute costs ~12 µs in pydantic's __getattr__ (most chunks have no usage).
        data = getattr(chunk, "__dict__", None)
        if type(data) is dict and "choices" in data:
            usage = data.get("usage")
            if usage is None:  # LiteLLM 1.79 keeps a usage chunk's usage among the extra fields
                extra = getattr(chunk, "__pydantic_extra__", None)
                usage = extra.get("usage") if extra else None
            choices = data["choices"]
        else:
            usage = field(chunk, "usage")
            choices = field(chunk, "choices")
        if usage is not None:
            self.usage = usage
        if choices:
            for choice in choices:
                # LiteLLM's StreamingChoices keep every field among pydantic's extras, where
                # getattr would take pydantic's slow path.
                extra = getattr(choice, "__pydantic_extra__", None)
                if type(extra) is dict and "finish_reason" in extra:
                    reason = extra["finish_reason"]
                else:
                    reason = field(choice, "finish_reason")
                if reason:
                    if self.finish_reasons is None:
                        self.finish_reasons = {}
                    index = field(choice, "index")
                    self.finish_reasons[index if type(index) is int else 0] = reason
            return
        response = field(chunk, "response")  # Responses API events carry a snapshot
        if response is not None:
            self.response = response


class TracedStream(_Proxy):
    """LiteLLM's stream, unchanged for the caller, ending its call's span exactly once."""

    def __init__(self, wrapped: Any, call: _Traced, *, capture_content: bool = False) -> None:
        super().__init__(wrapped)
        self._self_call: _Traced | None = call
        self._self_state = StreamState(capture_content=capture_content)

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
