"""Anthropic's Messages API, streamed and not."""

from __future__ import annotations

from collections.abc import Iterable

from .base import Endpoint
from .scenarios import _Scenario
from .wire import (
    ANTHROPIC_INPUT_TOKENS,
    ANTHROPIC_OUTPUT_TOKENS,
    ANTHROPIC_STREAM_START_OUTPUT_TOKENS,
    RESPONSE_TEXT,
    STREAM_TEXT_PIECES,
    THINKING_SIGNATURE,
    THINKING_TEXT,
    TOOL_ARGUMENTS,
    JSONObject,
    _anthropic_usage,
    _split,
    _sse,
)


class AnthropicRoutes(Endpoint):
    # -- /v1/messages (Anthropic)
    def _messages(self, body: JSONObject, sc: _Scenario) -> None:
        message_id = f"msg_fake_{self._provider._next_id()}"
        input_tokens = sc.token_override if sc.token_override is not None else ANTHROPIC_INPUT_TOKENS
        thinking_block: JSONObject = {
            "type": "thinking",
            "thinking": THINKING_TEXT,
            "signature": THINKING_SIGNATURE,
        }
        final_block: JSONObject
        if sc.tool_name is not None:
            final_block = {
                "type": "tool_use",
                "id": "toolu_fake_1",
                "name": sc.tool_name,
                "input": {"city": "Paris"},
            }
            stop_reason = "tool_use"
        else:
            final_block = {"type": "text", "text": RESPONSE_TEXT}
            stop_reason = "end_turn"

        def message(content: list[object], stop: str | None, usage: JSONObject) -> JSONObject:
            return {
                "id": message_id,
                "type": "message",
                "role": "assistant",
                "model": sc.response_model,
                "content": content,
                "stop_reason": stop,
                "stop_sequence": None,
                "usage": usage,
            }

        if not sc.stream:
            usage = _anthropic_usage(input_tokens, zero_cache=sc.zero_cache)
            self._send_json(200, message([thinking_block, final_block], stop_reason, usage))
            return

        def event(kind: str, **fields: object) -> bytes:
            return _sse({"type": kind, **fields}, event=kind)

        def events() -> Iterable[bytes | None]:
            start_usage = _anthropic_usage(
                input_tokens, ANTHROPIC_STREAM_START_OUTPUT_TOKENS, zero_cache=sc.zero_cache
            )
            yield event("message_start", message=message([], None, start_usage))
            yield event("ping")
            yield event("content_block_start", index=0, content_block={"type": "thinking", "thinking": ""})
            for piece in _split(THINKING_TEXT, 3):
                yield event(
                    "content_block_delta", index=0, delta={"type": "thinking_delta", "thinking": piece}
                )
            yield event(
                "content_block_delta",
                index=0,
                delta={"type": "signature_delta", "signature": THINKING_SIGNATURE},
            )
            yield event("content_block_stop", index=0)
            if sc.tool_name is not None:
                yield event("content_block_start", index=1, content_block={**final_block, "input": {}})
                for k, piece in enumerate(_split(TOOL_ARGUMENTS, 2)):
                    if sc.midstream_error and k == 1:
                        yield None
                    yield event(
                        "content_block_delta",
                        index=1,
                        delta={"type": "input_json_delta", "partial_json": piece},
                    )
            else:
                yield event("content_block_start", index=1, content_block={"type": "text", "text": ""})
                for k, piece in enumerate(_split(RESPONSE_TEXT, STREAM_TEXT_PIECES)):
                    if sc.midstream_error and k == 2:
                        yield None
                    if sc.error_event and k == 2:
                        # Anthropic's own mid-stream failure: an `error` event, then the end of
                        # a well-formed body (the HTTP status was 200 long before).
                        yield event("error", error={"type": "overloaded_error", "message": "Overloaded"})
                        return
                    yield event("content_block_delta", index=1, delta={"type": "text_delta", "text": piece})
            yield event("content_block_stop", index=1)
            yield event(
                "message_delta",
                delta={"stop_reason": stop_reason, "stop_sequence": None},
                usage={"output_tokens": ANTHROPIC_OUTPUT_TOKENS},
            )
            yield event("message_stop")

        self._stream(events())
