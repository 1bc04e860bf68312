"""Backend vocabularies: the extra span keys a named backend reads, derived from our attributes.

Opt-in (`instrument(vocabularies=...)` or OTEL_INSTRUMENTATION_LITELLM_VOCABULARIES). Every
builder is pure: the attributes litellm-otel already extracted in, the extra ones out; nothing
reads LiteLLM's response again. Counts are copied, never added up, and each backend's own sums
were read from its ingestion code, so no token is counted twice:

- OpenInference (Phoenix, Arize): `llm.token_count.prompt` includes cache reads and writes and
  `completion` includes reasoning; Phoenix prices `prompt - cache_read - cache_write` at the
  input rate and `completion - reasoning` at the output rate
  (phoenix/server/cost_tracking/cost_details_calculator.py).
- Langfuse: reads our GenAI names and subtracts cache from input and reasoning from output
  itself (OtelIngestionProcessor.extractGenericGenAiUsageDetails), taking the `gen_ai.usage.*`
  name before the `llm.token_count.*` one, so it only lacks the time of the first chunk.
- Sentry: cached and reasoning counts are subsets of input and output tokens (Relay,
  relay-event-normalization/src/normalize/span/ai.rs).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes

Builder = Callable[[Mapping[str, Any], Mapping[str, Any], float], Attributes]
"""`builder(request, result, started_at)`: a CLIENT span's extra keys, from its request and result
attributes and its start as a Unix time in seconds."""

_OPENINFERENCE_KINDS: Final = {
    sc.OP_CHAT: sc.OPENINFERENCE_KIND_LLM,
    sc.OP_TEXT_COMPLETION: sc.OPENINFERENCE_KIND_LLM,
    sc.OP_GENERATE_CONTENT: sc.OPENINFERENCE_KIND_LLM,
    sc.OP_EMBEDDINGS: sc.OPENINFERENCE_KIND_EMBEDDING,
    sc.OP_RERANK: sc.OPENINFERENCE_KIND_RERANKER,
}
# The GenAI count each OpenInference count copies.
_OPENINFERENCE_COUNTS: Final = (
    (sc.GEN_AI_USAGE_INPUT_TOKENS, sc.LLM_TOKEN_COUNT_PROMPT),
    (sc.GEN_AI_USAGE_OUTPUT_TOKENS, sc.LLM_TOKEN_COUNT_COMPLETION),
    (sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, sc.LLM_TOKEN_COUNT_PROMPT_CACHE_READ),
    (sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, sc.LLM_TOKEN_COUNT_COMPLETION_REASONING),
    (sc.GEN_AI_USAGE_COST, sc.LLM_COST_TOTAL),
)
_SENTRY_COUNTS: Final = (
    (sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, sc.SENTRY_USAGE_INPUT_TOKENS_CACHED),
    (sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, sc.SENTRY_USAGE_OUTPUT_TOKENS_REASONING),
    (sc.GEN_AI_USAGE_COST, sc.SENTRY_COST_TOTAL_TOKENS),
)


def cache_write(result: Mapping[str, Any]) -> Any:
    """The cache-write count under either name (the released one, or the newer one emitted
    under gen_ai_latest_experimental)."""
    count = result.get(sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS)
    return count if count is not None else result.get(sc.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS)


def provider_model(request: Mapping[str, Any], result: Mapping[str, Any]) -> str | None:
    """The provider's model name: the response's, else the requested one without LiteLLM's
    `provider/` prefix."""
    model = result.get(sc.GEN_AI_RESPONSE_MODEL)
    if isinstance(model, str) and model:
        return model
    requested = request.get(sc.GEN_AI_REQUEST_MODEL)
    if not isinstance(requested, str) or not requested:
        return None
    return requested.split("/", 1)[1] if "/" in requested else requested


def openinference_client(
    request: Mapping[str, Any], result: Mapping[str, Any], started_at: float
) -> Attributes:
    """OpenInference keys: the span kind, model and provider, token counts (reasoning is the one
    Phoenix cannot derive from the GenAI names) and LiteLLM's cost."""
    operation = request.get(sc.GEN_AI_OPERATION_NAME)
    attributes: Attributes = {}
    kind = _OPENINFERENCE_KINDS.get(operation) if isinstance(operation, str) else None
    if kind is not None:
        attributes[sc.OPENINFERENCE_SPAN_KIND] = kind
    model = provider_model(request, result)
    if model is not None:
        key = sc.EMBEDDING_MODEL_NAME if kind == sc.OPENINFERENCE_KIND_EMBEDDING else sc.LLM_MODEL_NAME
        attributes[key] = model
    provider = request.get(sc.GEN_AI_PROVIDER_NAME, result.get(sc.GEN_AI_PROVIDER_NAME))
    if isinstance(provider, str):
        oi_provider, oi_system = sc.OPENINFERENCE_PROVIDERS.get(provider, (provider, None))
        attributes[sc.LLM_PROVIDER] = oi_provider
        if oi_system is not None:
            attributes[sc.LLM_SYSTEM] = oi_system
    for ours, theirs in _OPENINFERENCE_COUNTS:
        value = result.get(ours)
        if value is not None:
            attributes[theirs] = value
    written = cache_write(result)
    if written is not None:
        attributes[sc.LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE] = written
    total = result.get(sc.GEN_AI_USAGE_TOTAL_TOKENS)
    if total is None:
        prompt = result.get(sc.GEN_AI_USAGE_INPUT_TOKENS)
        completion = result.get(sc.GEN_AI_USAGE_OUTPUT_TOKENS)
        if prompt is not None and completion is not None:
            total = prompt + completion
    if total is not None:
        attributes[sc.LLM_TOKEN_COUNT_TOTAL] = total
    return attributes


