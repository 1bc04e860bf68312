"""The fake provider's non-chat APIs, driven by LiteLLM itself (uninstrumented): each LiteLLM
function, sync and async, succeeds against the fake and returns what it returns against the real
provider, and the fake records what LiteLLM sent."""

from __future__ import annotations

import io
import json
import re
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

import litellm
import openai
import pytest
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider, RecordedRequest
from fake_provider.wires import cloudflare, gemini, mistral, perplexity
from helpers import API_KEY, LITELLM_VERSION

ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
AUDIO_FILE = ("speech.wav", b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(64), "audio/wav")
# LiteLLM copies a transcription's `usage` onto its TranscriptionResponse from 1.90 (1.79 keeps
# only the text, language, duration, words and segments).
TRANSCRIPTION_HAS_USAGE = Version("1.90") <= LITELLM_VERSION
# LiteLLM 1.79's moderation takes no api_base: it builds a default OpenAI client (sync) or a
# cached one without a base (async). 1.90 passes api_base on.
MODERATION_HAS_API_BASE = Version("1.90") <= LITELLM_VERSION
# LiteLLM 1.79 asks whisper-1 for verbose_json (for the duration it prices by) even when the
# caller asked for text or json; 1.90 only when the caller asked for nothing.
WHISPER_KEEPS_RESPONSE_FORMAT = Version("1.90") <= LITELLM_VERSION
# LiteLLM 1.79's video_content takes api_base as a parameter and never passes it on.
VIDEO_CONTENT_HAS_API_BASE = Version("1.90") <= LITELLM_VERSION


async def call(is_async: bool, name: str, module: Any = litellm, **kwargs: Any) -> Any:
    """``module.<name>(**kwargs)``, or ``await module.a<name>(**kwargs)``."""
    function_name = f"a{name}" if is_async else name
    function = getattr(module, function_name, None)
    if function is None:
        pytest.skip(f"LiteLLM {LITELLM_VERSION} has no {module.__name__}.{function_name}")
    return await function(**kwargs) if is_async else function(**kwargs)


def only_request(provider: FakeProvider) -> RecordedRequest:
    assert len(provider.requests) == 1, [r.path for r in provider.requests]
    return provider.requests[0]


def image_file(name: str) -> io.BytesIO:
    image = io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(120))
    image.name = name
    return image


# --------------------------------------------------------------------------- transcriptions


