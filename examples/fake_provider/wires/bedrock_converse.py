"""Bedrock's Converse API: ``POST /model/{modelId}/converse`` and ``/converse-stream``.

Read from the Bedrock API reference (Converse, ConverseStream, TokenUsage; 2026): a reply has
no id and no model name (the model is the one in the path); ``usage`` has ``inputTokens``
(excluding cache reads and writes, which are ``cacheReadInputTokens`` and
``cacheWriteInputTokens``), ``outputTokens`` (no reasoning breakdown) and ``totalTokens`` (all
four). ConverseStream answers in AWS event-stream frames (``messageStart``,
``contentBlockDelta``, ``contentBlockStop``, ``messageStop``, then ``metadata`` with the usage,
always: Bedrock has no ``stream_options``). Checked against LiteLLM's
``AmazonConverseConfig._transform_usage`` (1.79) / ``transform_usage`` (1.110), which add the
cache counts back into ``prompt_tokens``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split

from . import eventstream
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_INPUT: Final = 412
_CACHE_READ: Final = 2048
_CACHE_WRITE: Final = 640
_OUTPUT: Final = 93
_USAGE: Final[JSONObject] = {
    "inputTokens": _INPUT,
    "outputTokens": _OUTPUT,
    "totalTokens": _INPUT + _CACHE_READ + _CACHE_WRITE + _OUTPUT,
    "cacheReadInputTokens": _CACHE_READ,
    "cacheWriteInputTokens": _CACHE_WRITE,
}
TRUTH: Final = Truth(
    input_tokens=_INPUT + _CACHE_READ + _CACHE_WRITE,
    output_tokens=_OUTPUT,
    cache_read=_CACHE_READ,
    cache_write=_CACHE_WRITE,
)


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    operation = path.rsplit("/", 1)[-1]
    if not path.startswith("/model/") or operation not in ("converse", "converse-stream"):
        endpoint._send_error(404, f"Unknown Bedrock path {path}", anthropic=False)
        return
    if operation == "converse":
        endpoint._send_json(
            200,
            {
                "output": {"message": {"role": "assistant", "content": [{"text": RESPONSE_TEXT}]}},
                "stopReason": "end_turn",
                "usage": _USAGE,
                "metrics": {"latencyMs": 812},
            },
            {"x-amzn-requestid": "6f1c2d3e-bedrock-converse"},
        )
        return

    def events() -> Iterable[bytes]:
        yield eventstream.event("messageStart", {"role": "assistant"})
        for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES):
            yield eventstream.event("contentBlockDelta", {"contentBlockIndex": 0, "delta": {"text": piece}})
        yield eventstream.event("contentBlockStop", {"contentBlockIndex": 0})
        yield eventstream.event("messageStop", {"stopReason": "end_turn"})
        yield eventstream.event("metadata", {"usage": _USAGE, "metrics": {"latencyMs": 812}})

    endpoint._stream(events(), eventstream.CONTENT_TYPE)


WIRE: Final = Wire(
    name="bedrock_converse", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True
)
