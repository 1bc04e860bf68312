"""Where LiteLLM's figures are not the provider's: the zeros it fills in, the estimates it makes,
and the names it rewrites -- and how to tell each from what the provider really reported.

Read from LiteLLM 1.79.0 and 1.110.2 against each provider's own API reference (2026).
"""

from __future__ import annotations

from typing import Final

from litellm_otel import extract
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes

# `gen_ai.provider.name` values whose APIs report no reasoning-token count (Anthropic and
# Bedrock bill thinking as output and count no part of it; Mistral, Cohere v2, Ollama and
# Perplexity's usage has no such field). LiteLLM still fills one in: 0 when there was no
# thinking (1.110 streams, every release for non-streamed Mistral/Cohere), or its own token
# count of the thinking text (Anthropic, Bedrock invoke, all releases).
NO_REASONING_COUNT: Final = frozenset(
    {"anthropic", "aws.bedrock", "mistral_ai", "cohere", "ollama", "ollama_chat", "perplexity"}
)

# `gen_ai.provider.name` values whose APIs report no cache-write count (OpenAI and Azure OpenAI
# cache automatically and bill no writes; Gemini reports cached reads only; likewise DeepSeek,
# xAI, Groq, Mistral, Perplexity, Cohere). LiteLLM still fills in a 0 where it translates their
# usage into a shape that has the field: its Anthropic Messages bridge (1.110.2, an OpenAI model
# reached through the Responses API reports `cache_creation_input_tokens: 0` on the stream).
NO_CACHE_WRITE_COUNT: Final = frozenset(
    {
        "openai",
        "azure.ai.openai",
        "gcp.gemini",
        "deepseek",
        "x_ai",
        "groq",
        "mistral_ai",
        "perplexity",
        "cohere",
    }
)

COUNTED_USAGE: Final = (
    sc.GEN_AI_USAGE_INPUT_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS,
    sc.GEN_AI_USAGE_TOTAL_TOKENS,
)


# `gen_ai.provider.name` values whose APIs report their own charge for a reply, which is then
# its cost: OpenRouter (`usage.cost`), xAI (`usage.cost_in_usd_ticks`), Perplexity
# (`usage.cost.total_cost`, search fees included). LiteLLM 1.110 bills from them too.
OWN_CHARGE: Final = frozenset({"openrouter", "x_ai", "perplexity"})


def charges_itself(provider: object) -> bool:
    """Whether the provider's reply states its own charge (see OWN_CHARGE)."""
    return provider in OWN_CHARGE


def settle(
    attributes: extract.Attributes,
    provider: object,
    litellm_provider: object,
    estimated: tuple[str, ...] = (),
) -> None:
    """Make `attributes` (a CLIENT span's response attributes) say what `provider` (its
    `gen_ai.provider.name`) reported; `litellm_provider` is LiteLLM's name for it.

    - A reasoning count from a provider whose API has none, or in a usage LiteLLM counted
      itself, is LiteLLM's: a 0 is made up and is dropped; any other value is its estimate and
      is listed in `litellm.usage.estimated`. A cache-write count of 0 from a provider whose API
      has none is made up too, and dropped.
    - `gen_ai.response.model` loses the `provider/` prefix LiteLLM puts on some providers'
      results (1.79 and 1.110: `azure/`, `azure_ai/`, `perplexity/`, `ollama_chat/`), so it is
      the provider's model name. Only LiteLLM's own provider name is stripped: OpenRouter's
      `openai/gpt-4o` is the provider's name and stays whole.
    - `gen_ai.response.id` is the provider's id where LiteLLM wrapped it in one of its own
      (Responses API ids, 1.79 … 1.110: `resp_` + base64 of its routing data and the id).
    - `estimated`: the usage attributes the caller knows to be counted by LiteLLM, not reported.
    """
    if estimated or (
        provider in NO_REASONING_COUNT and sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS in attributes
    ):
        _mark_estimates(attributes, provider, estimated)
    if provider in NO_CACHE_WRITE_COUNT and attributes.get(sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS) == 0:
        del attributes[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]
    provider_id = shapes.provider_response_id(attributes.get(sc.GEN_AI_RESPONSE_ID))
    if provider_id is not None:
        attributes[sc.GEN_AI_RESPONSE_ID] = provider_id
    model = attributes.get(sc.GEN_AI_RESPONSE_MODEL)
    if isinstance(model, str) and isinstance(litellm_provider, str) and litellm_provider:
        prefix = litellm_provider + "/"
        if model.startswith(prefix) and len(model) > len(prefix):
            attributes[sc.GEN_AI_RESPONSE_MODEL] = model[len(prefix) :]


def _mark_estimates(attributes: extract.Attributes, provider: object, estimated: tuple[str, ...]) -> None:
    marked = list(filter(attributes.__contains__, estimated))
    if (marked and sc.GEN_AI_USAGE_INPUT_TOKENS in marked) or provider in NO_REASONING_COUNT:
        reasoning = attributes.get(sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS)
        if reasoning == 0:
            del attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]
        elif reasoning is not None and sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS not in marked:
            marked.append(sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS)
    if marked:
        attributes[sc.LITELLM_USAGE_ESTIMATED] = marked