@ASYNC
async def test_gpt_4o_transcription_reports_token_usage(provider: FakeProvider, is_async: bool) -> None:
    response = await call(
        is_async,
        "transcription",
        model="openai/gpt-4o-transcribe",
        file=AUDIO_FILE,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert response.text == fp.TRANSCRIPTION_TEXT
    if TRANSCRIPTION_HAS_USAGE:
        usage = response.usage
        assert (usage.type, usage.input_tokens, usage.output_tokens, usage.total_tokens) == (
            "tokens",
            fp.TRANSCRIPTION_INPUT_TOKENS,
            fp.TRANSCRIPTION_OUTPUT_TOKENS,
            fp.TRANSCRIPTION_TOTAL_TOKENS,
        )
        details = usage.input_token_details
        assert (details.text_tokens, details.audio_tokens) == (
            fp.TRANSCRIPTION_TEXT_TOKENS,
            fp.TRANSCRIPTION_AUDIO_TOKENS,
        )
    else:
        assert getattr(response, "usage", None) is None
    request = only_request(provider)
    assert request.path == "/v1/audio/transcriptions"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.body == {
        "model": "gpt-4o-transcribe",
        "file": {"filename": "speech.wav", "content_type": "audio/wav", "size": len(AUDIO_FILE[1])},
    }


@ASYNC
async def test_whisper_transcription_is_verbose_and_reports_seconds(
    provider: FakeProvider, is_async: bool
) -> None:
    response = await call(
        is_async,
        "transcription",
        model="openai/whisper-1",
        file=AUDIO_FILE,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert (response.text, response.language, response.duration) == (
        fp.TRANSCRIPTION_TEXT,
        fp.TRANSCRIPTION_LANGUAGE,
        fp.TRANSCRIPTION_DURATION,
    )
    assert [segment["end"] for segment in response.segments][-1] == fp.TRANSCRIPTION_DURATION
    if TRANSCRIPTION_HAS_USAGE:
        assert (response.usage.type, response.usage.seconds) == ("duration", fp.TRANSCRIPTION_SECONDS)
    # LiteLLM asks whisper-1 for verbose_json itself, for the duration it prices by.
    assert only_request(provider).body["response_format"] == "verbose_json"


def test_whisper_transcription_words(provider: FakeProvider) -> None:
    response = litellm.transcription(
        model="openai/whisper-1",
        file=AUDIO_FILE,
        response_format="verbose_json",
        timestamp_granularities=["word", "segment"],
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert [word["word"] for word in response.words] == [
        word.strip(".") for word in fp.TRANSCRIPTION_TEXT.split()
    ]
    assert len(response.segments) == 2
    assert only_request(provider).body["timestamp_granularities[]"] == ["word", "segment"]


def test_whisper_transcription_as_text(provider: FakeProvider) -> None:
    response = litellm.transcription(
        model="openai/whisper-1",
        file=AUDIO_FILE,
        response_format="text",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    sent = only_request(provider).body["response_format"]
    if WHISPER_KEEPS_RESPONSE_FORMAT:
        assert sent == "text"
        assert response.text == fp.TRANSCRIPTION_TEXT + "\n"  # the bare body, as OpenAI sends it
        assert response.usage is None
    else:
        assert sent == "verbose_json"
        assert response.text == fp.TRANSCRIPTION_TEXT


def test_gpt_4o_transcription_rejects_verbose_json(provider: FakeProvider) -> None:
    # openai's error classes: LiteLLM's subclass them, and its sync transcription raises the
    # OpenAI SDK's own, unmapped (1.79 … 1.110; the async one maps them).
    with pytest.raises(openai.BadRequestError, match="not compatible with model 'gpt-4o-transcribe'"):
        litellm.transcription(
            model="openai/gpt-4o-transcribe",
            file=AUDIO_FILE,
            response_format="verbose_json",
            api_base=provider.openai_base,
            api_key=API_KEY,
        )


def test_form_body_model_selects_an_error(provider: FakeProvider) -> None:
    with pytest.raises(openai.InternalServerError, match="Simulated error for model whisper-1-error-500"):
        litellm.transcription(
            model="openai/whisper-1-error-500",
            file=AUDIO_FILE,
            api_base=provider.openai_base,
            api_key=API_KEY,
        )
    assert len(provider.requests) == 1


def test_form_body_model_selects_a_flaky_then_slow_reply(provider: FakeProvider) -> None:
    started = time.monotonic()
    response = litellm.transcription(
        model="openai/whisper-1-flaky-1-slow",
        file=AUDIO_FILE,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert response.text == fp.TRANSCRIPTION_TEXT
    assert len(provider.requests) == 2  # a 429, which the OpenAI SDK retried, then the answer
    assert time.monotonic() - started >= 2 * fp.SLOW_SECONDS


# --------------------------------------------------------------------------- speech


@ASYNC
@pytest.mark.parametrize(
    ("response_format", "content_type", "magic"),
    [(None, "audio/mpeg", b"ID3"), ("wav", "audio/wav", b"RIFF")],
    ids=["mp3", "wav"],
)
async def test_speech_is_audio_bytes(
    provider: FakeProvider, is_async: bool, response_format: str | None, content_type: str, magic: bytes
) -> None:
    extra = {"response_format": response_format} if response_format else {}
    response = await call(
        is_async,
        "speech",
        model="openai/gpt-4o-mini-tts",
        input="Say hello",
        voice="alloy",
        api_base=provider.openai_base,
        api_key=API_KEY,
        **extra,
    )

    assert response.content == fp.speech_audio(response_format or "mp3")
    assert len(response.content) == fp.SPEECH_AUDIO_BYTES
    assert response.content.startswith(magic)
    assert response.response.headers["content-type"] == content_type
    request = only_request(provider)
    assert (request.path, request.body["input"], request.body["voice"]) == (
        "/v1/audio/speech",
        "Say hello",
        "alloy",
    )


# --------------------------------------------------------------------------- moderations


@ASYNC
async def test_moderation_flags_each_input(provider: FakeProvider, is_async: bool) -> None:
    destination: dict[str, Any] = {"api_base": provider.openai_base}
    if not MODERATION_HAS_API_BASE:
        client_type = openai.AsyncOpenAI if is_async else openai.OpenAI
        destination = {"client": client_type(base_url=provider.openai_base, api_key=API_KEY)}
    response = await call(
        is_async,
        "moderation",
        input=["Say hello", f"I will {fp.MODERATION_FLAGGED_WORD} the lights"],
        model="omni-moderation-latest",
        api_key=API_KEY,
        **destination,
    )

    assert response.id.startswith("modr-")
    assert response.model == "omni-moderation-latest" + fp.MODEL_SUFFIX
    assert [result.flagged for result in response.results] == [False, True]
    flagged = response.results[1]
    assert flagged.categories["violence"] is True
    assert flagged.category_scores["violence"] == fp.MODERATION_VIOLENCE_SCORE
    assert flagged.category_applied_input_types["violence"] == ["text"]
    request = only_request(provider)
    assert (request.path, request.body["model"]) == ("/v1/moderations", "omni-moderation-latest")


# --------------------------------------------------------------------------- images


@ASYNC
async def test_gpt_image_edit_reports_text_and_image_tokens(provider: FakeProvider, is_async: bool) -> None:
    response = await call(
        is_async,
        "image_edit",
        model="openai/gpt-image-1",
        image=[image_file("room.png"), image_file("lamp.png")],
        prompt="Put the lamp in the room",
        n=2,
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert [image.b64_json for image in response.data] == [fp.IMAGE_PNG_B64] * 2
    image_tokens = 2 * fp.IMAGE_EDIT_IMAGE_TOKENS
    output_tokens = 2 * fp.IMAGE_EDIT_OUTPUT_TOKENS
    usage = response.usage
    assert (usage.input_tokens, usage.output_tokens, usage.total_tokens) == (
        fp.IMAGE_EDIT_TEXT_TOKENS + image_tokens,
        output_tokens,
        fp.IMAGE_EDIT_TEXT_TOKENS + image_tokens + output_tokens,
    )
    assert dict(usage.input_tokens_details) == {
        "text_tokens": fp.IMAGE_EDIT_TEXT_TOKENS,
        "image_tokens": image_tokens,
    }
    request = only_request(provider)
    assert request.path == "/v1/images/edits"
    assert (request.body["model"], request.body["prompt"], request.body["n"]) == (
        "gpt-image-1",
        "Put the lamp in the room",
        "2",  # a form field is text
    )
    images = request.body["image[]"]
    assert isinstance(images, list)
    assert [image["content_type"] for image in images] == ["image/png", "image/png"]


@ASYNC
async def test_image_variation_is_a_dall_e_url_without_usage(provider: FakeProvider, is_async: bool) -> None:
    response = await call(
        is_async,
        "image_variation",
        model="openai/dall-e-2",
        image=image_file("room.png"),
        n=2,
        size="256x256",
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    assert [image.url for image in response.data] == [fp.IMAGE_URL]
    # OpenAI sends no usage for dall-e-2; LiteLLM fills in zeros.
    assert (response.usage.input_tokens, response.usage.output_tokens) == (0, 0)
    request = only_request(provider)
    assert request.path == "/v1/images/variations"
    # LiteLLM (1.79 ... 1.110) sends the image alone: no model (OpenAI then uses dall-e-2), n or
    # size.
    assert request.body == {"image": {"filename": "room.png", "content_type": "image/png", "size": 128}}


# --------------------------------------------------------------------------- Mistral OCR


@ASYNC
@pytest.mark.parametrize(("pages", "indices"), [(None, [0, 1, 2]), ([0, 2], [0, 2])], ids=["all", "some"])
async def test_mistral_ocr_reports_pages_processed(
    provider: FakeProvider, is_async: bool, pages: list[int] | None, indices: list[int]
) -> None:
    document = {"type": "document_url", "document_url": "https://example.invalid/report.pdf"}
    response = await call(
        is_async,
        "ocr",
        model="mistral/mistral-ocr-latest",
        document=document,
        api_base=provider.base_for("mistral") + "/v1",
        api_key=API_KEY,
        **({"pages": pages} if pages else {}),
    )

    assert response.model == mistral.OCR_MODEL
    assert [page.index for page in response.pages] == indices
    assert [page.markdown for page in response.pages] == [mistral.ocr_markdown(i) for i in indices]
    assert response.pages[0].dimensions.width == mistral.OCR_DIMENSIONS["width"]
    assert (response.usage_info.pages_processed, response.usage_info.doc_size_bytes) == (
        len(indices),
        mistral.OCR_DOC_SIZE_BYTES,
    )
    request = only_request(provider)
    assert request.path == "/mistral/v1/ocr"
    assert (request.body["model"], request.body["document"]) == ("mistral-ocr-latest", document)


# --------------------------------------------------------------------------- Perplexity search


@ASYNC
@pytest.mark.parametrize("max_results", [None, 2])
async def test_perplexity_search_results(
    provider: FakeProvider, is_async: bool, max_results: int | None
) -> None:
    response = await call(
        is_async,
        "search",
        query="fake web",
        search_provider="perplexity",
        api_base=provider.base_for("perplexity"),
        api_key=API_KEY,
        **({"max_results": max_results} if max_results else {}),
    )

    expected = perplexity.SEARCH_RESULTS[:max_results]
    assert [(r.title, r.url, r.snippet, r.date) for r in response.results] == [
        (r["title"], r["url"], r["snippet"], r["date"]) for r in expected
    ]
    request = only_request(provider)
    assert (request.path, request.body["query"]) == ("/perplexity/search", "fake web")


# --------------------------------------------------------------------------- videos


@ASYNC
async def test_video_generation_then_status(provider: FakeProvider, is_async: bool) -> None:
    destination = {"api_base": provider.openai_base, "api_key": API_KEY}
    video = await call(
        is_async,
        "video_generation",
        prompt="A cat on a piano",
        model="openai/sora-2",
        seconds="8",
        **destination,
    )

    assert (video.status, video.progress, video.seconds, video.size) == ("queued", 0, "8", fp.VIDEO_SIZE)
    assert video.model == "sora-2" + fp.MODEL_SUFFIX
    status = await call(is_async, "video_status", video_id=video.id, **destination)
    assert (status.status, status.progress, status.seconds) == ("completed", 100, "8")
    assert status.completed_at is not None
    create, retrieve = provider.requests
    assert (create.method, create.path, create.body["prompt"]) == ("POST", "/v1/videos", "A cat on a piano")
    # LiteLLM 1.110 hands out the id with its provider encoded in it, and sends the provider's own.
    assert retrieve.method == "GET"
    assert re.fullmatch(r"/v1/videos/video_fake_\d+", retrieve.path)


@ASYNC
async def test_video_content_is_mp4_bytes(provider: FakeProvider, is_async: bool) -> None:
    if not VIDEO_CONTENT_HAS_API_BASE:
        pytest.skip(f"LiteLLM {LITELLM_VERSION}'s video_content never passes its api_base on")
    destination = {"api_base": provider.openai_base, "api_key": API_KEY}
    video = litellm.video_generation(prompt="A cat on a piano", model="openai/sora-2", **destination)

    content = await call(is_async, "video_content", video_id=video.id, **destination)

    assert content == fp.video_content()
    assert len(content) == fp.VIDEO_CONTENT_BYTES
    assert content[4:8] == b"ftyp"
    download = provider.requests[-1]
    assert download.method == "GET"
    assert re.fullmatch(r"/v1/videos/video_fake_\d+/content", download.path)


@ASYNC
async def test_video_edit_and_extension_run_on_the_source_video(
    provider: FakeProvider, is_async: bool
) -> None:
    destination = {"api_base": provider.openai_base, "api_key": API_KEY}
    source = litellm.video_generation(prompt="A cat", model="openai/sora-2", seconds="8", **destination)

    edit = await call(is_async, "video_edit", video_id=source.id, prompt="Make it red", **destination)
    extension = await call(
        is_async, "video_extension", video_id=source.id, prompt="It bows", seconds="4", **destination
    )

    assert (edit.model, edit.seconds, edit.status) == ("sora-2" + fp.MODEL_SUFFIX, "8", "queued")
    assert extension.seconds == "12"  # the stitched total
    created, edit_request, extension_request = provider.requests
    assert created.path == "/v1/videos"
    reference = edit_request.body["video"]
    assert isinstance(reference, dict)
    sent = {"id": reference["id"]}
    assert re.fullmatch(r"video_fake_\d+", sent["id"])  # the provider's id: LiteLLM's wrapper removed
    assert (edit_request.path, edit_request.body) == (
        "/v1/videos/edits",
        {"prompt": "Make it red", "video": sent},
    )
    assert (extension_request.path, extension_request.body) == (
        "/v1/videos/extensions",
        {"prompt": "It bows", "seconds": "4", "video": sent},
    )


def test_video_extension_of_an_unknown_video_is_not_found(provider: FakeProvider) -> None:
    if not hasattr(litellm, "video_extension"):
        pytest.skip(f"LiteLLM {LITELLM_VERSION} has no litellm.video_extension")
    # LiteLLM's exception differs by release (1.90 maps the 404 to an APIConnectionError).
    with pytest.raises(Exception, match="Video with id 'video_missing' not found"):
        litellm.video_extension(
            video_id="video_missing",
            prompt="It bows",
            seconds="4",
            api_base=provider.openai_base,
            api_key=API_KEY,
        )


# --------------------------------------------------------------------------- compaction


@ASYNC
async def test_compaction_keeps_the_user_messages_and_adds_a_compaction_item(
    provider: FakeProvider, is_async: bool
) -> None:
    result = await call(
        is_async,
        "compact_responses",
        model="openai/gpt-5-mini",
        input=[{"role": "user", "content": "Plan a trip"}, {"role": "assistant", "content": "Lisbon."}],
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    # LiteLLM types the output items it knows and leaves the others (a user's message) dicts.
    kinds = [item["type"] if isinstance(item, dict) else item.type for item in result.output]
    assert kinds == ["message", "compaction"]
    assert (result.usage.input_tokens, result.usage.output_tokens) == (
        fp.COMPACTION_INPUT_TOKENS,
        fp.COMPACTION_OUTPUT_TOKENS,
    )
    assert only_request(provider).path == "/v1/responses/compact"


# --------------------------------------------------------------------------- decisions, extraction


@ASYNC
async def test_decisions_answer_each_question_in_order(provider: FakeProvider, is_async: bool) -> None:
    result = await call(
        is_async,
        "decisions",
        model="openai/gpt-6-luna",
        input="I was charged twice.",
        questions=[
            {"type": "predicate", "name": "refund", "instructions": "Is a refund asked for?"},
            {
                "type": "score",
                "name": "anger",
                "instructions": "How angry?",
                "levels": [{"label": "calm"}, {"label": "angry"}],
            },
        ],
        api_base=provider.openai_base,
        api_key=API_KEY,
    )

    refund, anger = result.answers
    assert (refund.name, refund.probability) == ("refund", fp.DECISION_PROBABILITY)
    assert [p.probability for p in anger.probabilities] == [fp.DECISION_TOP_PROBABILITY, 0.25]
    assert result.usage.total_tokens == fp.DECISIONS_TOTAL_TOKENS
    assert only_request(provider).path == "/v1/decisions"


@ASYNC
async def test_cloudflare_extraction_answers_from_the_state(provider: FakeProvider, is_async: bool) -> None:
    result = await call(
        is_async,
        "extraction",
        model="cloudflare/clairic",
        state="Invoice 4471 from Acme.",
        fields={"invoice": {"type": "number"}, "due": {"type": "date"}},
        api_base=provider.base_for("cloudflare") + "/client/v4/accounts/fake-account/ai/run",
        api_key=API_KEY,
    )

    assert (result.answers["invoice"].value, result.answers["invoice"].span) == (4471, (8, 12))
    assert result.answers["due"].value is None
    assert result.usage.input_tokens == cloudflare.EXTRACTION_INPUT_TOKENS
    request = only_request(provider)
    assert request.path == "/cloudflare/client/v4/accounts/fake-account/ai/run/@cf/cloudflare/clairic"
    assert request.body["model"] == "clairic"


# --------------------------------------------------------------------------- Google GenAI


def sse_payloads(chunks: Iterable[bytes]) -> list[dict[str, Any]]:
    """The JSON events in a Gemini SSE stream, whatever its chunking (LiteLLM 1.79's async stream
    yields the whole body in one chunk)."""
    lines = b"".join(chunks).decode().splitlines()
    return [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]


async def collect(stream: Any, is_async: bool) -> list[bytes]:
    if is_async:
        async_stream: AsyncIterator[bytes] = stream
        return [chunk async for chunk in async_stream]
    return list(stream)


@ASYNC
@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
async def test_google_genai_generate_content_usage_metadata(
    provider: FakeProvider, is_async: bool, stream: bool
) -> None:
    truth = gemini.GEMINI.truth
    response = await call(
        is_async,
        "generate_content_stream" if stream else "generate_content",
        module=litellm.google_genai,
        model="gemini/gemini-2.5-flash",
        contents=[{"role": "user", "parts": [{"text": "Say hello"}]}],
        api_base=provider.base_for("gemini") + "/v1beta",
        api_key=API_KEY,
    )

    if stream:
        events = sse_payloads(await collect(response, is_async))
        text = "".join(event["candidates"][0]["content"]["parts"][0]["text"] for event in events)
        usage = events[-1]["usageMetadata"]
        model_version = events[-1]["modelVersion"]
    else:
        text = response.candidates[0]["content"]["parts"][0]["text"]
        usage = dict(response.usageMetadata)
        model_version = response.modelVersion
    assert text == fp.RESPONSE_TEXT
    assert model_version == truth.response_model
    assert usage["promptTokenCount"] == truth.input_tokens
    assert usage["cachedContentTokenCount"] == truth.cache_read
    assert usage["thoughtsTokenCount"] == truth.reasoning
    assert usage["candidatesTokenCount"] + usage["thoughtsTokenCount"] == truth.output_tokens
    operation = "streamGenerateContent?alt=sse" if stream else "generateContent"
    assert only_request(provider).path == f"/gemini/v1beta/models/gemini-2.5-flash:{operation}"
