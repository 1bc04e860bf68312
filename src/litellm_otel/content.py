"""Prompt and completion content in the GenAI message schemas (opt-in only, SPEC §4).

Pure functions: LiteLLM call arguments and results in, lists of `{"role", "parts"}` messages
out, with text, `tool_call`, `tool_call_response`, `uri` and `blob` parts. A `Budget` bounds
how many characters of content one attribute or event field may hold. Nothing here runs unless
the user opted in to content capture.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from litellm_otel.readers import count, field, text

Part = dict[str, Any]
Message = dict[str, Any]

_TRUNCATED = "…[truncated]"


class Budget:
    """Characters of content left for one attribute or event field."""

    __slots__ = ("left",)

    def __init__(self, max_length: int) -> None:
        self.left = max_length

    def take(self, value: str) -> str:
        if len(value) <= self.left:
            self.left -= len(value)
            return value
        kept = value[: max(self.left, 0)]
        self.left = 0
        return kept + _TRUNCATED


def tool_arguments(raw: object, budget: Budget) -> Any:
    """Tool-call arguments: the JSON object when they parse (and fit), else the bounded string."""
    if isinstance(raw, str):
        if len(raw) <= budget.left:
            try:
                parsed = json.loads(raw)
            except ValueError:
                return budget.take(raw)
            budget.left -= len(raw)
            return parsed
        return budget.take(raw)
    if isinstance(raw, Mapping):
        return tool_arguments(json.dumps(raw, default=str), budget)
    return None


def _tool_call_part(call: object, budget: Budget) -> Part:
    function = field(call, "function")
    part: Part = {"type": "tool_call", "id": text(field(call, "id")), "name": text(field(function, "name"))}
    arguments = tool_arguments(field(function, "arguments"), budget)
    if arguments is not None:
        part["arguments"] = arguments
    return part


def blob_part(modality: str, mime_type: str | None, data: object, budget: Budget) -> Part:
    """An inline blob: its content kept only while it fits the budget, never truncated into
    invalid base64."""
    part: Part = {"type": "blob", "modality": modality, "mime_type": mime_type}
    if isinstance(data, str) and len(data) <= budget.left:
        budget.left -= len(data)
        part["content"] = data
    return part


def _media_part(url: str, budget: Budget) -> Part:
    if not url.startswith("data:"):
        return {"type": "uri", "modality": "image", "uri": budget.take(url)}
    header, _, data = url.partition(",")
    return blob_part("image", header[5:].split(";")[0] or None, data, budget)


def _content_parts(content: object, budget: Budget) -> list[Part]:
    if isinstance(content, str):
        return [{"type": "text", "content": budget.take(content)}]
    parts: list[Part] = []
    if not isinstance(content, Sequence):
        return parts
    for item in content:
        kind = field(item, "type")
        if kind in ("text", "input_text", "output_text"):
            value = field(item, "text")
            if isinstance(value, str):
                parts.append({"type": "text", "content": budget.take(value)})
        elif kind in ("image_url", "input_image"):
            image = field(item, "image_url")
            url = field(image, "url") if not isinstance(image, str) else image
            if isinstance(url, str):
                parts.append(_media_part(url, budget))
        elif isinstance(kind, str):
            parts.append({"type": kind})  # audio, files, …: the kind without the payload
    return parts


def input_messages(messages: object, budget: Budget) -> list[Message]:
    """Chat history as sent. System messages stay in it: for chat completions they are part of
    the history, which is where the conventions put them (`gen_ai.system_instructions` is for
    instructions given apart from it, such as the Responses API's `instructions`)."""
    if isinstance(messages, str):  # Responses API / text completion input
        return [{"role": "user", "parts": [{"type": "text", "content": budget.take(messages)}]}]
    if not isinstance(messages, Sequence):
        return []
    result: list[Message] = []
    for message in messages:
        role = text(field(message, "role"))
        if role is None and field(message, "type") == "function_call_output":  # Responses API item
            output = field(message, "output")
            result.append(
                {
                    "role": "tool",
                    "parts": [
                        {
                            "type": "tool_call_response",
                            "id": text(field(message, "call_id")),
                            "response": budget.take(output) if isinstance(output, str) else output,
                        }
                    ],
                }
            )
            continue
        if role == "tool":
            content = field(message, "content")
            parts: list[Part] = [
                {
                    "type": "tool_call_response",
                    "id": text(field(message, "tool_call_id")),
                    "response": budget.take(content) if isinstance(content, str) else content,
                }
            ]
        else:
            parts = _content_parts(field(message, "content"), budget)
            for call in field(message, "tool_calls") or ():
                parts.append(_tool_call_part(call, budget))
        entry: Message = {"role": role or "user", "parts": parts}
        name = text(field(message, "name"))
        if name is not None:
            entry["name"] = name
        result.append(entry)
    return result


def system_instructions(instructions: object, budget: Budget) -> list[Part]:
    """Instructions given apart from the history (the Responses API's `instructions`)."""
    if isinstance(instructions, str) and instructions:
        return [{"type": "text", "content": budget.take(instructions)}]
    return []


def tool_definitions(tools: object, budget: Budget) -> list[dict[str, Any]]:
    """The tools offered to the model: type, name, description and parameters schema."""
    if not isinstance(tools, Sequence):
        return []
    result: list[dict[str, Any]] = []
    for tool in tools:
        function = field(tool, "function") or tool  # chat: {"function": {...}}; Responses: flat
        result.append(
            tool_definition(
                text(field(tool, "type")) or "function",
                field(function, "name"),
                field(function, "description"),
                field(function, "parameters"),
                budget,
            )
        )
    return result


def tool_definition(
    kind: str, name: object, description: object, parameters: object, budget: Budget
) -> dict[str, Any]:
    """One tool definition: its type, name, description and parameters schema (the schema whole
    while it fits the budget, else None: a cut schema is no schema)."""
    definition: dict[str, Any] = {"type": kind}
    name = text(name)
    if name is not None:
        definition["name"] = name
    if isinstance(description, str):
        definition["description"] = budget.take(description)
    if isinstance(parameters, Mapping):
        size = len(json.dumps(parameters, default=str))
        definition["parameters"] = parameters if size <= budget.left else None
        budget.left -= min(size, budget.left)
    return definition


def output_messages(response: object, budget: Budget) -> list[Message]:
    """The model's output: one message per choice (chat, text), or the Responses API items."""
    choices = field(response, "choices")
    if isinstance(choices, Sequence) and not isinstance(choices, str):
        result: list[Message] = []
        for choice in choices:
            message = field(choice, "message")
            parts = _content_parts(field(message, "content"), budget) if message is not None else []
            if message is None:  # text completion choice
                value = field(choice, "text")
                if isinstance(value, str):
                    parts.append({"type": "text", "content": budget.take(value)})
            for call in field(message, "tool_calls") or ():
                parts.append(_tool_call_part(call, budget))
            result.append(
                {
                    "role": text(field(message, "role")) or "assistant",
                    "parts": parts,
                    "finish_reason": text(field(choice, "finish_reason")) or "",
                }
            )
        return result
    output = field(response, "output")
    if not isinstance(output, Sequence):
        return []
    parts = []
    for item in output:
        kind = field(item, "type")
        if kind == "message":
            parts.extend(_content_parts(field(item, "content"), budget))
        elif kind == "function_call":
            parts.append(
                {
                    "type": "tool_call",
                    "id": text(field(item, "call_id")),
                    "name": text(field(item, "name")),
                    "arguments": tool_arguments(field(item, "arguments"), budget),
                }
            )
    status = text(field(response, "status"))
    return [
        {
            "role": "assistant",
            "parts": parts,
            "finish_reason": "stop" if status == "completed" else status or "",
        }
    ]


class StreamContent:
    """Text and tool-call deltas of a stream, per choice; exists only when capture is on."""

    __slots__ = ("texts", "tool_calls")

    def __init__(self) -> None:
        self.texts: dict[int, list[str]] = {}
        self.tool_calls: dict[tuple[int, int], list[Any]] = {}  # (choice, call) -> [id, name, [args]]

    def add(self, chunk: object) -> None:
        choices = field(chunk, "choices")
        if not choices:
            delta_text = field(chunk, "delta")  # Responses API output_text delta events
            if isinstance(delta_text, str) and field(chunk, "type") == "response.output_text.delta":
                self.texts.setdefault(0, []).append(delta_text)
            return
        for choice in choices:
            index = count(field(choice, "index")) or 0
            delta = field(choice, "delta")
            content = field(delta, "content") if delta is not None else field(choice, "text")
            if isinstance(content, str) and content:
                self.texts.setdefault(index, []).append(content)
            for call in field(delta, "tool_calls") or ():
                key = (index, count(field(call, "index")) or 0)
                entry = self.tool_calls.setdefault(key, [None, None, []])
                entry[0] = field(call, "id") or entry[0]
                function = field(call, "function")
                entry[1] = field(function, "name") or entry[1]
                arguments = field(function, "arguments")
                if isinstance(arguments, str):
                    entry[2].append(arguments)

    def messages(self, finish_reasons: Mapping[int, str] | None, budget: Budget) -> list[Message]:
        indexes = sorted(set(self.texts) | {choice for choice, _ in self.tool_calls})
        result: list[Message] = []
        for index in indexes:
            parts: list[Part] = []
            if index in self.texts:
                parts.append({"type": "text", "content": budget.take("".join(self.texts[index]))})
            for (choice, _), (call_id, name, arguments) in sorted(self.tool_calls.items()):
                if choice == index:
                    parts.append(
                        {
                            "type": "tool_call",
                            "id": call_id,
                            "name": name,
                            "arguments": tool_arguments("".join(arguments), budget),
                        }
                    )
            reason = (finish_reasons or {}).get(index, "")
            result.append({"role": "assistant", "parts": parts, "finish_reason": reason})
        return result
