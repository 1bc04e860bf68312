"""The provider matrix: which LiteLLM model reaches which fake wire format, what the span must
say about each reply, and the known LiteLLM limits (with the releases they were seen on).

One `Case` per provider row of README's provider table; `expected` turns a wire's `Truth` into
the span attributes the SPEC asks for in a given mode; `LIMITS` lists where LiteLLM leaves us
no principled way to the provider's number, and what the span carries instead. A limit that
stops holding (LiteLLM fixed it, or we did) fails its test, so the table cannot drift.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from fake_provider import FakeProvider
from fake_provider.wires import WIRES, Truth
from helpers import API_KEY
from litellm_otel import semconv as sc

PLAIN: Final = "non-streamed"
STREAM_USAGE: Final = "stream with include_usage"
STREAM: Final = "stream"
MODES: Final = (PLAIN, STREAM_USAGE, STREAM)

ABSENT: Final = "<absent>"
ANY_COUNT: Final = "<a count>"  # LiteLLM's own token count: present, positive, marked estimated
# A "usage" limit: LiteLLM lost the provider's usage altogether, so the span carries a count of
# LiteLLM's, marked as estimated, as for a stream whose provider sent none.
ESTIMATED: Final = "<LiteLLM's estimate>"
ANY_CASE: Final = "*"  # a limit of every provider
EVERY_RELEASE: Final = ">=1.79"  # the releases of a limit seen on every supported LiteLLM
REQUESTED: Final = "<the request model>"  # a "response model" limit: the model the caller named
KEPT: Final = "<the provider's value>"  # a case exempt from an ANY_CASE limit: LiteLLM keeps it
MAYBE_ESTIMATED: Final = "<absent, or LiteLLM's estimate>"  # reasoning in a usage LiteLLM counted

# The id LiteLLM gives a reply whose provider sent none (`ModelResponse`'s "chatcmpl-<uuid4>", or
# a bare uuid4 on some streams).
LITELLM_ID: Final = "<an id LiteLLM made up>"

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
    # (`responses` / `aresponses`, whose API has no `stream_options`: its "stream with include_usage"
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


def bedrock_args(wire: str) -> Callable[[FakeProvider], dict[str, Any]]:
    """Bedrock as its users reach it: a runtime endpoint and AWS keys (LiteLLM signs the request
    with SigV4). The secret key is the tests' API key, so the telemetry scan looks for it."""
    return lambda provider: {
        "aws_bedrock_runtime_endpoint": provider.base_for(wire),
        "aws_access_key_id": "AKIAFAKE14AEXAMPLE",
        "aws_secret_access_key": API_KEY,
        "aws_region_name": "eu-west-3",
    }


def vertex_args(provider: FakeProvider) -> dict[str, Any]:
    """Vertex AI with a workload-identity credential (google-auth's `external_account`) whose
    STS token endpoint is the fake: LiteLLM refreshes it, offline, through google-auth (an
    `authorized_user` credential's `token_uri` is always Google's). `api_base` names the
    publisher model, as a proxy would. The client secret is the tests' API key, so the
    telemetry scan looks for it."""
    base = provider.base_for("vertex_ai")
    subject_token = Path(tempfile.gettempdir()) / "litellm-otel-fake-subject-token"
    subject_token.write_text("fake-subject-token")
    return {
        "api_base": f"{base}/v1/projects/{_VERTEX_PROJECT}/locations/{_VERTEX_LOCATION}"
        "/publishers/google/models/gemini-2.5-pro",
        "vertex_project": _VERTEX_PROJECT,
        "vertex_location": _VERTEX_LOCATION,
        "vertex_credentials": {
            "type": "external_account",
            "audience": _VERTEX_AUDIENCE,
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt",
            "token_url": f"{base}/token",
            "credential_source": {"file": str(subject_token)},
            "client_id": "fake-client",
            "client_secret": API_KEY,
        },
    }


_VERTEX_PROJECT: Final = "litellm-otel-fake"
_VERTEX_AUDIENCE: Final = (
    "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/q"
)
_VERTEX_LOCATION: Final = "europe-west4"

