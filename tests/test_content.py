"""Opt-in content capture: off by default, on spans and/or as the inference details event."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import litellm
import pytest
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, attributes, only_span, telemetry_text
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from litellm_otel.config import CAPTURE_CONTENT_ENV, ContentCapture, content_capture

SECRET_PROMPT = "What is the weather in Paris? marker-7f3a"
SYSTEM = "You are a terse weather bot. marker-sys-91"
TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Current weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}},
                "required": ["city"],
            },
        },
    }
]
CONVERSATION = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": SECRET_PROMPT},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call_prev",
                "type": "function",
                "function": {"name": "get_weather", "arguments": '{"city": "Lyon"}'},
            }
        ],
    },
    {"role": "tool", "tool_call_id": "call_prev", "content": "Lyon: 18C, sunny"},
    {"role": "user", "content": "And Paris?"},
]

CONTENT_KEYS = (
    sc.GEN_AI_INPUT_MESSAGES,
    sc.GEN_AI_OUTPUT_MESSAGES,
    sc.GEN_AI_SYSTEM_INSTRUCTIONS,
    sc.GEN_AI_TOOL_DEFINITIONS,
)


@pytest.fixture
def instrument_with(
    tracer_provider: TracerProvider, log_exporter: InMemoryLogRecordExporter
) -> Iterator[Callable[..., None]]:
    instrumentor = LiteLLMInstrumentor()
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))

    def instrument(**kwargs: Any) -> None:
        instrumentor.instrument(tracer_provider=tracer_provider, logger_provider=logger_provider, **kwargs)

    yield instrument
    instrumentor.uninstrument()


def tool_chat(provider: FakeProvider, **extra: Any) -> Any:
    return litellm.completion(
        model="openai/gpt-4o-mini",
        messages=CONVERSATION,
        tools=TOOLS,
        api_base=provider.openai_base,
        api_key=API_KEY,
        **extra,
    )


EXPECTED_INPUT = [
    {"role": "system", "parts": [{"type": "text", "content": SYSTEM}]},
    {"role": "user", "parts": [{"type": "text", "content": SECRET_PROMPT}]},
    {
        "role": "assistant",
        "parts": [
            {"type": "tool_call", "id": "call_prev", "name": "get_weather", "arguments": {"city": "Lyon"}}
        ],
    },
    {
        "role": "tool",
        "parts": [{"type": "tool_call_response", "id": "call_prev", "response": "Lyon: 18C, sunny"}],
    },
    {"role": "user", "parts": [{"type": "text", "content": "And Paris?"}]},
]
EXPECTED_OUTPUT = [
    {
        "role": "assistant",
        "parts": [
            {
                "type": "tool_call",
                "id": fp.TOOL_CALL_ID,
                "name": "get_weather",
                "arguments": json.loads(fp.TOOL_ARGUMENTS),
            }
        ],
        "finish_reason": "tool_calls",
    }
]
EXPECTED_TOOLS = [
    {
        "type": "function",
        "name": "get_weather",
        "description": "Current weather for a city",
        "parameters": TOOLS[0]["function"]["parameters"],  # type: ignore[index]
    }
]


def test_no_content_anywhere_by_default(
    provider: FakeProvider,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
    log_exporter: InMemoryLogRecordExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(CAPTURE_CONTENT_ENV, raising=False)
    reader = InMemoryMetricReader()
    logger_provider = LoggerProvider()
    logger_provider.add_log_record_processor(SimpleLogRecordProcessor(log_exporter))
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider,
        meter_provider=MeterProvider([reader]),
        logger_provider=logger_provider,
    )
    try:
        tool_chat(provider)
        list(tool_chat(provider, stream=True))
    finally:
        instrumentor.uninstrument()

    spans = span_exporter.get_finished_spans()
    assert len(spans) == 2
    text = telemetry_text(spans) + repr(reader.get_metrics_data())
    for marker in ("marker-7f3a", "marker-sys-91", "Lyon", "Paris", "get_weather"):
        assert marker not in text
    assert not any(key in attributes(s) for s in spans for key in CONTENT_KEYS)
    assert log_exporter.get_finished_logs() == ()


def test_span_only_records_json_messages_on_the_span(
    provider: FakeProvider,
    instrument_with: Callable[..., None],
    span_exporter: InMemorySpanExporter,
    log_exporter: InMemoryLogRecordExporter,
) -> None:
    instrument_with(capture_content="SPAN_ONLY")
    tool_chat(provider)

    attrs = attributes(only_span(span_exporter))
    assert json.loads(attrs[sc.GEN_AI_INPUT_MESSAGES]) == EXPECTED_INPUT
    assert json.loads(attrs[sc.GEN_AI_OUTPUT_MESSAGES]) == EXPECTED_OUTPUT
    assert json.loads(attrs[sc.GEN_AI_TOOL_DEFINITIONS]) == EXPECTED_TOOLS
    # System messages of a chat completion are part of its history, so they stay there.
    assert sc.GEN_AI_SYSTEM_INSTRUCTIONS not in attrs
    assert log_exporter.get_finished_logs() == ()


def test_event_only_emits_structured_details_and_keeps_the_span_clean(
    provider: FakeProvider,
    instrument_with: Callable[..., None],
    span_exporter: InMemorySpanExporter,
    log_exporter: InMemoryLogRecordExporter,
) -> None:
    instrument_with(capture_content="event_only")
    tool_chat(provider)

    span = only_span(span_exporter)
    assert not any(key in attributes(span) for key in CONTENT_KEYS)
    [log] = log_exporter.get_finished_logs()
    record = log.log_record
    assert record.event_name == sc.EVENT_INFERENCE_DETAILS
    assert record.trace_id == span.context.trace_id
    assert record.span_id == span.context.span_id
    details = dict(record.attributes or {})

    def plain(value: Any) -> Any:  # the SDK hands back nested tuples and mapping proxies
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if hasattr(value, "items"):
            return {k: plain(v) for k, v in value.items()}
        return value

    assert plain(details[sc.GEN_AI_INPUT_MESSAGES]) == EXPECTED_INPUT
    assert plain(details[sc.GEN_AI_OUTPUT_MESSAGES]) == EXPECTED_OUTPUT
    assert plain(details[sc.GEN_AI_TOOL_DEFINITIONS]) == EXPECTED_TOOLS
    assert details[sc.GEN_AI_OPERATION_NAME] == "chat"
    assert details[sc.GEN_AI_PROVIDER_NAME] == "openai"
    assert details[sc.GEN_AI_RESPONSE_FINISH_REASONS] == ("tool_calls",)
    assert details[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS


def test_span_and_event_from_the_environment(
    provider: FakeProvider,
    instrument_with: Callable[..., None],
    span_exporter: InMemorySpanExporter,
    log_exporter: InMemoryLogRecordExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CAPTURE_CONTENT_ENV, "true")
    instrument_with()
    tool_chat(provider)

    assert json.loads(attributes(only_span(span_exporter))[sc.GEN_AI_INPUT_MESSAGES]) == EXPECTED_INPUT
    assert len(log_exporter.get_finished_logs()) == 1


def test_keyword_overrides_the_environment(
    provider: FakeProvider,
    instrument_with: Callable[..., None],
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(CAPTURE_CONTENT_ENV, "SPAN_AND_EVENT")
    instrument_with(capture_content="NO_CONTENT")
    tool_chat(provider)
    assert not any(key in attributes(only_span(span_exporter)) for key in CONTENT_KEYS)


def test_streamed_tool_call_is_assembled_from_deltas(
    provider: FakeProvider, instrument_with: Callable[..., None], span_exporter: InMemorySpanExporter
) -> None:
    instrument_with(capture_content="SPAN_ONLY")
    chunks = list(tool_chat(provider, stream=True))

    assert len(chunks) > 2
    attrs = attributes(only_span(span_exporter))
    assert json.loads(attrs[sc.GEN_AI_OUTPUT_MESSAGES]) == EXPECTED_OUTPUT
    assert json.loads(attrs[sc.GEN_AI_INPUT_MESSAGES]) == EXPECTED_INPUT


def test_streamed_text_is_assembled(
    provider: FakeProvider, instrument_with: Callable[..., None], span_exporter: InMemorySpanExporter
) -> None:
    instrument_with(capture_content="SPAN_ONLY")
    stream = litellm.completion(
        model="anthropic/claude-sonnet-4-5",
        messages=[{"role": "user", "content": "hi"}],
        api_base=provider.base_url,
        api_key=API_KEY,
        max_tokens=64,
        stream=True,
    )
    list(stream)

    output = json.loads(attributes(only_span(span_exporter))[sc.GEN_AI_OUTPUT_MESSAGES])
    assert output == [
        {
            "role": "assistant",
            "parts": [{"type": "text", "content": fp.RESPONSE_TEXT}],
            "finish_reason": "stop",
        }
    ]


def test_responses_api_instructions_are_system_instructions(
    provider: FakeProvider, instrument_with: Callable[..., None], span_exporter: InMemorySpanExporter
) -> None:
    instrument_with(capture_content="SPAN_ONLY")
    litellm.responses(
        model="openai/gpt-4o-mini",
        input="Say hello",
        instructions=SYSTEM,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    attrs = attributes(only_span(span_exporter))
    assert json.loads(attrs[sc.GEN_AI_SYSTEM_INSTRUCTIONS]) == [{"type": "text", "content": SYSTEM}]
    assert json.loads(attrs[sc.GEN_AI_INPUT_MESSAGES]) == [
        {"role": "user", "parts": [{"type": "text", "content": "Say hello"}]}
    ]
    output = json.loads(attrs[sc.GEN_AI_OUTPUT_MESSAGES])
    assert output[0]["parts"] == [{"type": "text", "content": fp.RESPONSE_TEXT}]


def test_content_is_bounded_and_inline_images_are_not_copied_past_the_bound(
    provider: FakeProvider, instrument_with: Callable[..., None], span_exporter: InMemorySpanExporter
) -> None:
    instrument_with(capture_content="SPAN_ONLY", content_max_length=100)
    huge = "x" * 10_000
    image = "data:image/png;base64," + "A" * 5_000
    litellm.completion(
        model="openai/gpt-4o-mini",
        messages=[
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": huge},
                    {"type": "image_url", "image_url": {"url": image}},
                    {"type": "image_url", "image_url": {"url": "https://example.invalid/cat.png"}},
                ],
            }
        ],
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    raw = attributes(only_span(span_exporter))[sc.GEN_AI_INPUT_MESSAGES]
    assert len(raw) < 600
    [message] = json.loads(raw)
    text, blob, uri = message["parts"]
    assert text["type"] == "text"
    assert text["content"].startswith("x" * 100)
    assert text["content"].endswith("[truncated]")
    assert blob == {"type": "blob", "modality": "image", "mime_type": "image/png"}
    assert uri["type"] == "uri"


def test_error_keeps_the_input_messages(
    provider: FakeProvider, instrument_with: Callable[..., None], span_exporter: InMemorySpanExporter
) -> None:
    instrument_with(capture_content="SPAN_ONLY")
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(
            model="openai/gpt-4o-error-429",
            messages=CONVERSATION,
            api_base=provider.openai_base,
            api_key=API_KEY,
            max_retries=0,
        )
    attrs = attributes(only_span(span_exporter))
    assert json.loads(attrs[sc.GEN_AI_INPUT_MESSAGES]) == EXPECTED_INPUT
    assert sc.GEN_AI_OUTPUT_MESSAGES not in attrs


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("NO_CONTENT", None),
        ("false", None),
        ("span_only", ContentCapture(on_span=True, on_event=False)),
        ("Event_Only", ContentCapture(on_span=False, on_event=True)),
        ("SPAN_AND_EVENT", ContentCapture(on_span=True, on_event=True)),
        ("TRUE", ContentCapture(on_span=True, on_event=True)),
        (True, ContentCapture(on_span=True, on_event=True)),
        (False, None),
    ],
)
def test_capture_modes(value: Any, expected: ContentCapture | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CAPTURE_CONTENT_ENV, raising=False)
    assert content_capture(value) == expected


def test_invalid_mode_warns_once_and_captures_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(CAPTURE_CONTENT_ENV, "everything-please")
    with caplog.at_level(logging.WARNING, logger="litellm_otel"):
        assert content_capture() is None
        assert content_capture() is None
    assert len([r for r in caplog.records if "everything-please" in r.getMessage()]) == 1
