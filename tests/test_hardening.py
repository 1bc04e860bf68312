"""Installing the instrumentation never makes an application worse: faults in OTel itself,
exceptions, concurrency."""

from __future__ import annotations

import asyncio
import gc
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import litellm
import pytest
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF
from opentelemetry.trace import SpanKind

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, ENTRY_POINTS, attributes, openai_args
from litellm_otel import LiteLLMInstrumentor, content, extract
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes
from litellm_otel._litellm.lookups import Lookups
from litellm_otel.spans import Traced


class _RaisingExporter(SpanExporter):
    def export(self, spans: Any) -> SpanExportResult:
        raise RuntimeError("exporter down")


class _RaisingHistogram:
    def record(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("meter down")


class _RaisingMeter:
    def __getattr__(self, name: str) -> Callable[..., _RaisingHistogram]:
        return lambda *args, **kwargs: _RaisingHistogram()


class _RaisingMeterProvider:
    def get_meter(self, *args: Any, **kwargs: Any) -> _RaisingMeter:
        return _RaisingMeter()


@pytest.fixture
def faulty_otel() -> Iterator[None]:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(_RaisingExporter()))
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider,
        meter_provider=_RaisingMeterProvider(),
        capture_content="SPAN_AND_EVENT",
    )
    yield
    instrumentor.uninstrument()


@pytest.mark.usefixtures("faulty_otel")
async def test_raising_exporter_and_meter_leave_calls_unchanged(provider: FakeProvider) -> None:
    response = litellm.completion(**openai_args(provider))
    assert response.usage.prompt_tokens == fp.CHAT_PROMPT_TOKENS
    stream = await litellm.acompletion(**openai_args(provider, stream=True))
    assert "".join([c.choices[0].delta.content or "" async for c in stream if c.choices]) == fp.RESPONSE_TEXT
    with pytest.raises(litellm.RateLimitError):
        litellm.completion(**openai_args(provider, "openai/gpt-4o-error-429", max_retries=0))


def test_non_recording_spans_do_no_extraction_work(
    provider: FakeProvider, monkeypatch: pytest.MonkeyPatch, span_exporter: InMemorySpanExporter
) -> None:
    calls: list[str] = []

    def spy(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            calls.append(name)
            return function(*args, **kwargs)

        return counted

    for module, name in (
        (extract, "response_attributes"),
        (shapes, "model_response_attributes"),
        (extract, "stream_attributes"),
        (shapes, "stream_usage"),
        (content, "input_messages"),
        (content, "output_messages"),
    ):
        monkeypatch.setattr(module, name, spy(name, getattr(module, name)))
    for name in ("cost", "usage_cost", "counted_usage"):
        monkeypatch.setattr(Lookups, name, spy(name, getattr(Lookups, name)))

    tracer_provider = TracerProvider(sampler=ALWAYS_OFF)
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider, meter_provider=NoOpMeterProvider())
    try:
        response = litellm.completion(**openai_args(provider))
        chunks = list(litellm.completion(**openai_args(provider, stream=True)))
    finally:
        instrumentor.uninstrument()

    assert response.usage.prompt_tokens == fp.CHAT_PROMPT_TOKENS
    assert len(chunks) > fp.STREAM_TEXT_PIECES
    assert span_exporter.get_finished_spans() == ()
    assert calls == []
    # The spy does count when a span records: the assertion above could fail.
    instrumentor.instrument(tracer_provider=TracerProvider(), meter_provider=NoOpMeterProvider())
    try:
        litellm.completion(**openai_args(provider))
    finally:
        instrumentor.uninstrument()
    assert "model_response_attributes" in calls


ERROR_MODEL = "error-429"


def _failing_calls(provider: FakeProvider) -> dict[str, Callable[[], Any]]:
    """Every wrapped function, each made to fail with a provider 429."""
    chat = openai_args(provider, f"openai/gpt-4o-{ERROR_MODEL}", max_retries=0)
    text = {
        "model": f"text-completion-openai/gpt-3.5-turbo-instruct-{ERROR_MODEL}",
        "prompt": "hi",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "max_retries": 0,
    }
    embed = {
        "model": f"openai/text-embedding-3-small-{ERROR_MODEL}",
        "input": ["hi"],
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "max_retries": 0,
    }
    responses = {
        "model": f"openai/gpt-4o-mini-{ERROR_MODEL}",
        "input": "hi",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
    }
    image = {
        "model": f"openai/dall-e-3-{ERROR_MODEL}",
        "prompt": "x",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
    }
    rerank = {
        "model": f"cohere/rerank-{ERROR_MODEL}",
        "query": "q",
        "documents": ["a"],
        "api_base": provider.base_url + "/v1/rerank",
        "api_key": API_KEY,
    }
    return {
        "completion": lambda: litellm.completion(**chat),
        "acompletion": lambda: litellm.acompletion(**chat),
        "completion-stream": lambda: list(litellm.completion(**chat, stream=True)),
        "acompletion-stream": lambda: litellm.acompletion(**chat, stream=True),
        "text_completion": lambda: litellm.text_completion(**text),
        "atext_completion": lambda: litellm.atext_completion(**text),
        "embedding": lambda: litellm.embedding(**embed),
        "aembedding": lambda: litellm.aembedding(**embed),
        "responses": lambda: litellm.responses(**responses),
        "aresponses": lambda: litellm.aresponses(**responses),
        "image_generation": lambda: litellm.image_generation(**image),
        "aimage_generation": lambda: litellm.aimage_generation(**image),
        "rerank": lambda: litellm.rerank(**rerank),
        "arerank": lambda: litellm.arerank(**rerank),
    }


