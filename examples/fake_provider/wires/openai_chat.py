"""The OpenAI chat-completions shape the OpenAI-compatible providers share, for their wires to
dress in their own dialect (usage fields, ids, extra top-level keys, where a stream's usage goes).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, THINKING_TEXT, JSONObject, _split, _sse

from .truth import Serve

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

DONE: bytes = b"data: [DONE]\n\n"

Reply = Callable[[int], JSONObject]  # created -> the non-streamed reply
Chunks = Callable[[int, "_Scenario"], list[JSONObject]]  # created, scenario -> a stream's chunks


def serve(path: str, reply: Reply, chunks: Chunks, *preamble: bytes) -> Serve:
    """A wire's handler of `path`: `reply` answers a plain request; a stream sends `preamble`
    (SSE comments a provider opens with), then `chunks` as SSE events and `[DONE]`."""

    def handle(endpoint: Endpoint, request_path: str, body: JSONObject, sc: _Scenario) -> None:
        if request_path != path:
            endpoint._send_error(
                404, f"Unknown path {request_path} (this wire serves {path})", anthropic=False
            )
            return
        created = int(time.time())
        if sc.stream:
            endpoint._stream([*preamble, *sse(chunks(created, sc))])
        else:
            endpoint._send_json(200, reply(created))

    return handle


def completion(
    response_id: str,
    model: str,
    created: int,
    usage: JSONObject,
    *,
    message: JSONObject | None = None,
    choice: JSONObject | None = None,
    **extra: object,
) -> JSONObject:
    """A `chat.completion` with one choice answering `RESPONSE_TEXT`; `message` and `choice` add
    provider fields to the message and the choice, `extra` to the top level."""
    return {
        "id": response_id,
        "object": "chat.completion",
        "created": created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": RESPONSE_TEXT, **(message or {})},
                "finish_reason": "stop",
                **(choice or {}),
            }
        ],
        "usage": usage,
        **extra,
    }


def chunk(
    response_id: str, model: str, created: int, choices: list[JSONObject], **extra: object
) -> JSONObject:
    """One `chat.completion.chunk`."""
    return {
        "id": response_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": choices,
        **extra,
    }


def deltas(reasoning_key: str | None = None) -> list[JSONObject]:
    """The choices of a stream's content chunks, in order: the reasoning text first under
    `reasoning_key` when the provider streams one, then `RESPONSE_TEXT`; the last one finishes."""
    pieces: list[JSONObject] = []
    if reasoning_key is not None:
        pieces += [{reasoning_key: piece, "content": None} for piece in _split(THINKING_TEXT, 3)]
    pieces += [{"content": piece} for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES)]
    pieces[0] = {"role": "assistant", **pieces[0]}
    return [
        {"index": 0, "delta": delta, "finish_reason": "stop" if index == len(pieces) - 1 else None}
        for index, delta in enumerate(pieces)
    ]


def sse(payloads: list[JSONObject]) -> list[bytes]:
    """The payloads as SSE `data:` events, closed by `[DONE]`."""
    return [_sse(payload) for payload in payloads] + [DONE]
