"""Azure AI Model Inference (``POST /chat/completions``), the serverless Foundry models' API.

Read from learn.microsoft.com's Azure AI Model Inference REST reference and LiteLLM's
`llms/azure_ai/chat` (1.79, 1.110.2: `api_base` + ``/chat/completions``): the OpenAI shape,
the reply naming the model as deployed, usage with prompt, completion and total tokens only
(an open-weights model such as Llama has no cache or reasoning count), and on a stream usage
only when asked with `stream_options.include_usage`, on a last chunk of no choices.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fake_provider.wire import JSONObject

from . import openai_chat
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.scenarios import _Scenario

_ID = "9c4e7f2a1b8d4c6e9f0a3b5d7e1c2f48"
_MODEL = "Llama-3.3-70B-Instruct"
_USAGE: JSONObject = {
    "prompt_tokens": 626,
    "completion_tokens": 41,
    "total_tokens": 667,
    "prompt_tokens_details": None,
}
TRUTH = Truth(input_tokens=626, output_tokens=41, response_id=_ID, response_model=_MODEL)


def _reply(created: int) -> JSONObject:
    return openai_chat.completion(
        _ID, _MODEL, created, _USAGE, message={"tool_calls": []}, choice={"logprobs": None}
    )


def _chunks(created: int, sc: _Scenario) -> list[JSONObject]:
    payloads = [openai_chat.chunk(_ID, _MODEL, created, [choice]) for choice in openai_chat.deltas()]
    if sc.include_usage:
        payloads.append(openai_chat.chunk(_ID, _MODEL, created, [], usage=_USAGE))
    return payloads


WIRE = Wire(
    name="azure_ai",
    serve=openai_chat.serve("/chat/completions", _reply, _chunks),
    truth=TRUTH,
    stream_truth=TRUTH,
    streams_usage_unasked=False,
)
