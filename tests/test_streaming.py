"""Streams: the caller's stream is LiteLLM's own, and its span ends exactly once, complete."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import (
    API_KEY,
    LITELLM_VERSION,
    USER_MESSAGES,
    anthropic_args,
    assert_absent,
    assert_subset,
    attributes,
    only_span,
    openai_args,
)
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from litellm_otel._litellm import assembly, reports
from litellm_otel._litellm.lookups import Lookups

INCLUDE_USAGE = {"include_usage": True}
# LiteLLM keeps the provider's model name of a stream from 1.106 (`_provider_response_model`).
KEEPS_STREAM_MODEL = Version("1.106") <= LITELLM_VERSION

ANTHROPIC_STREAM_USAGE = {
    sc.GEN_AI_USAGE_INPUT_TOKENS: fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.ANTHROPIC_OUTPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
}
OPENAI_STREAM_USAGE = {
    sc.GEN_AI_USAGE_INPUT_TOKENS: fp.CHAT_PROMPT_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.CHAT_COMPLETION_TOKENS,
    sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.CHAT_TOTAL_TOKENS,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.CHAT_CACHED_TOKENS,
    sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.CHAT_REASONING_TOKENS,
}


def openai_stream(provider: FakeProvider, model: str = "openai/gpt-4o-mini", **extra: Any) -> dict[str, Any]:
    return openai_args(provider, model, stream=True, **extra)


def anthropic_stream(provider: FakeProvider, **extra: Any) -> dict[str, Any]:
    return anthropic_args(provider, stream=True, **extra)


def chunk_view(chunk: Any) -> tuple[Any, ...]:
    """What a caller reads from a chunk, minus what differs between two runs (ids, times)."""
    return (
        type(chunk).__name__,
        chunk.model,
        tuple((c.index, c.finish_reason, c.delta.content, c.delta.role) for c in chunk.choices),
        None if getattr(chunk, "usage", None) is None else chunk.usage.total_tokens,
    )


def assert_one_stream_span(exporter: InMemorySpanExporter, *, completed: bool) -> dict[str, Any]:
    span = only_span(exporter)
    attrs = attributes(span)
    assert attrs[sc.GEN_AI_REQUEST_STREAM] is True
    assert attrs[sc.LITELLM_STREAM_COMPLETED] is completed
    return attrs


@pytest.fixture
def uninstrumented_chunks(provider: FakeProvider) -> Iterator[list[tuple[Any, ...]]]:
    """The chunks an uninstrumented caller sees for the OpenAI-style stream with usage."""
    yield [chunk_view(c) for c in litellm.completion(**openai_stream(provider, stream_options=INCLUDE_USAGE))]


def test_caller_sees_the_same_chunks_and_type(
    uninstrumented_chunks: list[tuple[Any, ...]],
    provider: FakeProvider,
    tracer_provider: TracerProvider,
    span_exporter: InMemorySpanExporter,
) -> None:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    try:
        stream = litellm.completion(**openai_stream(provider, stream_options=INCLUDE_USAGE))
        assert isinstance(stream, litellm.CustomStreamWrapper)
        assert isinstance(stream._hidden_params, dict)  # attribute access reaches LiteLLM's object
        assert span_exporter.get_finished_spans() == ()  # the span lives as long as the stream
        chunks = [chunk_view(c) for c in stream]
    finally:
        instrumentor.uninstrument()
    assert chunks == uninstrumented_chunks
    assert len(chunks) > fp.STREAM_TEXT_PIECES


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("stream_options", [INCLUDE_USAGE, None], ids=["include_usage", "no_include_usage"])
def test_anthropic_stream_usage_with_and_without_include_usage(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, stream_options: Any
) -> None:
    stream = litellm.completion(**anthropic_stream(provider, stream_options=stream_options))
    chunks = list(stream)

    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(
        attrs,
        {
            **ANTHROPIC_STREAM_USAGE,
            sc.GEN_AI_PROVIDER_NAME: "anthropic",
            sc.GEN_AI_RESPONSE_ID: chunks[0].id,
            # The provider's model name; LiteLLM overwrites it with the request model on every
            # chunk and keeps it on the stream from 1.106, before that nowhere.
            sc.GEN_AI_RESPONSE_MODEL: "claude-sonnet-4-5" + (fp.MODEL_SUFFIX if KEEPS_STREAM_MODEL else ""),
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
        },
    )
    # Anthropic reports no reasoning count; LiteLLM estimates one from the thinking text in its
    # final usage chunk, and (1.106) in the hidden total, but not in 1.79's per-chunk usage.
    if stream_options is not None:
        assert attrs[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] > 0
    assert attrs.get(sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, 0) <= fp.ANTHROPIC_OUTPUT_TOKENS
    assert attrs[sc.GEN_AI_USAGE_COST] > 0
    assert attrs[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] >= 0


@pytest.mark.usefixtures("instrument")
def test_openai_stream_usage_with_include_usage(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    list(litellm.completion(**openai_stream(provider, stream_options=INCLUDE_USAGE)))

    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(attrs, {**OPENAI_STREAM_USAGE, sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",)})
    assert provider.requests[-1].body["stream_options"] == INCLUDE_USAGE
    assert attrs[sc.GEN_AI_USAGE_COST] > 0


@pytest.mark.usefixtures("instrument")
def test_openai_compatible_stream_usage_is_the_providers_not_litellms_estimate(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM 1.79 on azure_ai with include_usage hands the caller a usage chunk of its own
    # token estimate; the provider's usage chunk is the last one it kept (`stream.chunks`).
    list(
        litellm.completion(
            **openai_stream(provider, model="azure_ai/mistral-large-2407", stream_options=INCLUDE_USAGE)
        )
    )

    assert_subset(assert_one_stream_span(span_exporter, completed=True), OPENAI_STREAM_USAGE)


@pytest.mark.usefixtures("instrument")
def test_streaming_usage_without_include_usage_is_counted_by_litellm(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # An OpenAI-compatible provider sends no usage unless asked; LiteLLM's stream then reports
    # zeros (1.106). The span carries LiteLLM's own token count instead of a made-up zero.
    list(litellm.completion(**openai_stream(provider)))

    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(attrs, litellm_count_of_the_stream())
    assert attrs[sc.GEN_AI_USAGE_COST] > 0
    assert "stream_options" not in provider.requests[-1].body


def litellm_count_of_the_stream() -> dict[str, Any]:
    """The usage attributes LiteLLM's tokenizer gives the fake provider's chat stream."""
    prompt = litellm.token_counter(model="openai/gpt-4o-mini", messages=USER_MESSAGES)
    completion = litellm.token_counter(
        model="openai/gpt-4o-mini", text=fp.RESPONSE_TEXT, count_response_tokens=True
    )
    assert prompt > 0
    assert completion > 0
    return {
        sc.GEN_AI_USAGE_INPUT_TOKENS: prompt,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: completion,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: prompt + completion,
    }


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("stream_options", [INCLUDE_USAGE, None], ids=["include_usage", "no_include_usage"])
async def test_async_for(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, stream_options: Any
) -> None:
    stream = await litellm.acompletion(**anthropic_stream(provider, stream_options=stream_options))
    assert isinstance(stream, litellm.CustomStreamWrapper)
    assert span_exporter.get_finished_spans() == ()
    contents = [c.choices[0].delta.content async for c in stream if c.choices]

    assert "".join(filter(None, contents)) == fp.RESPONSE_TEXT
    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(attrs, ANTHROPIC_STREAM_USAGE)


@pytest.mark.usefixtures("instrument")
def test_next_until_exhausted(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    stream = litellm.completion(**openai_stream(provider, stream_options=INCLUDE_USAGE))
    received = 0
    while True:
        try:
            next(stream)
        except StopIteration:
            break
        received += 1
    assert received > fp.STREAM_TEXT_PIECES
    assert_subset(assert_one_stream_span(span_exporter, completed=True), OPENAI_STREAM_USAGE)


@pytest.mark.usefixtures("instrument")
def test_with_block_and_early_break_end_the_span_once(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    with litellm.completion(**openai_stream(provider, stream_options=INCLUDE_USAGE)) as stream:
        for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                break
    stream.close()  # a second close is harmless

    attrs = assert_one_stream_span(span_exporter, completed=False)
    assert attrs[sc.GEN_AI_RESPONSE_ID].startswith("chatcmpl-fake-")
    assert_absent(attrs, [sc.GEN_AI_USAGE_INPUT_TOKENS, sc.GEN_AI_USAGE_COST])


@pytest.mark.usefixtures("instrument")
async def test_async_with_and_aclose(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    stream = await litellm.acompletion(**openai_stream(provider, stream_options=INCLUDE_USAGE))
    async with stream:
        async for _ in stream:
            break

    assert_one_stream_span(span_exporter, completed=False)
    await stream.aclose()
    assert len(span_exporter.get_finished_spans()) == 1


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_dropped_stream_ends_its_span_on_garbage_collection(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    if is_async:
        stream = await litellm.acompletion(**anthropic_stream(provider))
        await stream.__anext__()
    else:
        stream = litellm.completion(**anthropic_stream(provider))
        next(stream)
    assert span_exporter.get_finished_spans() == ()

    del stream
    gc.collect()

    attrs = assert_one_stream_span(span_exporter, completed=False)
    assert sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK in attrs


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_error_before_first_chunk(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    kwargs = openai_stream(provider, model="openai/gpt-4o-error-429", max_retries=0)
    with pytest.raises(litellm.RateLimitError):
        if is_async:
            stream = await litellm.acompletion(**kwargs)
            async for _ in stream:
                pass
        else:
            for _ in litellm.completion(**kwargs):
                pass

    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    assert_subset(
        attributes(span),
        {sc.ERROR_TYPE: "litellm.exceptions.RateLimitError", sc.HTTP_RESPONSE_STATUS_CODE: 429},
    )


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_error_mid_stream_ends_the_span_with_the_error(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    received: list[Any] = []
    error: BaseException | None = None
    try:
        if is_async:
            stream = await litellm.acompletion(
                **openai_stream(provider, model="openai/gpt-4o-midstream-error")
            )
            async for chunk in stream:
                received.append(chunk)
        else:
            for chunk in litellm.completion(**openai_stream(provider, model="openai/gpt-4o-midstream-error")):
                received.append(chunk)
    except Exception as exc:
        error = exc

    assert received  # the connection broke after some chunks
    span = only_span(span_exporter)
    attrs = attributes(span)
    assert attrs[sc.GEN_AI_RESPONSE_ID] == received[0].id
    if error is None:
        # LiteLLM 1.79's async stream ends quietly when the connection breaks; the caller saw
        # a normal end, and so does the span.
        assert is_async
        assert span.status.status_code is StatusCode.UNSET
        return
    assert span.status.status_code is StatusCode.ERROR
    assert attrs[sc.ERROR_TYPE] == f"{type(error).__module__}.{type(error).__qualname__}"
    assert attrs[sc.LITELLM_STREAM_COMPLETED] is False
    assert [e.name for e in span.events] == ["exception"]


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
async def test_responses_stream(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    kwargs = {
        "model": "openai/gpt-4o-mini",
        "input": "Say hello",
        "api_base": provider.openai_base,
        "api_key": API_KEY,
        "stream": True,
    }
    if is_async:
        stream = await litellm.aresponses(**kwargs)
        events = [event async for event in stream]
    else:
        stream = litellm.responses(**kwargs)
        events = list(stream)

    assert events
    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(
        attrs,
        {
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            sc.GEN_AI_RESPONSE_MODEL: "gpt-4o-mini" + fp.MODEL_SUFFIX,
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.RESPONSES_INPUT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.RESPONSES_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.RESPONSES_CACHED_TOKENS,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.RESPONSES_REASONING_TOKENS,
        },
    )
    assert attrs[sc.GEN_AI_USAGE_COST] > 0


@pytest.mark.usefixtures("instrument")
def test_text_completion_stream_with_include_usage(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    stream = litellm.text_completion(
        model="text-completion-openai/gpt-3.5-turbo-instruct",
        prompt="Say hello",
        api_base=provider.openai_base,
        api_key=API_KEY,
        stream=True,
        stream_options=INCLUDE_USAGE,
    )
    list(stream)

    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(
        attrs,
        {
            sc.GEN_AI_OPERATION_NAME: "text_completion",
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("length",),
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.TEXT_PROMPT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.TEXT_COMPLETION_TOKENS,
        },
    )


@pytest.mark.usefixtures("instrument")
@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
async def test_a_stream_litellm_already_counted_is_not_counted_again(
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
    asynchronous: bool,
) -> None:
    # LiteLLM assembles every stream as it ends (litellm.stream_chunk_builder), counting the
    # tokens when no chunk had usage; some releases hand that count back on the stream, 1.79
    # only to its logging. Either way the span carries it rather than running the tokenizer a
    # second time; where LiteLLM counted no prompt (1.106, 1.108), the span counts it.
    assembled: list[object] = []
    counted: list[object] = []
    build, count_again = litellm.stream_chunk_builder, Lookups.counted_usage

    def watch_build(*args: Any, **kwargs: Any) -> Any:
        built = build(*args, **kwargs)
        assembled.append(built.usage.prompt_tokens if built is not None else None)
        return built

    def watch_count(self: Lookups, *args: Any, **kwargs: Any) -> Any:
        counted.append(args)
        return count_again(self, *args, **kwargs)

    monkeypatch.setattr(litellm, "stream_chunk_builder", watch_build)
    monkeypatch.setattr(Lookups, "counted_usage", watch_count)
    if asynchronous:
        stream = await litellm.acompletion(**openai_stream(provider))
        async for _ in stream:
            pass
    else:
        list(litellm.completion(**openai_stream(provider)))

    attrs = assert_one_stream_span(span_exporter, completed=True)
    assert_subset(attrs, {**litellm_count_of_the_stream(), sc.LITELLM_USAGE_ESTIMATED: reports.COUNTED_USAGE})
    assert attrs[sc.GEN_AI_USAGE_COST] > 0
    litellm_counted = bool(assembled) and all(assembled)
    assert len(counted) == (0 if litellm_counted else 1), (assembled, LITELLM_VERSION)


def test_what_litellm_assembled_goes_only_to_the_stream_it_was_built_from() -> None:
    chunks: list[object] = [object(), object()]
    stream, other = SimpleNamespace(chunks=chunks), SimpleNamespace(chunks=list(chunks))
    usage = {"prompt_tokens": 12, "completion_tokens": 3}

    assembly.keep(chunks, {"usage": usage})
    assert assembly.take(other) is None  # an equal list is not the same one
    assembly.keep(chunks, {"usage": usage})
    assert assembly.take(stream) is usage
    assert assembly.take(stream) is None  # once

    assembly.keep(chunks, {"usage": usage})
    chunks.append(object())  # the stream went on after it was built
    assert assembly.take(stream) is None

    assembly.keep(chunks, {"usage": {"prompt_tokens": 0, "completion_tokens": 0}})  # nothing counted
    assert assembly.take(stream) is None
    assembly.keep(chunks, None)  # the builder gave up
    assert assembly.take(stream) is None

    assembly.keep(chunks, {"usage": usage})
    taken: list[object] = []
    worker = threading.Thread(target=lambda: taken.append(assembly.take(stream)))
    worker.start()
    worker.join()
    assert taken == [None]  # another thread's stream
    assert assembly.take(stream) is usage
