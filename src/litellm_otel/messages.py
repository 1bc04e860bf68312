"""The Anthropic Messages API (`litellm.anthropic_messages`, the proxy's `/v1/messages`): pure
builders from its request, its result and its server-sent events to span attributes and content.

The shapes are Anthropic's wire format, which LiteLLM hands back as it is: the result is a plain
dict (`{"id", "model", "content": [blocks], "stop_reason", "usage"}`), a stream is the provider's
SSE bytes (LiteLLM 1.79 … 1.110.2; from a provider LiteLLM bridges to another API, the same
events re-encoded). Nothing here touches OpenTelemetry or LiteLLM.

Usage: Anthropic's `input_tokens` counts only the tokens after the last cache breakpoint; the
cache reads and writes are reported beside it. `gen_ai.usage.input_tokens` is all the input the
request processed (the conventions' rule, and what our chat spans say for Anthropic), so it is
their sum, and the cache counts are also given on their own.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import content
from litellm_otel import semconv as sc
from litellm_otel.content import Budget, Message, Part
from litellm_otel.extract import Attributes
from litellm_otel.readers import MAX_INT, MAX_TEXT, count, field, fields, text
from litellm_otel.stream_state import ChunkClock

# Anthropic's stop reasons as the finish reasons our chat spans carry for Anthropic (LiteLLM maps
# them so for chat: end_turn and stop_sequence are "stop", max_tokens is "length", tool_use is
# "tool_calls"); a reason not listed is kept as Anthropic spelled it.
FINISH_REASONS: Final = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "max_tokens": "length",
    "model_context_window_exceeded": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def finish_reason(stop_reason: object) -> str | None:
    reason = text(stop_reason)
    return None if reason is None else FINISH_REASONS.get(reason, reason)


def _count(value: object) -> int | None:
    # A plain int in range is taken as is (every count of every call): count() is for the rest.
    return value if type(value) is int and 0 <= value <= MAX_INT else count(value)


def usage_attributes(usage: object) -> Attributes:
    """`gen_ai.usage.*` from a Messages API usage (`input_tokens`, `cache_read_input_tokens`,
    `cache_creation_input_tokens`, `output_tokens`); a count absent stays absent, a reported
    0 is kept."""
    attributes: Attributes = {}
    _add_usage(attributes, usage)
    return attributes


def _add_usage(attributes: Attributes, usage: object) -> None:
    read = usage if type(usage) is dict else fields(usage)
    if not read:
        return
    uncached = _count(read.get("input_tokens"))
    cache_read = _count(read.get("cache_read_input_tokens"))
    cache_write = _count(read.get("cache_creation_input_tokens"))
    output = _count(read.get("output_tokens"))
    total_input = None if uncached is None else uncached + (cache_read or 0) + (cache_write or 0)
    if total_input is not None:
        attributes[sc.GEN_AI_USAGE_INPUT_TOKENS] = total_input
    if cache_read is not None:
        attributes[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = cache_read
    if cache_write is not None:
        attributes[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] = cache_write
    if output is not None:
        attributes[sc.GEN_AI_USAGE_OUTPUT_TOKENS] = output
        if total_input is not None:
            attributes[sc.GEN_AI_USAGE_TOTAL_TOKENS] = total_input + output


def _identity(read: Mapping[str, Any] | Any, attributes: Attributes) -> None:
    # text(), inline: read on every result.
    response_id = read.get("id")
    if type(response_id) is str and response_id:
        attributes[sc.GEN_AI_RESPONSE_ID] = response_id[:MAX_TEXT]
    model = read.get("model")
    if type(model) is str and model:
        attributes[sc.GEN_AI_RESPONSE_MODEL] = model[:MAX_TEXT]


def response_attributes(result: object) -> Attributes:
    """Response id, model, finish reason and usage of a Messages API result (a dict, as LiteLLM
    returns it, or an object of the same fields)."""
    read = result if type(result) is dict else fields(result)
    attributes: Attributes = {}
    _identity(read, attributes)
    reason = finish_reason(read.get("stop_reason"))
    if reason is not None:
        attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = [reason]
    _add_usage(attributes, read.get("usage"))
    return attributes


# A line of a stream longer than this is none of the events read here (message_start and
# message_delta are a few hundred bytes; text deltas are short): it is skipped, not buffered.
_MAX_LINE: Final = 1 << 16
# Cheap tests, per chunk, of whether a chunk may hold an event worth decoding: every event but
# the content blocks' (message_start, message_delta, message_stop; error).
_MESSAGE_EVENT: Final = b'"message_'
_ERROR_EVENT: Final = b'"error"'


class MessagesStream(ChunkClock):
    """What a Messages API stream delivered so far, from its server-sent events: chunks of SSE
    bytes (as LiteLLM yields them, cut anywhere, several events in one or one in several), or
    already decoded events (dicts). Only the events that carry the message's identity, usage,
    stop reason or an error are decoded, unless content is captured; per chunk otherwise it
    costs a few byte searches."""

    __slots__ = ("_pending", "_skipping", "blocks", "error", "message", "stop_reason", "usage")

    def __init__(self, *, capture_content: bool = False) -> None:
        self.chunk_count = 0
        self.first_chunk_at = None
        self.last_chunk_at = None
        self._pending = b""  # the start of a line whose end has not arrived yet
        self._skipping = False  # inside a line longer than _MAX_LINE
        self.message: Mapping[str, Any] | None = None  # message_start's message
        self.usage: dict[str, int] = {}  # the largest of each count reported (they are cumulative)
        self.stop_reason: object = None
        self.error: tuple[str, str] | None = None  # an `error` event: its type and message
        # Content blocks by index, when content is captured: [block, [text deltas]].
        self.blocks: dict[int, list[Any]] | None = {} if capture_content else None

    def add(self, chunk: Any) -> None:
        # ChunkClock.add's timing, inline: a call per chunk would be ~15 % of a chunk's cost.
        now = time.perf_counter()
        if self.first_chunk_at is None:
            self.first_chunk_at = now
        self.last_chunk_at = now
        self.chunk_count += 1
        if type(chunk) is not bytes:
            if isinstance(chunk, str):
                chunk = chunk.encode("utf-8", "replace")
            elif isinstance(chunk, Mapping):
                self._event(chunk)
                return
            else:
                return
        # Per chunk, mostly a content delta: two searches, and nothing decoded.
        if self._skipping:
            end = chunk.find(b"\n")
            if end < 0:
                return
            self._skipping = False
            chunk = chunk[end + 1 :]
        data = self._pending + chunk if self._pending else chunk
        end = data.rfind(b"\n")
        if end < 0:
            self._keep(data)
            return
        self._pending = b""
        if end + 1 < len(data):
            self._keep(data[end + 1 :])
        if self.blocks is None and _MESSAGE_EVENT not in data and _ERROR_EVENT not in data:
            return
        for line in data[:end].split(b"\n"):
            if line.startswith(b"data:"):
                try:
                    event = json.loads(line[5:])
                except ValueError:  # not JSON, or not UTF-8: not an event we can read
                    continue
                if isinstance(event, dict):
                    self._event(event)

    def _keep(self, partial: bytes) -> None:
        if len(partial) > _MAX_LINE:
            self._pending, self._skipping = b"", True
        else:
            self._pending = partial

    def _event(self, event: Mapping[str, Any]) -> None:
        kind = event.get("type")
        if kind == "message_start":
            message = event.get("message")
            if isinstance(message, Mapping):
                self.message = message
                self._usage(message.get("usage"))
        elif kind == "message_delta":
            self._usage(event.get("usage"))
            reason = field(event.get("delta"), "stop_reason")
            if reason is not None:
                self.stop_reason = reason
        elif kind == "error":
            error = event.get("error")
            self.error = (text(field(error, "type")) or "error", text(field(error, "message")) or "")
        elif self.blocks is not None:
            self._content(kind, event)

    def _usage(self, usage: object) -> None:
        if not isinstance(usage, Mapping):
            return
        for name in (
            "input_tokens",
            "cache_read_input_tokens",
            "cache_creation_input_tokens",
            "output_tokens",
        ):
            value = count(usage.get(name))
            if value is not None and value >= self.usage.get(name, -1):
                self.usage[name] = value

    def _content(self, kind: object, event: Mapping[str, Any]) -> None:
        blocks = self.blocks
        index = count(event.get("index"))
        if blocks is None or index is None:
            return
        if kind == "content_block_start":
            block = event.get("content_block")
            blocks[index] = [dict(block) if isinstance(block, Mapping) else {}, []]
        elif kind == "content_block_delta" and index in blocks:
            delta = event.get("delta")
            for name in ("text", "thinking", "partial_json"):
                piece = field(delta, name)
                if isinstance(piece, str):
                    blocks[index][1].append(piece)
                    break

    def attributes(self) -> Attributes:
        """Response id, model, finish reason and usage of what the stream delivered."""
        attributes: Attributes = {}
        if self.message is not None:
            _identity(self.message, attributes)
        reason = finish_reason(self.stop_reason)
        if reason is not None:
            attributes[sc.GEN_AI_RESPONSE_FINISH_REASONS] = [reason]
        _add_usage(attributes, self.usage)
        return attributes

    def output_messages(self, budget: Budget) -> list[Message]:
        """The streamed message's content blocks, assembled, as the output message."""
        if not self.blocks:
            return []
        assembled = []
        for _, (block, pieces) in sorted(self.blocks.items()):
            kind = block.get("type")
            joined = "".join(pieces)
            if kind == "text":
                block["text"] = block.get("text", "") + joined
            elif kind == "thinking":
                block["thinking"] = block.get("thinking", "") + joined
            elif kind == "tool_use" and joined:
                block["input"] = joined
            assembled.append(block)
        return [_message("assistant", assembled, budget, finish_reason(self.stop_reason) or "")]


