"""OpenAI's wire formats: chat completions, completions, embeddings, responses and their
compaction.

``POST /v1/responses/compact`` read from OpenAI's API reference (responses, compact; 2026) and the
OpenAI SDK's ``CompactedResponse``: ``id``, ``object`` ("response.compaction"), ``created_at``,
``output`` (the conversation's user messages, then one ``compaction`` item with opaque
``encrypted_content``) and ``usage`` as the Responses API counts it. No ``model`` in the reply.
"""

from __future__ import annotations

import base64
import itertools
import struct
import time
from collections.abc import Iterable

from .base import Endpoint
from .scenarios import _Scenario
from .wire import (
    CHAT_PROMPT_TOKENS,
    COMPACTION_CACHED_TOKENS,
    COMPACTION_INPUT_TOKENS,
    COMPACTION_OUTPUT_TOKENS,
    COMPACTION_REASONING_TOKENS,
    EMBEDDING_DEFAULT_DIMENSIONS,
    RESPONSE_TEXT,
    RESPONSES_INPUT_TOKENS,
    STREAM_TEXT_PIECES,
    TEXT_PROMPT_TOKENS,
    TOOL_ARGUMENTS,
    TOOL_CALL_ID,
    JSONObject,
    _chat_usage,
    _embedding_inputs,
    _embedding_usage,
    _responses_usage,
    _split,
    _sse,
    _text_usage,
    _vector,
)


