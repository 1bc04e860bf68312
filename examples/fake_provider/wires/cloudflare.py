"""Cloudflare Workers AI's run API (``POST /client/v4/accounts/{account}/ai/run/{model}``), here
serving the Clairic extraction model, called through `litellm.extraction` / `aextraction`
(LiteLLM 1.109+).

Read from Cloudflare's Workers AI REST reference (the ``result`` / ``success`` / ``errors`` /
``messages`` envelope) and LiteLLM's `llms/cloudflare/extraction` and `types/extraction` (1.109.3,
1.110.2): a body of ``state`` (the text to read), ``fields`` (name to typed spec) and LiteLLM's
``model``; a result of the ``model``, ``answers`` by field name (text answers are spans of the
state), ``truncated`` and ``usage`` (``input_tokens`` = the state's plus the schema's,
``output_tokens``, the ``passes`` made). Here a text field finds the state's first word, a number
field its first number; any other field, or one the state does not determine, is ``null``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from fake_provider.wire import JSONObject

from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

EXTRACTION_MODEL: Final = "@cf/cloudflare/clairic"
EXTRACTION_STATE_TOKENS: Final = 61
EXTRACTION_SCHEMA_TOKENS: Final = 27
EXTRACTION_INPUT_TOKENS: Final = EXTRACTION_STATE_TOKENS + EXTRACTION_SCHEMA_TOKENS
EXTRACTION_OUTPUT_TOKENS: Final = 9
EXTRACTION_CONFIDENCE: Final = 0.9375
TRUTH = Truth(
    input_tokens=EXTRACTION_INPUT_TOKENS,
    output_tokens=EXTRACTION_OUTPUT_TOKENS,
    response_model=EXTRACTION_MODEL,
)
_RUN_PATH: Final = re.compile(r"/client/v4/accounts/[^/]+/ai/run/(?P<model>.+)")
_WORD: Final = re.compile(r"\w+")
_NUMBER: Final = re.compile(r"-?\d+(?:\.\d+)?")


def _answer(kind: object, state: str) -> JSONObject:
    pattern = {"text": _WORD, "number": _NUMBER}.get(kind) if isinstance(kind, str) else None
    found = None if pattern is None else pattern.search(state)
    if found is None:
        return {"type": kind if isinstance(kind, str) else "text", "value": None, "p_null": 1.0}
    text = found.group()
    value: object = text if kind == "text" else (float(text) if "." in text else int(text))
    span = [found.start(), found.end()]
    return {"type": kind, "value": value, "confidence": EXTRACTION_CONFIDENCE, "span": span}


def serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if _RUN_PATH.fullmatch(path) is None:
        endpoint._send_error(404, f"Unknown Cloudflare path {path}", anthropic=False)
        return
    raw_state, fields = body.get("state"), body.get("fields")
    state = raw_state if isinstance(raw_state, str) else ""
    specs = fields if isinstance(fields, dict) else {}
    answers = {
        name: _answer(spec.get("type") if isinstance(spec, dict) else None, state)
        for name, spec in specs.items()
    }
    endpoint._send_json(
        200,
        {
            "result": {
                "model": EXTRACTION_MODEL,
                "answers": answers,
                "truncated": False,
                "usage": {
                    "input_tokens": EXTRACTION_INPUT_TOKENS,
                    "output_tokens": EXTRACTION_OUTPUT_TOKENS,
                    "state_tokens": EXTRACTION_STATE_TOKENS,
                    "schema_tokens": EXTRACTION_SCHEMA_TOKENS,
                    "passes": 1,
                },
            },
            "success": True,
            "errors": [],
            "messages": [],
        },
    )


# Extraction has no stream: its one reply is the stream truth too.
WIRE = Wire(name="cloudflare", serve=serve, truth=TRUTH, stream_truth=TRUTH, streams_usage_unasked=False)
