"""Azure OpenAI's chat API (``POST /openai/deployments/{deployment}/chat/completions?api-version=``).

Read from learn.microsoft.com's Azure OpenAI REST reference and LiteLLM's `llms/azure` (1.79,
1.110.2, which reach it through the OpenAI SDK's `AzureOpenAI` client): the reply names the
dated OpenAI model behind the deployment, carries `prompt_filter_results` and per-choice
`content_filter_results`, and OpenAI's usage details (cached tokens; reasoning tokens, 0 for a
model that does not reason). A stream opens with a chunk of no choices holding the prompt filter
results, and carries usage only when asked with `stream_options.include_usage`, on a last chunk
of no choices. Not an o-series deployment: LiteLLM fakes their streams with one non-streamed
request (`azure/o4-mini`, 1.110.2), which would test no stream at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_provider.wire import JSONObject

from . import openai_chat
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.scenarios import _Scenario

DEPLOYMENT = "gpt-4.1"  # `azure/<deployment>` is priced by this name, then by the reply's model
_ID = "chatcmpl-AZ9kq3Lr7uW2xYfVb5NcTe8HdJmPo"
_MODEL = "gpt-4.1-2025-04-14"
_USAGE: JSONObject = {
    "prompt_tokens": 2048,
    "completion_tokens": 412,
    "total_tokens": 2460,
    "prompt_tokens_details": {"audio_tokens": 0, "cached_tokens": 1536},
    "completion_tokens_details": {
        "accepted_prediction_tokens": 0,
        "audio_tokens": 0,
        "reasoning_tokens": 0,
        "rejected_prediction_tokens": 0,
    },
}
TRUTH = Truth(
    input_tokens=2048, output_tokens=412, cache_read=1536, reasoning=0, response_id=_ID, response_model=_MODEL
)
_SAFE: JSONObject = {
    name: {"filtered": False, "severity": "safe"} for name in ("hate", "self_harm", "sexual", "violence")
}
_PROMPT_FILTERS: list[JSONObject] = [{"prompt_index": 0, "content_filter_results": _SAFE}]


def _reply(created: int) -> JSONObject:
    return openai_chat.completion(
        _ID,
        _MODEL,
        created,
        _USAGE,
        message={"annotations": [], "refusal": None},
        choice={"content_filter_results": _SAFE, "logprobs": None},
        prompt_filter_results=_PROMPT_FILTERS,
        system_fingerprint=None,
    )


def _chunks(created: int, sc: _Scenario) -> list[JSONObject]:
    usage_field: JSONObject = {"usage": None} if sc.include_usage else {}
    payloads: list[JSONObject] = [
        {
            "choices": [],
            "created": 0,
            "id": "",
            "model": "",
            "object": "",
            "prompt_filter_results": _PROMPT_FILTERS,
        }
    ]
    for choice in openai_chat.deltas():
        filters = {} if choice["finish_reason"] else _SAFE
        payloads.append(
            openai_chat.chunk(
                _ID,
                _MODEL,
                created,
                [{**choice, "content_filter_results": filters, "logprobs": None}],
                system_fingerprint=None,
                **usage_field,
            )
        )
    if sc.include_usage:
        payloads.append(openai_chat.chunk(_ID, _MODEL, created, [], system_fingerprint=None, usage=_USAGE))
    return payloads


WIRE = Wire(
    name="azure",
    serve=openai_chat.serve(f"/openai/deployments/{DEPLOYMENT}/chat/completions", _reply, _chunks),
    truth=TRUTH,
    stream_truth=TRUTH,
    streams_usage_unasked=False,
)
