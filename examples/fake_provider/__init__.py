"""A fake LLM provider HTTP server for tests and offline demos.

Stdlib only. LiteLLM talks to it over real HTTP (httpx or aiohttp), so the whole
client stack -- request building, SSE parsing, usage extraction, error mapping --
runs exactly as it would against the real provider.

Usage::

    with FakeProvider() as provider:
        litellm.completion(model="openai/fake-gpt", api_base=provider.openai_base,
                           api_key="sk-test", messages=[{"role": "user", "content": "hi"}])
        assert provider.requests[-1].path == "/v1/chat/completions"

    python examples/fake_provider 8099   # serve on 127.0.0.1:8099 until Ctrl-C

``api_base`` to pass to LiteLLM, per provider prefix:

* ``openai/``, ``text-completion-openai/``  -> ``provider.openai_base`` (``.../v1``);
  LiteLLM (the OpenAI SDK) appends ``/chat/completions``, ``/completions``,
  ``/embeddings``, ``/responses`` and ``/images/generations``.
* ``anthropic/`` -> ``provider.base_url`` (no ``/v1``); LiteLLM appends
  ``/v1/messages`` itself, so passing ``openai_base`` would hit ``/v1/v1/messages``.
* ``transcription``, ``speech``, ``moderation``, ``image_edit``, ``image_variation``,
  ``video_generation`` / ``video_status`` / ``video_content`` / ``video_edit`` /
  ``video_extension``, ``compact_responses``, ``decisions`` and ``systemone`` with ``openai/`` models ->
  ``provider.openai_base`` (LiteLLM 1.79's ``moderation`` takes no ``api_base``: pass an OpenAI
  ``client`` whose ``base_url`` is ``openai_base``).
* ``ocr`` with ``mistral/mistral-ocr-latest`` -> ``provider.base_for("mistral") + "/v1"``;
  ``search`` with ``search_provider="perplexity"`` -> ``provider.base_for("perplexity")``;
  ``extraction`` with ``cloudflare/clairic`` ->
  ``provider.base_for("cloudflare") + "/client/v4/accounts/<any id>/ai/run"``;
  ``google_genai.generate_content`` with ``gemini/`` models ->
  ``provider.base_for("gemini") + "/v1beta"``; ``interactions.create`` with ``gemini/`` models
  or an ``agent`` -> ``provider.base_for("gemini")`` (LiteLLM appends ``/v1beta/interactions``).
* rerank: ``cohere/`` with ``api_base=provider.base_url + "/v1/rerank"`` (a base that
  ends in ``/v1/rerank`` selects LiteLLM's Cohere v1 client and is used verbatim; a bare
  ``base_url`` selects the v2 client, which posts to ``/v2/rerank`` -- also served), or
  ``hosted_vllm/`` with ``api_base=provider.openai_base`` (LiteLLM appends ``/rerank``).

Endpoints (POST): ``/v1/chat/completions``, ``/v1/completions``, ``/v1/embeddings``,
``/v1/responses``, ``/v1/messages``, ``/v1/images/generations``, ``/v1/images/edits``,
``/v1/images/variations``, ``/v1/audio/transcriptions``, ``/v1/audio/speech``,
``/v1/moderations``, ``/v1/videos``, ``/v1/videos/edits``, ``/v1/videos/extensions``,
``/v1/responses/compact``, ``/v1/decisions``, ``/v1/rerank`` (and ``/v2/rerank``); (GET)
``/v1/videos/{id}`` and ``/v1/videos/{id}/content``. ``multipart/form-data`` bodies
(transcriptions, image edits and variations) are read into their fields, so their ``model``
selects scenarios as a JSON body's does, and are recorded so: a file as ``{"filename",
"content_type", "size"}``, a repeated field (``image[]``) as a list. ``"stream": true`` is
honoured by chat/completions, completions, responses and messages. Streams use chunked
transfer-encoding; other responses carry Content-Length and keep the connection alive.

The returned ``model`` is always the request model + ``MODEL_SUFFIX`` ("-2026-01-01"), so
tests can tell the request model from the response model (the provider wires under ``wires``
answer their provider's own dated model names instead).

Scenarios, selected by a (case-sensitive) substring of the request body's ``model``:

* ``error-429`` / ``error-500`` / ``error-401`` / ``error-400``: that HTTP status with an
  OpenAI-style JSON error body (Anthropic-style on ``/v1/messages``). Error responses
  carry ``x-should-retry: false`` so the OpenAI SDK does not retry them: one call -> one
  recorded request, and no back-off sleeps.
* ``midstream-error`` (streaming only): two content deltas are sent, then the connection
  is closed without terminating the chunked body, so the client raises mid-stream.
* ``flaky-<N>``: the first N requests for that exact model answer 429 as a real provider does
  (``retry-after: 0``, no ``x-should-retry: false``), so clients that retry do; the next ones
  succeed. ``reset()`` starts the count again.
* ``error-event`` (streaming ``/v1/messages`` only): after two text deltas an Anthropic
  ``event: error`` (``overloaded_error``), then the body ends normally.
* ``slow``: sleep ``SLOW_SECONDS`` (0.2 s) before answering.

A video edit or extension names no model: the source video's (or a ``model`` put in the body
with ``extra_body``) selects its scenario.
* ``no-usage``: chat/completions omits ``usage`` (non-streaming) and never sends the
  usage chunk (streaming).
* ``tool-once``: a request offering tools gets a tool call only until the conversation ends
  with a tool result; then a text answer (an agent loop's last turn). Without it, every request
  offering tools gets a call of the first tool offered, or of the one ``tool_choice`` names
  (``tool_choice: "none"``: a text answer), with ``TOOL_ARGUMENTS``.
* ``zero-cache``: cached-token counts are reported as a real ``0`` (chat
  ``prompt_tokens_details.cached_tokens``, responses ``input_tokens_details.cached_tokens``,
  Anthropic ``cache_read_input_tokens`` and ``cache_creation_input_tokens``).

Usage variation: a ``tokens-<N>`` marker replaces the prompt / base input token count
with N. It is read from the body's ``user``, ``safety_identifier`` or
``metadata.user_id`` (LiteLLM's ``anthropic/`` sends ``user`` as ``metadata.user_id``),
or from an ``x-fake-tokens: tokens-<N>`` request header (``TOKENS_HEADER``; pass it via
``extra_headers``). Note LiteLLM's ``openai/`` provider silently drops ``user`` for model
names outside OpenAI's catalog (e.g. ``openai/fake-gpt``): use ``safety_identifier`` or the
header there. The override applies to chat ``prompt_tokens``, completions ``prompt_tokens``,
responses ``input_tokens`` and Anthropic ``input_tokens``; totals are adjusted.

Usage numbers are the module constants below (``CHAT_*``, ``TEXT_*``, ``EMBEDDING_*``,
``RESPONSES_*``, ``COMPACTION_*``, ``ANTHROPIC_*``, ``RERANK_*``, ``IMAGE_*``, ``TRANSCRIPTION_*``,
``SPEECH_*``, ``MODERATION_*``, ``VIDEO_*``, ``DECISION(S)_*``) and the convenience dicts
``OPENAI_USAGE``, ``TEXT_COMPLETION_USAGE``, ``EMBEDDING_USAGE``, ``RESPONSES_USAGE``,
``ANTHROPIC_USAGE`` (the exact non-streaming wire ``usage`` objects; treat them as
read-only). ``RecordedRequest.headers`` keys are lower-cased. ``reset()`` clears
``requests``, the flaky counts and the videos made; ids keep counting up. Each provider wire
keeps its own numbers in its module (``wires.mistral.OCR_*``, ``wires.perplexity.SEARCH_*``,
``wires.cloudflare.EXTRACTION_*``).

LiteLLM (1.106) behaviour worth knowing when driving this server:

* ``litellm.responses(stream=True)`` for a model missing from LiteLLM's cost map sends a
  *non-streaming* request and fakes the stream client-side; ``litellm.register_model`` the
  fake model name (``{"litellm_provider": "openai", "mode": "responses"}``) to get a real
  stream (needed for ``midstream-error`` on ``/v1/responses``).
* Anthropic: LiteLLM's ``prompt_tokens`` = input + cache_read + cache_creation
  (34 + 1000 + 200 = 1234), and ``reasoning_tokens`` is LiteLLM's own estimate from the
  thinking text (Anthropic reports none).
* ``midstream-error`` surfaces as ``litellm.MidStreamFallbackError`` for chat (both
  providers), but as a raw ``httpx.RemoteProtocolError`` from ``litellm.responses``.

Layout: ``wire`` (the numbers and payloads), ``scenarios`` (what selects a response), ``base``
(HTTP plumbing), ``multipart`` (form bodies), one module of routes per API (``openai``,
``anthropic``, ``rerank``, ``audio``, ``images``, ``moderation``, ``videos``, ``decisions``) and
``server`` (routing and ``FakeProvider``). A new provider's wire format is a new routes module
mixed into ``server._Handler``.
"""

