"""A stream's cost at per-model rates read from LiteLLM once: LiteLLM's own figure, never stale."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fake_provider import FakeProvider
from helpers import openai_args
from litellm_otel import extract
from litellm_otel import semconv as sc
from litellm_otel._litellm import prices
from litellm_otel._litellm.lookups import Lookups
from litellm_otel._litellm.prices import LINEAR_PROVIDERS, PriceCache, TokenCounts, plain_token_counts

# The providers of LiteLLM's map entries, as get_llm_provider names them.
_MAP_PROVIDERS = {"bedrock_converse": "bedrock", "vertex_ai-language-models": "vertex_ai"}
_MODELS_PER_PROVIDER = 12


def litellm_cost(model: str, usage: Any) -> float:
    """LiteLLM's own figure, asked as litellm-otel asks it without the cached rates: the counts
    one by one and the usage (a bare `usage_object` is priced 0.0 by LiteLLM 1.79 for providers
    without a cost function of their own)."""
    tokens = extract.usage_attributes(usage)
    counts = {
        "prompt_tokens": tokens.get(sc.GEN_AI_USAGE_INPUT_TOKENS, 0),
        "completion_tokens": tokens.get(sc.GEN_AI_USAGE_OUTPUT_TOKENS, 0),
        "cache_read_input_tokens": tokens.get(sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, 0),
        "cache_creation_input_tokens": tokens.get(sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, 0),
    }
    prompt_cost, completion_cost = litellm.cost_per_token(model=model, usage_object=usage, **counts)
    return float(prompt_cost + completion_cost)


def price_cache() -> PriceCache:
    return PriceCache(
        litellm.cost_per_token,
        litellm.Usage,
        litellm.get_model_info,
        lambda: litellm.model_cost,
        lambda model: litellm.get_llm_provider(model=model)[1],
    )


@pytest.fixture
def priced_calls(monkeypatch: pytest.MonkeyPatch) -> list[float | None]:
    """What the cached rates priced (None: left to LiteLLM's own path)."""
    seen: list[float | None] = []
    cost = PriceCache.cost

    def spy(self: PriceCache, model: str, counts: TokenCounts) -> float | None:
        result = cost(self, model, counts)
        seen.append(result)
        return result

    monkeypatch.setattr(PriceCache, "cost", spy)
    return seen


@pytest.fixture
def registered() -> Iterator[str]:
    """A model name of the test's own in LiteLLM's price map, removed afterwards."""
    name = "openai/litellm-otel-priced-model"
    yield name
    for key in (name, name.split("/", 1)[1]):
        litellm.model_cost.pop(key, None)


def register(name: str, **prices: float) -> None:
    """An OpenAI chat model with these prices in LiteLLM's map, as a user registers one."""
    litellm.register_model({name: {"litellm_provider": "openai", "mode": "chat", **prices}})


def usage_shapes(
    prompt: int, completion: int, cached: int, written: int
) -> list[tuple[Any, TokenCounts | None]]:
    """The usages a stream ends with, as LiteLLM builds them, and the counts they hold."""
    total = prompt + completion
    return [
        (litellm.Usage(prompt_tokens=prompt, completion_tokens=completion, total_tokens=total), None),
        (
            litellm.Usage(
                prompt_tokens=prompt,
                completion_tokens=completion,
                total_tokens=total,
                prompt_tokens_details={"cached_tokens": cached},
            ),
            TokenCounts(prompt, completion, cached, 0),
        ),
        (
            litellm.Usage(
                prompt_tokens=prompt,
                completion_tokens=completion,
                total_tokens=total,
                cache_read_input_tokens=cached,
                cache_creation_input_tokens=written,
            ),
            TokenCounts(prompt, completion, cached, written),
        ),
        (
            litellm.Usage(
                prompt_tokens=prompt,
                completion_tokens=completion,
                total_tokens=total,
                completion_tokens_details={"reasoning_tokens": completion // 2},
            ),
            TokenCounts(prompt, completion, reasoning=completion // 2),
        ),
    ]


def sampled_models() -> list[str]:
    by_provider: dict[str, list[str]] = {}
    for key in sorted(litellm.model_cost):
        entry = litellm.model_cost[key]
        provider = _MAP_PROVIDERS.get(entry.get("litellm_provider"), entry.get("litellm_provider"))
        if provider in LINEAR_PROVIDERS and entry.get("mode") == "chat":
            by_provider.setdefault(provider, []).append(key)
    return [model for models in by_provider.values() for model in models[:_MODELS_PER_PROVIDER]]


def test_cached_rates_price_every_sampled_model_as_litellm_does() -> None:
    cache = price_cache()
    priced = 0
    for model, (prompt, completion, cached, written) in itertools.product(
        sampled_models(), [(1200, 340, 300, 150), (77, 5, 0, 0)]
    ):
        for usage, expected_counts in usage_shapes(prompt, completion, cached, written):
            counts = plain_token_counts(usage)
            assert counts == (expected_counts or TokenCounts(prompt, completion))
            assert counts is not None
            fast = cache.cost(model, counts)
            if fast is None:
                continue  # a tier, a reasoning rate, or no price: LiteLLM's own path
            assert fast == pytest.approx(litellm_cost(model, usage), rel=1e-12, abs=1e-18)
            priced += 1
    assert priced > 100  # most of the sample is priced from cached rates


def test_stream_cost_from_cached_rates_is_litellms_figure(
    instrument: Any, provider: FakeProvider, span_exporter: InMemorySpanExporter, priced_calls: list[Any]
) -> None:
    chunks = list(
        litellm.completion(**openai_args(provider, stream=True, stream_options={"include_usage": True}))
    )
    [span] = span_exporter.get_finished_spans()
    usage = next(chunk.usage for chunk in reversed(chunks) if getattr(chunk, "usage", None))

    assert priced_calls and priced_calls[-1] is not None  # the cached rates priced it
    assert span.attributes is not None
    assert span.attributes[sc.GEN_AI_USAGE_COST] == pytest.approx(
        litellm_cost("openai/gpt-4o-mini", usage), rel=1e-12
    )


def test_register_model_after_instrument_is_honoured(
    instrument: Any,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    priced_calls: list[Any],
    registered: str,
) -> None:
    def stream_cost() -> Any:
        span_exporter.clear()
        list(litellm.completion(**openai_args(provider, model=registered, stream=True)))
        [span] = span_exporter.get_finished_spans()
        assert span.attributes is not None
        return span.attributes.get(sc.GEN_AI_USAGE_COST)

    unpriced = stream_cost()  # LiteLLM has no price for the model yet
    register(registered, input_cost_per_token=1e-6, output_cost_per_token=2e-6)
    first = stream_cost()
    register(registered, input_cost_per_token=3e-6, output_cost_per_token=5e-6)
    second = stream_cost()

    assert unpriced is None
    assert priced_calls[-2:] == [first, second]  # both priced from cached rates, read anew
    assert first > 0
    assert second > first
    # The figures LiteLLM itself gives for the counts the spans carry, under each price.
    [span] = span_exporter.get_finished_spans()
    assert span.attributes is not None
    counted = litellm.Usage(
        prompt_tokens=span.attributes[sc.GEN_AI_USAGE_INPUT_TOKENS],
        completion_tokens=span.attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS],
        total_tokens=span.attributes[sc.GEN_AI_USAGE_TOTAL_TOKENS],
    )
    assert second == pytest.approx(litellm_cost(registered, counted), rel=1e-12)


def test_an_entry_edited_in_place_is_priced_as_litellm_then_prices_it(registered: str) -> None:
    register(registered, input_cost_per_token=1e-6, output_cost_per_token=1e-6)
    cache = price_cache()
    usage = litellm.Usage(prompt_tokens=1000, completion_tokens=10, total_tokens=1010)
    counts = plain_token_counts(usage)
    assert counts is not None
    before = cache.cost(registered, counts)
    litellm.model_cost[registered]["input_cost_per_token"] = 4e-6  # edited where it is
    after = cache.cost(registered, counts)

    assert before == pytest.approx(1000 * 1e-6 + 10 * 1e-6)
    # LiteLLM 1.110 keeps serving its own cached model info after such an edit, 1.79 reads the
    # new price: either way the figure is LiteLLM's.
    assert after == pytest.approx(litellm_cost(registered, usage), rel=1e-12)


def test_above_a_token_tier_litellm_prices_it(registered: str) -> None:
    register(
        registered,
        input_cost_per_token=1e-6,
        output_cost_per_token=2e-6,
        input_cost_per_token_above_200k_tokens=9e-6,
    )
    cache = price_cache()

    assert cache.cost(registered, TokenCounts(1000, 10)) == pytest.approx(1000 * 1e-6 + 10 * 2e-6)
    assert cache.cost(registered, TokenCounts(250_000, 10)) is None


def test_a_model_without_a_price_is_left_to_litellm() -> None:
    assert price_cache().cost("openai/no-such-model-anywhere", TokenCounts(10, 10)) is None


@pytest.mark.parametrize(
    "usage",
    [
        {"prompt_tokens": 10, "completion_tokens": 5, "prompt_tokens_details": {"audio_tokens": 3}},
        {"prompt_tokens": 10, "completion_tokens": 5, "completion_tokens_details": {"audio_tokens": 2}},
        {"prompt_tokens": 10, "completion_tokens": 5, "server_tool_use": {"web_search_requests": 1}},
        # LiteLLM 1.79 ignores a cache-write count that only the details hold (issue #14).
        {"prompt_tokens": 10, "completion_tokens": 5, "prompt_tokens_details": {"cache_write_tokens": 4}},
        {
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "cache_read_input_tokens": 3,
            "prompt_tokens_details": {"cached_tokens": 2},
        },
        {
            "prompt_tokens": 10,
            "completion_tokens": 5,
            "cache_read_input_tokens": 8,
            "cache_creation_input_tokens": 8,
        },
        {"prompt_tokens": 10},
        None,
    ],
    ids=[
        "audio-in",
        "audio-out",
        "web-search",
        "details-only-write",
        "disagreeing-reads",
        "more-cache-than-prompt",
        "no-completion",
        "none",
    ],
)
def test_usage_litellm_prices_apart_is_left_to_it(usage: Any) -> None:
    assert plain_token_counts(usage) is None


def test_lookups_price_streams_from_cached_rates_when_litellm_is_at_hand(priced_calls: list[Any]) -> None:
    lookups = Lookups.of(litellm)
    usage = litellm.Usage(prompt_tokens=120, completion_tokens=30, total_tokens=150)

    cost = lookups.usage_cost("gpt-4o-mini", usage, extract.usage_attributes(usage))

    assert priced_calls == [cost]
    assert cost == pytest.approx(litellm_cost("gpt-4o-mini", usage), rel=1e-12)
    assert prices.LINEAR_PROVIDERS  # the module's providers are what the sample above checks


def test_a_tokenizers_usage_is_priced_from_its_counts_on_the_span(
    priced_calls: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A counted usage (LiteLLM's tokenizer, or ours) holds text counts only: priced from the
    span's counts at the cached rates, without reading the usage's fields again."""
    lookups = Lookups.of(litellm)
    usage = litellm.Usage(prompt_tokens=120, completion_tokens=30, total_tokens=150)
    tokens = extract.usage_attributes(usage)
    read: list[object] = []
    monkeypatch.setattr("litellm_otel._litellm.lookups.plain_token_counts", read.append)  # must not run

    cost = lookups.usage_cost("gpt-4o-mini", usage, tokens, counted=True)

    assert read == []
    assert priced_calls == [cost]
    assert cost == pytest.approx(litellm_cost("gpt-4o-mini", usage), rel=1e-12)


def test_a_counted_usage_with_cache_counts_is_read_as_any_other(priced_calls: list[Any]) -> None:
    lookups = Lookups.of(litellm)
    usage = litellm.Usage(
        prompt_tokens=120,
        completion_tokens=30,
        total_tokens=150,
        prompt_tokens_details={"cached_tokens": 100},
    )
    tokens = extract.usage_attributes(usage)

    cost = lookups.usage_cost("gpt-4o-mini", usage, tokens, counted=True)

    assert priced_calls == [cost]
    assert cost == pytest.approx(litellm_cost("gpt-4o-mini", usage), rel=1e-12)
    uncached = litellm.Usage(prompt_tokens=120, completion_tokens=30, total_tokens=150)
    assert cost is not None
    assert cost < litellm_cost("gpt-4o-mini", uncached)  # the cache reads priced as such


@pytest.mark.parametrize(("prompt", "completion", "reasoning"), [(-1, 5, 0), (5, 5, 6), (5, 5, -1)])
def test_counted_counts_that_do_not_add_up_are_left_to_litellm(
    prompt: int, completion: int, reasoning: int
) -> None:
    assert prices.counted_token_counts(prompt, completion, reasoning) is None
    assert prices.counted_token_counts(5, 5, 5) == TokenCounts(5, 5, reasoning=5)
