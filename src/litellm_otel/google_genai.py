"""Google GenAI's generateContent (`litellm.google_genai.generate_content` / `agenerate_content`,
the proxy's `/v1beta/models/{model}:generateContent`): pure builders from its arguments and
result to span attributes.

LiteLLM hands back Gemini's own response (1.79 … 1.110.2; for a provider without a native
generateContent API, LiteLLM's completion result converted to it): `responseId`, `modelVersion`,
`candidates[].finishReason` and `usageMetadata`, spelled in camelCase as on the wire (snake_case
where a google-genai SDK object stands in). Usage: `promptTokenCount` includes the cached
tokens (`cachedContentTokenCount`); `candidatesTokenCount` excludes the thinking tokens
(`thoughtsTokenCount`), which the output count includes here, as on every chat span. Nothing
here touches OpenTelemetry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import MAX_TEXT, count, fields
from litellm_otel.stream_state import ChunkClock

# Gemini's finish reasons as our chat spans carry them for Gemini (LiteLLM maps them so for chat).
FINISH_REASONS: Final = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "MALFORMED_FUNCTION_CALL": "tool_calls",
}


def _get(read: Mapping[str, Any] | Any, camel: str, snake: str) -> Any:
    value = read.get(camel)
    return read.get(snake) if value is None else value


KEPT_FROM_REQUEST: Final[frozenset[str]] = frozenset()  # the result's figures win


def request_attributes(params: Mapping[str, Any]) -> Attributes:
    """`config`'s sampling parameters (Gemini's `generationConfig` names)."""
    config = params.get("config")
    if not isinstance(config, Mapping):
        return {}
    attributes: Attributes = {}
    for camel, snake, key in (
        ("temperature", "temperature", sc.GEN_AI_REQUEST_TEMPERATURE),
        ("topP", "top_p", sc.GEN_AI_REQUEST_TOP_P),
        ("topK", "top_k", sc.GEN_AI_REQUEST_TOP_K),
    ):
        value = _get(config, camel, snake)
        if isinstance(value, int | float) and not isinstance(value, bool):
            attributes[key] = float(value)
    max_tokens = count(_get(config, "maxOutputTokens", "max_output_tokens"))
    if max_tokens is not None:
        attributes[sc.GEN_AI_REQUEST_MAX_TOKENS] = max_tokens
    stop = _get(config, "stopSequences", "stop_sequences")
    if isinstance(stop, Sequence) and stop and all(isinstance(s, str) for s in stop):
        attributes[sc.GEN_AI_REQUEST_STOP_SEQUENCES] = list(stop)
    return attributes


def usage_attributes(usage: object) -> Attributes:
    """`gen_ai.usage.*` from a `usageMetadata`."""
    read = fields(usage)
    return token_attributes(
        prompt=count(_get(read, "promptTokenCount", "prompt_token_count")),
        tool_prompt=count(_get(read, "toolUsePromptTokenCount", "tool_use_prompt_token_count")),
        cached=count(_get(read, "cachedContentTokenCount", "cached_content_token_count")),
        candidates=count(_get(read, "candidatesTokenCount", "candidates_token_count")),
        thoughts=count(_get(read, "thoughtsTokenCount", "thoughts_token_count")),
        total=count(_get(read, "totalTokenCount", "total_token_count")),
    )


def token_attributes(
    *,
    prompt: int | None,
    tool_prompt: int | None,
    cached: int | None,
    candidates: int | None,
    thoughts: int | None,
    total: int | None,
) -> Attributes:
    """`gen_ai.usage.*` from Gemini's counts, however its API spells them (generateContent, the
    Interactions API): the prompt includes the cached tokens, and the tool-use prompt is prompt
    too; the answer excludes the thinking tokens, which the output count includes."""
    attributes: Attributes = {}
    if prompt is not None:
        attributes[sc.GEN_AI_USAGE_INPUT_TOKENS] = prompt + (tool_prompt or 0)
    if cached is not None:
        attributes[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = cached
    if candidates is not None or thoughts is not None:
        attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS] = (candidates or 0) + (thoughts or 0)
    if thoughts is not None:
        attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = thoughts
    if total is not None:
        attributes[sc.GEN_AI_USAGE_TOTAL_TOKENS] = total
    return attributes


def response_attributes(result: object) -> Attributes:
    """Id, model, finish reasons and usage of a generateContent response (or of a stream's
    chunk: the last one carries the whole usage)."""
    read = fields(result)
    attributes: Attributes = {}
    response_id = _get(read, "responseId", "response_id")
    if isinstance(response_id, str) and response_id:
        attributes[sc.GEN_AI_RESPONSE_ID] = response_id[:MAX_TEXT]
    model = _get(read, "modelVersion", "model_version")
    if isinstance(model, str) and model:
        attributes[sc.GEN_AI_RESPONSE_MODEL] = model[:MAX_TEXT]
    reasons = finish_reasons(read.get("candidates"))
    if reasons:
        attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = reasons
    attributes.update(usage_attributes(_get(read, "usageMetadata", "usage_metadata")))
    return attributes


def finish_reasons(candidates: object) -> list[str]:
    if not isinstance(candidates, Sequence) or isinstance(candidates, str | bytes):
        return []
    reasons = []
    for candidate in candidates:
        reason = _get(fields(candidate), "finishReason", "finish_reason")
        reason = getattr(reason, "value", reason)  # a google-genai enum
        if isinstance(reason, str) and reason:
            reasons.append(FINISH_REASONS.get(reason, reason.lower())[:MAX_TEXT])
    return reasons


def output_text(result: object) -> str | None:
    """The candidates' text parts, for content capture (opt-in only)."""
    candidates = fields(result).get("candidates")
    if not isinstance(candidates, Sequence) or isinstance(candidates, str | bytes):
        return None
    texts: list[str] = []
    for candidate in candidates:
        parts = fields(fields(candidate).get("content")).get("parts")
        if isinstance(parts, Sequence) and not isinstance(parts, str | bytes):
            texts.extend(p for p in (fields(part).get("text") for part in parts) if isinstance(p, str))
    return "".join(texts) or None


