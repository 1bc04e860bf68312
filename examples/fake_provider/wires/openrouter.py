"""OpenRouter's chat API (``POST /api/v1/chat/completions``), here routing openai/gpt-4o.

Read from openrouter.ai/docs (API reference, usage accounting, streaming) and LiteLLM's
`llms/openrouter/chat` (1.79, 1.110.2): the reply names the upstream `provider` and the
`openai/…` model, and usage always carries OpenRouter's own charge in `usage.cost` (USD),
`prompt_tokens_details.cached_tokens` and `completion_tokens_details.reasoning_tokens` (0 for a
model that does not reason). A stream opens with ``: OPENROUTER PROCESSING`` comments and ends
with a chunk of no choices carrying the usage, asked or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_provider.wire import JSONObject

from . import openai_chat
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.scenarios import _Scenario

_ID = "gen-1764590412-Qm7cTzR2pXv9LkWs4HbN"
_MODEL = "openai/gpt-4o"
_COST = 0.00335  # 304 new input, 1408 cached, 83 output tokens at OpenAI's gpt-4o rates
_USAGE: JSONObject = {
    "prompt_tokens": 1712,
    "completion_tokens": 83,
    "total_tokens": 1795,
    "cost": _COST,
    "is_byok": False,
    "prompt_tokens_details": {"cached_tokens": 1408, "audio_tokens": 0},
    "cost_details": {"upstream_inference_cost": None},
    "completion_tokens_details": {"reasoning_tokens": 0, "image_tokens": 0},
}
TRUTH = Truth(
    input_tokens=1712,
    output_tokens=83,
    cache_read=1408,
    reasoning=0,
    response_id=_ID,
    response_model=_MODEL,
    cost=_COST,
)


_PROVIDER = "OpenAI"
_FINGERPRINT = "fp_cbf1785567"
_EXTRA: JSONObject = {"provider": _PROVIDER, "system_fingerprint": _FINGERPRINT}


def _reply(created: int) -> JSONObject:
    return openai_chat.completion(
        _ID,
        _MODEL,
        created,
        _USAGE,
        message={"refusal": None, "reasoning": None},
        choice={"logprobs": None, "native_finish_reason": "stop"},
        provider=_PROVIDER,
        system_fingerprint=_FINGERPRINT,
    )


def _chunks(created: int, sc: _Scenario) -> list[JSONObject]:
    payloads = [
        openai_chat.chunk(_ID, _MODEL, created, [choice], **_EXTRA) for choice in openai_chat.deltas()
    ]
    payloads.append(openai_chat.chunk(_ID, _MODEL, created, [], usage=_USAGE, **_EXTRA))
    return payloads


WIRE = Wire(
    name="openrouter",
    serve=openai_chat.serve("/api/v1/chat/completions", _reply, _chunks, b": OPENROUTER PROCESSING\n\n"),
    truth=TRUTH,
    stream_truth=TRUTH,
    streams_usage_unasked=True,
)
