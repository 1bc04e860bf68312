"""smolagents 1.26.0: a ToolCallingAgent on LiteLLMModel calls a tool each step, then, at
`max_steps`, is asked for its final answer without tools.

smolagents emits no OTel spans of its own (its `telemetry` extra is OpenInference's
instrumentation, a separate package): the CLIENT spans nest under the caller's span.
`LiteLLMModel` calls `litellm.completion`, traced as is.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import fake_provider as fp
from fake_provider import FakeProvider
from frameworks.shared import (
    PROGRAM,
    SCOPE,
    WEATHER,
    assert_one_tree,
    carriers,
    get_weather,
    is_program,
    require,
    served_usage,
    span_tree,
    trace_usage,
)
from helpers import API_KEY
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc

smolagents = require("smolagents", "smolagents")

tracer = trace.get_tracer(__name__)


def test_smolagents_agent_spans_nest_under_the_caller(
    instrument: LiteLLMInstrumentor, provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    model = smolagents.LiteLLMModel(
        model_id="openai/gpt-4o-mini", api_base=provider.openai_base, api_key=API_KEY
    )
    agent = smolagents.ToolCallingAgent(
        tools=[smolagents.tool(get_weather)], model=model, max_steps=2, verbosity_level=0
    )
    with tracer.start_as_current_span(PROGRAM):
        answer = agent.run("What is the weather in Paris?")

    assert answer == fp.RESPONSE_TEXT
    observations = [step.observations for step in agent.memory.steps if getattr(step, "tool_calls", None)]
    assert observations == [WEATHER] * 2
    spans = list(span_exporter.get_finished_spans())
    assert len(provider.requests) == 3  # two tool-calling steps, then the final answer
    assert_one_tree(spans, len(provider.requests), is_program)
    assert trace_usage(spans) == served_usage(provider.requests)
    assert carriers(spans) == {SCOPE}


def test_a_rate_limited_request_shows_under_its_call_and_serves_no_usage(
    instrument: LiteLLMInstrumentor, provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # The provider answers the agent's first request with a 429, as a rate-limited one does; the
    # OpenAI client under LiteLLM retries it inside the same call.
    model = smolagents.LiteLLMModel(
        model_id="openai/gpt-4o-mini-flaky-1", api_base=provider.openai_base, api_key=API_KEY
    )
    agent = smolagents.ToolCallingAgent(
        tools=[smolagents.tool(get_weather)], model=model, max_steps=2, verbosity_level=0
    )
    with tracer.start_as_current_span(PROGRAM):
        answer = agent.run("What is the weather in Paris?")

    assert answer == fp.RESPONSE_TEXT
    spans = list(span_exporter.get_finished_spans())
    print(span_tree(spans))
    calls = [s for s in spans if (s.attributes or {}).get(sc.GEN_AI_OPERATION_NAME)]
    (retried,) = [s for s in spans if s.name == "POST"]
    assert len(provider.requests) == 4  # the 429, its retry, then two more steps
    assert len(calls) == 3
    first = min(calls, key=lambda s: s.start_time or 0)
    assert retried.parent is not None and retried.parent.span_id == first.context.span_id
    assert (retried.attributes or {})[sc.HTTP_RESPONSE_STATUS_CODE] == 429
    assert (first.attributes or {})[sc.LITELLM_PROVIDER_REQUESTS] == 2
    assert first.status.status_code is trace.StatusCode.UNSET
    # The 429 served no usage: the trace's sum is the three answered requests'.
    assert trace_usage(spans) == served_usage(provider.requests[1:])
