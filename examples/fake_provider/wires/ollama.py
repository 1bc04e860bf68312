"""Ollama's chat API: ``POST /api/chat``.

Read from Ollama's API reference (docs/api.md, "Generate a chat completion"; 2026): a reply has
no id; ``model`` echoes the request; ``prompt_eval_count`` and ``eval_count`` are the input and
output tokens (no cache or reasoning counts; ``thinking`` text has no count of its own), with
``done_reason``. A stream is newline-delimited JSON (``application/x-ndjson``): one object per
piece with ``done: false``, then a last one with ``done: true`` and the counts, always. Checked
against LiteLLM's ``OllamaChatConfig`` (1.79, 1.110), which maps the counts to ``prompt_tokens``
and ``completion_tokens``.
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

_MODEL: Final = "llama3.1"
_PROMPT_EVAL: Final = 318
_EVAL: Final = 142
_CREATED_AT: Final = "2026-12-01T12:00:00.000000Z"
_TIMINGS: Final[JSONObject] = {
    "total_duration": 4_883_583_458,
    "load_duration": 1_334_875,
    "prompt_eval_count": _PROMPT_EVAL,
    "prompt_eval_duration": 342_546_000,
    "eval_count": _EVAL,
    "eval_duration": 4_535_599_000,
}
TRUTH: Final = Truth(input_tokens=_PROMPT_EVAL, output_tokens=_EVAL, response_model=_MODEL)


def _line(payload: JSONObject) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode() + b"\n"


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if path != "/api/chat":
        endpoint._send_error(404, f"Unknown Ollama path {path}", anthropic=False)
        return
    if body.get("stream") is False:  # Ollama streams unless asked not to
        endpoint._send_json(
            200,
            {
                "model": _MODEL,
                "created_at": _CREATED_AT,
                "message": {"role": "assistant", "content": RESPONSE_TEXT},
                "done": True,
                "done_reason": "stop",
                **_TIMINGS,
            },
        )
        return

    def events() -> Iterable[bytes]:
        for piece in _split(RESPONSE_TEXT, STREAM_TEXT_PIECES):
            message = {"role": "assistant", "content": piece}
            yield _line({"model": _MODEL, "created_at": _CREATED_AT, "message": message, "done": False})
        yield _line(
            {
                "model": _MODEL,
                "created_at": _CREATED_AT,
                "message": {"role": "assistant", "content": ""},
                "done": True,
                "done_reason": "stop",
                **_TIMINGS,
            }
        )

    endpoint._stream(events(), "application/x-ndjson")


WIRE: Final = Wire(name="ollama", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=True)