async def _raise(call: Callable[[], Any]) -> BaseException:
    try:
        result = call()
        if asyncio.iscoroutine(result):
            result = await result
        if hasattr(result, "__anext__"):
            async for _ in result:
                pass
    except Exception as exc:
        return exc
    raise AssertionError("the call did not fail")


def _frames(exc: BaseException) -> list[tuple[str, int, str]]:
    """The traceback's frames outside this library (ours add wrapper frames, nothing else)."""
    return [
        (frame.filename, frame.lineno or 0, frame.name)
        for frame in traceback.extract_tb(exc.__traceback__)
        if "litellm_otel" not in frame.filename
    ]


@pytest.mark.parametrize("name", [*ENTRY_POINTS, "completion-stream", "acompletion-stream"])
async def test_caller_gets_litellms_exception_with_its_traceback(
    name: str, provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    bare = await _raise(_failing_calls(provider)[name])
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        traced = await _raise(_failing_calls(provider)[name])
    finally:
        instrumentor.uninstrument()

    assert type(traced) is type(bare)
    assert str(traced) == str(bare)
    assert _frames(traced) == _frames(bare)
    [span] = span_exporter.get_finished_spans()
    assert attributes(span)[sc.ERROR_TYPE] == f"{type(bare).__module__}.{type(bare).__qualname__}"


def _check_own_usage(spans: tuple[ReadableSpan, ...], expected_children: int) -> None:
    parents = {s.context.span_id: s for s in spans if s.kind is SpanKind.INTERNAL}
    children = [s for s in spans if s.kind is SpanKind.CLIENT and sc.GEN_AI_OPERATION_NAME in attributes(s)]
    # Under this load the OpenAI client may retry a request that failed (a connection reset by the
    # fake provider): such a request is an HTTP span under its call's, never a second call.
    calls = {s.context.span_id for s in children}
    retried = [s for s in spans if s.kind is SpanKind.CLIENT and s not in children]
    assert all(s.parent is not None and s.parent.span_id in calls for s in retried)
    assert len(children) == expected_children
    assert len({s.context.span_id for s in children}) == expected_children  # each ended once
    for child in children:
        assert child.parent is not None
        parent = parents[child.parent.span_id]
        n = int(parent.name.removeprefix("parent-"))
        assert attributes(child)[sc.GEN_AI_USAGE_INPUT_TOKENS] == 100 + n


@pytest.mark.usefixtures("instrument")
async def test_a_thousand_concurrent_async_calls_keep_their_own_usage(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    tracer = tracer_provider.get_tracer("app")

    async def one(n: int) -> None:
        with tracer.start_as_current_span(f"parent-{n}"):
            kwargs = openai_args(provider, extra_headers={fp.TOKENS_HEADER: f"tokens-{100 + n}"})
            if n % 2:
                stream = await litellm.acompletion(
                    **kwargs, stream=True, stream_options={"include_usage": True}
                )
                async for _ in stream:
                    pass
            else:
                await litellm.acompletion(**kwargs)

    await asyncio.gather(*(one(n) for n in range(1000)))
    _check_own_usage(span_exporter.get_finished_spans(), 1000)


@pytest.mark.usefixtures("instrument")
def test_sixteen_threads_of_sync_calls_keep_their_own_usage(
    provider: FakeProvider, tracer_provider: TracerProvider, span_exporter: InMemorySpanExporter
) -> None:
    tracer = tracer_provider.get_tracer("app")
    errors: list[BaseException] = []

    def worker(thread: int) -> None:
        try:
            for i in range(200):
                n = thread * 200 + i
                with tracer.start_as_current_span(f"parent-{n}"):
                    litellm.completion(
                        **openai_args(provider, extra_headers={fp.TOKENS_HEADER: f"tokens-{100 + n}"})
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    _check_own_usage(span_exporter.get_finished_spans(), 16 * 200)


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("kind", ["completion", "stream", "acompletion", "astream", "router"])
async def test_an_ended_call_is_freed_without_the_cyclic_collector(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, kind: str
) -> None:
    # A call that outlived its end until the next cyclic collection kept its span, and made
    # that collection, which every call in the process pays for, come sooner.
    router = litellm.Router(model_list=[{"model_name": "chat", "litellm_params": openai_args(provider)}])
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds unreachable is kept in gc.garbage
    try:
        if kind == "completion":
            litellm.completion(**openai_args(provider))
        elif kind == "stream":
            for _ in litellm.completion(**openai_args(provider, stream=True)):
                pass
        elif kind == "acompletion":
            await litellm.acompletion(**openai_args(provider))
        elif kind == "astream":
            async for _ in await litellm.acompletion(**openai_args(provider, stream=True)):
                pass
        else:
            await router.acompletion(model="chat", messages=[{"role": "user", "content": "hi"}])
        await asyncio.sleep(0.05)  # LiteLLM's logging of the call, on this loop and its threads
        gc.collect()
        in_cycles = [obj for obj in gc.garbage if isinstance(obj, Traced)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert len(span_exporter.get_finished_spans()) == (2 if kind == "router" else 1)
    assert in_cycles == []