from .audio import speech_audio
from .base import RecordedRequest
from .server import FakeProvider
from .videos import video_content
from .wire import (
    ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
    ANTHROPIC_CACHE_READ_INPUT_TOKENS,
    ANTHROPIC_INPUT_TOKENS,
    ANTHROPIC_OUTPUT_TOKENS,
    ANTHROPIC_STREAM_START_OUTPUT_TOKENS,
    ANTHROPIC_USAGE,
    CHAT_CACHED_TOKENS,
    CHAT_COMPLETION_TOKENS,
    CHAT_PROMPT_TOKENS,
    CHAT_REASONING_TOKENS,
    CHAT_TOTAL_TOKENS,
    COMPACTION_CACHED_TOKENS,
    COMPACTION_INPUT_TOKENS,
    COMPACTION_OUTPUT_TOKENS,
    COMPACTION_REASONING_TOKENS,
    COMPACTION_TOTAL_TOKENS,
    DECISION_PROBABILITY,
    DECISION_TOP_PROBABILITY,
    DECISIONS_CACHE_WRITE_TOKENS,
    DECISIONS_CACHED_TOKENS,
    DECISIONS_INPUT_TOKENS,
    DECISIONS_OUTPUT_TOKENS,
    DECISIONS_TOTAL_TOKENS,
    EMBEDDING_DEFAULT_DIMENSIONS,
    EMBEDDING_PROMPT_TOKENS,
    EMBEDDING_USAGE,
    IMAGE_EDIT_IMAGE_TOKENS,
    IMAGE_EDIT_OUTPUT_TOKENS,
    IMAGE_EDIT_TEXT_TOKENS,
    IMAGE_INPUT_TOKENS,
    IMAGE_OUTPUT_TOKENS,
    IMAGE_PNG_B64,
    IMAGE_URL,
    MODEL_SUFFIX,
    MODERATION_FLAGGED_WORD,
    MODERATION_VIOLENCE_SCORE,
    OPENAI_USAGE,
    RERANK_INPUT_TOKENS,
    RESPONSE_TEXT,
    RESPONSES_CACHED_TOKENS,
    RESPONSES_INPUT_TOKENS,
    RESPONSES_OUTPUT_TOKENS,
    RESPONSES_REASONING_TOKENS,
    RESPONSES_TOTAL_TOKENS,
    RESPONSES_USAGE,
    SLOW_SECONDS,
    SPEECH_AUDIO_BYTES,
    STREAM_TEXT_PIECES,
    TEXT_COMPLETION_TOKENS,
    TEXT_COMPLETION_USAGE,
    TEXT_PROMPT_TOKENS,
    TEXT_TOTAL_TOKENS,
    THINKING_SIGNATURE,
    THINKING_TEXT,
    TOKENS_HEADER,
    TOOL_ARGUMENTS,
    TOOL_CALL_ID,
    TRANSCRIPTION_AUDIO_TOKENS,
    TRANSCRIPTION_DURATION,
    TRANSCRIPTION_INPUT_TOKENS,
    TRANSCRIPTION_LANGUAGE,
    TRANSCRIPTION_OUTPUT_TOKENS,
    TRANSCRIPTION_SECONDS,
    TRANSCRIPTION_TEXT,
    TRANSCRIPTION_TEXT_TOKENS,
    TRANSCRIPTION_TOTAL_TOKENS,
    VIDEO_CONTENT_BYTES,
    VIDEO_SECONDS,
    VIDEO_SIZE,
)

