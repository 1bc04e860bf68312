"""Audio transcription (`litellm.transcription` / `atranscription`, the proxy's
`/v1/audio/transcriptions`): pure builders from its arguments and result to span attributes.

LiteLLM hands back a `TranscriptionResponse` (1.79 … 1.110.2) whose `usage` is OpenAI's: for the
token-billed models (gpt-4o-transcribe) input tokens with their audio/text split and output
tokens; for the time-billed ones (whisper-1) `{"type": "duration", "seconds": …}`. A
`verbose_json` result also says the audio's `duration`. Nothing here touches OpenTelemetry.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import count, fields, number

_REQUEST: Final[Attributes] = {sc.GEN_AI_OUTPUT_TYPE: sc.OUTPUT_TEXT}


KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    """What a transcription adds to the common request attributes: its output is text."""
    return dict(_REQUEST)


def response_attributes(result: object) -> Attributes:
    """Token counts (audio and text input split out) or billed seconds, from the result's usage."""
    read = fields(result)
    attributes: Attributes = {}
    usage = fields(read.get("usage"))
    input_tokens = count(usage.get("input_tokens"))
    if input_tokens is not None:
        attributes[sc.GEN_AI_USAGE_INPUT_TOKENS] = input_tokens
        details = fields(usage.get("input_token_details"))
        for name, key in (
            ("audio_tokens", sc.LITELLM_USAGE_AUDIO_INPUT_TOKENS),
            ("text_tokens", sc.LITELLM_USAGE_TEXT_INPUT_TOKENS),
        ):
            value = count(details.get(name))
            if value is not None:
                attributes[key] = value
    output_tokens = count(usage.get("output_tokens"))
    if output_tokens is not None:
        attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS] = output_tokens
    total = count(usage.get("total_tokens"))
    if total is not None:
        attributes[sc.GEN_AI_USAGE_TOTAL_TOKENS] = total
    seconds = number(usage.get("seconds")) if usage.get("type") == "duration" else None
    if seconds is None:
        seconds = number(read.get("duration"))  # verbose_json: the audio's length
    if seconds is not None and seconds >= 0:
        attributes[sc.LITELLM_USAGE_AUDIO_SECONDS] = seconds
    return attributes


def output_text(result: object) -> str | None:
    """The transcript, for content capture (opt-in only)."""
    if isinstance(result, str):
        return result or None
    value = fields(result).get("text")
    return value if isinstance(value, str) and value else None
