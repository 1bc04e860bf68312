"""A fake LLM provider HTTP server for tests and offline demos.

Stdlib only. LiteLLM talks to it over real HTTP (httpx or aiohttp), so the whole
client stack -- request building, SSE parsing, usage extraction, error mapping --
runs exactly as it would against the real provider.

Usage::

    with FakeProvider() as provider:
        litellm.completion(model="openai/fake-gpt", api_base=provider.openai_base,
                           api_key="sk-test", messages=[{"role": "user", "content": "hi"}])
        assert provider.requests[-1].path == "/v1/chat/completions"

    python examples/fake_provider.py 8099   # serve on 127.0.0.1:8099 until Ctrl-C

``api_base`` to pass to LiteLLM, per provider prefix:

* ``openai/``, ``text-completion-openai/``  -> ``provider.openai_base`` (``.../v1``);
  LiteLLM (the OpenAI SDK) appends ``/chat/completions``, ``/completions``,
  ``/embeddings``, ``/responses`` and ``/images/generations``.
* ``anthropic/`` -> ``provider.base_url`` (no ``/v1``); LiteLLM appends
  ``/v1/messages`` itself, so passing ``openai_base`` would hit ``/v1/v1/messages``.
* rerank: ``cohere/`` with ``api_base=provider.base_url + "/v1/rerank"`` (a base that
  ends in ``/v1/rerank`` selects LiteLLM's Cohere v1 client and is used verbatim; a bare
  ``base_url`` selects the v2 client, which posts to ``/v2/rerank`` -- also served), or
  ``hosted_vllm/`` with ``api_base=provider.openai_base`` (LiteLLM appends ``/rerank``).

Endpoints (POST): ``/v1/chat/completions``, ``/v1/completions``, ``/v1/embeddings``,
``/v1/responses``, ``/v1/messages``, ``/v1/images/generations``, ``/v1/rerank`` (and
``/v2/rerank``). ``"stream": true`` is honoured by chat/completions, completions,
responses and messages. Streams use chunked transfer-encoding; other responses carry
Content-Length and keep the connection alive.

The returned ``model`` is always the request model + ``MODEL_SUFFIX`` ("-2026-01-01"), so
tests can tell the request model from the response model.

Scenarios, selected by a (case-sensitive) substring of the request body's ``model``:

* ``error-429`` / ``error-500`` / ``error-401`` / ``error-400``: that HTTP status with an
  OpenAI-style JSON error body (Anthropic-style on ``/v1/messages``). Error responses
  carry ``x-should-retry: false`` so the OpenAI SDK does not retry them: one call -> one
  recorded request, and no back-off sleeps.
* ``midstream-error`` (streaming only): two content deltas are sent, then the connection
  is closed without terminating the chunked body, so the client raises mid-stream.
* ``slow``: sleep ``SLOW_SECONDS`` (0.2 s) before answering.
* ``no-usage``: chat/completions omits ``usage`` (non-streaming) and never sends the
  usage chunk (streaming).
* ``zero-cache``: cached-token counts are reported as a real ``0`` (chat
  ``prompt_tokens_details.cached_tokens``, responses ``input_tokens_details.cached_tokens``,
  Anthropic ``cache_read_input_tokens`` and ``cache_creation_input_tokens``).

Usage variation: a ``tokens-<N>`` marker replaces the prompt / base input token count
with N. It is read from the body's ``user``, ``safety_identifier`` or
``metadata.user_id`` (LiteLLM's ``anthropic/`` sends ``user`` as ``metadata.user_id``),
or from an ``x-fake-tokens: tokens-<N>`` request header (``TOKENS_HEADER``; pass it via
``extra_headers``). Note LiteLLM's ``openai/`` provider silently drops ``user`` for model
names outside OpenAI's catalog (e.g. ``openai/fake-gpt``): use ``safety_identifier`` or the
header there. The override applies to chat ``prompt_tokens``, completions ``prompt_tokens``,
responses ``input_tokens`` and Anthropic ``input_tokens``; totals are adjusted.

Usage numbers are the module constants below (``CHAT_*``, ``TEXT_*``, ``EMBEDDING_*``,
``RESPONSES_*``, ``ANTHROPIC_*``, ``RERANK_*``, ``IMAGE_*``) and the convenience dicts
``OPENAI_USAGE``, ``TEXT_COMPLETION_USAGE``, ``EMBEDDING_USAGE``, ``RESPONSES_USAGE``,
``ANTHROPIC_USAGE`` (the exact non-streaming wire ``usage`` objects; treat them as
read-only). ``RecordedRequest.headers`` keys are lower-cased. ``reset()`` clears
``requests`` only; ids keep counting up.

LiteLLM (1.106) behaviour worth knowing when driving this server:

* ``litellm.responses(stream=True)`` for a model missing from LiteLLM's cost map sends a
  *non-streaming* request and fakes the stream client-side; ``litellm.register_model`` the
  fake model name (``{"litellm_provider": "openai", "mode": "responses"}``) to get a real
  stream (needed for ``midstream-error`` on ``/v1/responses``).
* Anthropic: LiteLLM's ``prompt_tokens`` = input + cache_read + cache_creation
  (34 + 1000 + 200 = 1234), and ``reasoning_tokens`` is LiteLLM's own estimate from the
  thinking text (Anthropic reports none).
* ``midstream-error`` surfaces as ``litellm.MidStreamFallbackError`` for chat (both
  providers), but as a raw ``httpx.RemoteProtocolError`` from ``litellm.responses``.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import re
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, TracebackType
from typing import Any, Final, TypeAlias, cast

__all__ = [
    "ANTHROPIC_CACHE_CREATION_INPUT_TOKENS",
    "ANTHROPIC_CACHE_READ_INPUT_TOKENS",
    "ANTHROPIC_INPUT_TOKENS",
    "ANTHROPIC_OUTPUT_TOKENS",
    "ANTHROPIC_STREAM_START_OUTPUT_TOKENS",
    "ANTHROPIC_USAGE",
    "CHAT_CACHED_TOKENS",
    "CHAT_COMPLETION_TOKENS",
    "CHAT_PROMPT_TOKENS",
    "CHAT_REASONING_TOKENS",
    "CHAT_TOTAL_TOKENS",
    "EMBEDDING_DEFAULT_DIMENSIONS",
    "EMBEDDING_PROMPT_TOKENS",
    "EMBEDDING_USAGE",
    "IMAGE_INPUT_TOKENS",
    "IMAGE_OUTPUT_TOKENS",
    "MODEL_SUFFIX",
    "OPENAI_USAGE",
    "RERANK_INPUT_TOKENS",
    "RESPONSES_CACHED_TOKENS",
    "RESPONSES_INPUT_TOKENS",
    "RESPONSES_OUTPUT_TOKENS",
    "RESPONSES_REASONING_TOKENS",
    "RESPONSES_TOTAL_TOKENS",
    "RESPONSES_USAGE",
    "RESPONSE_TEXT",
    "SLOW_SECONDS",
    "STREAM_TEXT_PIECES",
    "TEXT_COMPLETION_TOKENS",
    "TEXT_COMPLETION_USAGE",
    "TEXT_PROMPT_TOKENS",
    "TEXT_TOTAL_TOKENS",
    "THINKING_SIGNATURE",
    "THINKING_TEXT",
    "TOKENS_HEADER",
    "TOOL_ARGUMENTS",
    "TOOL_CALL_ID",
    "FakeProvider",
    "RecordedRequest",
]

JSONObject: TypeAlias = dict[str, object]

# --------------------------------------------------------------------------- constants

MODEL_SUFFIX: Final = "-2026-01-01"
RESPONSE_TEXT: Final = "Hello from fake provider"
STREAM_TEXT_PIECES: Final = 5
THINKING_TEXT: Final = "Let me think about this carefully step by step."
THINKING_SIGNATURE: Final = "sig"
TOOL_CALL_ID: Final = "call_fake_1"
TOOL_ARGUMENTS: Final = '{"city": "Paris"}'
SLOW_SECONDS: Final = 0.2
TOKENS_HEADER: Final = "x-fake-tokens"  # request header alternative to user="tokens-<N>"

# /v1/chat/completions
CHAT_PROMPT_TOKENS: Final = 1200
CHAT_COMPLETION_TOKENS: Final = 300
CHAT_TOTAL_TOKENS: Final = 1500
CHAT_CACHED_TOKENS: Final = 1000
CHAT_REASONING_TOKENS: Final = 120

# /v1/completions
TEXT_PROMPT_TOKENS: Final = 11
TEXT_COMPLETION_TOKENS: Final = 7
TEXT_TOTAL_TOKENS: Final = 18

# /v1/embeddings
EMBEDDING_PROMPT_TOKENS: Final = 9
EMBEDDING_DEFAULT_DIMENSIONS: Final = 8

# /v1/responses
RESPONSES_INPUT_TOKENS: Final = 900
RESPONSES_CACHED_TOKENS: Final = 600
RESPONSES_OUTPUT_TOKENS: Final = 210
RESPONSES_REASONING_TOKENS: Final = 80
RESPONSES_TOTAL_TOKENS: Final = 1110

# /v1/messages
ANTHROPIC_INPUT_TOKENS: Final = 34
ANTHROPIC_CACHE_READ_INPUT_TOKENS: Final = 1000
ANTHROPIC_CACHE_CREATION_INPUT_TOKENS: Final = 200
ANTHROPIC_OUTPUT_TOKENS: Final = 300
ANTHROPIC_STREAM_START_OUTPUT_TOKENS: Final = 1  # output_tokens in the message_start event

# /v1/rerank and /v1/images/generations
RERANK_INPUT_TOKENS: Final = 25
IMAGE_INPUT_TOKENS: Final = 50
IMAGE_OUTPUT_TOKENS: Final = 200

_FAKE_IMAGE_URL: Final = "https://example.invalid/fake-image.png"
# A 1x1 transparent PNG, for response_format="b64_json".
_FAKE_PNG_B64: Final = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
_TOKENS_USER_RE: Final = re.compile(r"tokens-(\d+)")
_ERROR_STATUSES: Final = (429, 500, 401, 400)


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake provider received. ``headers`` keys are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, object]


@dataclass(frozen=True)
class _Scenario:
    """Everything about the request that selects the response shape."""

    model: str
    response_model: str
    stream: bool
    include_usage: bool
    error_status: int | None
    midstream_error: bool
    slow: bool
    no_usage: bool
    zero_cache: bool
    token_override: int | None
    tool_name: str | None
    n: int


# --------------------------------------------------------------------------- usage payloads


def _chat_usage(prompt_tokens: int = CHAT_PROMPT_TOKENS, *, zero_cache: bool = False) -> JSONObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": CHAT_COMPLETION_TOKENS,
        "total_tokens": prompt_tokens + CHAT_COMPLETION_TOKENS,
        "prompt_tokens_details": {"cached_tokens": 0 if zero_cache else CHAT_CACHED_TOKENS},
        "completion_tokens_details": {"reasoning_tokens": CHAT_REASONING_TOKENS},
    }


def _text_usage(prompt_tokens: int = TEXT_PROMPT_TOKENS) -> JSONObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": TEXT_COMPLETION_TOKENS,
        "total_tokens": prompt_tokens + TEXT_COMPLETION_TOKENS,
    }


def _embedding_usage() -> JSONObject:
    return {"prompt_tokens": EMBEDDING_PROMPT_TOKENS, "total_tokens": EMBEDDING_PROMPT_TOKENS}


def _responses_usage(input_tokens: int = RESPONSES_INPUT_TOKENS, *, zero_cache: bool = False) -> JSONObject:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0 if zero_cache else RESPONSES_CACHED_TOKENS},
        "output_tokens": RESPONSES_OUTPUT_TOKENS,
        "output_tokens_details": {"reasoning_tokens": RESPONSES_REASONING_TOKENS},
        "total_tokens": input_tokens + RESPONSES_OUTPUT_TOKENS,
    }


def _anthropic_usage(
    input_tokens: int = ANTHROPIC_INPUT_TOKENS,
    output_tokens: int = ANTHROPIC_OUTPUT_TOKENS,
    *,
    zero_cache: bool = False,
) -> JSONObject:
    return {
        "input_tokens": input_tokens,
        "cache_read_input_tokens": 0 if zero_cache else ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        "cache_creation_input_tokens": 0 if zero_cache else ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        "output_tokens": output_tokens,
    }


OPENAI_USAGE: Final = _chat_usage()
TEXT_COMPLETION_USAGE: Final = _text_usage()
EMBEDDING_USAGE: Final = _embedding_usage()
RESPONSES_USAGE: Final = _responses_usage()
ANTHROPIC_USAGE: Final = _anthropic_usage()

# --------------------------------------------------------------------------- helpers


def _get_dict(obj: object, key: str) -> JSONObject:
    if isinstance(obj, dict):
        value = obj.get(key)
        if isinstance(value, dict):
            return cast(JSONObject, value)
    return {}


def _first_tool_name(tools: object) -> str | None:
    """Name of the first tool, in chat ({function: {name}}), Responses or Anthropic form."""
    if not isinstance(tools, list) or not tools:
        return None
    first: object = tools[0]
    if not isinstance(first, dict):
        return "tool"
    name = _get_dict(first, "function").get("name") or first.get("name")
    return name if isinstance(name, str) else "tool"


def _token_override(body: JSONObject, headers: dict[str, str]) -> int | None:
    """N from a ``tokens-<N>`` marker in user / safety_identifier / metadata.user_id / header."""
    candidates: tuple[object, ...] = (
        body.get("user"),
        body.get("safety_identifier"),
        _get_dict(body, "metadata").get("user_id"),
        headers.get(TOKENS_HEADER),
    )
    for candidate in candidates:
        if isinstance(candidate, str):
            match = _TOKENS_USER_RE.fullmatch(candidate.strip())
            if match:
                return int(match.group(1))
    return None


def _scenario(body: JSONObject, headers: dict[str, str]) -> _Scenario:
    raw_model = body.get("model")
    model = raw_model if isinstance(raw_model, str) else "unknown"
    raw_n = body.get("n")
    error_status = next((s for s in _ERROR_STATUSES if f"error-{s}" in model), None)
    return _Scenario(
        model=model,
        response_model=model + MODEL_SUFFIX,
        stream=body.get("stream") is True,
        include_usage=_get_dict(body, "stream_options").get("include_usage") is True,
        error_status=error_status,
        midstream_error="midstream-error" in model,
        slow="slow" in model,
        no_usage="no-usage" in model,
        zero_cache="zero-cache" in model,
        token_override=_token_override(body, headers),
        tool_name=_first_tool_name(body.get("tools")),
        n=raw_n if isinstance(raw_n, int) and not isinstance(raw_n, bool) and raw_n > 0 else 1,
    )


def _split(text: str, pieces: int) -> list[str]:
    """Split ``text`` into ``pieces`` non-empty, roughly equal parts."""
    size = -(-len(text) // pieces)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _sse(payload: JSONObject, event: str | None = None) -> bytes:
    data = json.dumps(payload, separators=(",", ":"))
    prefix = f"event: {event}\n" if event else ""
    return f"{prefix}data: {data}\n\n".encode()


def _embedding_inputs(raw: object) -> int:
    if isinstance(raw, list):
        if raw and all(isinstance(x, int) for x in raw):
            return 1  # a single pre-tokenised input
        return max(len(raw), 1)
    return 1


def _vector(index: int, dims: int) -> list[float]:
    return [round(((index + 1) * 0.01 + (j + 1) * 0.1) % 1.0, 6) for j in range(dims)]


_ERROR_KINDS: Final[dict[int, tuple[str, str, str]]] = {
    # status: (openai type, openai code, anthropic type)
    400: ("invalid_request_error", "invalid_request", "invalid_request_error"),
    401: ("invalid_request_error", "invalid_api_key", "authentication_error"),
    429: ("rate_limit_error", "rate_limit_exceeded", "rate_limit_error"),
    500: ("server_error", "server_error", "api_error"),
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], provider: FakeProvider) -> None:
        self.provider = provider
        super().__init__(address, _Handler)

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        # Clients dropping idle keep-alive connections (or streams) is normal, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _StreamAborted(Exception):
    """Raised inside a stream writer to stop after a simulated mid-stream failure."""


# --------------------------------------------------------------------------- handler


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeProvider/1.0"

    @property
    def _provider(self) -> FakeProvider:
        return cast(_Server, self.server).provider

    # -- connection tracking so stop() can close idle keep-alive connections
    def setup(self) -> None:
        super().setup()
        self._provider._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._provider._track(self.connection, add=False)

    def log_message(self, format: str, *args: object) -> None:
        if self._provider.log_requests:
            sys.stderr.write(f"[fake-provider] {self.address_string()} {format % args}\n")

    # -- request plumbing
    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _record(self, body: JSONObject) -> dict[str, str]:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self._provider._record(RecordedRequest(self.command, self.path, headers, body))
        return headers

    def do_GET(self) -> None:
        self._record({})
        self._send_error(404, f"Unknown path {self.path}", anthropic=False)

    def do_POST(self) -> None:
        raw = self._read_body()
        body: JSONObject = {}
        if raw:
            try:
                parsed: object = json.loads(raw)
            except ValueError:
                parsed = None
            if isinstance(parsed, dict):
                body = cast(JSONObject, parsed)
        headers = self._record(body)

        path = self.path.split("?", 1)[0].rstrip("/")
        route = self._routes().get(path)
        if route is None:
            self._send_error(404, f"Unknown path {self.path}", anthropic=False)
            return
        sc = _scenario(body, headers)
        if sc.slow:
            time.sleep(SLOW_SECONDS)
        if sc.error_status is not None:
            message = f"Simulated error for model {sc.model}"
            if sc.error_status == 401:
                # OpenAI's real wording; LiteLLM maps a 401 whose body says "invalid_request_error"
                # to BadRequestError unless the message contains this phrase.
                message = f"Incorrect API key provided: sk-****. {message}"
            self._send_error(sc.error_status, message, anthropic=path == "/v1/messages")
            return
        try:
            route(body, sc)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _routes(self) -> dict[str, Callable[[JSONObject, _Scenario], None]]:
        return {
            "/v1/chat/completions": self._chat,
            "/v1/completions": self._completions,
            "/v1/embeddings": self._embeddings,
            "/v1/responses": self._responses,
            "/v1/messages": self._messages,
            "/v1/images/generations": self._images,
            "/v1/rerank": self._rerank,
            "/v2/rerank": self._rerank,
        }

    # -- response plumbing
    def _send_json(self, status: int, payload: JSONObject, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_error(self, status: int, message: str, *, anthropic: bool) -> None:
        openai_type, code, anthropic_type = _ERROR_KINDS.get(
            status, ("not_found_error", "not_found", "not_found_error")
        )
        payload: JSONObject
        if anthropic:
            payload = {"type": "error", "error": {"type": anthropic_type, "message": message}}
        else:
            payload = {"error": {"message": message, "type": openai_type, "param": None, "code": code}}
        headers = {"x-should-retry": "false"}
        if status == 429:
            headers["retry-after"] = "0"
        self._send_json(status, payload, headers)

    def _stream(self, events: Iterable[bytes | None]) -> None:
        """Send ``events`` as a chunked text/event-stream; ``None`` aborts the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            if event is None:
                # Leave the chunked body unterminated and close: the client sees a truncated stream.
                self.wfile.flush()
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(f"{len(event):X}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    # -- /v1/chat/completions
    def _chat(self, body: JSONObject, sc: _Scenario) -> None:
        completion_id = f"chatcmpl-fake-{self._provider._next_id()}"
        created = int(time.time())
        prompt_tokens = sc.token_override if sc.token_override is not None else CHAT_PROMPT_TOKENS
        usage = None if sc.no_usage else _chat_usage(prompt_tokens, zero_cache=sc.zero_cache)
        if sc.stream:
            self._stream(self._chat_events(completion_id, created, sc, usage))
            return
        choices: list[object] = []
        for i in range(sc.n):
            message: JSONObject = {"role": "assistant", "content": RESPONSE_TEXT, "refusal": None}
            finish_reason = "stop"
            if sc.tool_name is not None:
                message["content"] = None
                message["tool_calls"] = [
                    {
                        "id": TOOL_CALL_ID,
                        "type": "function",
                        "function": {"name": sc.tool_name, "arguments": TOOL_ARGUMENTS},
                    }
                ]
                finish_reason = "tool_calls"
            choices.append({"index": i, "message": message, "logprobs": None, "finish_reason": finish_reason})
        payload: JSONObject = {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": sc.response_model,
            "system_fingerprint": "fp_fake",
            "choices": choices,
        }
        if usage is not None:
            payload["usage"] = usage
        self._send_json(200, payload)

    def _chat_events(
        self, completion_id: str, created: int, sc: _Scenario, usage: JSONObject | None
    ) -> Iterable[bytes | None]:
        def chunk(delta: JSONObject, finish_reason: str | None = None) -> bytes:
            choices = [
                {"index": i, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
                for i in range(sc.n)
            ]
            return _sse(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": sc.response_model,
                    "system_fingerprint": "fp_fake",
                    "choices": choices,
                }
            )

        if sc.tool_name is not None:
            yield chunk(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": TOOL_CALL_ID,
                            "type": "function",
                            "function": {"name": sc.tool_name, "arguments": ""},
                        }
                    ],
                }
            )
            for n, piece in enumerate(_split(TOOL_ARGUMENTS, 2)):
                if sc.midstream_error and n == 1:
                    yield None
                yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
            yield chunk({}, "tool_calls")
        else:
            yield chunk({"role": "assistant", "content": ""})
            for n, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                if sc.midstream_error and n == 2:
                    yield None
                yield chunk({"content": piece})
            yield chunk({}, "stop")
        if sc.include_usage and usage is not None:
            yield _sse(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": sc.response_model,
                    "system_fingerprint": "fp_fake",
                    "choices": [],
                    "usage": usage,
                }
            )
        yield b"data: [DONE]\n\n"

    # -- /v1/completions
    def _completions(self, body: JSONObject, sc: _Scenario) -> None:
        completion_id = f"cmpl-fake-{self._provider._next_id()}"
        created = int(time.time())
        prompt_tokens = sc.token_override if sc.token_override is not None else TEXT_PROMPT_TOKENS
        usage = _text_usage(prompt_tokens)

        def payload(text: str, finish_reason: str | None) -> JSONObject:
            return {
                "id": completion_id,
                "object": "text_completion",
                "created": created,
                "model": sc.response_model,
                "choices": [
                    {
                        "text": text,
                        "index": i,
                        "logprobs": None,
                        "finish_reason": finish_reason,
                    }
                    for i in range(sc.n)
                ],
            }

        if not sc.stream:
            self._send_json(200, {**payload(RESPONSE_TEXT, "length"), "usage": usage})
            return

        def events() -> Iterable[bytes | None]:
            for n, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                if sc.midstream_error and n == 2:
                    yield None
                yield _sse(payload(piece, None))
            yield _sse(payload("", "length"))
            if sc.include_usage:
                yield _sse({**payload("", None), "choices": [], "usage": usage})
            yield b"data: [DONE]\n\n"

        self._stream(events())

    # -- /v1/embeddings
    def _embeddings(self, body: JSONObject, sc: _Scenario) -> None:
        raw_dims = body.get("dimensions")
        dims = raw_dims if isinstance(raw_dims, int) and raw_dims > 0 else EMBEDDING_DEFAULT_DIMENSIONS
        as_base64 = body.get("encoding_format") == "base64"
        data: list[object] = []
        for i in range(_embedding_inputs(body.get("input"))):
            vector = _vector(i, dims)
            embedding: object = (
                base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode() if as_base64 else vector
            )
            data.append({"object": "embedding", "index": i, "embedding": embedding})
        self._provider._next_id()
        self._send_json(
            200,
            {"object": "list", "data": data, "model": sc.response_model, "usage": _embedding_usage()},
        )

    # -- /v1/responses
    def _responses(self, body: JSONObject, sc: _Scenario) -> None:
        n = self._provider._next_id()
        response_id = f"resp_fake_{n}"
        item_id = f"msg_fake_{n}"
        created = int(time.time())
        input_tokens = sc.token_override if sc.token_override is not None else RESPONSES_INPUT_TOKENS
        usage = _responses_usage(input_tokens, zero_cache=sc.zero_cache)

        text_part: JSONObject = {
            "type": "output_text",
            "text": RESPONSE_TEXT,
            "annotations": [],
            "logprobs": [],
        }
        item: JSONObject
        if sc.tool_name is not None:
            item = {
                "type": "function_call",
                "id": f"fc_fake_{n}",
                "call_id": TOOL_CALL_ID,
                "name": sc.tool_name,
                "arguments": TOOL_ARGUMENTS,
                "status": "completed",
            }
        else:
            item = {
                "type": "message",
                "id": item_id,
                "role": "assistant",
                "status": "completed",
                "content": [text_part],
            }

        def response(status: str, output: list[object], usage_value: JSONObject | None) -> JSONObject:
            instructions = body.get("instructions")
            return {
                "id": response_id,
                "object": "response",
                "created_at": created,
                "status": status,
                "error": None,
                "incomplete_details": None,
                "instructions": instructions if isinstance(instructions, str) else None,
                "max_output_tokens": None,
                "model": sc.response_model,
                "output": output,
                "parallel_tool_calls": True,
                "previous_response_id": None,
                "reasoning": {"effort": None, "summary": None},
                "store": True,
                "temperature": 1.0,
                "text": {"format": {"type": "text"}},
                "tool_choice": "auto",
                "tools": [],
                "top_p": 1.0,
                "truncation": "disabled",
                "usage": usage_value,
                "user": None,
                "metadata": {},
            }

        if not sc.stream:
            self._send_json(200, response("completed", [item], usage))
            return

        seq = itertools.count()

        def event(kind: str, **fields: object) -> bytes:
            return _sse({"type": kind, "sequence_number": next(seq), **fields}, event=kind)

        def events() -> Iterable[bytes | None]:
            yield event("response.created", response=response("in_progress", [], None))
            yield event("response.in_progress", response=response("in_progress", [], None))
            if sc.tool_name is not None:
                yield event(
                    "response.output_item.added",
                    output_index=0,
                    item={**item, "arguments": "", "status": "in_progress"},
                )
                for k, piece in enumerate(_split(TOOL_ARGUMENTS, 2)):
                    if sc.midstream_error and k == 1:
                        yield None
                    yield event(
                        "response.function_call_arguments.delta",
                        item_id=item["id"],
                        output_index=0,
                        delta=piece,
                    )
                yield event(
                    "response.function_call_arguments.done",
                    item_id=item["id"],
                    output_index=0,
                    arguments=TOOL_ARGUMENTS,
                )
            else:
                yield event(
                    "response.output_item.added",
                    output_index=0,
                    item={**item, "status": "in_progress", "content": []},
                )
                yield event(
                    "response.content_part.added",
                    item_id=item_id,
                    output_index=0,
                    content_index=0,
                    part={"type": "output_text", "text": "", "annotations": [], "logprobs": []},
                )
                for k, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                    if sc.midstream_error and k == 2:
                        yield None
                    yield event(
                        "response.output_text.delta",
                        item_id=item_id,
                        output_index=0,
                        content_index=0,
                        delta=piece,
                        logprobs=[],
                    )
                yield event(
                    "response.output_text.done",
                    item_id=item_id,
                    output_index=0,
                    content_index=0,
                    text=RESPONSE_TEXT,
                    logprobs=[],
                )
                yield event(
                    "response.content_part.done",
                    item_id=item_id,
                    output_index=0,
                    content_index=0,
                    part=text_part,
                )
            yield event("response.output_item.done", output_index=0, item=item)
            yield event("response.completed", response=response("completed", [item], usage))

        self._stream(events())

    # -- /v1/messages (Anthropic)
    def _messages(self, body: JSONObject, sc: _Scenario) -> None:
        message_id = f"msg_fake_{self._provider._next_id()}"
        input_tokens = sc.token_override if sc.token_override is not None else ANTHROPIC_INPUT_TOKENS
        thinking_block: JSONObject = {
            "type": "thinking",
            "thinking": THINKING_TEXT,
            "signature": THINKING_SIGNATURE,
        }
        final_block: JSONObject
        if sc.tool_name is not None:
            final_block = {
                "type": "tool_use",
                "id": "toolu_fake_1",
                "name": sc.tool_name,
                "input": {"city": "Paris"},
            }
            stop_reason = "tool_use"
        else:
            final_block = {"type": "text", "text": RESPONSE_TEXT}
            stop_reason = "end_turn"

        def message(content: list[object], stop: str | None, usage: JSONObject) -> JSONObject:
            return {
                "id": message_id,
                "type": "message",
                "role": "assistant",
                "model": sc.response_model,
                "content": content,
                "stop_reason": stop,
                "stop_sequence": None,
                "usage": usage,
            }

        if not sc.stream:
            usage = _anthropic_usage(input_tokens, zero_cache=sc.zero_cache)
            self._send_json(200, message([thinking_block, final_block], stop_reason, usage))
            return

        def event(kind: str, **fields: object) -> bytes:
            return _sse({"type": kind, **fields}, event=kind)

        def events() -> Iterable[bytes | None]:
            start_usage = _anthropic_usage(
                input_tokens, ANTHROPIC_STREAM_START_OUTPUT_TOKENS, zero_cache=sc.zero_cache
            )
            yield event("message_start", message=message([], None, start_usage))
            yield event("ping")
            yield event("content_block_start", index=0, content_block={"type": "thinking", "thinking": ""})
            for piece in _split(THINKING_TEXT, 3):
                yield event(
                    "content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": piece}
                )
            yield event(
                "content_block_delta",
                index=0,
                delta={"type": "signature_delta", "signature": THINKING_SIGNATURE},
            )
            yield event("content_block_stop", index=0)
            if sc.tool_name is not None:
                yield event("content_block_start", index=1, content_block={**final_block, "input": {}})
                for k, piece in enumerate(_split(TOOL_ARGUMENTS, 2)):
                    if sc.midstream_error and k == 1:
                        yield None
                    yield event(
                        "content_block_delta",
                        index=1,
                        delta={"type": "input_json_delta", "partial_json": piece},
                    )
            else:
                yield event("content_block_start", index=1, content_block={"type": "text", "text": ""})
                for k, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                    if sc.midstream_error and k == 2:
                        yield None
                    yield event("content_block_delta", index=1, delta={"type": "text_delta", "text": piece})
            yield event("content_block_stop", index=1)
            yield event(
                "message_delta",
                delta={"stop_reason": stop_reason, "stop_sequence": None},
                usage={"output_tokens": ANTHROPIC_OUTPUT_TOKENS},
            )
            yield event("message_stop")

        self._stream(events())

    # -- /v1/images/generations
    def _images(self, body: JSONObject, sc: _Scenario) -> None:
        self._provider._next_id()
        prompt = body.get("prompt")
        b64 = body.get("response_format") == "b64_json"
        image: JSONObject = {"b64_json": _FAKE_PNG_B64} if b64 else {"url": _FAKE_IMAGE_URL}
        image["revised_prompt"] = prompt if isinstance(prompt, str) else None
        self._send_json(
            200,
            {
                "created": int(time.time()),
                "data": [dict(image) for _ in range(sc.n)],
                "usage": {
                    "input_tokens": IMAGE_INPUT_TOKENS,
                    "input_tokens_details": {"text_tokens": IMAGE_INPUT_TOKENS, "image_tokens": 0},
                    "output_tokens": IMAGE_OUTPUT_TOKENS,
                    "total_tokens": IMAGE_INPUT_TOKENS + IMAGE_OUTPUT_TOKENS,
                },
            },
        )

    # -- /v1/rerank (Cohere v1/v2 and vLLM/Jina compatible)
    def _rerank(self, body: JSONObject, sc: _Scenario) -> None:
        rerank_id = f"rerank-fake-{self._provider._next_id()}"
        documents = body.get("documents")
        docs: list[object] = documents if isinstance(documents, list) else []
        top_n = body.get("top_n")
        limit = top_n if isinstance(top_n, int) and top_n > 0 else len(docs)
        with_docs = body.get("return_documents") is not False
        results: list[object] = []
        for i, doc in enumerate(docs[:limit]):
            result: JSONObject = {"index": i, "relevance_score": round(max(0.95 - 0.1 * i, 0.01), 4)}
            if with_docs:
                text = doc.get("text") if isinstance(doc, dict) else doc
                result["document"] = {"text": text if isinstance(text, str) else json.dumps(doc)}
            results.append(result)
        self._send_json(
            200,
            {
                "id": rerank_id,
                "model": sc.response_model,
                "results": results,
                "meta": {
                    "api_version": {"version": "1"},
                    "billed_units": {"search_units": 1},
                    "tokens": {"input_tokens": RERANK_INPUT_TOKENS, "output_tokens": 0},
                },
                "usage": {"total_tokens": RERANK_INPUT_TOKENS},
            },
        )


