"""Google ADK 2.15.0: an LlmAgent on ADK's LiteLlm model calls a tool, then answers.

ADK's spans are OTel spans made current around each step, so one trace holds
`invoke_workflow > invoke_agent > generate_content {model} > chat {model}` (ours) and
`invoke_agent > execute_tool`. ADK records each LiteLLM response's usage on its
`generate_content` span (and `call_llm` under schema v1) and in its gen_ai.client.token.usage;
litellm-otel keeps those free of the usage its CLIENT spans carry, unless told not to.
"""

from __future__ import annotations

from typing import Any

import pytest
import wrapt
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import fake_provider as fp
from fake_provider import FakeProvider
from frameworks.conftest import GlobalTelemetry
from frameworks.shared import (
    SCOPE,
    TOOL_ONCE_MODEL,
    assert_one_tree,
    carriers,
    get_weather,
    require,
    served_usage,
    token_metric,
    trace_usage,
)
from helpers import API_KEY
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc

agents = require("google.adk.agents", "google-adk")
lite_llm = require("google.adk.models.lite_llm", "google-adk")
runners = require("google.adk.runners", "google-adk")
run_config = require("google.adk.agents.run_config", "google-adk")
adk_tracing = require("google.adk.telemetry.tracing", "google-adk")
adk_metrics = require("google.adk.telemetry._metrics", "google-adk")
genai_types = require("google.genai.types", "google-genai")

ADK_SCOPE = "gcp.vertex.agent"
MODEL = TOOL_ONCE_MODEL
INPUT = sc.GEN_AI_USAGE_INPUT_TOKENS
OUTPUT = sc.GEN_AI_USAGE_OUTPUT_TOKENS


async def run_agent(provider: FakeProvider, *, streaming: bool = False) -> list[Any]:
    """One user turn of a weather agent; ADK's events."""
    agent = agents.LlmAgent(
        name="weather_agent",
        model=lite_llm.LiteLlm(model=MODEL, api_base=provider.openai_base, api_key=API_KEY),
        instruction="Answer with the weather the tool reports.",
        tools=[get_weather],
    )
    runner = runners.InMemoryRunner(agent=agent, app_name="frameworks")
    session = await runner.session_service.create_session(app_name="frameworks", user_id="user")
    mode = run_config.StreamingMode.SSE if streaming else run_config.StreamingMode.NONE
    message = genai_types.Content(role="user", parts=[genai_types.Part(text="Weather in Paris?")])
    return [
        event
        async for event in runner.run_async(
            user_id="user",
            session_id=session.id,
            new_message=message,
            run_config=run_config.RunConfig(streaming_mode=mode),
        )
    ]


def is_adk_inference(span: ReadableSpan) -> bool:
    scope = span.instrumentation_scope
    return scope is not None and scope.name == ADK_SCOPE and span.name == f"generate_content {MODEL}"


def named(spans: list[ReadableSpan], prefix: str) -> list[ReadableSpan]:
    return [span for span in spans if span.name.startswith(prefix)]


def parent_name(span: ReadableSpan, spans: list[ReadableSpan]) -> str | None:
    by_id = {s.context.span_id: s.name for s in spans if s.context}
    return by_id.get(span.parent.span_id) if span.parent else None


@pytest.mark.parametrize("streaming", [False, True], ids=["whole", "sse"])
async def test_adk_trace_sums_to_the_served_usage(
    instrument: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
    streaming: bool,
) -> None:
    events = await run_agent(provider, streaming=streaming)

    assert events[-1].content.parts[0].text == fp.RESPONSE_TEXT
    spans = list(span_exporter.get_finished_spans())
    assert len(provider.requests) == 2  # the tool call, then the answer
    ours = assert_one_tree(spans, len(provider.requests), is_adk_inference)
    (tool,) = named(spans, "execute_tool get_weather")
    assert parent_name(tool, spans) == "invoke_agent weather_agent"
    for span in named(spans, "generate_content"):
        assert parent_name(span, spans) == "invoke_agent weather_agent"
    served = served_usage(provider.requests)
    assert trace_usage(spans) == served
    assert carriers(spans) == {SCOPE}  # ADK's spans carry none of it
    for span in ours:  # what only the CLIENT span knows
        attributes = span.attributes or {}
        assert attributes[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == fp.CHAT_CACHED_TOKENS
        assert attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] == fp.CHAT_REASONING_TOKENS
        assert isinstance(attributes.get(sc.GEN_AI_USAGE_COST), float)
    assert token_metric(metric_reader.get_metrics_data()) == {
        (SCOPE, "input"): served[INPUT],
        (SCOPE, "output"): served[OUTPUT],
    }


