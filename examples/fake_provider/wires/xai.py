"""xAI's chat API (``POST /v1/chat/completions``), here serving grok-code-fast-1.

Read from docs.x.ai (chat completions reference, reasoning, prompt caching, cost tracking) and
LiteLLM's `llms/xai/chat` (1.79, 1.110.2): xAI counts `reasoning_tokens` apart from
`completion_tokens` (total = prompt + completion + reasoning; LiteLLM 1.110 folds them, 1.79
does not), `prompt_tokens_details.cached_tokens`, and its own cost of the request in
`cost_in_usd_ticks` (1e-10 USD). Reasoning text is `reasoning_content`. A stream carries
`usage` on every chunk, asked or not, the counts so far (xAI's streaming examples), the whole
usage on the last.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_provider.wire import THINKING_TEXT, JSONObject

from . import openai_chat
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.scenarios import _Scenario

_ID = "7e1d3a9c-4b2f-4e8a-b6c5-0f9d8e7a6b5c"
_MODEL = "grok-code-fast-1"
_FINGERPRINT = "fp_10f00c862d"
_TICKS = 5_303_600  # 145 new input, 768 cached, 324 output tokens at xAI's grok-code-fast-1 rates
_USAGE: JSONObject = {
    "prompt_tokens": 913,
    "completion_tokens": 58,
    "total_tokens": 1237,
    "prompt_tokens_details": {"text_tokens": 913, "audio_tokens": 0, "image_tokens": 0, "cached_tokens": 768},
    "completion_tokens_details": {
        "reasoning_tokens": 266,
        "audio_tokens": 0,
        "accepted_prediction_tokens": 0,
        "rejected_prediction_tokens": 0,
    },
    "num_sources_used": 0,
    "cost_in_usd_ticks": _TICKS,
}
TRUTH = Truth(
    input_tokens=913,
    output_tokens=58 + 266,
    cache_read=768,
    reasoning=266,
    response_id=_ID,
    response_model=_MODEL,
    cost=_TICKS / 1e10,
)


def _reply(created: int) -> JSONObject:
    return openai_chat.completion(
        _ID,
        _MODEL,
        created,
        _USAGE,
        message={"reasoning_content": THINKING_TEXT, "refusal": None},
        system_fingerprint=_FINGERPRINT,
    )


def _chunks(created: int, sc: _Scenario) -> list[JSONObject]:
    deltas = openai_chat.deltas("reasoning_content")
    return [
        openai_chat.chunk(
            _ID,
            _MODEL,
            created,
            [choice],
            usage=_USAGE if index == len(deltas) - 1 else _usage_so_far(index + 1),
            system_fingerprint=_FINGERPRINT,
        )
        for index, choice in enumerate(deltas)
    ]


def _usage_so_far(completion_tokens: int) -> JSONObject:
    return {
        "prompt_tokens": 913,
        "completion_tokens": completion_tokens,
        "total_tokens": 913 + completion_tokens,
        "prompt_tokens_details": _USAGE["prompt_tokens_details"],
    }


WIRE = Wire(
    name="xai",
    serve=openai_chat.serve("/v1/chat/completions", _reply, _chunks),
    truth=TRUTH,
    stream_truth=TRUTH,
    streams_usage_unasked=True,
)
