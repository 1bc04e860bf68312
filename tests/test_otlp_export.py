"""Spans leave the process through the real OTLP/HTTP exporter and arrive intact.

LiteLLM calls the fake provider over HTTP; the SDK's BatchSpanProcessor hands the spans to
``OTLPSpanExporter`` (protobuf over HTTP), and ``OTLPReceiver`` decodes what arrived on the wire.
The assertions are on the decoded ``AnyValue`` kinds: an attribute set as a Python int must
arrive as ``int_value``, a float as ``double_value``, a list of strings as ``array_value``.
"""

from __future__ import annotations

from collections.abc import Iterator

import litellm
import pytest
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, USER_MESSAGES
from litellm_otel import LiteLLMInstrumentor, __version__
from litellm_otel import semconv as sc
from otlp_receiver import OTLPReceiver, ReceivedSpan, attribute_values, value

SERVICE_NAME = "otlp-export-test"


def typed(holder: Span | Span.Event) -> dict[str, tuple[str | None, object]]:
    """Attribute name -> (wire type, decoded value)."""
    return {name: (v.WhichOneof("value"), value(v)) for name, v in attribute_values(holder).items()}


def array_item_types(holder: Span, name: str) -> set[str | None]:
    return {item.WhichOneof("value") for item in attribute_values(holder)[name].array_value.values}


@pytest.fixture
def receiver() -> Iterator[OTLPReceiver]:
    with OTLPReceiver() as otlp_receiver:
        yield otlp_receiver


@pytest.fixture
def otlp_tracer_provider(receiver: OTLPReceiver) -> Iterator[TracerProvider]:
    tracer_provider = TracerProvider(resource=Resource.create({"service.name": SERVICE_NAME}))
    tracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=receiver.traces_url)))
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    yield tracer_provider
    instrumentor.uninstrument()
    tracer_provider.shutdown()


def test_usage_cost_and_errors_survive_otlp_export_with_their_types(
    provider: FakeProvider, receiver: OTLPReceiver, otlp_tracer_provider: TracerProvider
) -> None:
    with otlp_tracer_provider.get_tracer("app").start_as_current_span("handle-request"):
        litellm.completion(
            model="anthropic/claude-sonnet-4-5",
            api_base=provider.base_url,
            api_key=API_KEY,
            max_tokens=64,
            messages=USER_MESSAGES,
        )
        with pytest.raises(litellm.RateLimitError):
            litellm.completion(
                model="openai/gpt-4o-error-429",
                api_base=provider.openai_base,
                api_key=API_KEY,
                max_retries=0,
                messages=USER_MESSAGES,
            )
    assert otlp_tracer_provider.force_flush()

    received = receiver.wait_for_spans(3)
    assert [r.span.name for r in received] == [
        "chat anthropic/claude-sonnet-4-5",
        "chat openai/gpt-4o-error-429",
        "handle-request",
    ]
    ok, failed, app = received

    # Resource, scope and trace structure arrive as exported.
    assert value(attribute_values(ok.resource)["service.name"]) == SERVICE_NAME
    assert (ok.scope.name, ok.scope.version, ok.scope_schema_url) == (
        "litellm_otel",
        __version__,
        sc.SCHEMA_URL,
    )
    assert failed.scope.name == "litellm_otel"
    for attempt in (ok, failed):
        assert attempt.span.kind == Span.SpanKind.SPAN_KIND_CLIENT
        assert attempt.span.trace_id == app.span.trace_id
        assert attempt.span.parent_span_id == app.span.span_id
        assert attempt.span.end_time_unix_nano >= attempt.span.start_time_unix_nano > 0

    assert_successful_call(ok)
    assert_failed_call(failed)

    # What actually went over the wire carries no API key.
    assert all(API_KEY.encode() not in request.SerializeToString() for request in receiver.requests)


def assert_successful_call(received: ReceivedSpan) -> None:
    span = received.span
    assert span.status.code == Status.StatusCode.STATUS_CODE_UNSET
    attrs = typed(span)
    expected: dict[str, tuple[str, object]] = {
        sc.GEN_AI_OPERATION_NAME: ("string_value", "chat"),
        sc.GEN_AI_PROVIDER_NAME: ("string_value", "anthropic"),
        sc.GEN_AI_REQUEST_MODEL: ("string_value", "anthropic/claude-sonnet-4-5"),
        sc.GEN_AI_REQUEST_MAX_TOKENS: ("int_value", 64),
        sc.GEN_AI_RESPONSE_MODEL: ("string_value", "claude-sonnet-4-5" + fp.MODEL_SUFFIX),
        sc.SERVER_ADDRESS: ("string_value", "127.0.0.1"),
        sc.GEN_AI_USAGE_INPUT_TOKENS: (
            "int_value",
            fp.ANTHROPIC_INPUT_TOKENS
            + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
            + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        ),
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: ("int_value", fp.ANTHROPIC_OUTPUT_TOKENS),
        sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: ("int_value", fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS),
        sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: ("int_value", fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS),
        sc.GEN_AI_RESPONSE_FINISH_REASONS: ("array_value", ["stop"]),
    }
    mismatched = {k: (attrs.get(k), v) for k, v in expected.items() if attrs.get(k) != v}
    assert not mismatched, f"(received, expected): {mismatched}"
    assert array_item_types(span, sc.GEN_AI_RESPONSE_FINISH_REASONS) == {"string_value"}
    assert attrs[sc.SERVER_PORT][0] == "int_value"
    assert attrs[sc.GEN_AI_RESPONSE_ID][0] == "string_value"

    reasoning_type, reasoning = attrs[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS]
    assert reasoning_type == "int_value"
    assert isinstance(reasoning, int)
    assert reasoning > 0  # LiteLLM's estimate from the thinking block
    cost_type, cost = attrs[sc.GEN_AI_USAGE_COST]
    assert cost_type == "double_value"
    assert isinstance(cost, float)
    assert cost > 0
    assert sc.ERROR_TYPE not in attrs


def assert_failed_call(received: ReceivedSpan) -> None:
    span = received.span
    assert span.status.code == Status.StatusCode.STATUS_CODE_ERROR
    attrs = typed(span)
    assert attrs[sc.ERROR_TYPE] == ("string_value", "litellm.exceptions.RateLimitError")
    assert attrs[sc.HTTP_RESPONSE_STATUS_CODE] == ("int_value", 429)
    assert attrs[sc.GEN_AI_PROVIDER_NAME] == ("string_value", "openai")
    assert not [name for name in attrs if name.startswith("gen_ai.usage.")]
    [event] = span.events
    assert event.name == "exception"
    assert typed(event)["exception.type"][0] == "string_value"
