"""DSPy 3.4.1: a ReActV2 agent with native function calling calls a tool, then submits.

DSPy emits no OTel spans of its own: the CLIENT spans nest under the caller's span. Its default
engine ("auto") sends calls to providers it knows with its own client, past LiteLLM; only
`dspy.LM(..., engine="litellm")` goes through LiteLLM. `Predict.batch` runs calls on a thread
pool that does not carry the caller's context, unless opentelemetry-instrumentation-threading
is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fake_provider import FakeProvider
from frameworks.shared import (
    PROGRAM,
    SCOPE,
    assert_one_tree,
    carriers,
    client_spans,
    get_weather,
    is_program,
    require,
    served_usage,
    trace_usage,
)
from helpers import API_KEY
from litellm_otel import LiteLLMInstrumentor

dspy = require("dspy", "dspy")
threading_instrumentation = require(
    "opentelemetry.instrumentation.threading", "opentelemetry-instrumentation-threading"
)

# DSPy sends tools natively only to a model LiteLLM says supports function calling.
MODEL = "openai/gpt-4o-mini"
tracer = trace.get_tracer(__name__)


def language_model(provider: FakeProvider, engine: str = "litellm") -> Any:
    return dspy.LM(MODEL, api_base=provider.openai_base, api_key=API_KEY, engine=engine, cache=False)


@pytest.fixture
def native_tools() -> Iterator[None]:
    with dspy.context(adapter=dspy.ChatAdapter(use_native_function_calling=True)):
        yield


def test_dspy_agent_spans_nest_under_the_caller(
    instrument: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    native_tools: None,
) -> None:
    # One turn calls the first tool (get_weather); then max_iters forces a call to `submit`,
    # whose `city` argument is the output.
    agent = dspy.ReActV2("question -> city: str", tools=[get_weather], max_iters=1)
    with dspy.context(lm=language_model(provider)), tracer.start_as_current_span(PROGRAM):
        prediction = agent(question="Which city is the weather report about?")

    assert prediction.city == "Paris"
    calls = [call for event in prediction.history.messages for call in event["tool_calls"].tool_calls]
    assert [call.name for call in calls] == ["get_weather", "submit"]
    spans = list(span_exporter.get_finished_spans())
    assert len(provider.requests) == 2
    assert_one_tree(spans, len(provider.requests), is_program)
    assert trace_usage(spans) == served_usage(provider.requests)
    assert carriers(spans) == {SCOPE}


def test_dspy_default_engine_bypasses_litellm(
    instrument: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    native_tools: None,
) -> None:
    """engine="auto" (the default) calls the provider with DSPy's own client: nothing to trace."""
    agent = dspy.ReActV2("question -> city: str", tools=[get_weather], max_iters=1)
    with dspy.context(lm=language_model(provider, engine="auto")):
        assert agent(question="Which city?").city == "Paris"

    assert len(provider.requests) == 2
    assert client_spans(span_exporter.get_finished_spans()) == []


def choose_tool() -> Any:
    """A predictor whose output is the provider's tool calls."""
    fields = {
        "question": (str, dspy.InputField()),
        "tool": (dspy.Tool, dspy.InputField()),
        "calls": (dspy.ToolCalls, dspy.OutputField()),
    }
    return dspy.Predict(dspy.Signature(fields, "Choose the tool that answers the question."))


def run_batch(provider: FakeProvider) -> None:
    tool = dspy.Tool(get_weather)
    examples = [
        dspy.Example(question=f"Weather in city {n}?", tool=tool).with_inputs("question", "tool")
        for n in range(3)
    ]
    with dspy.context(lm=language_model(provider)), tracer.start_as_current_span(PROGRAM):
        results = choose_tool().batch(examples, num_threads=2, disable_progress_bar=True)
    assert [result.calls.tool_calls[0].name for result in results] == ["get_weather"] * 3


def test_dspy_batch_threads_lose_the_callers_context(
    instrument: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    native_tools: None,
) -> None:
    """DSPy's ParallelExecutor submits to a ThreadPoolExecutor without the caller's context: each
    CLIENT span starts a trace of its own."""
    run_batch(provider)

    ours = client_spans(span_exporter.get_finished_spans())
    assert len(ours) == len(provider.requests) == 3
    assert all(span.parent is None for span in ours)


def test_dspy_batch_threads_keep_the_callers_context_with_threading_instrumentation(
    instrument: LiteLLMInstrumentor,
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    native_tools: None,
) -> None:
    threading = threading_instrumentation.ThreadingInstrumentor()
    threading.instrument()
    try:
        run_batch(provider)
    finally:
        threading.uninstrument()

    spans = list(span_exporter.get_finished_spans())
    assert_one_tree(spans, len(provider.requests), is_program)
    assert trace_usage(spans) == served_usage(provider.requests)