__all__ = [
    "ANTHROPIC_CACHE_CREATION_INPUT_TOKENS",
    "ANTHROPIC_CACHE_READ_INPUT_TOKENS",
    "ANTHROPIC_INPUT_TOKENS",
    "ANTHROPIC_OUTPUT_TOKENS",
    "ANTHROPIC_STREAM_START_OUTPUT_TOKENS",
    "ANTHROPIC_USAGE",
    "CHAT_CACHED_TOKENS",
    "CHAT_COMPLETION_TOKENS",
    "CHAT_PROMPT_TOKENS",
    "CHAT_REASONING_TOKENS",
    "CHAT_TOTAL_TOKENS",
    "COMPACTION_CACHED_TOKENS",
    "COMPACTION_INPUT_TOKENS",
    "COMPACTION_OUTPUT_TOKENS",
    "COMPACTION_REASONING_TOKENS",
    "COMPACTION_TOTAL_TOKENS",
    "DECISIONS_CACHED_TOKENS",
    "DECISIONS_CACHE_WRITE_TOKENS",
    "DECISIONS_INPUT_TOKENS",
    "DECISIONS_OUTPUT_TOKENS",
    "DECISIONS_TOTAL_TOKENS",
    "DECISION_PROBABILITY",
    "DECISION_TOP_PROBABILITY",
    "EMBEDDING_DEFAULT_DIMENSIONS",
    "EMBEDDING_PROMPT_TOKENS",
    "EMBEDDING_USAGE",
    "IMAGE_EDIT_IMAGE_TOKENS",
    "IMAGE_EDIT_OUTPUT_TOKENS",
    "IMAGE_EDIT_TEXT_TOKENS",
    "IMAGE_INPUT_TOKENS",
    "IMAGE_OUTPUT_TOKENS",
    "IMAGE_PNG_B64",
    "IMAGE_URL",
    "MODEL_SUFFIX",
    "MODERATION_FLAGGED_WORD",
    "MODERATION_VIOLENCE_SCORE",
    "OPENAI_USAGE",
    "RERANK_INPUT_TOKENS",
    "RESPONSES_CACHED_TOKENS",
    "RESPONSES_INPUT_TOKENS",
    "RESPONSES_OUTPUT_TOKENS",
    "RESPONSES_REASONING_TOKENS",
    "RESPONSES_TOTAL_TOKENS",
    "RESPONSES_USAGE",
    "RESPONSE_TEXT",
    "SLOW_SECONDS",
    "SPEECH_AUDIO_BYTES",
    "STREAM_TEXT_PIECES",
    "TEXT_COMPLETION_TOKENS",
    "TEXT_COMPLETION_USAGE",
    "TEXT_PROMPT_TOKENS",
    "TEXT_TOTAL_TOKENS",
    "THINKING_SIGNATURE",
    "THINKING_TEXT",
    "TOKENS_HEADER",
    "TOOL_ARGUMENTS",
    "TOOL_CALL_ID",
    "TRANSCRIPTION_AUDIO_TOKENS",
    "TRANSCRIPTION_DURATION",
    "TRANSCRIPTION_INPUT_TOKENS",
    "TRANSCRIPTION_LANGUAGE",
    "TRANSCRIPTION_OUTPUT_TOKENS",
    "TRANSCRIPTION_SECONDS",
    "TRANSCRIPTION_TEXT",
    "TRANSCRIPTION_TEXT_TOKENS",
    "TRANSCRIPTION_TOTAL_TOKENS",
    "VIDEO_CONTENT_BYTES",
    "VIDEO_SECONDS",
    "VIDEO_SIZE",
    "FakeProvider",
    "RecordedRequest",
    "speech_audio",
    "video_content",
]
