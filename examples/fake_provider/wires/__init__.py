"""Other providers' wire formats, one module each, served under a path prefix of their own.

A provider is reached at ``FakeProvider.base_for(name)`` (``http://HOST:PORT/<name>``): the
server hands every request whose first path segment is a registered name to that wire's
``serve``, with the rest of the path. So OpenAI-compatible providers that share
``/v1/chat/completions`` still get their own dialect, and each ``Truth`` says exactly what the
provider's reply reported, in litellm-otel's terms, for the tests to compare spans against.
"""

from __future__ import annotations

from . import (
    azure,
    azure_ai,
    bedrock_converse,
    bedrock_invoke,
    cloudflare,
    cohere,
    deepseek,
    gemini,
    groq,
    mistral,
    ollama,
    openai_responses,
    openrouter,
    perplexity,
    xai,
)
from .truth import Truth, Wire

WIRES: dict[str, Wire] = {
    wire.name: wire
    for wire in (
        mistral.WIRE,
        bedrock_converse.WIRE,
        bedrock_invoke.WIRE,
        gemini.GEMINI,
        gemini.VERTEX,
        cohere.WIRE,
        ollama.WIRE,
        azure.WIRE,
        azure_ai.WIRE,
        deepseek.CHAT_WIRE,
        deepseek.REASONER_WIRE,
        groq.WIRE,
        xai.WIRE,
        openrouter.WIRE,
        perplexity.WIRE,
        openai_responses.WIRE,
        cloudflare.WIRE,
    )
}

__all__ = ["WIRES", "Truth", "Wire"]
