"""Groq's chat API (``POST /openai/v1/chat/completions``), here serving openai/gpt-oss-120b.

Read from console.groq.com/docs (API reference, prompt caching, reasoning) and LiteLLM's
`llms/groq/chat` (1.79, 1.110.2): usage adds Groq's timings (`queue_time`, `prompt_time`,
`completion_time`, `total_time`) to the counts, with `prompt_tokens_details.cached_tokens` and
`completion_tokens_details.reasoning_tokens`; `x_groq.id` names the request; reasoning models
answer their thinking in `reasoning` (`delta.reasoning` on a stream). A stream's last chunk
carries the usage in `x_groq.usage`, asked or not; asked with `stream_options.include_usage`,
a chunk of no choices follows with `usage` too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_provider.wire import THINKING_TEXT, JSONObject

from . import openai_chat
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.scenarios import _Scenario

_ID = "chatcmpl-5d8e2f4a-91b3-4c7d-a6e0-3f2b1c9d8e7a"
_REQUEST_ID = "req_01kb7x4m9vfq2r8t6n3w5y0zja"
_MODEL = "openai/gpt-oss-120b"
_FINGERPRINT = "fp_a09bde29a1"
_USAGE: JSONObject = {
    "queue_time": 0.051327,
    "prompt_tokens": 1327,
    "prompt_time": 0.022104,
    "completion_tokens": 188,
    "completion_time": 0.161904,
    "total_tokens": 1515,
    "total_time": 0.184008,
    "prompt_tokens_details": {"cached_tokens": 1024},
    "completion_tokens_details": {"reasoning_tokens": 131},
}
TRUTH = Truth(
    input_tokens=1327,
    output_tokens=188,
    cache_read=1024,
    reasoning=131,
    response_id=_ID,
    response_model=_MODEL,
)


def _reply(created: int) -> JSONObject:
    return openai_chat.completion(
        _ID,
        _MODEL,
        created,
        _USAGE,
        message={"reasoning": THINKING_TEXT},
        choice={"logprobs": None},
        system_fingerprint=_FINGERPRINT,
        x_groq={"id": _REQUEST_ID},
        service_tier="on_demand",
    )


def _chunks(created: int, sc: _Scenario) -> list[JSONObject]:
    deltas = openai_chat.deltas("reasoning")
    payloads: list[JSONObject] = []
    for index, choice in enumerate(deltas):
        x_groq: JSONObject = {"id": _REQUEST_ID}
        if index == len(deltas) - 1:
            x_groq["usage"] = _USAGE
        payloads.append(
            openai_chat.chunk(_ID, _MODEL, created, [choice], system_fingerprint=_FINGERPRINT, x_groq=x_groq)
        )
    if sc.include_usage:
        x_groq = {"id": _REQUEST_ID}
        payloads.append(
            openai_chat.chunk(
                _ID, _MODEL, created, [], system_fingerprint=_FINGERPRINT, x_groq=x_groq, usage=_USAGE
            )
        )
    return payloads


WIRE = Wire(
    name="groq",
    serve=openai_chat.serve("/openai/v1/chat/completions", _reply, _chunks),
    truth=TRUTH,
    stream_truth=TRUTH,
    streams_usage_unasked=True,
)