# -- content (opt-in only) -------------------------------------------------------------------


def _media(block: object, budget: Budget) -> Part:
    source = field(block, "source")
    kind = text(field(block, "type")) or "image"
    modality = "image" if kind == "image" else kind
    if field(source, "type") == "url":
        url = text(field(source, "url"))
        return {"type": "uri", "modality": modality, "uri": budget.take(url)} if url else {"type": kind}
    return content.blob_part(modality, text(field(source, "media_type")), field(source, "data"), budget)


def _parts(blocks: object, budget: Budget) -> list[Part]:
    """Anthropic content blocks as GenAI message parts."""
    if isinstance(blocks, str):
        return [{"type": "text", "content": budget.take(blocks)}]
    if not isinstance(blocks, Sequence):
        return []
    parts: list[Part] = []
    for block in blocks:
        kind = field(block, "type")
        if kind == "text":
            value = field(block, "text")
            if isinstance(value, str):
                parts.append({"type": "text", "content": budget.take(value)})
        elif kind == "thinking":
            value = field(block, "thinking")
            if isinstance(value, str):
                parts.append({"type": "reasoning", "content": budget.take(value)})
        elif kind in ("tool_use", "server_tool_use"):
            part: Part = {
                "type": "tool_call",
                "id": text(field(block, "id")),
                "name": text(field(block, "name")),
            }
            arguments = content.tool_arguments(field(block, "input"), budget)
            if arguments is not None:
                part["arguments"] = arguments
            parts.append(part)
        elif kind == "tool_result":
            result = field(block, "content")
            response: Any = _parts(result, budget) if not isinstance(result, str) else budget.take(result)
            parts.append(
                {"type": "tool_call_response", "id": text(field(block, "tool_use_id")), "response": response}
            )
        elif kind in ("image", "document"):
            parts.append(_media(block, budget))
        elif isinstance(kind, str):
            parts.append({"type": kind[:MAX_TEXT]})  # redacted thinking, search results, …: the kind alone
    return parts