class OpenAIRoutes(Endpoint):
    # -- /v1/chat/completions
    def _chat(self, body: JSONObject, sc: _Scenario) -> None:
        completion_id = f"chatcmpl-fake-{self._provider._next_id()}"
        created = int(time.time())
        prompt_tokens = sc.token_override if sc.token_override is not None else CHAT_PROMPT_TOKENS
        usage = None if sc.no_usage else _chat_usage(prompt_tokens, zero_cache=sc.zero_cache)
        if sc.stream:
            self._stream(self._chat_events(completion_id, created, sc, usage))
            return
        choices: list[object] = []
        for i in range(sc.n):
            message: JSONObject = {"role": "assistant", "content": RESPONSE_TEXT, "refusal": None}
            finish_reason = "stop"
            if sc.tool_name is not None:
                message["content"] = None
                message["tool_calls"] = [
                    {
                        "id": TOOL_CALL_ID,
                        "type": "function",
                        "function": {"name": sc.tool_name, "arguments": TOOL_ARGUMENTS},
                    }
                ]
                finish_reason = "tool_calls"
            choices.append({"index": i, "message": message, "logprobs": None, "finish_reason": finish_reason})
        payload: JSONObject = {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": sc.response_model,
            "system_fingerprint": "fp_fake",
            "choices": choices,
        }
        if usage is not None:
            payload["usage"] = usage
        self._send_json(200, payload)

    def _chat_events(
        self, completion_id: str, created: int, sc: _Scenario, usage: JSONObject | None
    ) -> Iterable[bytes | None]:
        def chunk(delta: JSONObject, finish_reason: str | None = None) -> bytes:
            choices = [
                {"index": i, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
                for i in range(sc.n)
            ]
            return _sse(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": sc.response_model,
                    "system_fingerprint": "fp_fake",
                    "choices": choices,
                }
            )

        if sc.tool_name is not None:
            yield chunk(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "index": 0,
                            "id": TOOL_CALL_ID,
                            "type": "function",
                            "function": {"name": sc.tool_name, "arguments": ""},
                        }
                    ],
                }
            )
            for n, piece in enumerate(_split(TOOL_ARGUMENTS, 2)):
                if sc.midstream_error and n == 1:
                    yield None
                yield chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
            yield chunk({}, "tool_calls")
        else:
            yield chunk({"role": "assistant", "content": ""})
            for n, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                if sc.midstream_error and n == 2:
                    yield None
                yield chunk({"content": piece})
            yield chunk({}, "stop")
        if sc.include_usage and usage is not None:
            yield _sse(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": sc.response_model,
                    "system_fingerprint": "fp_fake",
                    "choices": [],
                    "usage": usage,
                }
            )
        yield b"data: [DONE]\n\n"

    # -- /v1/completions
    def _completions(self, body: JSONObject, sc: _Scenario) -> None:
        completion_id = f"cmpl-fake-{self._provider._next_id()}"
        created = int(time.time())
        prompt_tokens = sc.token_override if sc.token_override is not None else TEXT_PROMPT_TOKENS
        usage = _text_usage(prompt_tokens)

        def payload(text: str, finish_reason: str | None) -> JSONObject:
            return {
                "id": completion_id,
                "object": "text_completion",
                "created": created,
                "model": sc.response_model,
                "choices": [
                    {
                        "text": text,
                        "index": i,
                        "logprobs": None,
                        "finish_reason": finish_reason,
                    }
                    for i in range(sc.n)
                ],
            }

        if not sc.stream:
            self._send_json(200, {**payload(RESPONSE_TEXT, "length"), "usage": usage})
            return

        def events() -> Iterable[bytes | None]:
            for n, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                if sc.midstream_error and n == 2:
                    yield None
                yield _sse(payload(piece, None))
            yield _sse(payload("", "length"))
            if sc.include_usage:
                yield _sse({**payload("", None), "choices": [], "usage": usage})
            yield b"data: [DONE]\n\n"

        self._stream(events())

    # -- /v1/embeddings
    def _embeddings(self, body: JSONObject, sc: _Scenario) -> None:
        raw_dims = body.get("dimensions")
        dims = raw_dims if isinstance(raw_dims, int) and raw_dims > 0 else EMBEDDING_DEFAULT_DIMENSIONS
        as_base64 = body.get("encoding_format") == "base64"
        data: list[object] = []
        for i in range(_embedding_inputs(body.get("input"))):
            vector = _vector(i, dims)
            embedding: object = (
                base64.b64encode(struct.pack(f"<{dims}f", *vector)).decode() if as_base64 else vector
            )
            data.append({"object": "embedding", "index": i, "embedding": embedding})
        self._provider._next_id()
        self._send_json(
            200,
            {"object": "list", "data": data, "model": sc.response_model, "usage": _embedding_usage()},
        )

    # -- /v1/responses
    def _responses(self, body: JSONObject, sc: _Scenario) -> None:
        n = self._provider._next_id()
        response_id = f"resp_fake_{n}"
        item_id = f"msg_fake_{n}"
        created = int(time.time())
        input_tokens = sc.token_override if sc.token_override is not None else RESPONSES_INPUT_TOKENS
        usage = _responses_usage(input_tokens, zero_cache=sc.zero_cache)

        text_part: JSONObject = {
            "type": "output_text",
            "text": RESPONSE_TEXT,
            "annotations": [],
            "logprobs": [],
        }
        item: JSONObject
        if sc.tool_name is not None:
            item = {
                "type": "function_call",
                "id": f"fc_fake_{n}",
                "call_id": TOOL_CALL_ID,
                "name": sc.tool_name,
                "arguments": TOOL_ARGUMENTS,
                "status": "completed",
            }
        else:
            item = {
                "type": "message",
                "id": item_id,
                "role": "assistant",
                "status": "completed",
                "content": [text_part],
            }

        def response(status: str, output: list[object], usage_value: JSONObject | None) -> JSONObject:
            instructions = body.get("instructions")
            return {
                "id": response_id,
                "object": "response",
                "created_at": created,
                "status": status,
                "error": None,
                "incomplete_details": None,
                "instructions": instructions if isinstance(instructions, str) else None,
                "max_output_tokens": None,
                "model": sc.response_model,
                "output": output,
                "parallel_tool_calls": True,
                "previous_response_id": None,
                "reasoning": {"effort": None, "summary": None},
                "store": True,
                "temperature": 1.0,
                "text": {"format": {"type": "text"}},
                "tool_choice": "auto",
                "tools": [],
                "top_p": 1.0,
                "truncation": "disabled",
                "usage": usage_value,
                "user": None,
                "metadata": {},
            }

        if not sc.stream:
            self._send_json(200, response("completed", [item], usage))
            return

        seq = itertools.count()

        def event(kind: str, **fields: object) -> bytes:
            return _sse({"type": kind, "sequence_number": next(seq), **fields}, event=kind)

        def events() -> Iterable[bytes | None]:
            yield event("response.created", response=response("in_progress", [], None))
            yield event("response.in_progress", response=response("in_progress", [], None))
            if sc.tool_name is not None:
                yield event(
                    "response.output_item.added",
                    output_index=0,
                    item={**item, "arguments": "", "status": "in_progress"},
                )
                for k, piece in enumerate(_split(TOOL_ARGUMENTS, 2)):
                    if sc.midstream_error and k == 1:
                        yield None
                    yield event(
                        "response.function_call_arguments.delta",
                        item_id=item["id"],
                        output_index=0,
                        delta=piece,
                    )
                yield event(
                    "response.function_call_arguments.done",
                    item_id=item["id"],
                    output_index=0,
                    arguments=TOOL_ARGUMENTS,
                )
            else:
                yield event(
                    "response.output_item.added",
                    output_index=0,
                    item={**item, "status": "in_progress", "content": []},
                )
                yield event(
                    "response.content_part.added",
                    item_id=item_id,
                    output_index=0,
                    content_index=0,
                    part={"type": "output_text", "text": "", "annotations": [], "logprobs": []},
                )
                for k, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                    if sc.midstream_error and k == 2:
                        yield None
                    yield event(
                        "response.output_text.delta",
                        item_id=item_id,
                        output_index=0,
                        content_index=0,
                        delta=piece,
                        logprobs=[],
                    )
                yield event(
                    "response.output_text.done",
                    item_id=item_id,
                    output_index=0,
                    content_index=0,
                    text=RESPONSE_TEXT,
                    logprobs=[],
                )
                yield event(
                    "response.content_part.done",
                    item_id=item_id,
                    output_index=0,
                    content_index=0,
                    part=text_part,
                )
            yield event("response.output_item.done", output_index=0, item=item)
            yield event("response.completed", response=response("completed", [item], usage))

        self._stream(events())

    # -- /v1/responses/compact
    def _responses_compact(self, body: JSONObject, sc: _Scenario) -> None:
        n = self._provider._next_id()
        input_tokens = sc.token_override if sc.token_override is not None else COMPACTION_INPUT_TOKENS
        output: list[object] = [
            {
                "id": f"msg_fake_{n}_{i}",
                "type": "message",
                "status": "completed",
                "role": "user",
                "content": parts,
            }
            for i, parts in enumerate(_user_contents(body.get("input")))
        ]
        output.append(
            {"id": f"cmp_fake_{n}", "type": "compaction", "encrypted_content": f"gAAAAB-fake-compaction-{n}"}
        )
        self._send_json(
            200,
            {
                "id": f"resp_fake_{n}",
                "object": "response.compaction",
                "created_at": int(time.time()),
                "output": output,
                "usage": {
                    "input_tokens": input_tokens,
                    "input_tokens_details": {"cached_tokens": COMPACTION_CACHED_TOKENS},
                    "output_tokens": COMPACTION_OUTPUT_TOKENS,
                    "output_tokens_details": {"reasoning_tokens": COMPACTION_REASONING_TOKENS},
                    "total_tokens": input_tokens + COMPACTION_OUTPUT_TOKENS,
                },
            },
        )


def _user_contents(given: object) -> list[list[object]]:
    """The content of each user message of a Responses ``input`` (a string is one message), as
    ``input_text`` parts."""
    messages = [{"role": "user", "content": given}] if isinstance(given, str) else given
    if not isinstance(messages, list):
        return []
    contents: list[list[object]] = []
    for message in messages:
        if not isinstance(message, dict) or message.get("role") != "user":
            continue
        content = message.get("content")
        if isinstance(content, str):
            content = [{"type": "input_text", "text": content}]
        contents.append(content if isinstance(content, list) else [])
    return contents
