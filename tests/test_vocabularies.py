"""Backend vocabularies on real LiteLLM calls against the fake provider, checked against each
backend's documented ingestion rules (its own code, re-stated here and cited), and the
gen_ai_latest_experimental switch.

Phoenix runs for real in tests/phoenix (`nox -s phoenix`); Langfuse and Sentry cannot run here,
so their rules are re-stated from their ingestion source:

- Langfuse, packages/shared/src/server/otel/OtelIngestionProcessor.ts
  (https://github.com/langfuse/langfuse, `extractGenericGenAiUsageDetails`, `extractCostDetails`,
  `extractCompletionStartTime`) and ObservationTypeMapper.ts (`langfuse.observation.type`, then
  `openinference.span.kind`, then `gen_ai.operation.name`).
- Sentry, relay-event-normalization/src/normalize/span/ai.rs (https://github.com/getsentry/relay,
  `UsedTokens`, `calculate_costs`): cached and reasoning tokens are subsets of input and output.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, anthropic_args, assert_absent, assert_subset, attributes, only_span, openai_args
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from litellm_otel import vocabularies as vocabulary_module
from litellm_otel.config import backend_vocabularies

ANTHROPIC_INPUT = (
    fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
)
VOCABULARY_PREFIXES = ("llm.", "openinference.", "embedding.", "langfuse.")
SENTRY_KEYS = (
    sc.SENTRY_USAGE_INPUT_TOKENS_CACHED,
    sc.SENTRY_USAGE_INPUT_TOKENS_CACHE_WRITE,
    sc.SENTRY_USAGE_OUTPUT_TOKENS_REASONING,
    sc.SENTRY_COST_TOTAL_TOKENS,
)


@pytest.fixture
def instrumented(tracer_provider: TracerProvider) -> Iterator[LiteLLMInstrumentor]:
    instrumentor = LiteLLMInstrumentor()
    yield instrumentor
    instrumentor.uninstrument()


def vocabulary_keys(span: ReadableSpan) -> dict[str, Any]:
    return {
        k: v for k, v in attributes(span).items() if k.startswith(VOCABULARY_PREFIXES) or k in SENTRY_KEYS
    }


def langfuse_usage(attrs: Mapping[str, Any]) -> dict[str, float]:
    """Langfuse's generic OTel usage rule (extractGenericGenAiUsageDetails): every
    `gen_ai.usage.*` (but the cost) and `llm.token_count.*` key, its prefix dropped; input,
    output, total, cache and reasoning each from the first of their names present (GenAI name
    first); cache subtracted from input and reasoning from output; any other key kept as a usage
    type of its own."""
    raw = {
        key.removeprefix("gen_ai.usage.").removeprefix("llm.token_count."): float(value)
        for key, value in attrs.items()
        if (key.startswith("gen_ai.usage.") and key != sc.GEN_AI_USAGE_COST)
        or key.startswith("llm.token_count.")
    }
    names = {
        "input": ("prompt_tokens", "input_tokens", "prompt"),
        "output": ("completion_tokens", "output_tokens", "completion"),
        "total": ("total_tokens", "total"),
        "input_cached_tokens": ("cache_read.input_tokens", "prompt_details.cache_read"),
        "input_cache_creation": (
            "cache_creation.input_tokens",
            "cache_write.input_tokens",
            "prompt_details.cache_write",
        ),
        "output_reasoning_tokens": ("reasoning.output_tokens", "completion_details.reasoning"),
    }
    known = {name for group in names.values() for name in group}
    usage = {key: value for key, value in raw.items() if key not in known}
    for target, group in names.items():
        found = next((raw[name] for name in group if name in raw), None)
        if found is not None:
            usage[target] = found
    usage["input"] = max(
        usage.get("input", 0) - usage.get("input_cached_tokens", 0) - usage.get("input_cache_creation", 0), 0
    )
    usage["output"] = max(usage.get("output", 0) - usage.get("output_reasoning_tokens", 0), 0)
    return usage


def test_off_by_default_adds_no_backend_keys(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    litellm.completion(**anthropic_args(provider))
    assert vocabulary_keys(only_span(span_exporter)) == {}
    assert backend_vocabularies() is None


def test_openinference_keys_copy_the_extracted_counts(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["openinference"])
    litellm.completion(**anthropic_args(provider))

    span = attributes(only_span(span_exporter))
    reasoning = span[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]
    assert reasoning > 0  # LiteLLM's estimate from the thinking block (Anthropic reports none)
    assert vocabulary_keys(only_span(span_exporter)) == {
        sc.OPENINFERENCE_SPAN_KIND: "LLM",
        sc.LLM_MODEL_NAME: "claude-sonnet-4-5" + fp.MODEL_SUFFIX,  # the provider's, no prefix
        sc.LLM_PROVIDER: "anthropic",
        sc.LLM_SYSTEM: "anthropic",
        # Like gen_ai.usage.input_tokens, prompt includes cache reads and writes: Phoenix prices
        # prompt - cache_read - cache_write at the input rate (cost_details_calculator.py).
        sc.LLM_TOKEN_COUNT_PROMPT: ANTHROPIC_INPUT,
        sc.LLM_TOKEN_COUNT_COMPLETION: fp.ANTHROPIC_OUTPUT_TOKENS,
        sc.LLM_TOKEN_COUNT_TOTAL: ANTHROPIC_INPUT + fp.ANTHROPIC_OUTPUT_TOKENS,
        sc.LLM_TOKEN_COUNT_PROMPT_CACHE_READ: fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        sc.LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE: fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        sc.LLM_TOKEN_COUNT_COMPLETION_REASONING: reasoning,
        sc.LLM_COST_TOTAL: span[sc.GEN_AI_USAGE_COST],
    }


def test_openinference_embedding_kind_and_model(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies="openinference")
    litellm.embedding(
        model="openai/text-embedding-3-small", input=["hi"], api_base=provider.openai_base, api_key=API_KEY
    )
    keys = vocabulary_keys(only_span(span_exporter))
    assert_subset(
        keys,
        {
            sc.OPENINFERENCE_SPAN_KIND: "EMBEDDING",
            sc.EMBEDDING_MODEL_NAME: "text-embedding-3-small" + fp.MODEL_SUFFIX,
            sc.LLM_TOKEN_COUNT_PROMPT: fp.EMBEDDING_PROMPT_TOKENS,
        },
    )
    assert_absent(keys, [sc.LLM_MODEL_NAME, sc.LLM_TOKEN_COUNT_COMPLETION])


def test_router_span_gets_the_chain_kind_and_never_usage(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    router = litellm.Router(
        model_list=[
            {
                "model_name": "chat",
                "litellm_params": {
                    "model": "openai/gpt-4o",
                    "api_base": provider.openai_base,
                    "api_key": API_KEY,
                },
            }
        ]
    )
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies="openinference,langfuse,sentry")
    router.completion(model="chat", messages=[{"role": "user", "content": "hi"}])

    by_kind = {span.kind.name: span for span in span_exporter.get_finished_spans()}
    assert vocabulary_keys(by_kind["INTERNAL"]) == {
        sc.OPENINFERENCE_SPAN_KIND: "CHAIN",
        sc.LANGFUSE_OBSERVATION_TYPE: "chain",
    }
    assert not [k for k in attributes(by_kind["INTERNAL"]) if "token" in k or "cost" in k]
    assert vocabulary_keys(by_kind["CLIENT"])[sc.OPENINFERENCE_SPAN_KIND] == "LLM"


async def test_langfuse_completion_start_time_is_the_first_chunk(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["langfuse"])
    stream = await litellm.acompletion(**anthropic_args(provider, stream=True))
    async for _ in stream:
        pass

    span = only_span(span_exporter)
    keys = vocabulary_keys(span)
    assert list(keys) == [sc.LANGFUSE_OBSERVATION_COMPLETION_START_TIME]
    iso = keys[sc.LANGFUSE_OBSERVATION_COMPLETION_START_TIME]
    # The shape Langfuse's extractCompletionStartTime accepts as is: ISO 8601, UTC, "Z".
    assert iso.endswith("Z")
    first_chunk = datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    assert span.start_time is not None
    assert span.end_time is not None
    to_first_chunk = attributes(span)[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK]
    # Derived from the span's own time to first chunk: equal to the millisecond, inside the span.
    assert abs(first_chunk - (span.start_time / 1e9 + to_first_chunk)) < 0.002
    assert span.start_time / 1e9 - 0.001 <= first_chunk <= span.end_time / 1e9 + 0.001


def test_langfuse_counts_no_token_twice_with_openinference_keys_beside(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["langfuse", "openinference"])
    litellm.completion(**anthropic_args(provider))

    span = attributes(only_span(span_exporter))
    reasoning = span[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]
    usage = langfuse_usage(span)
    assert usage == {
        "input": fp.ANTHROPIC_INPUT_TOKENS,
        "input_cached_tokens": fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        "input_cache_creation": fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        "output": fp.ANTHROPIC_OUTPUT_TOKENS - reasoning,
        "output_reasoning_tokens": reasoning,
        "total": ANTHROPIC_INPUT + fp.ANTHROPIC_OUTPUT_TOKENS,
    }
    # Langfuse's cost comes from gen_ai.usage.cost (extractCostDetails), LiteLLM's price.
    assert span[sc.GEN_AI_USAGE_COST] > 0


def test_sentry_keys_under_relays_subset_rule(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["sentry"])
    litellm.completion(**openai_args(provider))

    span = attributes(only_span(span_exporter))
    assert vocabulary_keys(only_span(span_exporter)) == {
        sc.SENTRY_USAGE_INPUT_TOKENS_CACHED: fp.CHAT_CACHED_TOKENS,
        sc.SENTRY_USAGE_OUTPUT_TOKENS_REASONING: fp.CHAT_REASONING_TOKENS,
        sc.SENTRY_COST_TOTAL_TOKENS: span[sc.GEN_AI_USAGE_COST],
    }
    # Relay prices input - cached at the input rate and output - reasoning at the output rate:
    # with our inclusive counts both remainders are the uncached and visible tokens, never < 0.
    assert span[sc.GEN_AI_USAGE_INPUT_TOKENS] - span[sc.SENTRY_USAGE_INPUT_TOKENS_CACHED] == (
        fp.CHAT_PROMPT_TOKENS - fp.CHAT_CACHED_TOKENS
    )
    assert span[sc.GEN_AI_USAGE_OUTPUT_TOKENS] - span[sc.SENTRY_USAGE_OUTPUT_TOKENS_REASONING] == (
        fp.CHAT_COMPLETION_TOKENS - fp.CHAT_REASONING_TOKENS
    )


def test_sentry_cache_write_for_anthropic(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["sentry"])
    litellm.completion(**anthropic_args(provider))
    keys = vocabulary_keys(only_span(span_exporter))
    assert keys[sc.SENTRY_USAGE_INPUT_TOKENS_CACHE_WRITE] == fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    assert keys[sc.SENTRY_USAGE_INPUT_TOKENS_CACHED] == fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS


def test_sentry_names_would_be_extra_usage_types_in_langfuse(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    """Why the README says to enable the vocabulary of the backend spans go to: Langfuse keeps
    unknown `gen_ai.usage.*` keys as usage types of their own, so Sentry's names would show there
    as extra (unpriced) types next to the right ones."""
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["sentry"])
    litellm.completion(**openai_args(provider))
    usage = langfuse_usage(attributes(only_span(span_exporter)))
    assert usage["input"] == fp.CHAT_PROMPT_TOKENS - fp.CHAT_CACHED_TOKENS
    assert usage["input_tokens.cached"] == fp.CHAT_CACHED_TOKENS


def test_environment_variable_and_unknown_names(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv(sc.VOCABULARIES_ENV, " Sentry , nosuch-backend,nosuch-backend ")
    instrumented.instrument(tracer_provider=tracer_provider)
    litellm.completion(**openai_args(provider))

    assert sc.SENTRY_USAGE_INPUT_TOKENS_CACHED in vocabulary_keys(only_span(span_exporter))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and "nosuch-backend" in r.message]
    assert len(warnings) == 1
    assert backend_vocabularies() is not None  # read again: no second warning
    assert len([r for r in caplog.records if "nosuch-backend" in r.message]) == 1


def test_keyword_overrides_the_environment(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(sc.VOCABULARIES_ENV, "sentry")
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=())
    litellm.completion(**openai_args(provider))
    assert vocabulary_keys(only_span(span_exporter)) == {}


def test_failed_call_gets_the_kind_and_no_usage(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumented.instrument(tracer_provider=tracer_provider, vocabularies=["openinference", "sentry"])
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(**openai_args(provider, model="openai/gpt-4o-error-429"))
    assert vocabulary_keys(only_span(span_exporter)) == {
        sc.OPENINFERENCE_SPAN_KIND: "LLM",
        sc.LLM_MODEL_NAME: "gpt-4o-error-429",
        sc.LLM_PROVIDER: "openai",
        sc.LLM_SYSTEM: "openai",
    }


def test_latest_experimental_names_replace_the_released_ones(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(sc.SEMCONV_STABILITY_OPT_IN_ENV, "http, gen_ai_latest_experimental")
    instrumented.instrument(
        tracer_provider=tracer_provider,
        meter_provider=MeterProvider([metric_reader]),
        vocabularies=["openinference", "sentry"],
    )
    stream = litellm.completion(**anthropic_args(provider, stream=True))
    for _ in stream:
        pass
    litellm.embedding(
        model="openai/text-embedding-3-small", input=["hi"], api_base=provider.openai_base, api_key=API_KEY
    )

    chat, embedding = span_exporter.get_finished_spans()
    span = attributes(chat)
    assert span[sc.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] == fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    assert_absent(span, [sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS])
    # The vocabularies read the count under its new name.
    assert span[sc.LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE] == fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    assert span[sc.SENTRY_USAGE_INPUT_TOKENS_CACHE_WRITE] == fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS

    data = metric_reader.get_metrics_data()
    assert data is not None
    names = {m.name for rm in data.resource_metrics for s in rm.scope_metrics for m in s.metrics}
    assert names == {
        sc.GEN_AI_CLIENT_INFERENCE_DURATION,
        sc.GEN_AI_CLIENT_EMBEDDINGS_DURATION,
        sc.GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
        sc.GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
        sc.GEN_AI_CLIENT_TOKEN_USAGE,
        sc.GEN_AI_USAGE_COST,
    }
    assert attributes(embedding)[sc.GEN_AI_OPERATION_NAME] == sc.OP_EMBEDDINGS


def test_released_names_without_the_opt_in(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(sc.SEMCONV_STABILITY_OPT_IN_ENV, "http")
    instrumented.instrument(tracer_provider=tracer_provider, meter_provider=MeterProvider([metric_reader]))
    litellm.completion(**anthropic_args(provider))

    span = attributes(only_span(span_exporter))
    assert span[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] == fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    assert_absent(span, [sc.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS])
    data = metric_reader.get_metrics_data()
    assert data is not None
    names = {m.name for rm in data.resource_metrics for s in rm.scope_metrics for m in s.metrics}
    assert sc.GEN_AI_CLIENT_OPERATION_DURATION in names
    assert sc.GEN_AI_CLIENT_INFERENCE_DURATION not in names


def test_a_failing_vocabulary_costs_neither_the_error_nor_the_hook(
    provider: FakeProvider,
    instrumented: LiteLLMInstrumentor,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(request: Mapping[str, Any], result: Mapping[str, Any], started_at: float) -> dict[str, Any]:
        raise ValueError("a vocabulary bug")

    monkeypatch.setitem(vocabulary_module._CLIENT, "sentry", broken)
    hooked: list[str] = []
    instrumented.instrument(
        tracer_provider=tracer_provider,
        vocabularies=["sentry"],
        response_hook=lambda span, kwargs, result: hooked.append(result.id),
    )
    response = litellm.completion(**openai_args(provider))
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(**openai_args(provider, model="openai/gpt-4o-error-429"))

    ok, failed = span_exporter.get_finished_spans()
    assert hooked == [response.id]
    assert attributes(ok)[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS
    assert failed.status.status_code is StatusCode.ERROR
    assert attributes(failed)[sc.ERROR_TYPE] == "litellm.exceptions.RateLimitError"
