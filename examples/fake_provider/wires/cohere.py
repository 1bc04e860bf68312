"""Cohere's v2 chat API: ``POST /v2/chat``.

Read from docs.cohere.com's v2 Chat and Chat-stream references (2026): a reply has an ``id``
(a UUID), ``finish_reason`` ``COMPLETE`` and ``usage`` with ``tokens`` (what the model read and
wrote, prompt template included) and ``billed_units`` (what is charged: fewer input tokens);
no cache or reasoning counts. A stream is SSE events ``message-start`` (with the id),
``content-start``, ``content-delta`` (one per piece), ``content-end`` and ``message-end`` (finish reason and
usage, always: Cohere has no ``stream_options``), each a JSON object naming its ``type``, sent
one per line (``application/stream+json``, Cohere's streaming framing since v1): LiteLLM
(1.79, 1.110) reads the stream line by line with ``json.loads`` and fails on SSE ``event:`` and
``data:`` lines, so that is the framing its Cohere users get answers in.
Checked against LiteLLM's ``CohereV2ChatConfig.transform_response`` (1.79: usage from
``tokens``, the id dropped) and ``CohereV2ModelResponseIterator.chunk_parser`` (1.79 looks for
``message-end`` under an ``event`` key the stream's JSON does not have).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from fake_provider.wire import RESPONSE_TEXT, STREAM_TEXT_PIECES, JSONObject, _split

from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_ID: Final = "5d8f0c1e-7a2b-4c39-9e61-0c4e2a9b7d15"
_INPUT: Final = 512
_BILLED_INPUT: Final = 480
_OUTPUT: Final = 77
_USAGE: Final[JSONObject] = {
    "billed_units": {"input_tokens": _BILLED_INPUT, "output_tokens": _OUTPUT},
    "tokens": {"input_tokens": _INPUT, "output_tokens": _OUTPUT},
}
# command-a-03-2025 at Cohere's list prices (LiteLLM's map: $2.5 / $10 per million), on the
# billed units: what Cohere charges.
_COST: Final = _BILLED_INPUT * 2.5e-6 + _OUTPUT * 1e-5
TRUTH: Final = Truth(input_tokens=_INPUT, output_tokens=_OUTPUT, response_id=_ID, cost=_COST)


def _line(event: JSONObject) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode() + b"\n"


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if path != "/v2/chat":
        endpoint._send_error(404, f"Unknown Cohere path {path}", anthropic=False)
        return
    if not sc.stream:
        endpoint._send_json(
            200,
            {
                "id": _ID,
                "finish_reason": "COMPLETE",
                "message": {"role": "assistant", "content": [{"type": "text", "text": RESPONSE_TEXT}]},
                "usage": _USAGE,
            },
        )
        return

    def events() -> Iterable[bytes]:
        start = {"role": "assistant", "content": [], "tool_plan": "", "tool_calls": [], "citations": []}
        yield _line({"id": _ID, "type": "message-start", "delta": {"message": start}})
        content_start = {"message": {"content": {"type": "text", "text": ""}}}
        yield _line({"type": "content-start", "index": 0, "delta": content_start})
        for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES):
            delta = {"message": {"content": {"text": piece}}}
            yield _line({"type": "content-delta", "index": 0, "delta": delta})
        yield _line({"type": "content-end", "index": 0})
        end = {"finish_reason": "COMPLETE", "usage": _USAGE}
        yield _line({"type": "message-end", "delta": end})

    endpoint._stream(events(), "application/stream+json")


WIRE: Final = Wire(name="cohere", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True)
