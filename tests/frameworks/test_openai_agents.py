"""The OpenAI Agents SDK 0.25.0: an Agent on `LitellmModel` calls a tool, then answers.

The SDK's tracing is its own (spans for OpenAI's trace viewer, through its trace processors), not
OTel: the CLIENT spans nest under the caller's span. `LitellmModel` calls `litellm.acompletion`,
traced as is. The SDK's tracing is turned off here: it would export to OpenAI.
"""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import fake_provider as fp
from fake_provider import FakeProvider
from frameworks.shared import (
    PROGRAM,
    SCOPE,
    TOOL_ONCE_MODEL,
    WEATHER,
    assert_one_tree,
    carriers,
    get_weather,
    is_program,
    require,
    served_usage,
    trace_usage,
)
from helpers import API_KEY
from litellm_otel import LiteLLMInstrumentor

agents = require("agents", "openai-agents")
litellm_model = require("agents.extensions.models.litellm_model", "openai-agents")

tracer = trace.get_tracer(__name__)


async def test_openai_agents_spans_nest_under_the_caller(
    instrument: LiteLLMInstrumentor, provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    model = litellm_model.LitellmModel(model=TOOL_ONCE_MODEL, base_url=provider.openai_base, api_key=API_KEY)
    agent = agents.Agent(
        name="weather",
        instructions="Answer with the weather the tool reports.",
        tools=[agents.function_tool(get_weather)],
        model=model,
    )
    with tracer.start_as_current_span(PROGRAM):
        result = await agents.Runner.run(
            agent, "What is the weather in Paris?", run_config=agents.RunConfig(tracing_disabled=True)
        )

    assert result.final_output == fp.RESPONSE_TEXT
    outputs = [item.output for item in result.new_items if item.type == "tool_call_output_item"]
    assert outputs == [WEATHER]
    spans = list(span_exporter.get_finished_spans())
    assert len(provider.requests) == 2
    assert_one_tree(spans, len(provider.requests), is_program)
    assert trace_usage(spans) == served_usage(provider.requests)
    assert carriers(spans) == {SCOPE}
