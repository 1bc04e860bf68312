"""The provider matrix: which LiteLLM model reaches which fake wire format, what the span must
say about each reply, and the known LiteLLM limits (with the releases they were seen on).

One `Case` per provider row of README's provider table; `expected` turns a wire's `Truth` into
the span attributes the SPEC asks for in a given mode; `LIMITS` lists where LiteLLM leaves us
no principled way to the provider's number, and what the span carries instead. A limit that
stops holding (LiteLLM fixed it, or we did) fails its test, so the table cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fake_provider import FakeProvider
from fake_provider.wires import WIRES, Truth
from helpers import API_KEY
from litellm_otel import semconv as sc

PLAIN: Final = "non-streamed"
STREAM_USAGE: Final = "stream, include_usage"
STREAM: Final = "stream"
MODES: Final = (PLAIN, STREAM_USAGE, STREAM)

ABSENT: Final = "<absent>"
ANY_COUNT: Final = "<a count>"  # LiteLLM's own token count: present, positive, marked estimated

# The table's columns: short name -> attribute.
COLUMNS: Final = {
    "input": sc.GEN_AI_USAGE_INPUT_TOKENS,
    "output": sc.GEN_AI_USAGE_OUTPUT_TOKENS,
    "cache read": sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    "cache write": sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    "reasoning": sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
    "cost": sc.GEN_AI_USAGE_COST,
    "response id": sc.GEN_AI_RESPONSE_ID,
    "response model": sc.GEN_AI_RESPONSE_MODEL,
    "finish reasons": sc.GEN_AI_RESPONSE_FINISH_REASONS,
    "server": sc.SERVER_ADDRESS,
}


@dataclass(frozen=True)
class Case:
    """One provider as a LiteLLM user calls it."""

    name: str  # the README row
    wire: str  # the fake provider's wire format (`fake_provider.wires`)
    model: str  # the LiteLLM model string
    provider_name: str  # expected gen_ai.provider.name
    args: Callable[[FakeProvider], dict[str, Any]]  # everything but model, messages and stream
    request_model: str | None = None  # gen_ai.request.model, when not `model`
    # The LiteLLM entry point: "completion" (`completion` / `acompletion`) or "responses"
    # (`responses` / `aresponses`, whose API has no `stream_options`: its "stream, include_usage"
    # mode is the same call as "stream", as a Responses stream always ends with its usage).
    entry: str = "completion"


@dataclass(frozen=True)
class Limit:
    """Where a LiteLLM release loses the provider's value: what the span carries instead."""

    releases: str  # a PEP 440 specifier of the LiteLLM releases it was seen on, e.g. "<1.80"
    seen: object  # the value on the span (ABSENT, a number, a string), compared exactly
    why: str

    def applies(self, litellm_version: str) -> bool:
        return Version(litellm_version) in SpecifierSet(self.releases)


def api_base_args(wire: str, suffix: str = "") -> Callable[[FakeProvider], dict[str, Any]]:
    """`api_base` at the wire's prefix (plus `suffix`) and the tests' API key."""
    return lambda provider: {"api_base": provider.base_for(wire) + suffix, "api_key": API_KEY}


def azure_args(provider: FakeProvider) -> dict[str, Any]:
    """Azure OpenAI: the resource endpoint (the SDK adds /openai/deployments/...) and API version."""
    return {"api_base": provider.base_for("azure"), "api_key": API_KEY, "api_version": "2025-04-01-preview"}


