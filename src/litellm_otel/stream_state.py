"""What a stream delivered so far, accumulated chunk by chunk: plain data, no OpenTelemetry.

Read once, when the stream ends, by the call the stream belongs to. `ChunkClock` is what every
stream keeps (when its chunks arrived, how many); each API surface's stream state adds what its
chunks carry: `StreamState` for LiteLLM's chat, text and Responses API chunks,
`messages.MessagesStream` for the Anthropic Messages API's server-sent events.
"""

from __future__ import annotations

import time
from typing import Any

from litellm_otel.content import StreamContent
from litellm_otel.readers import field


class ChunkClock:
    """When a stream's chunks arrived and how many: all a span that only orchestrates keeps
    (a Router call's stream), and what the streaming metrics read."""

    __slots__ = ("chunk_count", "first_chunk_at", "last_chunk_at")

    def __init__(self) -> None:
        self.chunk_count = 0
        self.first_chunk_at: float | None = None
        self.last_chunk_at: float | None = None

    def add(self, chunk: Any) -> None:
        now = time.perf_counter()
        if self.first_chunk_at is None:
            self.first_chunk_at = now
        self.last_chunk_at = now
        self.chunk_count += 1


class StreamState(ChunkClock):
    """What one stream of LiteLLM chunks delivered so far: read by the call when the stream ends."""

    __slots__ = (
        "content",
        "finish_reasons",
        "last_chunk",
        "response",
        "usage",
    )

    def __init__(self, *, capture_content: bool = False) -> None:
        self.chunk_count = 0
        self.first_chunk_at = None
        self.last_chunk_at = None
        self.content = StreamContent() if capture_content else None
        self.last_chunk: Any = None
        self.usage: Any = None  # the latest usage a chunk carried
        self.response: Any = None  # Responses API: the response snapshot of the latest event
        self.finish_reasons: dict[int, str] | None = None  # per choice index

    def add(self, chunk: Any) -> None:
        # ChunkClock.add's timing, inline: a call per chunk would be ~15 % of a chunk's cost.
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
