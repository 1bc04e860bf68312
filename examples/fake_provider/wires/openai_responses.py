"""OpenAI's Responses API (``POST /v1/responses``), here serving gpt-5-mini, called through
`litellm.responses` / `aresponses`.

Read from platform.openai.com's Responses API reference and streaming events guide and
LiteLLM's `llms/openai/responses` (1.79, 1.110.2): the `resp_…` id, the dated model, output
items (a reasoning item, then the message), usage as `input_tokens` (with
`input_tokens_details.cached_tokens`) and `output_tokens` (with
`output_tokens_details.reasoning_tokens`). A stream is typed events ending in
`response.completed`, whose response snapshot always carries the usage: the Responses API has
no `stream_options.include_usage` to ask with.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split, _sse

from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_ID = "resp_0c4f7a2e9b1d3f5a6c8e0b2d4f6a8c1e3b5d7f9a"
_MESSAGE_ID = "msg_0c4f7a2e9b1d3f5a6c8e0b2d4f6a8c1e3b5d7f9b"
_REASONING_ID = "rs_0c4f7a2e9b1d3f5a6c8e0b2d4f6a8c1e3b5d7f9c"
_MODEL = "gpt-5-mini-2025-08-07"
_USAGE: JSONObject = {
    "input_tokens": 1561,
    "input_tokens_details": {"cached_tokens": 1152},
    "output_tokens": 352,
    "output_tokens_details": {"reasoning_tokens": 256},
    "total_tokens": 1913,
}
TRUTH = Truth(
    input_tokens=1561,
    output_tokens=352,
    cache_read=1152,
    reasoning=256,
    response_id=_ID,
    response_model=_MODEL,
    finish_reasons=("stop",),  # status "completed", as litellm-otel reports it (SPEC §2)
)
_TEXT: JSONObject = {"type": "output_text", "text": RESPONSE_TEXT, "annotations": [], "logprobs": []}
_REASONING: JSONObject = {"type": "reasoning", "id": _REASONING_ID, "summary": []}
_MESSAGE: JSONObject = {
    "type": "message",
    "id": _MESSAGE_ID,
    "role": "assistant",
    "status": "completed",
    "content": [_TEXT],
}


def _response(created: int, status: str, output: list[object], usage: JSONObject | None) -> JSONObject:
    return {
        "id": _ID,
        "object": "response",
        "created_at": created,
        "status": status,
        "error": None,
        "incomplete_details": None,
        "instructions": None,
        "max_output_tokens": None,
        "model": _MODEL,
        "output": output,
        "parallel_tool_calls": True,
        "previous_response_id": None,
        "reasoning": {"effort": "medium", "summary": None},
        "store": True,
        "temperature": 1.0,
        "text": {"format": {"type": "text"}, "verbosity": "medium"},
        "tool_choice": "auto",
        "tools": [],
        "top_p": 1.0,
        "truncation": "disabled",
        "usage": usage,
        "user": None,
        "metadata": {},
    }


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if path != "/v1/responses":
        endpoint._send_error(404, f"Unknown OpenAI Responses path {path}", anthropic=False)
        return
    created = int(time.time())
    if not sc.stream:
        endpoint._send_json(200, _response(created, "completed", [_REASONING, _MESSAGE], _USAGE))
        return
    seq = itertools.count()

    def event(kind: str, **fields: object) -> bytes:
        return _sse({"type": kind, "sequence_number": next(seq), **fields}, event=kind)

    def events() -> Iterable[bytes]:
        part: JSONObject = {"item_id": _MESSAGE_ID, "output_index": 1, "content_index": 0}
        yield event("response.created", response=_response(created, "in_progress", [], None))
        yield event("response.in_progress", response=_response(created, "in_progress", [], None))
        yield event("response.output_item.added", output_index=0, item=_REASONING)
        yield event("response.output_item.done", output_index=0, item=_REASONING)
        yield event(
            "response.output_item.added",
            output_index=1,
            item={**_MESSAGE, "status": "in_progress", "content": []},
        )
        yield event("response.content_part.added", **part, part={**_TEXT, "text": ""})
        for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES):
            yield event("response.output_text.delta", **part, delta=piece, logprobs=[])
        yield event("response.output_text.done", **part, text=RESPONSE_TEXT, logprobs=[])
        yield event("response.content_part.done", **part, part=_TEXT)
        yield event("response.output_item.done", output_index=1, item=_MESSAGE)
        yield event(
            "response.completed", response=_response(created, "completed", [_REASONING, _MESSAGE], _USAGE)
        )

    endpoint._stream(events())


WIRE = Wire(name="openai_responses", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True)