CASES: Final[tuple[Case, ...]] = (
    Case("Mistral", "mistral", "mistral/mistral-small-latest", "mistral_ai", api_base_args("mistral", "/v1")),
    Case("Azure OpenAI", "azure", "azure/gpt-4.1", "azure.ai.openai", azure_args),
    Case(
        "Azure AI Inference",
        "azure_ai",
        "azure_ai/Llama-3.3-70B-Instruct",
        "azure.ai.inference",
        api_base_args("azure_ai"),
    ),
    Case("DeepSeek", "deepseek", "deepseek/deepseek-chat", "deepseek", api_base_args("deepseek")),
    Case(
        "DeepSeek reasoner",
        "deepseek_reasoner",
        "deepseek/deepseek-reasoner",
        "deepseek",
        api_base_args("deepseek_reasoner"),
    ),
    Case("Groq", "groq", "groq/openai/gpt-oss-120b", "groq", api_base_args("groq", "/openai/v1")),
    Case("xAI", "xai", "xai/grok-code-fast-1", "x_ai", api_base_args("xai", "/v1")),
    Case(
        "OpenRouter",
        "openrouter",
        "openrouter/openai/gpt-4o",
        "openrouter",
        api_base_args("openrouter", "/api/v1"),
    ),
    Case("Perplexity", "perplexity", "perplexity/sonar-pro", "perplexity", api_base_args("perplexity")),
    Case(
        "OpenAI Responses",
        "openai_responses",
        "openai/gpt-5-mini",
        "openai",
        api_base_args("openai_responses", "/v1"),
        entry="responses",
    ),
)

_USAGE_DROPPED_179: Final = Limit(
    "<1.80",
    ANY_COUNT,
    "LiteLLM 1.79's OpenAI-compatible chunk parser builds each chunk from id, model and choices "
    "alone: the provider's stream usage reaches neither the caller nor the kept chunks, so the "
    "span carries LiteLLM's own count",
)
_GROQ_X_GROQ: Final = Limit(
    ">=1.79",
    ANY_COUNT,
    "Groq sends a stream's usage in the last chunk's `x_groq.usage`; LiteLLM's chunk parser keeps "
    "no `x_groq` (1.79 … 1.110.2), so the span carries LiteLLM's own count",
)
_PERPLEXITY_COST_WHY: Final = (
    "LiteLLM prices Perplexity's tokens at list rates and ignores `usage.cost` (whose total "
    "includes the per-request search fee): 1.79 everywhere, 1.90 on streams; 1.106 uses "
    "`usage.cost.total_cost`"
)
_PERPLEXITY_STREAM_COST: Final = Limit("<1.106", 0.006747, _PERPLEXITY_COST_WHY)

# (case name, mode, column) -> Limit. A limit whose `seen` is ANY_COUNT on "input" means the
# provider's usage is lost on that path: the span is checked as a stream LiteLLM counted itself.
LIMITS: Final[Mapping[tuple[str, str, str], Limit]] = {
    ("DeepSeek", STREAM_USAGE, "input"): _USAGE_DROPPED_179,
    ("DeepSeek reasoner", STREAM_USAGE, "input"): _USAGE_DROPPED_179,
    ("DeepSeek reasoner", PLAIN, "cost"): Limit(
        "<1.80",
        0.00162981,
        "LiteLLM 1.79 prices deepseek-reasoner's 1024 cache-hit tokens at 0 (its map has no "
        "cache-read rate for the model; the list price is the input rate)",
    ),
    ("Groq", STREAM_USAGE, "input"): _USAGE_DROPPED_179,
    ("Groq", STREAM, "input"): _GROQ_X_GROQ,
    ("xAI", STREAM_USAGE, "input"): _USAGE_DROPPED_179,
    ("xAI", STREAM, "input"): _USAGE_DROPPED_179,
    ("xAI", PLAIN, "output"): Limit(
        "<1.80",
        58,
        "xAI counts reasoning apart from completion tokens; LiteLLM 1.79 passes completion_tokens "
        "on (later releases fold the 266 reasoning tokens in, as OpenAI counts them)",
    ),
    ("xAI", PLAIN, "cost"): Limit(
        "<1.80",
        0.00068396,
        "LiteLLM 1.79 ignores xAI's own `cost_in_usd_ticks` and prices the tokens itself, the "
        "cached ones twice (at the input and the cache-read rate)",
    ),
    ("OpenRouter", STREAM, "input"): Limit(
        "<1.106",
        ANY_COUNT,
        "OpenRouter sends a stream's usage asked or not; LiteLLM 1.79 and 1.90 keep it (on the "
        "chunks and in the kept chunks) only when the caller asked with `include_usage`",
    ),
    ("Perplexity", PLAIN, "cost"): Limit("<1.80", 0.006747, _PERPLEXITY_COST_WHY),
    ("Perplexity", STREAM_USAGE, "cost"): _PERPLEXITY_STREAM_COST,
    ("Perplexity", STREAM, "cost"): _PERPLEXITY_STREAM_COST,
}