CASES: Final[tuple[Case, ...]] = (
    Case("Mistral", "mistral", "mistral/mistral-small-latest", "mistral_ai", api_base_args("mistral", "/v1")),
    Case(
        "Bedrock Converse",
        "bedrock_converse",
        "bedrock/converse/anthropic.claude-3-7-sonnet-20250219-v1:0",
        "aws.bedrock",
        bedrock_args("bedrock_converse"),
    ),
    Case(
        "Bedrock invoke (Anthropic)",
        "bedrock_invoke",
        "bedrock/invoke/anthropic.claude-3-5-haiku-20241022-v1:0",
        "aws.bedrock",
        bedrock_args("bedrock_invoke"),
    ),
    Case("Gemini", "gemini", "gemini/gemini-2.5-flash", "gcp.gemini", api_base_args("gemini", "/v1beta")),
    Case("Vertex AI", "vertex_ai", "vertex_ai/gemini-2.5-pro", "gcp.vertex_ai", vertex_args),
    Case("Cohere", "cohere", "cohere_chat/command-a-03-2025", "cohere", api_base_args("cohere", "/v2/chat")),
    Case("Ollama", "ollama", "ollama_chat/llama3.1", "ollama_chat", api_base_args("ollama")),
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


def _in_every_mode(case: str, column: str, limit: Limit) -> dict[tuple[str, str, str], Limit]:
    return {(case, mode, column): limit for mode in MODES}


_BEDROCK_CONVERSE_MODEL: Final = "anthropic.claude-3-7-sonnet-20250219-v1:0"

_USAGE_DROPPED_179: Final = Limit(
    "<1.80",
    ESTIMATED,
    "LiteLLM 1.79's OpenAI-compatible chunk parser builds each chunk from id, model and choices "
    "alone: the provider's stream usage reaches neither the caller nor the kept chunks, so the "
    "span carries LiteLLM's own count",
)
_GROQ_X_GROQ: Final = Limit(
    EVERY_RELEASE,
    ESTIMATED,
    "Groq sends a stream's usage in the last chunk's `x_groq.usage`; LiteLLM's chunk parser keeps "
    "no `x_groq` (1.79 … 1.110.2), so the span carries LiteLLM's own count",
)
_PERPLEXITY_COST_WHY: Final = (
    "LiteLLM prices Perplexity's tokens at list rates and ignores `usage.cost` (whose total "
    "includes the per-request search fee): 1.79 everywhere, 1.90 on streams, 1.106 on streams "
    "without include_usage; later releases use `usage.cost.total_cost`"
)
_PERPLEXITY_STREAM_COST: Final = Limit("<1.106", 0.006747, _PERPLEXITY_COST_WHY)

# (case name or ANY_CASE, mode, column or "usage") -> Limit
LIMITS: Final[Mapping[tuple[str, str, str], Limit]] = {
    ("DeepSeek", STREAM_USAGE, "usage"): _USAGE_DROPPED_179,
    ("DeepSeek reasoner", STREAM_USAGE, "usage"): _USAGE_DROPPED_179,
    ("DeepSeek reasoner", PLAIN, "cost"): Limit(
        "<1.80",
        0.00162981,
        "LiteLLM 1.79 prices deepseek-reasoner's 1024 cache-hit tokens at 0 (its map has no "
        "cache-read rate for the model; the list price is the input rate)",
    ),
    ("Groq", STREAM_USAGE, "usage"): _USAGE_DROPPED_179,
    ("Groq", STREAM, "usage"): _GROQ_X_GROQ,
    ("xAI", STREAM_USAGE, "usage"): _USAGE_DROPPED_179,
    ("xAI", STREAM, "usage"): _USAGE_DROPPED_179,
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
    ("OpenRouter", STREAM, "usage"): Limit(
        "<1.106",
        ESTIMATED,
        "OpenRouter sends a stream's usage asked or not; LiteLLM 1.79 and 1.90 keep it (on the "
        "chunks and in the kept chunks) only when the caller asked with `include_usage`",
    ),
    ("Perplexity", PLAIN, "cost"): Limit("<1.80", 0.006747, _PERPLEXITY_COST_WHY),
    ("Perplexity", STREAM_USAGE, "cost"): _PERPLEXITY_STREAM_COST,
    ("Perplexity", STREAM, "cost"): Limit("<1.108", 0.006747, _PERPLEXITY_COST_WHY),
    **_in_every_mode(
        "Bedrock Converse",
        "response id",
        Limit(EVERY_RELEASE, LITELLM_ID, "Converse replies carry no id; LiteLLM makes one up"),
    ),
    **_in_every_mode(
        "Bedrock Converse",
        "response model",
        Limit(
            EVERY_RELEASE,
            _BEDROCK_CONVERSE_MODEL,
            "Converse replies name no model; LiteLLM reports the requested model id",
        ),
    ),
    **_in_every_mode(
        "Bedrock invoke (Anthropic)",
        "response id",
        Limit(EVERY_RELEASE, LITELLM_ID, "LiteLLM replaces Anthropic's msg_bdrk_… id and keeps it nowhere"),
    ),
    **_in_every_mode(
        "Gemini",
        "response model",
        Limit("<1.106", "gemini-2.5-flash", "LiteLLM ignores modelVersion (1.79, 1.90): the requested model"),
    ),
    **_in_every_mode(
        "Vertex AI",
        "response model",
        Limit("<1.106", "gemini-2.5-pro", "LiteLLM ignores modelVersion (1.79, 1.90): the requested model"),
    ),
    ("Vertex AI", PLAIN, "cost"): Limit(
        "==1.106.*", 0.0, "LiteLLM 1.106 prices a Vertex reply at 0.0 (its completion_cost says so too)"
    ),
    **_in_every_mode(
        "Cohere",
        "response id",
        Limit(EVERY_RELEASE, LITELLM_ID, "LiteLLM replaces Cohere's id and keeps it nowhere"),
    ),
    **_in_every_mode(
        "Cohere",
        "response model",
        Limit(
            EVERY_RELEASE,
            "command-a-03-2025",
            "Cohere replies name no model; LiteLLM reports the requested one",
        ),
    ),
    ("Cohere", PLAIN, "cost"): Limit(
        EVERY_RELEASE,
        0.00205,
        "LiteLLM prices usage.tokens (512 in), not the billed_units Cohere charges (480)",
    ),
    **{
        ("Cohere", mode, "usage"): Limit(
            EVERY_RELEASE,
            ESTIMATED,
            "LiteLLM misses message-end (its parser wants an `event` key): its own count",
        )
        for mode in (STREAM_USAGE, STREAM)
    },
    **_in_every_mode(
        "Ollama", "response id", Limit(EVERY_RELEASE, LITELLM_ID, "Ollama sends no id; LiteLLM makes one up")
    ),
    **_in_every_mode(
        "Ollama", "cost", Limit("==1.109.*", 0.0, "LiteLLM 1.109 prices local Ollama at 0.0; others don't")
    ),
    ("Mistral", STREAM_USAGE, "usage"): Limit("<1.80", ESTIMATED, "1.79 drops Mistral's chunk usage"),
    ("Mistral", STREAM, "usage"): Limit("<1.80", ESTIMATED, "1.79 drops Mistral's chunk usage"),
    # LiteLLM overwrites the provider's model name on every chunk with the request model; it
    # keeps the provider's on the stream from 1.106 (`_provider_response_model`).
    **{
        (ANY_CASE, mode, "response model"): Limit("<1.106", REQUESTED, "request model")
        for mode in (STREAM_USAGE, STREAM)
    },
    **{
        (name, STREAM_USAGE, "reasoning"): Limit(
            ">=1.106", 0, "LiteLLM's usage chunk fills in reasoning_tokens=0, which this API has no field for"
        )
        for name in ("Azure AI Inference", "DeepSeek")
    },
    **{
        (name, mode, "response model"): Limit(releases, KEPT, "LiteLLM keeps the model on these chunks")
        for name, releases in (("Azure OpenAI", "<1.80"), ("OpenAI Responses", "<1.106"))
        for mode in (STREAM_USAGE, STREAM)
    },
}


def limit(case: Case, mode: str, column: str, litellm_version: str) -> Limit | None:
    """The limit of `case` in `mode` for `column` on this LiteLLM release, if one applies."""
    for name in (case.name, ANY_CASE):
        found = LIMITS.get((name, mode, column))
        if found is not None and found.applies(litellm_version):
            return None if found.seen == KEPT else found
    return None


def truth_for(case: Case, mode: str, litellm_version: str) -> Truth | None:
    """What the provider reported in `mode`, as far as LiteLLM kept it; None when the span can
    only carry LiteLLM's count (a stream whose provider sends usage only when asked, or a
    release that loses it)."""
    wire = WIRES[case.wire]
    lost = limit(case, mode, "usage", litellm_version)
    if lost is not None and lost.seen == ESTIMATED:
        return None
    if mode == PLAIN:
        return wire.truth
    if mode == STREAM and not wire.streams_usage_unasked:
        return None
    return wire.stream_truth


def expected(case: Case, mode: str, port: int, litellm_version: str) -> dict[str, object]:
    """The span attributes the SPEC asks for, LIMITS applied; ABSENT for those that must not be
    there."""
    truth = truth_for(case, mode, litellm_version)
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
        attributes[sc.LITELLM_USAGE_ESTIMATED] = (
            sc.GEN_AI_USAGE_INPUT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_TOTAL_TOKENS,
        )
        for column in ("cache read", "cache write"):
            attributes[COLUMNS[column]] = ABSENT
        attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = MAYBE_ESTIMATED
        return _limited(attributes, case, mode, litellm_version)
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
    return _limited(attributes, case, mode, litellm_version)


def _limited(attributes: dict[str, object], case: Case, mode: str, litellm_version: str) -> dict[str, object]:
    for column, name in COLUMNS.items():
        found = limit(case, mode, column, litellm_version)
        if found is not None:
            attributes[name] = case.model.split("/", 1)[-1] if found.seen == REQUESTED else found.seen
    return attributes


def price(model: str, truth: Truth, model_cost: Mapping[str, Any]) -> float | None:
    """The USD cost of `truth` at LiteLLM's list prices for `model`: cache reads and writes at
    their own rates (input rate where the model has none), the rest of the input and all the
    output at theirs; the provider's own figure when its API reports one."""
    if truth.cost is not None:
        return truth.cost
    parts = model.split("/")  # LiteLLM's routes prefix the model: "bedrock/converse/<model id>"
    keys = ("/".join(parts[i:]) for i in range(len(parts)))
    entry = next((model_cost[key] for key in keys if key in model_cost), None)
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