# A line longer than this is no event read here (a chunk is a few hundred bytes of JSON): skipped.
_MAX_LINE: Final = 1 << 20
_FINISH_REASON: Final = b'"finishReason"'


class GenerateContentStream(ChunkClock):
    """What a streamed generateContent (`generate_content_stream`) delivered so far: its
    server-sent events, each a whole generateContent response (`data: {…}`), as LiteLLM yields
    them (bytes cut anywhere; 1.79's async stream yields the whole body at once), or already
    decoded (dicts). The last event carries the whole usage; the id, model and finish reason are
    kept from whichever event last had them.

    Every event repeats the id, model and running usage, so an event is decoded only if it may
    say something no later one does (a finish reason) or content is captured; the last one is
    kept undecoded and decoded when the stream ends: per chunk a byte search, not a JSON parse
    (84k instructions a chunk when every event was decoded, 10k now)."""

    __slots__ = (
        "_last",
        "_pending",
        "_skipping",
        "finish_reasons",
        "response_id",
        "response_model",
        "texts",
        "usage",
    )

    def __init__(self, *, capture_content: bool = False) -> None:
        self.chunk_count = 0
        self.first_chunk_at = None
        self.last_chunk_at = None
        self._pending = b""
        self._skipping = False
        self._last = b""  # the latest event's line, not decoded yet
        self.usage: object = None
        self.response_id: object = None
        self.response_model: object = None
        self.finish_reasons: list[str] = []
        self.texts: list[str] | None = [] if capture_content else None

    def add(self, chunk: Any) -> None:
        ChunkClock.add(self, chunk)
        if isinstance(chunk, Mapping):
            self._event(chunk)
            return
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "replace")
        elif not isinstance(chunk, bytes):
            return
        if self._skipping:
            end = chunk.find(b"\n")
            if end < 0:
                return
            self._skipping = False
            chunk = chunk[end + 1 :]
        data = self._pending + chunk if self._pending else chunk
        end = data.rfind(b"\n")
        rest = data[end + 1 :]
        self._pending, self._skipping = (b"", True) if len(rest) > _MAX_LINE else (rest, False)
        for line in data[: max(end, 0)].split(b"\n"):
            if not line.startswith(b"data:"):
                continue
            if self.texts is None and _FINISH_REASON not in line:
                self._last = line
                continue
            self._last = b""
            self._decode(line)

    def _decode(self, line: bytes) -> None:
        try:
            event = json.loads(line[5:])
        except ValueError:  # not JSON, or not UTF-8: nothing to read
            return
        if isinstance(event, Mapping):
            self._event(event)

    def _event(self, event: Mapping[str, Any]) -> None:
        usage = _get(event, "usageMetadata", "usage_metadata")
        if usage is not None:
            self.usage = usage
        response_id = _get(event, "responseId", "response_id")
        if response_id is not None:
            self.response_id = response_id
        model = _get(event, "modelVersion", "model_version")
        if model is not None:
            self.response_model = model
        candidates = event.get("candidates")
        reasons = finish_reasons(candidates)
        if reasons:
            self.finish_reasons = reasons
        if self.texts is not None:
            piece = output_text(event)
            if piece:
                self.texts.append(piece)

    def attributes(self) -> Attributes:
        """Id, model, finish reasons and usage of what the stream delivered."""
        if self._last:
            self._decode(self._last)
            self._last = b""
        attributes = response_attributes(
            {"responseId": self.response_id, "modelVersion": self.response_model, "usageMetadata": self.usage}
        )
        if self.finish_reasons:
            attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = list(self.finish_reasons)
        return attributes

    def output_text(self) -> str | None:
        return "".join(self.texts) if self.texts else None
