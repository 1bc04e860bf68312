"""Measures one subject of the overhead benchmark and writes its raw figures as JSON.

A subject is an instrumentation of LiteLLM: `ours` (litellm-otel) or a peer (`openinference`,
`openllmetry`, `litellm_v2`: LiteLLM's own OTel v2 callback, see `litellm_v2.py`).
`benchmarks/run.py` starts this script once per subject, each in its own process and, for the
peers installed from the registry, its own virtualenv, then prints the tables; run it alone:

    python benchmarks/overhead.py --subject ours --mode time --quick --out /tmp/ours.json
    python benchmarks/overhead.py --subject ours --mode profile --out /tmp/profile.json

Modes:

* ``time``: bare and instrumented batches of each scenario alternate in this one process (the
  instrumentor's `uninstrument()` restores LiteLLM between them), for many rounds; each round
  also times the floor, one SDK span with 15 attributes started and ended. Per round the
  per-call wall (`perf_counter_ns`) and CPU (`process_time_ns`: every thread, so LiteLLM's
  executor and logging threads count) times of both batches are recorded; `run.py` takes the
  medians of the paired differences.
* ``memory``: bytes still allocated after N calls and after N abandoned streams, traced by
  `tracemalloc` from the first call on, bare and instrumented.
* ``profile``: cProfile over instrumented mock completions and streams.
* ``instructions``: run under callgrind (`run.py` starts it so), the instructions per isolated
  call (a completion, a Messages API call, a transcription) and per isolated stream of two
  lengths (chat chunks, Messages API and generateContent SSE bytes), bare and instrumented, and
  per floor span: figures that repeat from run to run whatever else the machine does, where
  times move by ±30% between processes.

Scenarios: the LiteLLM ``mock_response=`` path (no HTTP), real HTTP against
`examples/fake_provider/`, and "isolated" ones where `litellm.completion` is replaced (while
the instrumentor wraps it) by a function returning pre-built LiteLLM objects (for the Messages
API, `litellm.anthropic_messages` by a coroutine returning a Messages dict or SSE bytes; for
audio, `litellm.atranscription` by one returning a `TranscriptionResponse`; for Google's
generateContent, `litellm.google_genai.agenerate_content_stream` by one returning Gemini's SSE
bytes), so LiteLLM's own milliseconds do not bury the microseconds being measured.
"""

from __future__ import annotations

import os

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import argparse
import asyncio
import contextlib
import copy
import cProfile
import ctypes
import functools
import gc
import importlib
import importlib.metadata
import inspect
import json
import math
import pstats
import statistics
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import litellm
import litellm.google_genai
from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper
from litellm.types.utils import TranscriptionResponse
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, set_span_in_context
from opentelemetry.util.types import AttributeValue

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

import litellm_v2

from fake_provider import FakeProvider

MESSAGES = [{"role": "user", "content": "Summarise our refund policy in one line."}]
MODEL = "gpt-4o-mini"
# LiteLLM's mock stream cuts the text into 3-character deltas and adds a final chunk that
# carries the finish reason: 49 pieces make a 50-chunk stream (the count run is reported).
STREAM_TEXT = "".join(f"w{i:02d}" for i in range(49))
# Isolated chunk path: streams of two lengths, so the per-stream cost cancels out of the slope.
SHORT_STREAM = 10
LONG_STREAM = 410

# The packages whose versions are reported, when installed.
REPORTED_PACKAGES = (
    "litellm",
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-instrumentation",
    "opentelemetry-semantic-conventions",
    "wrapt",
    "pydantic",
    "httpx",
    "openai",
)


@dataclass(frozen=True)
class Subject:
    """An instrumentation under test: the module with its `LiteLLMInstrumentor`."""

    label: str
    module: str
    distributions: tuple[str, ...]  # its own packages, whose versions are reported
    metrics: bool = False  # records metrics when given a meter provider
    # Why a subject's instrumentor cannot be built on the installed LiteLLM, or None.
    unavailable: Callable[[], str | None] = lambda: None


SUBJECTS = {
    "ours": Subject("litellm-otel", "litellm_otel", ("litellm-otel",), metrics=True),
    "openinference": Subject(
        "openinference-instrumentation-litellm",
        "openinference.instrumentation.litellm",
        (
            "openinference-instrumentation-litellm",
            "openinference-instrumentation",
            "openinference-semantic-conventions",
        ),
    ),
    "openllmetry": Subject(
        "opentelemetry-instrumentation-litellm",
        "opentelemetry.instrumentation.litellm",
        ("opentelemetry-instrumentation-litellm", "opentelemetry-semantic-conventions-ai"),
        metrics=True,
    ),
    # LiteLLM's own callback: its version is LiteLLM's. Hooks async calls only (see litellm_v2.py).
    "litellm_v2": Subject(
        "LiteLLM OTel v2 callback", "litellm_v2", (), metrics=True, unavailable=litellm_v2.available
    ),
}


try:  # LiteLLM's queue of async logging callbacks (1.79 … 1.110.2)
    from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER
except ImportError:  # pragma: no cover - older layouts
    GLOBAL_LOGGING_WORKER = None


async def settle() -> None:
    """Waits until LiteLLM has run the logging callbacks the calls so far set off.

    LiteLLM runs its async success callbacks after the call has returned, on its logging worker
    and in tasks of their own (`_client_async_logging_helper`, 1.110.2): a callback-based subject
    (LiteLLM's OTel v2) ends its span there. An async batch is timed up to this point, bare and
    instrumented alike, so such deferred work is counted in the batch that caused it, not in
    whichever batch runs next (without the wait, v2's spans were seen landing in the next one)."""
    if GLOBAL_LOGGING_WORKER is None:
        return
    for _ in range(5):
        await GLOBAL_LOGGING_WORKER.flush()
        others = [
            task
            for task in asyncio.all_tasks()
            if task is not asyncio.current_task()
            and task is not getattr(GLOBAL_LOGGING_WORKER, "_worker_task", None)
            and not task.done()
        ]
        if not others:
            return
        await asyncio.wait(others, timeout=5)


