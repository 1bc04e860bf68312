"""What the fake provider answers with: the token counts, texts and usage payloads of every API,
and the small encoders (SSE events, text pieces, embedding vectors) the routes share."""

from __future__ import annotations

import json
from typing import Final, TypeAlias, cast

JSONObject: TypeAlias = dict[str, object]


MODEL_SUFFIX: Final = "-2026-01-01"
RESPONSE_TEXT: Final = "Hello from fake provider"
STREAM_TEXT_PIECES: Final = 5
THINKING_TEXT: Final = "Let me think about this carefully step by step."
THINKING_SIGNATURE: Final = "sig"
TOOL_CALL_ID: Final = "call_fake_1"
TOOL_ARGUMENTS: Final = '{"city": "Paris"}'
SLOW_SECONDS: Final = 0.2
TOKENS_HEADER: Final = "x-fake-tokens"  # request header alternative to user="tokens-<N>"

# /v1/chat/completions
CHAT_PROMPT_TOKENS: Final = 1200
CHAT_COMPLETION_TOKENS: Final = 300
CHAT_TOTAL_TOKENS: Final = 1500
CHAT_CACHED_TOKENS: Final = 1000
CHAT_REASONING_TOKENS: Final = 120

# /v1/completions
TEXT_PROMPT_TOKENS: Final = 11
TEXT_COMPLETION_TOKENS: Final = 7
TEXT_TOTAL_TOKENS: Final = 18

# /v1/embeddings
EMBEDDING_PROMPT_TOKENS: Final = 9
EMBEDDING_DEFAULT_DIMENSIONS: Final = 8

# /v1/responses
RESPONSES_INPUT_TOKENS: Final = 900
RESPONSES_CACHED_TOKENS: Final = 600
RESPONSES_OUTPUT_TOKENS: Final = 210
RESPONSES_REASONING_TOKENS: Final = 80
RESPONSES_TOTAL_TOKENS: Final = 1110

# /v1/responses/compact: one compaction pass over the conversation
COMPACTION_INPUT_TOKENS: Final = 5120
COMPACTION_CACHED_TOKENS: Final = 4096
COMPACTION_OUTPUT_TOKENS: Final = 830
COMPACTION_REASONING_TOKENS: Final = 512
COMPACTION_TOTAL_TOKENS: Final = 5950

# /v1/decisions: each predicate is answered true with this probability, each choice and score
# question with its first option at DECISION_TOP_PROBABILITY, the rest sharing what is left
DECISION_PROBABILITY: Final = 0.8125
DECISION_TOP_PROBABILITY: Final = 0.75
DECISIONS_INPUT_TOKENS: Final = 412  # includes the cached and the cache-written tokens
DECISIONS_CACHED_TOKENS: Final = 256
DECISIONS_CACHE_WRITE_TOKENS: Final = 128
DECISIONS_OUTPUT_TOKENS: Final = 3
DECISIONS_TOTAL_TOKENS: Final = 415

# /v1/messages
ANTHROPIC_INPUT_TOKENS: Final = 34
ANTHROPIC_CACHE_READ_INPUT_TOKENS: Final = 1000
ANTHROPIC_CACHE_CREATION_INPUT_TOKENS: Final = 200
ANTHROPIC_OUTPUT_TOKENS: Final = 300
ANTHROPIC_STREAM_START_OUTPUT_TOKENS: Final = 1  # output_tokens in the message_start event

# /v1/rerank and /v1/images/generations
RERANK_INPUT_TOKENS: Final = 25
IMAGE_INPUT_TOKENS: Final = 50
IMAGE_OUTPUT_TOKENS: Final = 200

# /v1/audio/transcriptions: the gpt-4o(-mini)-transcribe models report tokens, whisper-1 seconds
TRANSCRIPTION_TEXT: Final = "The quick brown fox jumps over the lazy dog at dawn."
TRANSCRIPTION_TEXT_TOKENS: Final = 17  # usage.input_token_details.text_tokens (the prompt's)
TRANSCRIPTION_AUDIO_TOKENS: Final = 193  # usage.input_token_details.audio_tokens
TRANSCRIPTION_INPUT_TOKENS: Final = 210  # text + audio
TRANSCRIPTION_OUTPUT_TOKENS: Final = 13
TRANSCRIPTION_TOTAL_TOKENS: Final = 223
TRANSCRIPTION_SECONDS: Final = 9  # whisper-1's usage.seconds: the audio's length, rounded up
TRANSCRIPTION_DURATION: Final = 8.47  # verbose_json's duration (seconds)
TRANSCRIPTION_LANGUAGE: Final = "english"  # verbose_json's language

# /v1/audio/speech
SPEECH_AUDIO_BYTES: Final = 512  # the length of every audio body

