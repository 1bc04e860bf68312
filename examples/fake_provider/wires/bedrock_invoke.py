"""Anthropic on Bedrock through InvokeModel: ``POST /model/{modelId}/invoke`` and
``/invoke-with-response-stream``.

Read from the Bedrock user guide (Anthropic Claude Messages API on InvokeModel) and API reference
(InvokeModelWithResponseStream, PayloadPart; 2026): the body is Anthropic's Messages reply (id
``msg_bdrk_…``, the Anthropic model name, ``usage`` with ``input_tokens`` excluding the cache
reads and writes reported beside it); the stream is AWS event-stream ``chunk`` events whose
``bytes`` are base64 of Anthropic's stream events, input and cache counts in ``message_start``,
output in ``message_delta``, and Bedrock adds ``amazon-bedrock-invocationMetrics`` to the last
one (``message_stop``). Anthropic's API reports no reasoning count. Checked against LiteLLM's
``AmazonAnthropicClaudeStreamDecoder`` (1.79, 1.110), which hands each decoded event to its
Anthropic chunk parser.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split

from . import eventstream
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_ID: Final = "msg_bdrk_01Kq7fT3wZ9pX2vB4nL6cD8e"
_MODEL: Final = "claude-3-5-haiku-20241022"
_INPUT: Final = 57
_CACHE_READ: Final = 1536
_CACHE_WRITE: Final = 384
_OUTPUT: Final = 121
TRUTH: Final = Truth(
    input_tokens=_INPUT + _CACHE_READ + _CACHE_WRITE,
    output_tokens=_OUTPUT,
    cache_read=_CACHE_READ,
    cache_write=_CACHE_WRITE,
    response_id=_ID,
    response_model=_MODEL,
)


def _usage(output_tokens: int) -> JSONObject:
    return {
        "input_tokens": _INPUT,
        "cache_creation_input_tokens": _CACHE_WRITE,
        "cache_read_input_tokens": _CACHE_READ,
        "output_tokens": output_tokens,
    }


def _chunk(payload: JSONObject) -> bytes:
    data = base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()
    return eventstream.event("chunk", {"bytes": data})


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    operation = path.rsplit("/", 1)[-1]
    if not path.startswith("/model/") or operation not in ("invoke", "invoke-with-response-stream"):
        endpoint._send_error(404, f"Unknown Bedrock path {path}", anthropic=False)
        return
    message: JSONObject = {
        "id": _ID,
        "type": "message",
        "role": "assistant",
        "model": _MODEL,
        "content": [{"type": "text", "text": RESPONSE_TEXT}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": _usage(_OUTPUT),
    }
    if operation == "invoke":
        endpoint._send_json(
            200,
            message,
            {
                "x-amzn-bedrock-input-token-count": str(_INPUT),
                "x-amzn-bedrock-output-token-count": str(_OUTPUT),
                "x-amzn-bedrock-invocation-latency": "640",
            },
        )
        return

    def events() -> Iterable[bytes]:
        start = {**message, "content": [], "stop_reason": None, "usage": _usage(1)}
        yield _chunk({"type": "message_start", "message": start})
        block = {"type": "text", "text": ""}
        yield _chunk({"type": "content_block_start", "index": 0, "content_block": block})
        for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES):
            yield _chunk(
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}
            )
        yield _chunk({"type": "content_block_stop", "index": 0})
        yield _chunk(
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": _OUTPUT},
            }
        )
        yield _chunk(
            {
                "type": "message_stop",
                "amazon-bedrock-invocationMetrics": {
                    "inputTokenCount": _INPUT,
                    "outputTokenCount": _OUTPUT,
                    "invocationLatency": 640,
                    "firstByteLatency": 210,
                    "cacheReadInputTokenCount": _CACHE_READ,
                    "cacheWriteInputTokenCount": _CACHE_WRITE,
                },
            }
        )

    endpoint._stream(events(), eventstream.CONTENT_TYPE)


WIRE: Final = Wire(
    name="bedrock_invoke", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True
)