def versions(names: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for name in names:
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            found[name] = importlib.metadata.version(name)
    return found


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- LiteLLM objects for the isolated scenarios ---------------------------------------------


class PrebuiltStream(CustomStreamWrapper):  # type: ignore[misc]
    """LiteLLM's own stream type (instrumentations check for it), replaying chunks that LiteLLM
    built beforehand at almost no cost of its own."""

    def __init__(self, chunks: list[Any], text: str, wrapper_state: dict[str, Any]) -> None:
        # LiteLLM's __init__ is skipped; the stream carries what LiteLLM's own stream wrapper held
        # after a real stream (`_hidden_params`, `_provider_response_model`, ...), so that an
        # instrumentation reads the same fields, at the same cost, as on a real stream.
        self.__dict__.update(wrapper_state)
        self._replay = iter(chunks)
        # LiteLLM keeps every chunk it produced in `chunks`, which an instrumentation may read
        # when the stream ends: that walk is part of the per-chunk cost, so it is here too.
        self.chunks = chunks
        # And the text so far, which an instrumentation counts the completion tokens of when the
        # provider sent no usage (LiteLLM 1.79's mock stream sends none).
        self.response_uptil_now = text

    def __iter__(self) -> PrebuiltStream:
        return self

    def __next__(self) -> Any:
        chunk = next(self._replay, None)
        if chunk is None:
            # What LiteLLM's stream does at the end of every stream (1.79 … 1.110.2), before it
            # ends the iteration: its kept chunks go to the builder of the complete response,
            # which the isolated scenarios replace with `prebuilt_assembly`.
            litellm.stream_chunk_builder(chunks=self.chunks, messages=MESSAGES, logging_obj=None)
            raise StopIteration
        return chunk

    def __del__(self) -> None:
        return None


# The complete response LiteLLM's builder made of each replayed chunk list, by the list's id.
_ASSEMBLIES: dict[int, Any] = {}


def assembled(chunks: list[Any]) -> list[Any]:
    """`chunks`, with the response LiteLLM's own builder makes of them kept for the replay."""
    _ASSEMBLIES[id(chunks)] = litellm.stream_chunk_builder(chunks=chunks, messages=MESSAGES)
    return chunks


def prebuilt_assembly(chunks: list[Any], *args: Any, **kwargs: Any) -> Any:
    """Stands in for `litellm.stream_chunk_builder` in the isolated scenarios, as the stream's
    chunks stand in for LiteLLM's stream: what it built of the same chunks beforehand."""
    return _ASSEMBLIES.get(id(chunks))


def real_stream() -> tuple[list[Any], dict[str, Any]]:
    """The chunks of one real 50-chunk mock stream (content deltas, then the final chunk), and
    the fields its stream wrapper held once it ended, but for its chunks and text."""
    stream = litellm.completion(model=MODEL, messages=MESSAGES, stream=True, mock_response=STREAM_TEXT)
    chunks = list(stream)
    state = {k: v for k, v in vars(stream).items() if k not in ("chunks", "response_uptil_now")}
    return chunks, state


def stream_text(chunks: list[Any]) -> str:
    """The text a stream's chunks deliver, as LiteLLM assembles it in `response_uptil_now`."""
    return "".join(
        chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices and chunk.choices[0].delta
    )


def replay_chunks(chunks: list[Any], length: int) -> list[Any]:
    content, final = chunks[:-1], chunks[-1]
    return assembled([content[i % len(content)] for i in range(length - 1)] + [final])


# --- Anthropic Messages API objects for the isolated scenarios --------------------------------

# `litellm.anthropic_messages` hands back Anthropic's wire format as it is (1.79 … 1.110.2): the
# result a plain dict, a stream the provider's SSE bytes. Built here as Anthropic sends them.
MESSAGES_MODEL = "anthropic/claude-sonnet-4-5"
MESSAGES_MAX_TOKENS = 256  # required by the Messages API: every call sets it
MESSAGES_SERVED_MODEL = "claude-sonnet-4-5-20250929"
# A prompt-cached call: `input_tokens` counts only the tokens after the last cache breakpoint.
MESSAGES_USAGE = {
    "input_tokens": 12,
    "cache_creation_input_tokens": 256,
    "cache_read_input_tokens": 1024,
    "cache_creation": {"ephemeral_5m_input_tokens": 256, "ephemeral_1h_input_tokens": 0},
    "output_tokens": 20,
    "service_tier": "standard",
}
MESSAGES_TEXT = (
    "Refunds", " are", " issued", " within", " 14 days", " of", " purchase", ",", " to the",
    " original", " payment", " method", ".",
)  # fmt: skip
# Events of a stream that are not text deltas: message_start, content_block_start, ping, then
# content_block_stop, message_delta, message_stop (Anthropic's order).
MESSAGES_FRAMING_EVENTS = 6
# Events per chunk when several share one (LiteLLM yields the bytes as each read returns them:
# one event per chunk while the provider's events arrive apart, several when reads coalesce;
# over localhost the fake provider's whole stream came as one chunk, 1.79.0 and 1.110.2).
MESSAGES_PACKED_EVENTS = 8
# What LiteLLM 1.110.2's stream (`AnthropicMessagesStreamingResponse`) holds in `_hidden_params`
# once it ended, the per-call figures made up. Carried on every release: 1.79's stream is a bare
# async generator, with none, which costs the instrumentation a little less to read.
MESSAGES_STREAM_HIDDEN = {
    "additional_headers": {
        "llm_provider-content-type": "text/event-stream; charset=utf-8",
        "llm_provider-cache-control": "no-cache",
        "llm_provider-request-id": "req_011CVbench",
    },
    "_response_ms": 412.5,
    "litellm_overhead_time_ms": 3.1,
    "callback_duration_ms": 0.0,
    "litellm_call_id": "3f0c9a52-6a8b-4d0e-9a43-5c1d2b7e8f90",
    "api_base": "https://api.anthropic.com/v1/messages",
    "model_id": None,
    "response_cost": 0.0,
    "litellm_model_name": MESSAGES_MODEL,
    "provider_response_model": None,
}


def messages_result() -> dict[str, Any]:
    """A Messages API result, as `litellm.anthropic_messages` returns it: a plain dict."""
    return {
        "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
        "type": "message",
        "role": "assistant",
        "model": MESSAGES_SERVED_MODEL,
        "content": [{"type": "text", "text": "".join(MESSAGES_TEXT)}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": dict(MESSAGES_USAGE),
    }


def sse_frame(event: dict[str, Any]) -> bytes:
    return f"event: {event['type']}\ndata: {json.dumps(event, separators=(',', ':'))}\n\n".encode()


def sse_events(length: int) -> list[bytes]:
    """The `length` SSE events of one streamed message: message_start, content_block_start,
    ping, text deltas, content_block_stop, message_delta (the stop reason and the final usage,
    cumulative) and message_stop."""
    start = {**messages_result(), "content": [], "stop_reason": None}
    start["usage"] = {**MESSAGES_USAGE, "output_tokens": 1}
    counts = ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens", "output_tokens")
    final_usage = {key: MESSAGES_USAGE[key] for key in counts}
    deltas = [
        {
            "type": "content_block_delta",
            "index": 0,
            "delta": {"type": "text_delta", "text": MESSAGES_TEXT[i % len(MESSAGES_TEXT)]},
        }
        for i in range(length - MESSAGES_FRAMING_EVENTS)
    ]
    events: list[dict[str, Any]] = [
        {"type": "message_start", "message": start},
        {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
        {"type": "ping"},
        *deltas,
        {"type": "content_block_stop", "index": 0},
        {
            "type": "message_delta",
            "delta": {"stop_reason": "end_turn", "stop_sequence": None},
            "usage": final_usage,
        },
        {"type": "message_stop"},
    ]
    return [sse_frame(event) for event in events]


def packed(frames: list[bytes], per_chunk: int) -> list[bytes]:
    """The same bytes, `per_chunk` events to a chunk."""
    return [b"".join(frames[i : i + per_chunk]) for i in range(0, len(frames), per_chunk)]


class PrebuiltSSEStream:
    """A stream of LiteLLM's that hands on the provider's SSE bytes: an async iterator of bytes
    chunks keeping `_hidden_params` (1.110.2: the Messages API's
    `AnthropicMessagesStreamingResponse`, generateContent's
    `AsyncGoogleGenAIGenerateContentStreamingIterator`), replaying chunks built beforehand at
    almost no cost of its own."""

    def __init__(self, chunks: list[bytes], hidden_params: dict[str, Any]) -> None:
        self._replay = iter(chunks)
        self._hidden_params = hidden_params

    def __aiter__(self) -> PrebuiltSSEStream:
        return self

    async def __anext__(self) -> bytes:
        chunk = next(self._replay, None)
        if chunk is None:
            raise StopAsyncIteration
        return chunk

    async def aclose(self) -> None:
        return None


def replaying(chunks: list[bytes], hidden_params: dict[str, Any]) -> Callable[..., Any]:
    """A stub coroutine function returning a stream that replays `chunks`."""

    async def stream(*args: Any, **kwargs: Any) -> Any:
        return PrebuiltSSEStream(chunks, hidden_params)

    return stream


def stand_in_owner(path: str) -> tuple[Any, str]:
    """The module holding the LiteLLM function `path` names (dotted, under `litellm`:
    "completion", "google_genai.agenerate_content_stream"), and the function's name there."""
    module, _, name = f"litellm.{path}".rpartition(".")
    return importlib.import_module(module), name


def looking_like(path: str, stub: Callable[..., Any]) -> Callable[..., Any]:
    """`stub`, with the name, module and signature of LiteLLM's function at `path`: an
    instrumentation reads which parameters positional arguments fill from the function it
    wraps (`inspect.signature` follows `__wrapped__`), and the stub is what it wraps. Read from
    the innermost function, so the same whether LiteLLM is instrumented at the time or not."""
    owner, name = stand_in_owner(path)
    return functools.update_wrapper(stub, inspect.unwrap(getattr(owner, name)))


# --- audio transcription objects for the isolated scenarios ---------------------------------------

# Voice agents transcribe from an event loop: `litellm.atranscription`, with OpenAI's token-billed
# model. The audio goes to the provider as it is (here to no one: the stub ignores it).
TRANSCRIPTION_MODEL = "openai/gpt-4o-transcribe"
TRANSCRIPTION_FILE = ("speech.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "audio/wav")
TRANSCRIPTION_TEXT = "The quick brown fox jumps over the lazy dog at dawn."
# OpenAI's usage of a token-billed transcription, the input split into audio and text tokens.
TRANSCRIPTION_USAGE = {
    "type": "tokens",
    "input_tokens": 210,
    "input_token_details": {"text_tokens": 17, "audio_tokens": 193},
    "output_tokens": 13,
    "total_tokens": 223,
}
# What LiteLLM 1.110.2 put in a `TranscriptionResponse`'s `_hidden_params` on a real
# `atranscription` of gpt-4o-transcribe (against examples/fake_provider, 2026-12-08), the server
# OpenAI's and the per-call figures as they came: its cost is LiteLLM's price of the usage above.
# 1.79.0 keeps fewer keys there (no headers, a cost of 0.0: it reads no usage).
TRANSCRIPTION_HIDDEN = {
    "model": "gpt-4o-transcribe",
    "custom_llm_provider": "openai",
    "additional_headers": {
        "llm_provider-date": "Tue, 08 Dec 2026 00:20:19 GMT",
        "llm_provider-content-type": "application/json",
        "llm_provider-content-length": "221",
    },
    "headers": {
        "date": "Tue, 08 Dec 2026 00:20:19 GMT",
        "content-type": "application/json",
        "content-length": "221",
    },
    "_response_ms": 509.96,
    "callback_duration_ms": 0.0,
    "litellm_call_id": "aec558a8-f296-4db7-9e51-1cba285c8feb",
    "api_base": "https://api.openai.com/v1",
    "model_id": None,
    "response_cost": 0.000655,
    "litellm_model_name": TRANSCRIPTION_MODEL,
    "provider_response_model": None,
}


def transcription_result() -> Any:
    """A transcription as `litellm.atranscription` returns it: a `TranscriptionResponse` with
    OpenAI's usage (validated into LiteLLM's usage objects, as on a real call) and LiteLLM's
    `_hidden_params`. LiteLLM 1.79's response has no `usage` field and a real call there keeps
    none; carried on every release all the same, as a plain dict there, so that the span reads
    the same counts."""
    if "usage" in TranscriptionResponse.model_fields:
        result = TranscriptionResponse(text=TRANSCRIPTION_TEXT, usage=TRANSCRIPTION_USAGE)
    else:
        result = TranscriptionResponse(text=TRANSCRIPTION_TEXT)
        result.usage = copy.deepcopy(TRANSCRIPTION_USAGE)
    result._hidden_params = dict(TRANSCRIPTION_HIDDEN)
    result._response_ms = TRANSCRIPTION_HIDDEN["_response_ms"]
    return result


# --- Google GenAI generateContent objects for the isolated scenarios ------------------------------

GENAI_MODEL = "gemini/gemini-2.5-flash"
GENAI_SERVED_MODEL = "gemini-2.5-flash-preview-09-2025"
GENAI_RESPONSE_ID = "kq0uaeXQJ4-nz7IPgemini"
GENAI_CONTENTS = [{"role": "user", "parts": [{"text": MESSAGES[0]["content"]}]}]
GENAI_CONFIG = {"temperature": 0.2, "maxOutputTokens": 256}
# The usage of examples/fake_provider's Gemini wire: a prompt mostly read from the cache, and
# thinking tokens (which `candidatesTokenCount` leaves out).
GENAI_PROMPT_TOKENS, GENAI_CACHED_TOKENS, GENAI_THOUGHTS_TOKENS = 2210, 1792, 152
GENAI_CANDIDATES_TOKENS = 64
# What LiteLLM 1.110.2's stream (`AsyncGoogleGenAIGenerateContentStreamingIterator`) held in
# `_hidden_params` once it ended (against examples/fake_provider, 2026-12-08), the server
# Google's. Carried on every release: 1.79's keeps none.
GENAI_STREAM_HIDDEN = {
    "model_id": None,
    "api_base": "https://generativelanguage.googleapis.com/v1beta",
    "cache_key": "",
    "response_cost": 0.0,
    "additional_headers": {
        "llm_provider-content-type": "text/event-stream",
        "llm_provider-transfer-encoding": "chunked",
    },
    "_response_ms": 1475.77,
    "callback_duration_ms": 0.0,
    "litellm_call_id": "a838ad6a-5bfd-4b35-a80e-1c1aa0a7be58",
    "litellm_model_name": GENAI_MODEL,
    "provider_response_model": None,
}


def gemini_events(length: int) -> list[bytes]:
    """The `length` SSE events of one streamed generateContent, as Gemini sends them
    (examples/fake_provider/wires/gemini.py): each a whole response with a piece of the text,
    the response's id and model, and `usageMetadata` (every event carries it, its candidates
    count growing); the last one has the final counts and `finishReason`. LiteLLM 1.110.2
    yields them one a chunk; Gemini ends each with a blank line, CRLF."""

    def event(index: int) -> bytes:
        last = index == length - 1
        candidate: dict[str, Any] = {
            "content": {"role": "model", "parts": [{"text": MESSAGES_TEXT[index % len(MESSAGES_TEXT)]}]},
            "index": 0,
        }
        if last:
            candidate["finishReason"] = "STOP"
        candidates = GENAI_CANDIDATES_TOKENS if last else index + 1
        usage = {
            "promptTokenCount": GENAI_PROMPT_TOKENS,
            "candidatesTokenCount": candidates,
            "totalTokenCount": GENAI_PROMPT_TOKENS + candidates + GENAI_THOUGHTS_TOKENS,
            "cachedContentTokenCount": GENAI_CACHED_TOKENS,
            "thoughtsTokenCount": GENAI_THOUGHTS_TOKENS,
            "promptTokensDetails": [{"modality": "TEXT", "tokenCount": GENAI_PROMPT_TOKENS}],
            "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": GENAI_CACHED_TOKENS}],
        }
        data = {
            "candidates": [candidate],
            "usageMetadata": usage,
            "modelVersion": GENAI_SERVED_MODEL,
            "responseId": GENAI_RESPONSE_ID,
        }
        return f"data: {json.dumps(data, separators=(',', ':'))}\r\n\r\n".encode()

    return [event(index) for index in range(length)]


def generate_content_stream_stub(length: int) -> Callable[..., Any]:
    """`litellm.google_genai.agenerate_content_stream`'s stand-in: a stream of `length` Gemini
    events, one a chunk."""
    path = "google_genai.agenerate_content_stream"
    return looking_like(path, replaying(gemini_events(length), GENAI_STREAM_HIDDEN))


# --- scenarios ---------------------------------------------------------------------------------


@dataclass
class Scenario:
    """One kind of LiteLLM call. `call` or `acall` makes one call and returns the number of
    chunks it read (0 for a non-streaming call)."""

    name: str
    group: str  # "mock", "http" or "isolated"
    call: Callable[[], int] | None = None
    acall: Callable[[], Awaitable[int]] | None = None
    # Isolated scenarios: what `litellm.<stands_in_for>` is while the scenario runs (bare or
    # wrapped by the instrumentor); a dotted name reaches into a package of LiteLLM's.
    replacement: Callable[..., Any] | None = None
    stands_in_for: str = "completion"
    metrics: bool = True  # False: instrumented with a no-op meter provider, traces only
    batch: int = 0
    chunks: int = 0
    events: int = 0  # SSE events per stream, where a chunk holds several (0: one per chunk)
    spans_per_call: float = 0.0
    carries: dict[str, Any] = field(default_factory=dict)  # what the instrumented call recorded
    error: str | None = None
    rounds: list[dict[str, float]] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "group": self.group,
            "batch": self.batch,
            "chunks": self.chunks,
            "events": self.events,
            "spans_per_call": self.spans_per_call,
            "carries": self.carries,
            "error": self.error,
            "rounds": self.rounds,
        }


def drain(stream: Any) -> int:
    count = 0
    for _ in stream:
        count += 1
    return count


async def adrain(stream: Any) -> int:
    count = 0
    async for _ in stream:
        count += 1
    return count


def mock_scenarios(router: Any) -> list[Scenario]:
    def completion() -> int:
        litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")
        return 0

    async def acompletion() -> int:
        await litellm.acompletion(model=MODEL, messages=MESSAGES, mock_response="hi")
        return 0

    def stream() -> int:
        return drain(
            litellm.completion(model=MODEL, messages=MESSAGES, stream=True, mock_response=STREAM_TEXT)
        )

    async def astream() -> int:
        stream = await litellm.acompletion(
            model=MODEL, messages=MESSAGES, stream=True, mock_response=STREAM_TEXT
        )
        return await adrain(stream)

    async def astream_short() -> int:
        # A two-chunk reply: LiteLLM's own work per chunk, and its noise, are small next to a
        # stream's fixed cost, the figure a callback inside LiteLLM can be compared on.
        return await adrain(
            await litellm.acompletion(model=MODEL, messages=MESSAGES, stream=True, mock_response="hi")
        )

    def embedding() -> int:
        litellm.embedding(model="text-embedding-3-small", input=["x"], mock_response=[0.1, 0.2])
        return 0

    async def router_acompletion() -> int:
        await router.acompletion(model="group", messages=MESSAGES)
        return 0

    return [
        Scenario("completion", "mock", call=completion),
        Scenario("acompletion", "mock", acall=acompletion),
        Scenario("stream", "mock", call=stream),
        Scenario("astream", "mock", acall=astream),
        Scenario("astream short", "mock", acall=astream_short),
        Scenario("embedding", "mock", call=embedding),
        Scenario("router.acompletion", "mock", acall=router_acompletion),
    ]


def http_scenarios(provider: FakeProvider) -> list[Scenario]:
    base = provider.openai_base

    def completion() -> int:
        litellm.completion(model=f"openai/{MODEL}", api_base=base, api_key="sk-bench", messages=MESSAGES)
        return 0

    def stream() -> int:
        return drain(
            litellm.completion(
                model=f"openai/{MODEL}", api_base=base, api_key="sk-bench", messages=MESSAGES, stream=True
            )
        )

    return [Scenario("completion", "http", call=completion), Scenario("stream", "http", call=stream)]


def isolated_scenarios(*, traces_only: bool) -> list[Scenario]:
    response = litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")
    chunks, wrapper_state = real_stream()
    short, long = replay_chunks(chunks, SHORT_STREAM), replay_chunks(chunks, LONG_STREAM)
    short_text, long_text = stream_text(short), stream_text(long)

    def prebuilt_response(*args: Any, **kwargs: Any) -> Any:
        return response

    def prebuilt_short(*args: Any, **kwargs: Any) -> Any:
        return PrebuiltStream(short, short_text, wrapper_state)

    def prebuilt_long(*args: Any, **kwargs: Any) -> Any:
        return PrebuiltStream(long, long_text, wrapper_state)

    def completion() -> int:
        litellm.completion(model=MODEL, messages=MESSAGES)
        return 0

    def stream() -> int:
        return drain(litellm.completion(model=MODEL, messages=MESSAGES, stream=True))

    variants = [("isolated", True), ("isolated traces-only", False)] if traces_only else [("isolated", True)]
    return [
        scenario
        for group, metrics in variants
        for scenario in (
            Scenario("completion", group, call=completion, replacement=prebuilt_response, metrics=metrics),
            Scenario(
                f"stream {SHORT_STREAM}", group, call=stream, replacement=prebuilt_short, metrics=metrics
            ),
            Scenario(f"stream {LONG_STREAM}", group, call=stream, replacement=prebuilt_long, metrics=metrics),
        )
    ]


def messages_scenarios(*, traces_only: bool) -> list[Scenario]:
    """`litellm.anthropic_messages` (async) replaced, while the instrumentor wraps it, by a stub
    returning a Messages dict or a stream of SSE bytes built beforehand: the call, streams of
    one event a chunk at the two lengths (their slope is the cost per chunk), and the same
    events several to a chunk (traces only: the cost per event)."""
    result = messages_result()
    short, long = sse_events(SHORT_STREAM), sse_events(LONG_STREAM)
    packed_short, packed_long = packed(short, MESSAGES_PACKED_EVENTS), packed(long, MESSAGES_PACKED_EVENTS)

    async def prebuilt_result(*args: Any, **kwargs: Any) -> Any:
        return result

    def prebuilt_stream(chunks: list[bytes]) -> Callable[..., Any]:
        return replaying(chunks, MESSAGES_STREAM_HIDDEN)

    async def call() -> int:
        await litellm.anthropic_messages(
            model=MESSAGES_MODEL, messages=MESSAGES, max_tokens=MESSAGES_MAX_TOKENS
        )
        return 0

    async def stream() -> int:
        return await adrain(
            await litellm.anthropic_messages(
                model=MESSAGES_MODEL, messages=MESSAGES, max_tokens=MESSAGES_MAX_TOKENS, stream=True
            )
        )

    def scenario(
        name: str, group: str, acall: Callable[[], Awaitable[int]], replacement: Any, **more: Any
    ) -> Scenario:
        return Scenario(
            name, group, acall=acall, replacement=replacement, stands_in_for="anthropic_messages", **more
        )

    variants = [("isolated", True), ("isolated traces-only", False)] if traces_only else [("isolated", True)]
    scenarios = [
        made
        for group, metrics in variants
        for made in (
            scenario("messages", group, call, prebuilt_result, metrics=metrics),
            scenario(f"messages sse {SHORT_STREAM}", group, stream, prebuilt_stream(short), metrics=metrics),
            scenario(f"messages sse {LONG_STREAM}", group, stream, prebuilt_stream(long), metrics=metrics),
        )
    ]
    group = variants[-1][0]
    return [
        *scenarios,
        *(
            scenario(
                f"messages sse packed {length}",
                group,
                stream,
                prebuilt_stream(chunks),
                metrics=False,
                events=length,
            )
            for length, chunks in ((SHORT_STREAM, packed_short), (LONG_STREAM, packed_long))
        ),
    ]


def transcription_scenarios(*, traces_only: bool) -> list[Scenario]:
    """`litellm.atranscription` replaced, while the instrumentor wraps it, by a stub coroutine
    function that looks like it (`looking_like`) and returns a `TranscriptionResponse` built
    beforehand."""
    result = transcription_result()

    async def prebuilt_result(*args: Any, **kwargs: Any) -> Any:
        return result

    async def call() -> int:
        await litellm.atranscription(model=TRANSCRIPTION_MODEL, file=TRANSCRIPTION_FILE)
        return 0

    variants = [("isolated", True), ("isolated traces-only", False)] if traces_only else [("isolated", True)]
    return [
        Scenario(
            "transcription",
            group,
            acall=call,
            replacement=looking_like("atranscription", prebuilt_result),
            stands_in_for="atranscription",
            metrics=metrics,
        )
        for group, metrics in variants
    ]


def generate_content_scenarios(*, traces_only: bool) -> list[Scenario]:
    """`litellm.google_genai.agenerate_content_stream` replaced, while the instrumentor wraps
    it, by a stub coroutine function that looks like it and returns a stream of Gemini's SSE
    bytes built beforehand, one event a chunk, at the two lengths (their slope is the cost per
    chunk)."""

    async def stream() -> int:
        return await adrain(
            await litellm.google_genai.agenerate_content_stream(
                model=GENAI_MODEL, contents=GENAI_CONTENTS, config=GENAI_CONFIG
            )
        )

    variants = [("isolated", True), ("isolated traces-only", False)] if traces_only else [("isolated", True)]
    return [
        Scenario(
            f"generate_content sse {length}",
            group,
            acall=stream,
            replacement=generate_content_stream_stub(length),
            stands_in_for="google_genai.agenerate_content_stream",
            metrics=metrics,
        )
        for group, metrics in variants
        for length in (SHORT_STREAM, LONG_STREAM)
    ]


# --- the harness -----------------------------------------------------------------------------

# The floor's span: what a GenAI CLIENT span of a chat call carries, 8 attributes at start and 7
# when the response is in.
FLOOR_START_ATTRIBUTES: dict[str, AttributeValue] = {
    "gen_ai.operation.name": "chat",
    "gen_ai.request.model": MODEL,
    "gen_ai.provider.name": "openai",
    "server.address": "api.openai.com",
    "server.port": 443,
    "gen_ai.request.temperature": 0.2,
    "gen_ai.request.max_tokens": 256,
    "gen_ai.request.stream": False,
}
FLOOR_END_ATTRIBUTES: dict[str, AttributeValue] = {
    "gen_ai.response.id": "chatcmpl-0123456789",
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "gen_ai.response.finish_reasons": ("stop",),
    "gen_ai.usage.input_tokens": 10,
    "gen_ai.usage.output_tokens": 20,
    "gen_ai.usage.total_tokens": 30,
    "gen_ai.usage.cost": 1.35e-05,
}


# The metrics floor adds what recording the GenAI client metrics of one priced call costs: the
# points litellm-otel records for a non-streaming call (a duration point, two token-usage points
# and a cost point), with the attributes the conventions put on them, each with an exemplar of
# the call's span.
FLOOR_METRIC_ATTRIBUTES: dict[str, AttributeValue] = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": "openai",
    "gen_ai.request.model": MODEL,
    "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
    "server.address": "api.openai.com",
    "server.port": 443,
}
FLOOR_INPUT_ATTRIBUTES = {**FLOOR_METRIC_ATTRIBUTES, "gen_ai.token.type": "input"}
FLOOR_OUTPUT_ATTRIBUTES = {**FLOOR_METRIC_ATTRIBUTES, "gen_ai.token.type": "output"}
FLOOR_SCOPE = "benchmarks.floor"