def iso_time(unix_seconds: float) -> str:
    """An ISO 8601 UTC time with milliseconds and `Z`, as Langfuse's ingestion parses it."""
    moment = datetime.fromtimestamp(unix_seconds, tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def langfuse_client(request: Mapping[str, Any], result: Mapping[str, Any], started_at: float) -> Attributes:
    """Langfuse keys: the time of a stream's first chunk, its time to first token."""
    to_first_chunk = result.get(sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK)
    if not isinstance(to_first_chunk, (int, float)):
        return {}
    return {sc.LANGFUSE_OBSERVATION_COMPLETION_START_TIME: iso_time(started_at + to_first_chunk)}


def sentry_client(request: Mapping[str, Any], result: Mapping[str, Any], started_at: float) -> Attributes:
    """Sentry keys: cache reads and writes, reasoning and the cost under sentry-conventions names."""
    attributes: Attributes = {}
    for ours, theirs in _SENTRY_COUNTS:
        value = result.get(ours)
        if value is not None:
            attributes[theirs] = value
    written = cache_write(result)
    if written is not None:
        attributes[sc.SENTRY_USAGE_INPUT_TOKENS_CACHE_WRITE] = written
    return attributes


_CLIENT: Final[dict[str, Builder]] = {
    sc.VOCABULARY_OPENINFERENCE: openinference_client,
    sc.VOCABULARY_LANGFUSE: langfuse_client,
    sc.VOCABULARY_SENTRY: sentry_client,
}
# Router and SDK-fallbacks spans only orchestrate: the backend's chain kind, never usage or cost.
# Sentry has no kind for them.
_INTERNAL: Final[dict[str, Attributes]] = {
    sc.VOCABULARY_OPENINFERENCE: {sc.OPENINFERENCE_SPAN_KIND: sc.OPENINFERENCE_KIND_CHAIN},
    sc.VOCABULARY_LANGFUSE: {sc.LANGFUSE_OBSERVATION_TYPE: sc.LANGFUSE_TYPE_CHAIN},
    sc.VOCABULARY_SENTRY: {},
}
KNOWN: Final = tuple(_CLIENT)


@dataclass(frozen=True, slots=True)
class Vocabularies:
    """The vocabularies a user enabled, resolved once at `instrument()`."""

    names: tuple[str, ...]
    builders: tuple[Builder, ...]
    internal: Attributes

    @classmethod
    def of(cls, names: Iterable[str]) -> Vocabularies | None:
        """The enabled vocabularies among known names (in order, once each); None for none."""
        chosen = tuple(dict.fromkeys(name for name in names if name in _CLIENT))
        if not chosen:
            return None
        internal: Attributes = {}
        for name in chosen:
            internal.update(_INTERNAL[name])
        return cls(chosen, tuple(_CLIENT[name] for name in chosen), internal)

    def client(self, request: Mapping[str, Any], result: Mapping[str, Any], started_at: float) -> Attributes:
        """A CLIENT span's extra keys for every enabled vocabulary."""
        attributes: Attributes = {}
        for build in self.builders:
            attributes.update(build(request, result, started_at))
        return attributes
