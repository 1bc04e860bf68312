"""DeepSeek's chat API (``POST /chat/completions``): deepseek-chat and deepseek-reasoner.

Read from api-docs.deepseek.com (chat completion reference, context caching and reasoning
model guides) and LiteLLM's `llms/deepseek/chat` (1.79, 1.110.2): usage has DeepSeek's own
`prompt_cache_hit_tokens` / `prompt_cache_miss_tokens` (hit + miss = prompt tokens) beside
OpenAI's `prompt_tokens_details.cached_tokens`; the reasoner adds
`completion_tokens_details.reasoning_tokens` (counted in completion tokens) and answers its
chain of thought in `reasoning_content`, streamed as `delta.reasoning_content` before the
content. A stream carries usage only when asked with `stream_options.include_usage`, on a last
chunk whose choices are empty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_provider.wire import THINKING_TEXT, JSONObject

from . import openai_chat
from .truth import Serve, Truth, Wire

if TYPE_CHECKING:
    from fake_provider.scenarios import _Scenario

_CHAT_ID = "3f9b1c52-8e0d-4a7b-9c61-2d4e5f6a7b80"
_REASONER_ID = "b6a2e0d4-17c3-4f58-8a9e-0c1d2e3f4a5b"
_FINGERPRINT = "fp_ffc7281d48_prod0820_fp8_kvcache"


def _usage(hit: int, miss: int, completion: int, reasoning: int | None = None) -> JSONObject:
    usage: JSONObject = {
        "prompt_tokens": hit + miss,
        "completion_tokens": completion,
        "total_tokens": hit + miss + completion,
        "prompt_tokens_details": {"cached_tokens": hit},
        "prompt_cache_hit_tokens": hit,
        "prompt_cache_miss_tokens": miss,
    }
    if reasoning is not None:
        usage["completion_tokens_details"] = {"reasoning_tokens": reasoning}
    return usage


_CHAT_USAGE = _usage(hit=1280, miss=576, completion=97)
_REASONER_USAGE = _usage(hit=1024, miss=399, completion=644, reasoning=577)
CHAT_TRUTH = Truth(
    input_tokens=1856, output_tokens=97, cache_read=1280, response_id=_CHAT_ID, response_model="deepseek-chat"
)
REASONER_TRUTH = Truth(
    input_tokens=1423,
    output_tokens=644,
    cache_read=1024,
    reasoning=577,
    response_id=_REASONER_ID,
    response_model="deepseek-reasoner",
)


def _serve(response_id: str, model: str, usage: JSONObject, *, reasoner: bool) -> Serve:
    def reply(created: int) -> JSONObject:
        return openai_chat.completion(
            response_id,
            model,
            created,
            usage,
            message={"reasoning_content": THINKING_TEXT} if reasoner else None,
            choice={"logprobs": None},
            system_fingerprint=_FINGERPRINT,
        )

    def chunks(created: int, sc: _Scenario) -> list[JSONObject]:
        payloads = [
            openai_chat.chunk(response_id, model, created, [choice], system_fingerprint=_FINGERPRINT)
            for choice in openai_chat.deltas("reasoning_content" if reasoner else None)
        ]
        if sc.include_usage:
            last = openai_chat.chunk(
                response_id, model, created, [], system_fingerprint=_FINGERPRINT, usage=usage
            )
            payloads.append(last)
        return payloads

    return openai_chat.serve("/chat/completions", reply, chunks)


CHAT_WIRE = Wire(
    name="deepseek",
    serve=_serve(_CHAT_ID, "deepseek-chat", _CHAT_USAGE, reasoner=False),
    truth=CHAT_TRUTH,
    stream_truth=CHAT_TRUTH,
    streams_usage_unasked=False,
)
REASONER_WIRE = Wire(
    name="deepseek_reasoner",
    serve=_serve(_REASONER_ID, "deepseek-reasoner", _REASONER_USAGE, reasoner=True),
    truth=REASONER_TRUTH,
    stream_truth=REASONER_TRUTH,
    streams_usage_unasked=False,
)