async def test_adk_events_keep_their_usage(instrument: LiteLLMInstrumentor, provider: FakeProvider) -> None:
    """Only ADK's telemetry is spared the duplicate: its events and session keep the usage."""
    events = await run_agent(provider)

    usages = [event.usage_metadata for event in events if event.usage_metadata is not None]
    assert [usage.prompt_token_count for usage in usages] == [fp.CHAT_PROMPT_TOKENS] * 2


async def test_adk_legacy_schema_call_llm_spans_carry_no_usage(
    instrument: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Schema v1 adds a `call_llm` span over `generate_content`; it carried the usage too."""
    monkeypatch.setenv("ADK_TELEMETRY_SCHEMA_VERSION_OPT_IN", "1")

    await run_agent(provider)

    spans = list(span_exporter.get_finished_spans())
    assert_one_tree(spans, len(provider.requests), is_adk_inference)
    assert {parent_name(span, spans) for span in named(spans, "generate_content")} == {"call_llm"}
    assert trace_usage(spans) == served_usage(provider.requests)
    assert carriers(spans) == {SCOPE}


async def test_adk_counts_usage_twice_without_deduplication(
    instrument_keeping_framework_usage: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
) -> None:
    """The reported problem, with the opt-out: ADK's spans and token metric repeat every count,
    and its output count adds the reasoning tokens to completion tokens that include them."""
    await run_agent(provider)

    spans = list(span_exporter.get_finished_spans())
    served = served_usage(provider.requests)
    requests = len(provider.requests)
    adk_output = served[OUTPUT] + requests * fp.CHAT_REASONING_TOKENS
    assert carriers(spans) == {SCOPE, ADK_SCOPE}
    summed = trace_usage(spans)
    assert summed[INPUT] == 2 * served[INPUT]
    assert summed[OUTPUT] == served[OUTPUT] + adk_output
    assert token_metric(metric_reader.get_metrics_data()) == {
        (SCOPE, "input"): served[INPUT],
        (SCOPE, "output"): served[OUTPUT],
        (ADK_SCOPE, "input"): served[INPUT],
        (ADK_SCOPE, "output"): adk_output,
    }
    print(f"\nADK, deduplication off: trace sum {dict(summed)}; served {dict(served)}")


async def test_adk_keeps_its_usage_when_litellm_is_not_traced(
    instrument: LiteLLMInstrumentor, provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    """No CLIENT span under ADK's (instrumentation suppressed): ADK's record is the only one left."""
    with suppress_instrumentation():
        await run_agent(provider)

    spans = list(span_exporter.get_finished_spans())
    assert carriers(spans) == {ADK_SCOPE}
    assert trace_usage(spans)[INPUT] == served_usage(provider.requests)[INPUT]


def adk_targets() -> tuple[object, ...]:
    """What litellm-otel wraps in ADK, as ADK's modules and class hold them."""
    return (
        vars(lite_llm.LiteLlm)["generate_content_async"],
        adk_tracing._set_usage_metadata_attributes,
        adk_metrics.record_client_token_usage,
    )


def test_uninstrument_restores_adk(global_telemetry: GlobalTelemetry) -> None:
    originals = adk_targets()
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=global_telemetry.tracer_provider, meter_provider=global_telemetry.meter_provider
    )
    patched = adk_targets()
    instrumentor.uninstrument()

    assert all(isinstance(target, wrapt.FunctionWrapper) for target in patched)
    assert all(restored is original for restored, original in zip(adk_targets(), originals, strict=True))


def test_the_opt_out_leaves_adk_untouched(instrument_keeping_framework_usage: LiteLLMInstrumentor) -> None:
    assert not any(isinstance(target, wrapt.FunctionWrapper) for target in adk_targets())