# /v1/moderations
MODERATION_FLAGGED_WORD: Final = "kill"  # an input whose text contains it is flagged for violence
MODERATION_VIOLENCE_SCORE: Final = 0.8642  # that input's category_scores["violence"]

# /v1/images/edits and /v1/images/variations, gpt-image-* models only
IMAGE_EDIT_TEXT_TOKENS: Final = 44  # the prompt's
IMAGE_EDIT_IMAGE_TOKENS: Final = 388  # per input image
IMAGE_EDIT_OUTPUT_TOKENS: Final = 1056  # per image made

# /v1/videos: sora-2's defaults, for a request that names no seconds or size
VIDEO_SECONDS: Final = "4"
VIDEO_SIZE: Final = "720x1280"
VIDEO_CONTENT_BYTES: Final = 1024  # the length of GET /v1/videos/{id}/content's MP4 body

IMAGE_URL: Final = "https://example.invalid/fake-image.png"  # every image answered as a URL
# A 1x1 transparent PNG, for response_format="b64_json".
IMAGE_PNG_B64: Final = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def _chat_usage(prompt_tokens: int = CHAT_PROMPT_TOKENS, *, zero_cache: bool = False) -> JSONObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": CHAT_COMPLETION_TOKENS,
        "total_tokens": prompt_tokens + CHAT_COMPLETION_TOKENS,
        "prompt_tokens_details": {"cached_tokens": 0 if zero_cache else CHAT_CACHED_TOKENS},
        "completion_tokens_details": {"reasoning_tokens": CHAT_REASONING_TOKENS},
    }


def _text_usage(prompt_tokens: int = TEXT_PROMPT_TOKENS) -> JSONObject:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": TEXT_COMPLETION_TOKENS,
        "total_tokens": prompt_tokens + TEXT_COMPLETION_TOKENS,
    }


def _embedding_usage() -> JSONObject:
    return {"prompt_tokens": EMBEDDING_PROMPT_TOKENS, "total_tokens": EMBEDDING_PROMPT_TOKENS}


def _responses_usage(input_tokens: int = RESPONSES_INPUT_TOKENS, *, zero_cache: bool = False) -> JSONObject:
    return {
        "input_tokens": input_tokens,
        "input_tokens_details": {"cached_tokens": 0 if zero_cache else RESPONSES_CACHED_TOKENS},
        "output_tokens": RESPONSES_OUTPUT_TOKENS,
        "output_tokens_details": {"reasoning_tokens": RESPONSES_REASONING_TOKENS},
        "total_tokens": input_tokens + RESPONSES_OUTPUT_TOKENS,
    }


def _anthropic_usage(
    input_tokens: int = ANTHROPIC_INPUT_TOKENS,
    output_tokens: int = ANTHROPIC_OUTPUT_TOKENS,
    *,
    zero_cache: bool = False,
) -> JSONObject:
    return {
        "input_tokens": input_tokens,
        "cache_read_input_tokens": 0 if zero_cache else ANTHROPIC_CACHE_READ_INPUT_TOKENS,
        "cache_creation_input_tokens": 0 if zero_cache else ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
        "output_tokens": output_tokens,
    }


OPENAI_USAGE: Final = _chat_usage()
TEXT_COMPLETION_USAGE: Final = _text_usage()
EMBEDDING_USAGE: Final = _embedding_usage()
RESPONSES_USAGE: Final = _responses_usage()
ANTHROPIC_USAGE: Final = _anthropic_usage()


def _get_dict(obj: object, key: str) -> JSONObject:
    if isinstance(obj, dict):
        value = obj.get(key)
        if isinstance(value, dict):
            return cast(JSONObject, value)
    return {}


def _first_tool_name(tools: object) -> str | None:
    """Name of the first tool, in chat ({function: {name}}), Responses or Anthropic form."""
    if not isinstance(tools, list) or not tools:
        return None
    first: object = tools[0]
    if not isinstance(first, dict):
        return "tool"
    name = _get_dict(first, "function").get("name") or first.get("name")
    return name if isinstance(name, str) else "tool"


def _split(text: str, pieces: int) -> list[str]:
    """Split ``text`` into ``pieces`` non-empty, roughly equal parts."""
    size = -(-len(text) // pieces)
    return [text[i : i + size] for i in range(0, len(text), size)]


def _sse(payload: JSONObject, event: str | None = None) -> bytes:
    data = json.dumps(payload, separators=(",", ":"))
    prefix = f"event: {event}\n" if event else ""
    return f"{prefix}data: {data}\n\n".encode()


def _embedding_inputs(raw: object) -> int:
    if isinstance(raw, list):
        if raw and all(isinstance(x, int) for x in raw):
            return 1  # a single pre-tokenised input
        return max(len(raw), 1)
    return 1


def _vector(index: int, dims: int) -> list[float]:
    return [round(((index + 1) * 0.01 + (j + 1) * 0.1) % 1.0, 6) for j in range(dims)]