def _message(role: str, blocks: object, budget: Budget, reason: str | None = None) -> Message:
    message: Message = {"role": role, "parts": _parts(blocks, budget)}
    if reason is not None:
        message["finish_reason"] = reason
    return message


def input_messages(messages: object, budget: Budget) -> list[Message]:
    """The conversation as sent: each message's role and its content blocks as parts."""
    if not isinstance(messages, Sequence) or isinstance(messages, str):
        return []
    return [
        _message(text(field(message, "role")) or "user", field(message, "content"), budget)
        for message in messages
    ]


def system_instructions(system: object, budget: Budget) -> list[Part]:
    """The `system` prompt: a string or a list of text blocks."""
    return _parts(system, budget)


def tool_definitions(tools: object, budget: Budget) -> list[dict[str, Any]]:
    """The tools offered: client tools (`name`, `description`, `input_schema`) as functions,
    Anthropic's server tools (web search, code execution, …) by their type and name."""
    if not isinstance(tools, Sequence) or isinstance(tools, str):
        return []
    definitions: list[dict[str, Any]] = []
    for tool in tools:
        if not fields(tool):  # None, or an empty mapping: no tool
            continue
        kind = text(field(tool, "type"))
        definitions.append(
            content.tool_definition(
                "function" if kind in (None, "custom") else kind,
                field(tool, "name"),
                field(tool, "description"),
                field(tool, "input_schema"),
                budget,
            )
        )
    return definitions


def output_messages(result: object, budget: Budget) -> list[Message]:
    """A Messages API result's content blocks as the output message."""
    read = fields(result)
    blocks = read.get("content")
    if blocks is None:
        return []
    return [
        _message(
            text(read.get("role")) or "assistant",
            blocks,
            budget,
            finish_reason(read.get("stop_reason")) or "",
        )
    ]
