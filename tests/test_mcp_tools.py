"""MCP tool calls through LiteLLM's MCP client: an `execute_tool` span per call, against a real
MCP server (the `mcp` SDK's own, over streamable HTTP on 127.0.0.1)."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from litellm_otel import LiteLLMInstrumentor

pytest.importorskip("mcp.server.mcpserver", reason="the mcp SDK 2's MCPServer")
pytest.importorskip("uvicorn")
from mcp.client.session import ClientSession
from mcp.client.streamable_http import streamable_http_client

from mcp_server import serve_mcp

WEATHER_CALL = {
    "id": "call_weather_1",
    "type": "function",
    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
}


@pytest.fixture(scope="module")
def mcp_url() -> Iterator[str]:
    with serve_mcp() as url:
        yield url


@contextlib.asynccontextmanager
async def connected(mcp_url: str) -> AsyncIterator[ClientSession]:
    # In the test's own task: anyio's cancel scopes must be left in the task that entered them.
    async with streamable_http_client(mcp_url) as streams, ClientSession(streams[0], streams[1]) as session:
        await session.initialize()
        yield session


def _mcp_client() -> Any:
    # 1.110 moved the client to litellm.mcp_client and left the old name as an alias.
    try:
        return importlib.import_module("litellm.mcp_client")
    except ImportError:
        return importlib.import_module("litellm.experimental_mcp_client")


def _tool_spans(exporter: InMemorySpanExporter) -> list[Any]:
    spans = exporter.get_finished_spans()
    return [
        s
        for s in spans
        if s.instrumentation_scope is not None and s.instrumentation_scope.name == "litellm_otel"
    ]


@pytest.mark.usefixtures("instrument")
async def test_an_openai_tool_call_is_one_execute_tool_span_under_the_callers(
    mcp_url: str, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    async with connected(mcp_url) as session:
        with tracer_provider.get_tracer("app").start_as_current_span("agent step") as parent:
            result = await _mcp_client().call_openai_tool(session, WEATHER_CALL)

    assert result.content[0].text == "Sunny in Paris"
    (span,) = _tool_spans(span_exporter)
    assert span.name == "execute_tool get_weather"
    assert span.kind is SpanKind.INTERNAL
    assert span.parent is not None and span.parent.span_id == parent.get_span_context().span_id
    assert dict(span.attributes or {}) == {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "get_weather",
        "gen_ai.tool.call.id": "call_weather_1",
        "gen_ai.tool.type": "extension",
        "mcp.method.name": "tools/call",
    }
    assert span.status.status_code is StatusCode.UNSET


@pytest.mark.usefixtures("instrument")
async def test_a_tool_that_failed_fails_its_span_and_the_caller_gets_the_result(
    mcp_url: str, span_exporter: InMemorySpanExporter
) -> None:
    call = {**WEATHER_CALL, "id": "call_broken", "function": {"name": "broken", "arguments": "{}"}}
    async with connected(mcp_url) as session:
        result = await _mcp_client().call_openai_tool(session, call)

    assert result.is_error is True
    (span,) = _tool_spans(span_exporter)
    assert span.name == "execute_tool broken"
    assert span.status.status_code is StatusCode.ERROR
    assert (span.attributes or {})["error.type"] == "tool_error"


@pytest.mark.usefixtures("instrument")
async def test_call_mcp_tool_is_traced_and_call_openai_tool_is_one_span(
    mcp_url: str, span_exporter: InMemorySpanExporter
) -> None:
    from mcp_types import CallToolRequestParams

    tools = importlib.import_module(_mcp_client().__name__ + ".tools")
    params = CallToolRequestParams(name="get_weather", arguments={"city": "Oslo"})
    async with connected(mcp_url) as session:
        result = await tools.call_mcp_tool(session=session, call_tool_request_params=params)

    assert result.content[0].text == "Sunny in Oslo"
    (span,) = _tool_spans(span_exporter)
    assert span.name == "execute_tool get_weather"
    assert "gen_ai.tool.call.id" not in (span.attributes or {})


async def test_arguments_and_result_only_under_the_content_opt_in(
    mcp_url: str, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, capture_content="SPAN_ONLY")
    try:
        async with connected(mcp_url) as session:
            await _mcp_client().call_openai_tool(session, WEATHER_CALL)
    finally:
        instrumentor.uninstrument()
    (span,) = _tool_spans(span_exporter)
    attributes = span.attributes or {}
    assert attributes["gen_ai.tool.call.arguments"] == '{"city": "Paris"}'
    assert attributes["gen_ai.tool.call.result"] == "Sunny in Paris"


def test_uninstrument_restores_the_mcp_client(tracer_provider: TracerProvider) -> None:
    package = _mcp_client()
    tools = importlib.import_module(package.__name__ + ".tools")
    originals = (package.call_openai_tool, tools.call_openai_tool, tools.call_mcp_tool)
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    assert hasattr(package.call_openai_tool, "__wrapped__")
    assert hasattr(tools.call_mcp_tool, "__wrapped__")
    instrumentor.uninstrument()
    assert (package.call_openai_tool, tools.call_openai_tool, tools.call_mcp_tool) == originals