def carried(spans: Sequence[ReadableSpan], points: int, calls: int) -> dict[str, Any]:
    """What the instrumented calls recorded, whatever the naming: attributes per span, whether
    token usage and a cost are on a span, metric points per call. A fast instrumentation that
    records less is not comparable figure for figure, so the report shows this next to the times."""
    keys = {key for span in spans for key in (span.attributes or {})}
    return {
        "attributes": round(statistics.mean(len(span.attributes or {}) for span in spans)) if spans else 0,
        "usage": any("token" in key and ("input" in key or "prompt" in key) for key in keys),
        "cost": any("cost" in key for key in keys),
        "points": points / calls,
    }


class Harness:
    """One subject's instrumentor over LiteLLM, switched on and off between batches."""

    def __init__(self, subject: Subject) -> None:
        self.subject = subject
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.metric_reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.metric_reader])
        floor_meter = self.meter_provider.get_meter(FLOOR_SCOPE)
        self.floor_duration = floor_meter.create_histogram("benchmarks.floor.duration", unit="s")
        self.floor_tokens = floor_meter.create_histogram("benchmarks.floor.tokens", unit="{token}")
        self.floor_cost = floor_meter.create_histogram("benchmarks.floor.cost", unit="USD")
        self.instrumentor = importlib.import_module(subject.module).LiteLLMInstrumentor()
        self.instrumented = False
        self.metrics = True  # whether the instrumentor got the SDK meter provider
        self.loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self.loop)

    def set_instrumented(self, on: bool, *, metrics: bool = True) -> None:
        if self.instrumented and (not on or metrics != self.metrics):
            self.instrumentor.uninstrument()
            self.instrumented = False
        if on and not self.instrumented:
            meter_provider = self.meter_provider if metrics else NoOpMeterProvider()
            self.instrumentor.instrument(tracer_provider=self.tracer_provider, meter_provider=meter_provider)
            self.instrumented, self.metrics = True, metrics

    def close(self) -> None:
        self.set_instrumented(False)
        self.loop.close()

    @contextlib.contextmanager
    def prepared(self, scenario: Scenario) -> Iterator[None]:
        """For an isolated scenario, `litellm.completion` (or the function it stands in for,
        `stands_in_for` under `litellm`) is its replacement meanwhile, and the stream builder
        `prebuilt_assembly`: put in place while LiteLLM is bare, so the instrumentor wraps the
        replacements."""
        if scenario.replacement is None:
            yield
            return
        self.set_instrumented(False)
        owner, name = stand_in_owner(scenario.stands_in_for)
        original, original_builder = getattr(owner, name), litellm.stream_chunk_builder
        setattr(owner, name, scenario.replacement)
        litellm.stream_chunk_builder = prebuilt_assembly
        try:
            yield
        finally:
            self.set_instrumented(False)
            setattr(owner, name, original)
            litellm.stream_chunk_builder = original_builder

    def driven(self, scenario: Scenario) -> Callable[[], Any]:
        """One call of the scenario as a plain function: an async one run on this loop, without
        `settle` (a stub sets off no LiteLLM logging), for callgrind and cProfile."""
        if scenario.acall is None:
            assert scenario.call is not None
            return scenario.call
        acall, loop = scenario.acall, self.loop
        return lambda: loop.run_until_complete(acall())

    def once(self, scenario: Scenario) -> int:
        if scenario.acall is not None:
            acall = scenario.acall

            async def settled() -> int:
                chunks = await acall()
                await settle()
                return chunks

            return self.loop.run_until_complete(settled())
        assert scenario.call is not None
        return scenario.call()

    def spans(self) -> int:
        count = len(self.exporter.get_finished_spans())
        self.exporter.clear()
        return count

    def timed(self, scenario: Scenario, n: int) -> tuple[int, int]:
        """Wall and CPU nanoseconds of n calls in a row."""
        if scenario.acall is not None:
            acall = scenario.acall

            async def many() -> None:
                for _ in range(n):
                    await acall()
                await settle()

            batch = many()
            gc.collect()
            wall, cpu = time.perf_counter_ns(), time.process_time_ns()
            self.loop.run_until_complete(batch)
            return time.perf_counter_ns() - wall, time.process_time_ns() - cpu
        call = scenario.call
        assert call is not None
        gc.collect()
        wall, cpu = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(n):
            call()
        return time.perf_counter_ns() - wall, time.process_time_ns() - cpu

    def floor(self, n: int, *, metrics: bool = False) -> tuple[int, int]:
        """Wall and CPU nanoseconds of n SDK spans, 15 attributes each, started and ended; with
        `metrics`, each followed by the four metric points of a priced GenAI call."""
        one = self.floor_call(metrics=metrics)
        gc.collect()
        wall, cpu = time.perf_counter_ns(), time.process_time_ns()
        for _ in range(n):
            one()
        wall, cpu = time.perf_counter_ns() - wall, time.process_time_ns() - cpu
        self.exporter.clear()
        return wall, cpu

    def floor_call(self, *, metrics: bool = False) -> Callable[[], None]:
        """One floor span, 15 attributes, started and ended; with `metrics`, followed by the
        four metric points of a priced GenAI call."""
        tracer = self.tracer_provider.get_tracer(FLOOR_SCOPE)
        start, end = FLOOR_START_ATTRIBUTES, FLOOR_END_ATTRIBUTES
        duration, tokens, cost = self.floor_duration, self.floor_tokens, self.floor_cost

        def one() -> None:
            span = tracer.start_span("chat gpt-4o-mini", kind=SpanKind.CLIENT, attributes=start)
            span.set_attributes(end)
            span.end()
            if metrics:
                # In the span's context, as litellm-otel records its points: the SDK's default
                # (trace-based) exemplar filter then keeps an exemplar pointing at the span.
                in_span = set_span_in_context(span)
                duration.record(0.42, FLOOR_METRIC_ATTRIBUTES, in_span)
                tokens.record(10, FLOOR_INPUT_ATTRIBUTES, in_span)
                tokens.record(20, FLOOR_OUTPUT_ATTRIBUTES, in_span)
                cost.record(1.35e-05, FLOOR_METRIC_ATTRIBUTES, in_span)

        return one

    def check(self, scenario: Scenario, target_ns: int, min_batch: int) -> None:
        """One bare and one instrumented call (errors, chunks, spans), then the batch size that
        makes a bare batch last about target_ns."""
        try:
            with self.prepared(scenario):
                self.set_instrumented(False)
                self.spans()
                scenario.chunks = self.once(scenario)
                stray = self.spans()
                if stray:
                    raise RuntimeError(f"{stray} span(s) while uninstrumented")
                self.set_instrumented(True, metrics=scenario.metrics)
                points = self.metric_points()
                try:
                    for _ in range(3):
                        self.once(scenario)
                except Exception as exc:
                    scenario.error = f"instrumented call raised {type(exc).__name__}: {exc}"[:300]
                    return
                spans = self.exporter.get_finished_spans()
                scenario.carries = carried(spans, self.metric_points() - points, 3)
                scenario.spans_per_call = self.spans() / 3
                if not scenario.spans_per_call:
                    # Counted, not assumed: LiteLLM's OTel v2 traces async calls only, and no
                    # callback sees the isolated scenarios' stubbed-out LiteLLM.
                    scenario.error = "the instrumented call made no span: this subject does not trace it"
                    return
                # Sized on the slower state: instrumented, where LiteLLM is replaced by a stub.
                per_call = self.per_call(scenario, target_ns // 4)
                self.set_instrumented(False)
                per_call = max(per_call, self.per_call(scenario, target_ns // 2))
                scenario.batch = max(min_batch, round(target_ns / per_call))
        except Exception as exc:
            scenario.error = f"bare call failed: {type(exc).__name__}: {exc}"[:300]
        finally:
            self.spans()

    def metric_points(self) -> int:
        """Histogram points recorded so far by the subject (the floor's own left out)."""
        data = self.metric_reader.get_metrics_data()
        if data is None:
            return 0
        return sum(
            getattr(point, "count", 1)
            for resource in data.resource_metrics
            for scope in resource.scope_metrics
            if scope.scope.name != FLOOR_SCOPE
            for metric in scope.metrics
            for point in metric.data.data_points
        )

    def per_call(self, scenario: Scenario, budget_ns: int) -> float:
        calls, started = 0, time.perf_counter_ns()
        while calls < 3 or time.perf_counter_ns() - started < budget_ns:
            self.once(scenario)
            calls += 1
        self.spans()
        return (time.perf_counter_ns() - started) / calls

    def pair(self, scenario: Scenario, instrumented_first: bool) -> dict[str, float]:
        """A bare batch and an instrumented batch, per-call nanoseconds."""
        row: dict[str, float] = {}
        with self.prepared(scenario):
            for on in (instrumented_first, not instrumented_first):
                self.set_instrumented(on, metrics=scenario.metrics)
                self.once(scenario)  # untimed: caches rebuilt by the switch are warm again
                self.spans()
                wall, cpu = self.timed(scenario, scenario.batch)
                key = "inst" if on else "bare"
                row[f"{key}_wall"] = wall / scenario.batch
                row[f"{key}_cpu"] = cpu / scenario.batch
                row[f"{key}_spans"] = self.spans() / scenario.batch
        return row


# --- modes -------------------------------------------------------------------------------------


def quiet_litellm() -> None:
    litellm.telemetry = False
    litellm.suppress_debug_info = True


def make_router() -> Any:
    deployment = {"model": MODEL, "mock_response": "hi"}
    return litellm.Router(model_list=[{"model_name": "group", "litellm_params": deployment}])


def run_time(harness: Harness, args: argparse.Namespace) -> dict[str, Any]:
    target_ns = int(args.batch_seconds * 1e9)
    with FakeProvider() as provider:
        scenarios = [
            *mock_scenarios(make_router()),
            *isolated_scenarios(traces_only=harness.subject.metrics),
            *messages_scenarios(traces_only=harness.subject.metrics),
            *transcription_scenarios(traces_only=harness.subject.metrics),
            *generate_content_scenarios(traces_only=harness.subject.metrics),
            *http_scenarios(provider),
        ]
        if args.only:  # while developing: the scenarios whose "group name" contains the text
            scenarios = [s for s in scenarios if args.only in f"{s.group} {s.name}"]
        for scenario in scenarios:
            http = scenario.group == "http"
            harness.check(scenario, target_ns * (2 if http else 1), 3 if http else 2)
            status = scenario.error or f"batch {scenario.batch}, {scenario.spans_per_call:g} span(s)/call"
            log(f"  {scenario.group} {scenario.name}: {status}")
        probe_wall, _ = harness.floor(200)
        floor_batch = max(50, round(target_ns / 2 / max(1.0, probe_wall / 200)))
        # Everything built so far lives to the end: out of the collector's way, so a collection
        # during a batch costs what the batch itself allocated.
        gc.collect()
        gc.freeze()
        floor: list[dict[str, float]] = []
        http_every = max(1, args.rounds // max(1, args.http_rounds))
        started = time.perf_counter()
        for index in range(args.rounds):
            wall, cpu = harness.floor(floor_batch)
            metrics_wall, metrics_cpu = harness.floor(floor_batch, metrics=True)
            floor.append(
                {
                    "wall": wall / floor_batch,
                    "cpu": cpu / floor_batch,
                    "metrics_wall": metrics_wall / floor_batch,
                    "metrics_cpu": metrics_cpu / floor_batch,
                }
            )
            for position, scenario in enumerate(scenarios):
                if scenario.error is not None:
                    continue
                http_round = index % http_every == 0 and index // http_every < args.http_rounds
                if scenario.group == "http" and not http_round:
                    continue
                scenario.rounds.append(harness.pair(scenario, (index + position) % 2 == 1))
            log(f"  round {index + 1}/{args.rounds} ({time.perf_counter() - started:.0f} s)")
    return {
        "floor": {"batch": floor_batch, "rounds": floor},
        "scenarios": [scenario.json() for scenario in scenarios],
    }


def retained(harness: Harness, call: Callable[[], Any], n: int) -> dict[str, Any]:
    """Bytes allocated during n calls and still allocated after them (and a collection)."""
    for _ in range(min(n, 200)):
        call()
    time.sleep(0.2)  # LiteLLM logs on worker threads: let them finish the warm-up calls
    harness.spans()
    gc.collect()
    spans = 0
    tracemalloc.start()
    for index in range(n):
        call()
        if index % 500 == 499:
            spans += harness.spans()
    time.sleep(0.2)
    gc.collect()
    spans += harness.spans()
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(inclusive=False, filename_pattern=tracemalloc.__file__)]
    )
    tracemalloc.stop()
    statistics = snapshot.statistics("lineno")
    total = sum(stat.size for stat in statistics)
    ours = sum(stat.size for stat in statistics if "litellm_otel" in stat.traceback[0].filename)
    otel = sum(stat.size for stat in statistics if "opentelemetry" in stat.traceback[0].filename)
    return {
        "calls": n,
        "bytes": total,
        "bytes_in_litellm_otel": ours,
        "bytes_in_opentelemetry": otel,
        "spans": spans,
        "top": [
            {"site": short_path(str(stat.traceback[0])), "bytes": stat.size, "blocks": stat.count}
            for stat in statistics[:5]
        ],
    }


def run_memory(harness: Harness, args: argparse.Namespace) -> dict[str, Any]:
    chunks, wrapper_state = real_stream()
    chunks = assembled(chunks)
    text = stream_text(chunks)
    response = litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")

    def completion() -> None:
        litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")

    def abandoned_stream() -> None:
        stream = litellm.completion(model=MODEL, messages=MESSAGES, stream=True, mock_response=STREAM_TEXT)
        next(stream)

    def prebuilt_completion(*a: Any, **k: Any) -> Any:
        return response

    def prebuilt_stream(*a: Any, **k: Any) -> Any:
        return PrebuiltStream(chunks, text, wrapper_state)

    def isolated_abandoned_stream() -> None:
        stream = litellm.completion(model=MODEL, messages=MESSAGES, stream=True)
        next(stream)

    isolated_calls = args.memory_isolated_calls
    cases = [
        ("completion", "mock", completion, None, args.memory_calls),
        ("abandoned stream", "mock", abandoned_stream, None, args.memory_calls),
        ("completion", "isolated", completion, prebuilt_completion, isolated_calls),
        ("abandoned stream", "isolated", isolated_abandoned_stream, prebuilt_stream, isolated_calls),
    ]
    results = []
    for name, group, call, replacement, n in cases:
        scenario = Scenario(name, group, replacement=replacement)
        row: dict[str, Any] = {"name": name, "group": group}
        with harness.prepared(scenario):
            for on in (False, True):
                harness.set_instrumented(on)
                row["inst" if on else "bare"] = retained(harness, call, n)
                log(f"  memory {group} {name} {'instrumented' if on else 'bare'}: done")
        results.append(row)
    return {"memory": results}


def short_path(path: str) -> str:
    for marker in ("site-packages/", "/src/", "/lib/python"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def profile_rows(stats: pstats.Stats, calls: int, top: int) -> dict[str, Any]:
    """Per call: the litellm_otel and opentelemetry functions by self time, litellm_otel's by
    cumulative time (what our code sets off, LiteLLM included), and the self-time totals."""
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]
    rows: list[dict[str, Any]] = []
    sums = {"litellm_otel": 0.0, "opentelemetry": 0.0, "all": 0.0}
    for (filename, line, function), (_, ncalls, tottime, cumtime, _) in raw.items():
        sums["all"] += tottime
        owner = next((name for name in ("litellm_otel", "opentelemetry") if name in filename), None)
        if owner is None:
            continue
        sums[owner] += tottime
        rows.append(
            {
                "function": f"{short_path(filename)}:{line}({function})",
                "ours": owner == "litellm_otel",
                "calls": ncalls / calls,
                "tottime_us": tottime / calls * 1e6,
                "cumtime_us": cumtime / calls * 1e6,
            }
        )
    by_cumtime = sorted((row for row in rows if row["ours"]), key=lambda row: -row["cumtime_us"])
    return {
        "calls": calls,
        "top": sorted(rows, key=lambda row: -row["tottime_us"])[:top],
        "top_ours_cumulative": by_cumtime[: max(10, top // 2)],
        "tottime_us": {name: value / calls * 1e6 for name, value in sums.items()},
    }


def run_profile(harness: Harness, args: argparse.Namespace) -> dict[str, Any]:
    response = litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")
    chunks, wrapper_state = real_stream()
    chunks = assembled(chunks)
    text = stream_text(chunks)

    def completion() -> None:
        litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")

    def stream() -> None:
        drain(litellm.completion(model=MODEL, messages=MESSAGES, stream=True, mock_response=STREAM_TEXT))

    def prebuilt_response(*args: Any, **kwargs: Any) -> Any:
        return response

    def prebuilt_stream(*args: Any, **kwargs: Any) -> Any:
        return PrebuiltStream(chunks, text, wrapper_state)

    def isolated_stream() -> None:
        drain(litellm.completion(model=MODEL, messages=MESSAGES, stream=True))

    # The Messages API's call and a 50-event stream, one event a chunk, LiteLLM stubbed out.
    messages, messages_stream = messages_scenarios(traces_only=False)[:2]
    messages.name, messages_stream.name = "isolated messages", "isolated messages stream"
    messages_stream.replacement = replaying(sse_events(len(STREAM_TEXT) // 3 + 1), MESSAGES_STREAM_HIDDEN)
    # A transcription, and a streamed generateContent of 50 events, one a chunk.
    transcription = transcription_scenarios(traces_only=False)[0]
    genai_stream = generate_content_scenarios(traces_only=False)[0]
    transcription.name, genai_stream.name = "isolated transcription", "isolated generate_content stream"
    genai_stream.replacement = generate_content_stream_stub(len(STREAM_TEXT) // 3 + 1)

    cases = (
        (Scenario("completion", "mock"), completion, args.profile_calls),
        (Scenario("stream", "mock"), stream, max(10, args.profile_calls // 20)),
        # Our code alone: LiteLLM replaced by a stub, as in the isolated timing scenarios.
        (Scenario("isolated completion", "isolated", replacement=prebuilt_response), completion, 5000),
        (Scenario("isolated stream", "isolated", replacement=prebuilt_stream), isolated_stream, 500),
        (messages, harness.driven(messages), 5000),
        (messages_stream, harness.driven(messages_stream), 500),
        (transcription, harness.driven(transcription), 5000),
        (genai_stream, harness.driven(genai_stream), 500),
    )
    results = {}
    for scenario, call, calls in cases:
        with harness.prepared(scenario):
            harness.set_instrumented(True)
            for _ in range(50):
                call()
            harness.spans()
            profiler = cProfile.Profile()
            profiler.enable()
            for index in range(calls):
                call()
                if index % 500 == 499:
                    harness.spans()
            profiler.disable()
            harness.spans()
        if args.profile_out:
            profiler.dump_stats(f"{args.profile_out}.{scenario.name.replace(' ', '-')}.prof")
        results[scenario.name] = profile_rows(pstats.Stats(profiler), calls, args.profile_top)
        log(f"  profile {scenario.name}: done")
    return {"profile": results}


# --- instructions: callgrind's counts, which do not move with the machine's load ----------------

# Streams per measurement under callgrind: its counts repeat to within 1% from run to run (same
# binary, inputs and PYTHONHASHSEED), so few calls suffice, and it runs Python ~50x slower.
INSTRUCTION_CALLS = 50  # floor spans and short streams; a long stream, a fifth of it
INSTRUCTION_LONG_STREAM = 110


class Callgrind:
    """Counting on and off from inside a process started by `valgrind --tool=callgrind
    --instr-atstart=no --collect-atstart=no --callgrind-out-file=<out>`, through a helper
    library of callgrind's client requests (run.py builds it); each stop dumps the counts of
    what ran since the start to `<out>.<n>`, read back here."""

    def __init__(self, helper: str, out: str) -> None:
        self._lib = ctypes.CDLL(helper)
        self._out = out
        self._dumps = 0

    def count(self, label: str, function: Callable[[], Any], n: int, *, warm_up: int = 20) -> float:
        """Instructions per call of `function`, over n calls after `warm_up` uncounted ones."""
        for _ in range(warm_up):
            function()
        for _ in range(3):
            total = self._counted(label, function, n)
            # callgrind has been seen to report a negative count, wrapped to near 2**64, for a
            # batch of an instrumentation with threads of its own: counted again, never used.
            if 0 < total < 2**62:
                return total / n
            log(f"  callgrind reported {total} instructions for {label}: counting again")
        raise RuntimeError(f"callgrind gave no plausible count for {label}")

    def _counted(self, label: str, function: Callable[[], Any], n: int) -> int:
        gc.collect()
        gc.disable()
        try:
            self._lib.bench_count_start()
            for _ in range(n):
                function()
            self._lib.bench_count_stop(label.encode())
        finally:
            gc.enable()
        self._dumps += 1
        # One file per dump, or with --separate-threads=yes one per thread (`<out>.<n>-<thread>`).
        out = Path(self._out)
        files = sorted(out.parent.glob(f"{out.name}.{self._dumps}-*")) or [Path(f"{out}.{self._dumps}")]
        per_thread = [_callgrind_total(path.read_text()) for path in files]
        if sum(1 for total in per_thread if total) > 1:  # a thread besides the caller's ran
            log(f"  {label}: instructions per thread {per_thread}")
        return sum(per_thread)


def _callgrind_total(dump: str) -> int:
    totals = [line.split()[1] for line in dump.splitlines() if line.startswith(("summary:", "totals:"))]
    return int(totals[0]) if totals else 0


def run_instructions(harness: Harness, args: argparse.Namespace) -> dict[str, Any]:
    """Instructions per call of the floor, and per isolated stream of two lengths, bare and
    instrumented (traces only: a no-op meter provider), counted by callgrind."""
    if not args.callgrind_helper or not args.callgrind_out:
        raise SystemExit("--mode instructions runs under callgrind, started by run.py")
    counter = Callgrind(args.callgrind_helper, args.callgrind_out)
    # The floors first, before any LiteLLM call: a sync mock call hands its success logging to a
    # LiteLLM worker thread, whose instructions callgrind counts in whatever batch it overlaps
    # (seen: the floor with metrics read 725k or 495k from run to run when counted after one).
    counts: dict[str, Any] = {
        "floor": counter.count("floor", harness.floor_call(), INSTRUCTION_CALLS),
        "floor_metrics": counter.count(
            "floor with metrics", harness.floor_call(metrics=True), INSTRUCTION_CALLS
        ),
    }
    harness.spans()
    chunks, wrapper_state = real_stream()

    def stream() -> int:
        return drain(litellm.completion(model=MODEL, messages=MESSAGES, stream=True))

    # The timed isolated calls (LiteLLM stubbed out): bare, traced, and traced with metrics.
    call = isolated_scenarios(traces_only=False)[0]
    assert call.name == "completion"
    counts["completion"] = call_counts(harness, counter, call)
    messages = messages_scenarios(traces_only=False)
    assert messages[0].name == "messages"
    counts["messages"] = call_counts(harness, counter, messages[0])
    counts["transcription"] = call_counts(harness, counter, transcription_scenarios(traces_only=False)[0])
    lengths = (
        ("short", SHORT_STREAM, INSTRUCTION_CALLS),
        ("long", INSTRUCTION_LONG_STREAM, INSTRUCTION_CALLS // 5),
    )
    for name, length, n in lengths:
        replayed = replay_chunks(chunks, length)
        text = stream_text(replayed)

        def prebuilt(*a: Any, _c: list[Any] = replayed, _t: str = text, **k: Any) -> Any:
            return PrebuiltStream(_c, _t, wrapper_state)

        scenario = Scenario(f"stream {length}", "isolated", call=stream, replacement=prebuilt, metrics=False)
        row: dict[str, Any] = {"chunks": length}
        with harness.prepared(scenario):
            for on in (False, True):
                harness.set_instrumented(on, metrics=False)
                key = "inst" if on else "bare"
                row[key] = counter.count(f"{key} stream {length}", stream, n)
                row[f"{key}_spans"] = bool(harness.spans())
        counts[name] = row
        log(f"  instructions stream {length}: bare {row['bare']:.0f}, instrumented {row['inst']:.0f}")
    short, long = counts["short"], counts["long"]
    if not short["inst_spans"]:
        return {"instructions_error": "the instrumented stream made no span: this subject does not trace it"}
    per_chunk = ((long["inst"] - long["bare"]) - (short["inst"] - short["bare"])) / (
        INSTRUCTION_LONG_STREAM - SHORT_STREAM
    )
    counts["per_chunk"] = per_chunk
    counts["per_stream"] = (short["inst"] - short["bare"]) - SHORT_STREAM * per_chunk
    counts["messages_streams"] = sse_stream_counts(
        harness, counter, messages[1], lambda length: replaying(sse_events(length), MESSAGES_STREAM_HIDDEN)
    )
    genai_stream = generate_content_scenarios(traces_only=False)[0]
    counts["generate_content_streams"] = sse_stream_counts(
        harness, counter, genai_stream, generate_content_stream_stub
    )
    counts["mock"] = mock_completion_counts(harness, counter)
    return {"instructions": counts}


def traces(harness: Harness, scenario: Scenario) -> bool:
    """Whether one instrumented call of the scenario made a span (uncounted): a subject that does
    not trace it is not counted on it."""
    with harness.prepared(scenario):
        harness.set_instrumented(True, metrics=False)
        harness.spans()
        harness.driven(scenario)()
        return bool(harness.spans())


def call_counts(harness: Harness, counter: Callgrind, call: Scenario) -> dict[str, Any]:
    """Instructions per isolated call: bare, traced, and traced with metrics; only whether it
    was traced when this subject makes no span for it."""
    if not traces(harness, call):
        log(f"  instructions {call.name}: not traced by this subject, not counted")
        return {"inst_spans": False}
    row: dict[str, Any] = {}
    one = harness.driven(call)
    with harness.prepared(call):
        for key, on, metrics in (("bare", False, False), ("inst", True, False), ("inst_metrics", True, True)):
            harness.set_instrumented(on, metrics=metrics)
            row[key] = counter.count(f"{key} {call.name}", one, INSTRUCTION_CALLS)
            row[f"{key}_spans"] = bool(harness.spans())
    log(
        f"  instructions {call.name}: bare {row['bare']:.0f}, traced {row['inst']:.0f}, "
        f"with metrics {row['inst_metrics']:.0f}"
    )
    return row


def sse_stream_counts(
    harness: Harness, counter: Callgrind, stream: Scenario, stub: Callable[[int], Callable[..., Any]]
) -> dict[str, Any]:
    """Instructions per isolated stream of SSE bytes (one event a chunk: the Messages API's,
    generateContent's) of the two counted lengths, bare and traced (traces only), and from them
    per chunk and per stream. `stream` is one of the timed scenarios; `stub(length)` its
    replacement for a stream of `length` events."""
    if not traces(harness, stream):
        log(f"  instructions {stream.name}: not traced by this subject, not counted")
        return {"traced": False}
    counts: dict[str, Any] = {"traced": True}
    what = stream.name.rsplit(" ", 1)[0]  # "messages sse 10" -> "messages sse"
    for name, length, n in (
        ("short", SHORT_STREAM, INSTRUCTION_CALLS),
        ("long", INSTRUCTION_LONG_STREAM, INSTRUCTION_CALLS // 5),
    ):
        scenario = Scenario(
            f"{what} {length}",
            "isolated",
            acall=stream.acall,
            replacement=stub(length),
            stands_in_for=stream.stands_in_for,
            metrics=False,
        )
        one = harness.driven(scenario)
        row: dict[str, Any] = {"chunks": length}
        with harness.prepared(scenario):
            for on in (False, True):
                harness.set_instrumented(on, metrics=False)
                key = "inst" if on else "bare"
                row[key] = counter.count(f"{key} {scenario.name}", one, n)
                row[f"{key}_spans"] = bool(harness.spans())
        counts[name] = row
        log(f"  instructions {scenario.name}: bare {row['bare']:.0f}, instrumented {row['inst']:.0f}")
    short, long = counts["short"], counts["long"]
    per_chunk = ((long["inst"] - long["bare"]) - (short["inst"] - short["bare"])) / (
        INSTRUCTION_LONG_STREAM - SHORT_STREAM
    )
    counts["per_chunk"] = per_chunk
    counts["per_stream"] = (short["inst"] - short["bare"]) - SHORT_STREAM * per_chunk
    return counts


# A batch of LiteLLM mock completions under callgrind, and how long it waits at its end for the
# success logging LiteLLM hands to its worker threads (which callgrind slows ~50x, as the rest).
MOCK_INSTRUCTION_CALLS = 20
MOCK_SETTLE_SECONDS = 3.0


def mock_completion_counts(harness: Harness, counter: Callgrind) -> dict[str, Any]:
    """Instructions per `litellm.completion(mock_response=...)`, LiteLLM's own code path without
    HTTP, bare and traced (traces only), every thread counted, its logging threads' work
    included: set against the isolated call's count, what tracing makes LiteLLM itself do.
    Counted last: the logging threads outlive the calls, and would run into a later count."""

    made = 0  # calls made, the warm-up batch and any batch callgrind had counted again included

    def batch() -> None:
        nonlocal made
        for _ in range(MOCK_INSTRUCTION_CALLS):
            litellm.completion(model=MODEL, messages=MESSAGES, mock_response="hi")
            made += 1
        time.sleep(MOCK_SETTLE_SECONDS)

    row: dict[str, Any] = {"calls": MOCK_INSTRUCTION_CALLS}
    for key, on in (("bare", False), ("inst", True)):
        harness.set_instrumented(on, metrics=False)
        harness.spans()
        made = 0
        row[key] = counter.count(f"{key} mock completion", batch, 1, warm_up=1) / MOCK_INSTRUCTION_CALLS
        row[f"{key}_spans"] = harness.spans() / made
    log(f"  instructions mock completion: bare {row['bare']:.0f}, traced {row['inst']:.0f}")
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subject", choices=sorted(SUBJECTS), default="ours")
    parser.add_argument("--mode", choices=("time", "memory", "profile", "instructions"), default="time")
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON result")
    parser.add_argument("--quick", action="store_true", help="few rounds and calls: a smoke run")
    parser.add_argument("--rounds", type=int, help="bare/instrumented batch pairs per scenario")
    parser.add_argument("--http-rounds", type=int, help="rounds for the HTTP scenarios")
    parser.add_argument("--batch-seconds", type=float, help="wall time a bare batch aims at")
    parser.add_argument("--memory-calls", type=int, help="calls and abandoned streams through LiteLLM")
    parser.add_argument("--memory-isolated-calls", type=int, help="calls and streams, isolated")
    parser.add_argument("--profile-calls", type=int, help="instrumented mock completions profiled")
    parser.add_argument("--profile-top", type=int, default=15)
    parser.add_argument("--profile-out", help="also save pstats files with this prefix")
    parser.add_argument("--only", help="time only the scenarios whose name contains this text")
    parser.add_argument("--callgrind-helper", help="instructions mode: the client-request library")
    parser.add_argument("--callgrind-out", help="instructions mode: callgrind's --callgrind-out-file")
    parser.add_argument(
        "--share", type=int, default=1, help="time 1/N of the rounds: one of N processes run.py pools"
    )
    args = parser.parse_args(argv)
    defaults = {
        "rounds": (8, 30),
        "http_rounds": (3, 10),
        "batch_seconds": (0.05, 0.08),
        "memory_calls": (300, 1000),
        "memory_isolated_calls": (2000, 10_000),
        "profile_calls": (500, 2000),
    }
    for name, (quick, full) in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, quick if args.quick else full)
    args.rounds = max(1, math.ceil(args.rounds / max(1, args.share)))
    args.http_rounds = max(1, math.ceil(args.http_rounds / max(1, args.share)))

    quiet_litellm()
    subject = SUBJECTS[args.subject]
    result: dict[str, Any] = {
        "subject": args.subject,
        "label": subject.label,
        "mode": args.mode,
        "versions": versions(subject.distributions + REPORTED_PACKAGES),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "stream_chunks_requested": len(STREAM_TEXT) // 3 + 1,
        "isolated_stream_lengths": [SHORT_STREAM, LONG_STREAM],
    }
    unavailable = subject.unavailable()
    if unavailable is not None:
        result["unavailable"] = unavailable
        args.out.write_text(json.dumps(result, indent=1))
        return 0
    harness = Harness(subject)
    log(f"{subject.label}: {args.mode}")
    started = time.perf_counter()
    modes = {"time": run_time, "memory": run_memory, "profile": run_profile, "instructions": run_instructions}
    try:
        result.update(modes[args.mode](harness, args))
    finally:
        harness.close()
    result["seconds"] = time.perf_counter() - started
    args.out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # LiteLLM's worker threads and HTTP clients are torn down with the interpreter, which has
    # been seen to crash at exit; the result is written, so leave without the teardown.
    os._exit(code)
