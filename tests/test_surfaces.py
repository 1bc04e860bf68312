"""LiteLLM's APIs beyond chat and Messages — transcription, speech, moderation, image edits and
variations, OCR, search, video generation, Google's generateContent, completion_with_retries —
each a CLIENT span with its usage and cost, sync and async, alone and through a Router, over real
HTTP against the fake provider's wire formats."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import litellm
import openai
import pytest
from litellm.integrations.custom_logger import CustomLogger
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider
from fake_provider.wires import gemini, mistral, perplexity
from helpers import API_KEY, LITELLM_VERSION, assert_absent, assert_subset, attributes, chat_price, only_span
from litellm_otel import semconv as sc

pytestmark = pytest.mark.usefixtures("instrument")

ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
AUDIO_FILE = ("speech.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "audio/wav")
# LiteLLM copies a transcription's `usage` onto its result from 1.90 (1.79 keeps the text only).
TRANSCRIPTION_HAS_USAGE = Version("1.90") <= LITELLM_VERSION
# LiteLLM 1.79's moderation takes no api_base: the caller hands it an OpenAI client instead.
MODERATION_HAS_API_BASE = Version("1.90") <= LITELLM_VERSION


async def call(is_async: bool, name: str, module: Any = litellm, **kwargs: Any) -> Any:
    function = getattr(module, f"a{name}" if is_async else name)
    return await function(**kwargs) if is_async else function(**kwargs)


def image(name: str) -> io.BytesIO:
    data = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(120))
    data.name = name
    return data


def cost(span_attributes: dict[str, Any]) -> float:
    value = span_attributes[sc.GEN_AI_USAGE_COST]
    assert isinstance(value, float)
    return value


# --------------------------------------------------------------------------- audio


@ASYNC
async def test_a_token_billed_transcription_has_its_tokens_audio_split_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "transcription",
        model="openai/gpt-4o-transcribe",
        file=AUDIO_FILE,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert result.text == fp.TRANSCRIPTION_TEXT
    span = only_span(span_exporter)
    assert (span.name, span.kind) == ("transcription openai/gpt-4o-transcribe", SpanKind.CLIENT)
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "transcription",
            sc.GEN_AI_PROVIDER_NAME: "openai",
            sc.GEN_AI_OUTPUT_TYPE: "text",
            sc.SERVER_ADDRESS: "127.0.0.1",
        },
    )
    if not TRANSCRIPTION_HAS_USAGE:
        assert_absent(got, [sc.GEN_AI_USAGE_INPUT_TOKENS])
        return
    assert_subset(
        got,
        {
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.TRANSCRIPTION_INPUT_TOKENS,
            sc.LITELLM_USAGE_AUDIO_INPUT_TOKENS: fp.TRANSCRIPTION_AUDIO_TOKENS,
            sc.LITELLM_USAGE_TEXT_INPUT_TOKENS: fp.TRANSCRIPTION_TEXT_TOKENS,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.TRANSCRIPTION_OUTPUT_TOKENS,
            sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.TRANSCRIPTION_TOTAL_TOKENS,
        },
    )
    # LiteLLM's own price of those tokens: audio at the model's audio rate, text at its text rate.
    info = litellm.get_model_info("gpt-4o-transcribe", custom_llm_provider="openai")
    expected = (
        fp.TRANSCRIPTION_AUDIO_TOKENS * info["input_cost_per_audio_token"]
        + fp.TRANSCRIPTION_TEXT_TOKENS * info["input_cost_per_token"]
        + fp.TRANSCRIPTION_OUTPUT_TOKENS * info["output_cost_per_token"]
    )
    assert cost(got) == pytest.approx(expected)


@ASYNC
async def test_a_time_billed_transcription_has_its_seconds_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "transcription",
        model="openai/whisper-1",
        file=AUDIO_FILE,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    got = attributes(only_span(span_exporter))
    # whisper-1 bills the audio's seconds: usage.seconds from 1.90, verbose_json's duration before.
    seconds = fp.TRANSCRIPTION_SECONDS if TRANSCRIPTION_HAS_USAGE else fp.TRANSCRIPTION_DURATION
    assert got[sc.LITELLM_USAGE_AUDIO_SECONDS] == seconds
    assert_absent(got, [sc.GEN_AI_USAGE_INPUT_TOKENS, sc.GEN_AI_USAGE_OUTPUT_TOKENS])
    # LiteLLM's own figure (it prices the verbose duration, or rounds up, by release).
    assert cost(got) == result._hidden_params["response_cost"] > 0


@ASYNC
async def test_speech_bills_the_characters_and_hands_back_the_audio_untouched(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "speech",
        model="openai/tts-1",
        input="Say hello",
        voice="alloy",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert result.content == fp.speech_audio("mp3")
    span = only_span(span_exporter)
    assert span.name == "speech openai/tts-1"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "speech",
            sc.GEN_AI_OUTPUT_TYPE: "speech",
            sc.LITELLM_USAGE_INPUT_CHARACTERS: len("Sayhello"),  # billed without whitespace
        },
    )
    per_character = litellm.get_model_info("tts-1", custom_llm_provider="openai")["input_cost_per_character"]
    assert cost(got) == pytest.approx(len("Sayhello") * per_character)
    assert "Say hello" not in str(got)  # the text is content: off by default


def test_a_failed_transcription_fails_its_span_with_litellms_exception(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM's exception type differs by release (1.110.2 raises the OpenAI SDK's own).
    with pytest.raises(Exception, match="Simulated error") as raised:
        litellm.transcription(
            model="openai/error-500", file=AUDIO_FILE, api_base=provider.openai_base, api_key=API_KEY
        )

    span = only_span(span_exporter)
    assert span.status.status_code is StatusCode.ERROR
    got = attributes(span)
    assert got[sc.ERROR_TYPE] == f"{type(raised.value).__module__}.{type(raised.value).__qualname__}"
    assert got[sc.HTTP_RESPONSE_STATUS_CODE] == 500


# --------------------------------------------------------------------------- moderation


@ASYNC
async def test_moderation_says_whether_anything_was_flagged(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    destination: dict[str, Any] = {"api_base": provider.openai_base}
    if not MODERATION_HAS_API_BASE:
        client_type = openai.AsyncOpenAI if is_async else openai.OpenAI
        destination = {"client": client_type(base_url=provider.openai_base, api_key=API_KEY)}
    await call(
        is_async,
        "moderation",
        model="omni-moderation-latest",
        input=["Say hello", f"I will {fp.MODERATION_FLAGGED_WORD} the lights"],
        api_key=API_KEY,
        **destination,
    )

    span = only_span(span_exporter)
    assert span.name == "moderation omni-moderation-latest"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "moderation",
            sc.GEN_AI_RESPONSE_MODEL: "omni-moderation-latest" + fp.MODEL_SUFFIX,
            sc.LITELLM_MODERATION_FLAGGED: True,
        },
    )
    assert str(got[sc.GEN_AI_RESPONSE_ID]).startswith("modr-")
    assert fp.MODERATION_FLAGGED_WORD not in str(got)


# --------------------------------------------------------------------------- images


@ASYNC
async def test_an_image_edit_has_the_images_apis_tokens_not_litellms_zeros(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    await call(
        is_async,
        "image_edit",
        model="openai/gpt-image-1",
        image=[image("room.png"), image("lamp.png")],
        prompt="Put the lamp in the room",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    span = only_span(span_exporter)
    assert span.name == "generate_content openai/gpt-image-1"
    image_tokens = 2 * fp.IMAGE_EDIT_IMAGE_TOKENS
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "generate_content",
            sc.GEN_AI_OUTPUT_TYPE: "image",
            sc.GEN_AI_USAGE_INPUT_TOKENS: fp.IMAGE_EDIT_TEXT_TOKENS + image_tokens,
            sc.LITELLM_USAGE_TEXT_INPUT_TOKENS: fp.IMAGE_EDIT_TEXT_TOKENS,
            sc.LITELLM_USAGE_IMAGE_INPUT_TOKENS: image_tokens,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.IMAGE_EDIT_OUTPUT_TOKENS,
        },
    )
    assert cost(got) > 0


@ASYNC
async def test_an_image_variation_without_usage_carries_no_made_up_zeros(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    await call(
        is_async,
        "image_variation",
        model="openai/dall-e-2",
        image=image("room.png"),
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    got = attributes(only_span(span_exporter))
    assert got[sc.GEN_AI_OUTPUT_TYPE] == "image"
    assert_absent(
        got, [sc.GEN_AI_USAGE_INPUT_TOKENS, sc.GEN_AI_USAGE_OUTPUT_TOKENS, sc.GEN_AI_USAGE_TOTAL_TOKENS]
    )


# --------------------------------------------------------------------------- OCR, search, video


@ASYNC
async def test_ocr_has_its_pages_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    result = await call(
        is_async,
        "ocr",
        model="mistral/mistral-ocr-latest",
        document={"type": "document_url", "document_url": "https://example.invalid/report.pdf"},
        api_base=provider.base_for("mistral") + "/v1",
        api_key=API_KEY,
    )

    span = only_span(span_exporter)
    assert span.name == "ocr mistral/mistral-ocr-latest"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "ocr",
            sc.GEN_AI_PROVIDER_NAME: "mistral_ai",
            sc.GEN_AI_RESPONSE_MODEL: mistral.OCR_MODEL,
            sc.LITELLM_USAGE_PAGES: 3,
        },
    )
    assert cost(got) == result._hidden_params["response_cost"]  # LiteLLM's own figure
    if Version("1.110") <= LITELLM_VERSION:  # 1.79 … 1.109 price OCR at 0.0
        assert cost(got) > 0


@ASYNC
async def test_search_names_its_provider_and_is_priced_per_query(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    await call(
        is_async,
        "search",
        query="fake web",
        search_provider="perplexity",
        api_base=provider.base_for("perplexity"),
        api_key=API_KEY,
    )

    span = only_span(span_exporter)
    assert span.name == "search"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "search",
            sc.GEN_AI_PROVIDER_NAME: "perplexity",
            sc.LITELLM_USAGE_SEARCH_RESULTS: len(perplexity.SEARCH_RESULTS),
        },
    )
    assert cost(got) > 0
    assert "fake web" not in str(got)


@ASYNC
async def test_video_generation_has_the_providers_id_its_seconds_and_cost(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    await call(
        is_async,
        "video_generation",
        prompt="A cat on a piano",
        model="openai/sora-2",
        seconds="8",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    span = only_span(span_exporter)
    assert span.name == "video_generation openai/sora-2"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "video_generation",
            sc.GEN_AI_OUTPUT_TYPE: "video",
            sc.GEN_AI_RESPONSE_MODEL: "sora-2" + fp.MODEL_SUFFIX,
            sc.LITELLM_VIDEO_STATUS: "queued",
            sc.LITELLM_USAGE_VIDEO_SECONDS: 8.0,
        },
    )
    # The id the provider gave, not the one LiteLLM (1.110) wraps with its routing data.
    assert str(got[sc.GEN_AI_RESPONSE_ID]).startswith("video_fake_")
    per_second = litellm.get_model_info("openai/sora-2")["output_cost_per_video_per_second"]
    assert cost(got) == pytest.approx(8 * per_second)


# --------------------------------------------------------------------------- Google GenAI


@ASYNC
async def test_generate_content_reads_gemini_usage_metadata_with_cache_and_thinking(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    truth = gemini.GEMINI.truth
    await call(
        is_async,
        "generate_content",
        module=litellm.google_genai,
        model="gemini/gemini-2.5-flash",
        contents=[{"role": "user", "parts": [{"text": "Say hello"}]}],
        config={"temperature": 0.2, "maxOutputTokens": 256},
        api_base=provider.base_for("gemini") + "/v1beta",
        api_key=API_KEY,
    )

    span = only_span(span_exporter)
    assert span.name == "generate_content gemini/gemini-2.5-flash"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_OPERATION_NAME: "generate_content",
            sc.GEN_AI_PROVIDER_NAME: "gcp.gemini",
            sc.GEN_AI_REQUEST_TEMPERATURE: 0.2,
            sc.GEN_AI_REQUEST_MAX_TOKENS: 256,
            sc.GEN_AI_RESPONSE_MODEL: truth.response_model,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            sc.GEN_AI_USAGE_INPUT_TOKENS: truth.input_tokens,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: truth.cache_read,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: truth.output_tokens,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: truth.reasoning,
        },
    )
    # LiteLLM's price of the same counts through chat (the cached tokens at the cache-read rate).
    assert cost(got) == pytest.approx(chat_price("gemini/gemini-2.5-flash", truth), rel=0.01)


# --------------------------------------------------------------------------- retries


@ASYNC
async def test_completion_with_retries_is_one_chat_span_showing_its_retries(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    await call(
        is_async,
        "completion_with_retries",
        model="openai/flaky-1",
        messages=[{"role": "user", "content": "hi"}],
        api_base=provider.openai_base,
        api_key=API_KEY,
        num_retries=2,
        max_retries=0,  # the OpenAI client's own retries off: the retries are tenacity's
    )

    chat = [s for s in span_exporter.get_finished_spans() if s.name == "chat openai/flaky-1"]
    assert len(chat) == 1
    got = attributes(chat[0])
    assert got[sc.LITELLM_PROVIDER_REQUESTS] == len(provider.requests) == 2
    assert got[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS  # counted once


# --------------------------------------------------------------------------- Router


@pytest.fixture
def audio_router(provider: FakeProvider) -> litellm.Router:
    def deployment(name: str, model: str) -> dict[str, Any]:
        return {
            "model_name": name,
            "litellm_params": {"model": model, "api_base": provider.openai_base, "api_key": API_KEY},
        }

    return litellm.Router(
        model_list=[
            deployment("stt", "openai/gpt-4o-transcribe"),
            deployment("tts", "openai/tts-1"),
            deployment("mod", "openai/omni-moderation-latest"),
        ]
    )


ROUTER_CALLS: dict[str, tuple[str, Callable[[litellm.Router], Any]]] = {
    "transcription": ("transcription", lambda r: r.atranscription(model="stt", file=AUDIO_FILE)),
    "speech": ("speech", lambda r: r.aspeech(model="tts", input="Say hello", voice="alloy")),
    "moderation": ("moderation", lambda r: r.amoderation(model="mod", input="Say hello")),
}


@pytest.mark.parametrize("endpoint", sorted(ROUTER_CALLS))
async def test_router_endpoints_draw_a_router_span_over_their_attempt(
    audio_router: litellm.Router, span_exporter: InMemorySpanExporter, endpoint: str
) -> None:
    if endpoint == "moderation" and not MODERATION_HAS_API_BASE:
        pytest.skip("LiteLLM 1.79's moderation takes no api_base")
    operation, make_call = ROUTER_CALLS[endpoint]
    await make_call(audio_router)

    spans = span_exporter.get_finished_spans()
    (attempt,) = [s for s in spans if s.kind is SpanKind.CLIENT]
    if endpoint == "moderation" and Version("1.110") > LITELLM_VERSION:
        # Routers up to 1.109 serve it through a method of its own: the attempt alone is traced.
        assert [s for s in spans if s.kind is SpanKind.INTERNAL] == []
        assert attributes(attempt)[sc.GEN_AI_OPERATION_NAME] == operation
        return
    (router_span,) = [s for s in spans if s.kind is SpanKind.INTERNAL]
    assert router_span.name.startswith(f"router {operation} ")
    assert attempt.parent is not None and attempt.parent.span_id == router_span.context.span_id
    assert attributes(attempt)[sc.GEN_AI_OPERATION_NAME] == operation
    assert attributes(router_span)[sc.LITELLM_ROUTER_ATTEMPTS] == 1


async def collect(stream: Any, is_async: bool) -> list[Any]:
    if is_async:
        return [chunk async for chunk in stream]
    return list(stream)


@ASYNC
async def test_a_streamed_generate_content_keeps_litellms_stream_and_reads_its_last_usage(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, is_async: bool
) -> None:
    truth = gemini.GEMINI.truth
    stream = await call(
        is_async,
        "generate_content_stream",
        module=litellm.google_genai,
        model="gemini/gemini-2.5-flash",
        contents=[{"role": "user", "parts": [{"text": "Say hello"}]}],
        api_base=provider.base_for("gemini") + "/v1beta",
        api_key=API_KEY,
    )
    assert span_exporter.get_finished_spans() == ()  # open until the stream ends
    chunks = await collect(stream, is_async)

    assert b"".join(chunks).count(b"data:") >= 2  # the caller got the provider's events
    span = only_span(span_exporter)
    assert span.name == "generate_content gemini/gemini-2.5-flash"
    got = attributes(span)
    assert_subset(
        got,
        {
            sc.GEN_AI_REQUEST_STREAM: True,
            sc.LITELLM_STREAM_COMPLETED: True,
            sc.GEN_AI_RESPONSE_MODEL: truth.response_model,
            sc.GEN_AI_RESPONSE_FINISH_REASONS: ("stop",),
            sc.GEN_AI_USAGE_INPUT_TOKENS: truth.input_tokens,
            sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: truth.cache_read,
            sc.GEN_AI_USAGE_OUTPUT_TOKENS: truth.output_tokens,
            sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: truth.reasoning,
        },
    )
    assert cost(got) > 0
    assert got[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] > 0


def test_generate_content_stream_events_cut_anywhere_give_the_same_attributes() -> None:
    from litellm_otel.google_genai import GenerateContentStream

    body = (
        b'data: {"candidates": [{"content": {"parts": [{"text": "Hel"}]}}], "responseId": "r1"}\r\n\r\n'
        b'data: {"candidates": [{"content": {"parts": [{"text": "lo"}]}, "finishReason": "MAX_TOKENS"}],'
        b' "modelVersion": "gemini-x", "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 2,'
        b' "thoughtsTokenCount": 3, "totalTokenCount": 15}}\n\n'
        b"data: not json\n\n"
    )
    expected = None
    for cut in range(len(body) + 1):
        state = GenerateContentStream(capture_content=True)
        for piece in (body[:cut], body[cut:]):
            state.add(piece)
        state.add(b"\n")
        got = (state.attributes(), state.output_text())
        expected = expected or got
        assert got == expected, cut
    assert expected is not None
    assert expected[0] == {
        sc.GEN_AI_RESPONSE_ID: "r1",
        sc.GEN_AI_RESPONSE_MODEL: "gemini-x",
        sc.GEN_AI_USAGE_INPUT_TOKENS: 10,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 5,
        sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: 3,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: 15,
        sc.GEN_AI_RESPONSE_FINISH_REASONS: ["length"],
    }
    assert expected[1] == "Hello"


def test_batch_completion_calls_are_children_of_the_callers_span(
    provider: FakeProvider, tracer_provider: Any, span_exporter: InMemorySpanExporter
) -> None:
    with tracer_provider.get_tracer("app").start_as_current_span("batch job") as parent:
        results = litellm.batch_completion(
            model="openai/gpt-4o-mini",
            messages=[[{"role": "user", "content": "one"}], [{"role": "user", "content": "two"}]],
            api_base=provider.openai_base,
            api_key=API_KEY,
        )

    assert len(results) == 2
    chats = [s for s in span_exporter.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert len(chats) == 2
    assert {s.parent.span_id if s.parent else None for s in chats} == {parent.get_span_context().span_id}
    assert sum(int(attributes(s)[sc.GEN_AI_USAGE_INPUT_TOKENS]) for s in chats) == 2 * fp.CHAT_PROMPT_TOKENS


class _Translating(CustomLogger):  # type: ignore[misc]  # LiteLLM's adapter base is untyped
    """An adapter (litellm.adapters) whose requests arrive as {"prompt": …} and whose answer is the
    completion's text."""

    def translate_completion_input_params(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        prompt = kwargs.pop("prompt")
        return {**kwargs, "messages": [{"role": "user", "content": prompt}]}

    def translate_completion_output_params(self, response: Any) -> Any:
        return response


@ASYNC
async def test_adapter_completion_is_a_chat_span_with_the_completions_usage(
    provider: FakeProvider,
    span_exporter: InMemorySpanExporter,
    is_async: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(litellm, "adapters", [{"id": "prompt-only", "adapter": _Translating()}])
    await call(
        is_async,
        "adapter_completion",
        adapter_id="prompt-only",
        model="openai/gpt-4o-mini",
        prompt="Say hello",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    span = only_span(span_exporter)
    assert span.name == "chat openai/gpt-4o-mini"
    got = attributes(span)
    assert got[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.CHAT_PROMPT_TOKENS
    assert cost(got) > 0
