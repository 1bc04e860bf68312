"""Installing, removing and living alongside the instrumentation: it never breaks the call."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.metadata
import logging
import sys
from collections.abc import Iterator
from typing import Any

import litellm
import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.trace import ReadableSpan, SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from packaging.requirements import Requirement

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, USER_MESSAGES, attributes, only_span, openai_args, telemetry_text
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from litellm_otel._litellm.lookups import Lookups
from litellm_otel.package import _instruments
from litellm_otel.spans import Operation, Telemetry
from litellm_otel.wrappers import traced

# Bound at import, before any test instruments LiteLLM: what `from litellm import completion`
# at the top of an application module gets.
EARLY_COMPLETION = litellm.completion
EARLY_ACOMPLETION = litellm.acompletion


def chat(provider: FakeProvider, model: str = "openai/fake-gpt", **extra: Any) -> Any:
    return litellm.completion(**openai_args(provider, model, **extra))


def test_instrument_twice_patches_once(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    original = litellm.completion
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    LiteLLMInstrumentor().instrument(tracer_provider=tracer_provider)
    try:
        assert litellm.completion.__wrapped__ is original
        chat(provider)
        only_span(span_exporter)
    finally:
        instrumentor.uninstrument()
    assert litellm.completion is original


@pytest.mark.usefixtures("instrument")
def test_suppress_instrumentation_is_honoured(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    with suppress_instrumentation():
        response = chat(provider)
    assert response.choices[0].message.content
    assert span_exporter.get_finished_spans() == ()


@pytest.mark.usefixtures("instrument")
async def test_callers_span_is_the_parent(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    tracer = tracer_provider.get_tracer("app")
    with tracer.start_as_current_span("handle-request") as parent:
        chat(provider)
        await litellm.acompletion(
            model="openai/fake-gpt", messages=USER_MESSAGES, api_base=provider.openai_base, api_key=API_KEY
        )
    spans = [s for s in span_exporter.get_finished_spans() if s.name != "handle-request"]
    assert len(spans) == 2
    for span in spans:
        assert span.parent is not None
        assert span.parent.span_id == parent.get_span_context().span_id
        assert span.context.trace_id == parent.get_span_context().trace_id


@pytest.mark.usefixtures("instrument")
async def test_concurrent_async_calls_keep_their_own_spans(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    tracer = tracer_provider.get_tracer("app")

    async def one(n: int) -> str:
        with tracer.start_as_current_span(f"parent-{n}"):
            response = await litellm.acompletion(
                model="openai/fake-gpt",
                messages=USER_MESSAGES,
                api_base=provider.openai_base,
                api_key=API_KEY,
                extra_headers={fp.TOKENS_HEADER: f"tokens-{100 + n}"},
            )
            return str(response.id)

    await asyncio.gather(*(one(n) for n in range(8)))
    spans = span_exporter.get_finished_spans()
    parents = {s.context.span_id: s.name for s in spans if s.name.startswith("parent-")}
    children = [s for s in spans if s.kind is trace.SpanKind.CLIENT]
    assert len(children) == 8
    for child in children:
        assert child.parent is not None
        n = int(parents[child.parent.span_id].removeprefix("parent-"))
        assert attributes(child)[sc.GEN_AI_USAGE_INPUT_TOKENS] == 100 + n


def test_litellm_otel_callback_registered_by_user_warns_once(
    tracer_provider: TracerProvider, caplog: pytest.LogCaptureFixture
) -> None:
    saved = list(litellm.callbacks)
    litellm.callbacks = ["otel"]
    instrumentor = LiteLLMInstrumentor()
    try:
        with caplog.at_level(logging.WARNING, logger="litellm_otel"):
            instrumentor.instrument(tracer_provider=tracer_provider)
        warnings = [r for r in caplog.records if r.name == "litellm_otel"]
        assert len(warnings) == 1
        assert "litellm.callbacks" in warnings[0].getMessage()
        assert litellm.callbacks == ["otel"]  # the user's setting is theirs to change
    finally:
        instrumentor.uninstrument()
        litellm.callbacks = saved


def test_instrument_never_registers_litellm_callbacks(tracer_provider: TracerProvider) -> None:
    before = [list(litellm.callbacks), list(litellm.success_callback), list(litellm.failure_callback)]
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        after = [list(litellm.callbacks), list(litellm.success_callback), list(litellm.failure_callback)]
        assert after == before
    finally:
        instrumentor.uninstrument()


@pytest.mark.usefixtures("instrument")
def test_no_secret_reaches_telemetry(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    secret_key = "sk-live-SECRET-9d8c7b6a5f4e"
    password = "hunter2-pass-77"
    query_secret = "qsecret-31415926"
    host_port = provider.base_url.removeprefix("http://")
    chat_kwargs = {"model": "openai/fake-gpt", "messages": USER_MESSAGES, "max_retries": 0}

    litellm.completion(**chat_kwargs, api_base=provider.openai_base, api_key=secret_key)
    with pytest.raises(litellm.AuthenticationError):
        litellm.completion(
            **{**chat_kwargs, "model": "openai/fake-error-401"},
            api_base=provider.openai_base,
            api_key=secret_key,
        )
    for api_base in (f"http://user:{password}@{host_port}/v1", f"{provider.openai_base}?key={query_secret}"):
        with contextlib.suppress(Exception):  # whatever LiteLLM makes of such a URL, it must not leak
            litellm.completion(**chat_kwargs, api_base=api_base, api_key=secret_key)

    spans = span_exporter.get_finished_spans()
    assert len(spans) == 4
    text = telemetry_text(spans)
    for secret in (secret_key, password, query_secret):
        assert secret not in text
    # The key did reach the provider: the test would catch a leak if there were one.
    assert any(r.headers.get("authorization") == f"Bearer {secret_key}" for r in provider.requests)


def test_exception_message_with_key_is_redacted(tracer_provider: TracerProvider) -> None:
    secret_key = "sk-live-SECRET-0a1b2c3d"

    def provider_call(**kwargs: Any) -> None:
        raise litellm.AuthenticationError(
            message=f"Incorrect API key provided: {kwargs['api_key']}", llm_provider="openai", model="gpt-4o"
        )

    telemetry = Telemetry(
        tracer=tracer_provider.get_tracer("t"),
        metrics=None,
        lookups=Lookups(litellm.get_llm_provider, litellm.completion_cost),
    )
    exporter = InMemorySpanExporter()
    tracer_provider.add_span_processor(_Exporting(exporter))
    wrapper = traced(Operation("chat", ("model", "messages"), is_async=False), telemetry=telemetry)
    with pytest.raises(litellm.AuthenticationError) as raised:
        wrapper(provider_call, None, (), {"model": "gpt-4o", "api_key": secret_key})

    assert secret_key in str(raised.value)  # the caller's exception is untouched
    span = only_span(exporter)
    assert secret_key not in telemetry_text([span])
    assert "[REDACTED]" in (span.status.description or "")


class _Exporting(SpanProcessor):
    def __init__(self, exporter: InMemorySpanExporter) -> None:
        self._exporter = exporter

    def on_end(self, span: ReadableSpan) -> None:
        self._exporter.export([span])


class _Raising(SpanProcessor):
    def on_start(self, span: Any, parent_context: Any = None) -> None:
        raise RuntimeError("processor on_start failed")

    def on_end(self, span: ReadableSpan) -> None:
        raise RuntimeError("processor on_end failed")


@pytest.fixture
def raising_tracer_provider() -> Iterator[TracerProvider]:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(_Raising())
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    yield tracer_provider
    instrumentor.uninstrument()


@pytest.mark.usefixtures("raising_tracer_provider")
async def test_raising_span_processor_never_breaks_the_call(provider: FakeProvider) -> None:
    response = chat(provider)
    assert response.choices[0].message.content
    response = await litellm.acompletion(
        model="openai/fake-gpt", messages=USER_MESSAGES, api_base=provider.openai_base, api_key=API_KEY
    )
    assert response.choices[0].message.content
    with pytest.raises(litellm.RateLimitError):
        chat(provider, model="openai/fake-error-429", max_retries=0)


def test_sampled_out_calls_return_the_same_result(provider: FakeProvider) -> None:
    tracer_provider = TracerProvider(sampler=ALWAYS_OFF)
    exporter = InMemorySpanExporter()
    tracer_provider.add_span_processor(_Exporting(exporter))
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        response = chat(provider)
    finally:
        instrumentor.uninstrument()
    assert response.usage.prompt_tokens > 0
    assert exporter.get_finished_spans() == ()


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_caller_gets_the_same_exception_and_result_objects(
    tracer_provider: TracerProvider, is_async: bool
) -> None:
    error = litellm.RateLimitError(message="slow down", llm_provider="openai", model="gpt-4o")
    result = object()
    telemetry = Telemetry(
        tracer=tracer_provider.get_tracer("t"),
        metrics=None,
        lookups=Lookups(litellm.get_llm_provider, litellm.completion_cost),
    )
    wrapper = traced(Operation("chat", ("model", "messages"), is_async=is_async), telemetry=telemetry)

    def call(fail: bool) -> Any:
        if is_async:

            async def provider_call(**_: Any) -> object:
                if fail:
                    raise error
                return result

            return asyncio.ensure_future(wrapper(provider_call, None, (), {"model": "gpt-4o"}))

        def sync_call(**_: Any) -> object:
            if fail:
                raise error
            return result

        return wrapper(sync_call, None, (), {"model": "gpt-4o"})

    if is_async:
        assert await call(False) is result
        with pytest.raises(litellm.RateLimitError) as raised:
            await call(True)
    else:
        assert call(False) is result
        with pytest.raises(litellm.RateLimitError) as raised:
            call(True)
    assert raised.value is error


def test_entry_point_and_instruments_extra_agree() -> None:
    distribution = importlib.metadata.distribution("litellm-otel")
    [entry_point] = [ep for ep in distribution.entry_points if ep.group == "opentelemetry_instrumentor"]
    assert entry_point.name == "litellm_otel"
    assert entry_point.load() is LiteLLMInstrumentor
    extra = [Requirement(r) for r in distribution.requires or [] if "instruments" in r]
    assert len(extra) == 1
    declared = Requirement(_instruments[0])
    assert (extra[0].name, extra[0].specifier) == (declared.name, declared.specifier)
    assert LiteLLMInstrumentor().instrumentation_dependencies() == _instruments


@pytest.mark.usefixtures("instrument")
async def test_names_imported_before_instrument_are_traced_where_litellm_allows(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    kwargs = {
        "model": "openai/fake-gpt",
        "messages": USER_MESSAGES,
        "api_base": provider.openai_base,
        "api_key": API_KEY,
    }
    EARLY_COMPLETION(**kwargs)
    await EARLY_ACOMPLETION(**kwargs)
    litellm.completion(**kwargs)

    spans = span_exporter.get_finished_spans()
    dispatch = sys.modules.get(EARLY_COMPLETION.__module__)
    if dispatch is not None and hasattr(dispatch, "_PYTHON_COMPLETION"):
        # LiteLLM >= 1.106 dispatches through a module global: early names are traced, once.
        assert [s.name for s in spans] == ["chat openai/fake-gpt"] * 3
        assert all(attributes(s)[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS for s in spans)
    else:
        # LiteLLM 1.79: the early name is the function itself; only the module's name is traced.
        assert [s.name for s in spans] == ["chat openai/fake-gpt"]


@pytest.mark.parametrize("learned", [True, False], ids=["learned-keys", "api-fallback"])
def test_wrapped_call_runs_in_its_span_unless_suppressed(
    learned: bool, tracer_provider: TracerProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The wrappers read suppression and build a call's context with keys learned once from the
    # API (one context copy, no re-fetch of the current context per key); without them they fall
    # back on the API's own functions. Either way the call runs with its span current and an
    # outer suppression is honoured.
    from litellm_otel import spans, wrappers

    assert spans._SPAN_KEY is not None and wrappers._SUPPRESSION_KEYS  # learned on this API release
    if not learned:
        monkeypatch.setattr(spans, "_SPAN_KEY", None)
        monkeypatch.setattr(wrappers, "_SUPPRESSION_KEYS", ())
    exporter = InMemorySpanExporter()
    tracer_provider.add_span_processor(_Exporting(exporter))
    telemetry = Telemetry(
        tracer=tracer_provider.get_tracer("test"),
        metrics=None,
        lookups=Lookups(litellm.get_llm_provider, litellm.completion_cost),
    )
    wrapper = traced(Operation("chat", ("model", "messages"), is_async=False), telemetry=telemetry)
    current: list[trace.Span] = []

    def provider_call(**_: Any) -> None:
        current.append(trace.get_current_span())

    wrapper(provider_call, None, (), {"model": "gpt-4o"})
    with suppress_instrumentation():
        wrapper(provider_call, None, (), {"model": "gpt-4o"})

    span = only_span(exporter)  # the suppressed call made none
    assert current[0].get_span_context() == span.get_span_context()
    assert current[1] is trace.INVALID_SPAN