def truth_for(case: Case, mode: str) -> Truth | None:
    """What the provider reported in `mode`; None when it reported no usage (a stream whose
    provider sends usage only when asked)."""
    wire = WIRES[case.wire]
    if mode == PLAIN:
        return wire.truth
    if mode == STREAM and not wire.streams_usage_unasked:
        return None
    return wire.stream_truth


def expected(case: Case, mode: str, port: int, *, usage_lost: bool = False) -> dict[str, object]:
    """The span attributes the SPEC asks for; ABSENT for those that must not be there.
    `usage_lost`: LiteLLM lost the provider's usage (a LIMIT), so the span carries its own count."""
    truth = None if usage_lost else truth_for(case, mode)
    wire_truth = WIRES[case.wire].truth if truth is None else truth
    attributes: dict[str, object] = {
        sc.GEN_AI_PROVIDER_NAME: case.provider_name,
        sc.GEN_AI_REQUEST_MODEL: case.request_model or case.model,
        sc.SERVER_ADDRESS: "127.0.0.1",
        sc.SERVER_PORT: port,
        sc.GEN_AI_RESPONSE_ID: wire_truth.response_id or ABSENT,
        sc.GEN_AI_RESPONSE_MODEL: wire_truth.response_model or ABSENT,
        sc.GEN_AI_RESPONSE_FINISH_REASONS: wire_truth.finish_reasons,
    }
    if truth is None:
        attributes[sc.GEN_AI_USAGE_INPUT_TOKENS] = ANY_COUNT
        attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS] = ANY_COUNT
        attributes[sc.LITELLM_USAGE_ESTIMATED] = (sc.GEN_AI_USAGE_INPUT_TOKENS, sc.GEN_AI_USAGE_OUTPUT_TOKENS)
        for column in ("cache read", "cache write", "reasoning"):
            attributes[COLUMNS[column]] = ABSENT
        return attributes
    attributes[sc.GEN_AI_USAGE_INPUT_TOKENS] = truth.input_tokens
    attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS] = truth.output_tokens
    attributes[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = (
        ABSENT if truth.cache_read is None else truth.cache_read
    )
    attributes[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = (
        ABSENT if truth.cache_write is None else truth.cache_write
    )
    attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = (
        ABSENT if truth.reasoning is None else truth.reasoning
    )
    attributes[sc.LITELLM_USAGE_ESTIMATED] = ABSENT
    return attributes


def price(model: str, truth: Truth, model_cost: Mapping[str, Any]) -> float | None:
    """The USD cost of `truth` at LiteLLM's list prices for `model`: cache reads and writes at
    their own rates (input rate where the model has none), the rest of the input and all the
    output at theirs; the provider's own figure when its API reports one."""
    if truth.cost is not None:
        return truth.cost
    entry = model_cost.get(model) or model_cost.get(model.split("/", 1)[-1])
    if not entry or entry.get("input_cost_per_token") is None:
        return None
    input_rate = float(entry["input_cost_per_token"])
    read_rate = float(entry.get("cache_read_input_token_cost") or input_rate)
    write_rate = float(entry.get("cache_creation_input_token_cost") or input_rate)
    cache_read = truth.cache_read or 0
    cache_write = truth.cache_write or 0
    plain_input = truth.input_tokens - cache_read - cache_write
    output_rate = float(entry.get("output_cost_per_token") or 0.0)
    return (
        plain_input * input_rate
        + cache_read * read_rate
        + cache_write * write_rate
        + truth.output_tokens * output_rate
    )