# --------------------------------------------------------------------------- provider


class FakeProvider:
    """A fake OpenAI/Anthropic-compatible server on a background daemon thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self.requests: list[RecordedRequest] = []
        self.log_requests = False  # print one line per request to stderr (the __main__ demo sets it)
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> FakeProvider:
        if self._server is not None:
            return self
        server = _Server((self._host, self._port), self)
        self._server = server
        self._port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-provider", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:  # unblock handler threads idling on keep-alive connections
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> FakeProvider:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` -- the api_base for LiteLLM's ``anthropic/`` provider."""
        return f"http://{self._host}:{self._port}"

    @property
    def openai_base(self) -> str:
        """``base_url + "/v1"`` -- the api_base for ``openai/`` and ``text-completion-openai/``."""
        return self.base_url + "/v1"

    def reset(self) -> None:
        """Forget all recorded requests."""
        with self._lock:
            self.requests.clear()

    # -- internal, used by the handler
    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _next_id(self) -> int:
        with self._lock:
            return next(self._ids)

    def _track(self, conn: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)


def main(argv: list[str]) -> int:
    """Serve on the port given as ``argv[1]`` (default 0 = any free port) until Ctrl-C / SIGTERM."""
    port = int(argv[1]) if len(argv) > 1 else 0
    stop = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    provider = FakeProvider(port=port)
    provider.log_requests = True
    with provider:
        print(provider.base_url, flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
