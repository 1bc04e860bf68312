"""Mistral's chat API (``POST /v1/chat/completions``), the OpenAI shape with Mistral's usage.

Read from docs.mistral.ai's chat completion reference (2026): ``usage`` has prompt, completion
and total tokens only (no cache or reasoning details), and a stream's last chunk carries
``usage`` whether or not the caller asked for it (Mistral has no ``stream_options``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split, _sse

from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_ID = "cmpl-mistral-5e1f0a"
_MODEL = "mistral-small-2503"  # what Mistral answers for mistral-small-latest
_USAGE: JSONObject = {"prompt_tokens": 731, "completion_tokens": 53, "total_tokens": 784}
TRUTH = Truth(input_tokens=731, output_tokens=53, response_id=_ID, response_model=_MODEL)


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if path != "/v1/chat/completions":
        endpoint._send_error(404, f"Unknown Mistral path {path}", anthropic=False)
        return
    created = int(time.time())
    if not sc.stream:
        endpoint._send_json(
            200,
            {
                "id": _ID,
                "object": "chat.completion",
                "created": created,
                "model": _MODEL,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": RESPONSE_TEXT, "tool_calls": None},
                        "finish_reason": "stop",
                    }
                ],
                "usage": _USAGE,
            },
        )
        return

    def events() -> Iterable[bytes]:
        pieces = _split(RESPONSE_TEXT, STREAM_TEXT_PIECES)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            chunk: JSONObject = {
                "id": _ID,
                "object": "chat.completion.chunk",
                "created": created,
                "model": _MODEL,
                "choices": [
                    {
                        "index": 0,
                        "delta": {"role": "assistant", "content": piece}
                        if index == 0
                        else {"content": piece},
                        "finish_reason": "stop" if last else None,
                    }
                ],
            }
            if last:
                chunk["usage"] = _USAGE  # on the finishing chunk, asked or not
            yield _sse(chunk)
        yield b"data: [DONE]\n\n"

    endpoint._stream(events())


WIRE = Wire(name="mistral", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True)
