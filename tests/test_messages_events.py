"""The Messages API builders on their own (no LiteLLM, no OpenTelemetry): Anthropic's SSE bytes
cut anywhere, odd usage shapes and odd content blocks give fewer attributes, never an exception."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from litellm_otel import messages
from litellm_otel import semconv as sc
from litellm_otel.content import Budget


def sse(kind: str, **fields: Any) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **fields})}\n\n".encode()


START = sse(
    "message_start",
    message={
        "id": "msg_1",
        "model": "claude-x",
        "usage": {"input_tokens": 10, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 5},
    },
)
TEXT = sse("content_block_start", index=0, content_block={"type": "text", "text": ""}) + b"".join(
    sse("content_block_delta", index=0, delta={"type": "text_delta", "text": piece})
    for piece in ("Hel", "lo")
)
DELTA = sse("message_delta", delta={"stop_reason": "max_tokens"}, usage={"output_tokens": 7})
BODY = START + sse("ping") + TEXT + sse("content_block_stop", index=0) + DELTA + sse("message_stop")
EXPECTED = {
    sc.GEN_AI_RESPONSE_ID: "msg_1",
    sc.GEN_AI_RESPONSE_MODEL: "claude-x",
    sc.GEN_AI_RESPONSE_FINISH_REASONS: ["length"],
    sc.GEN_AI_USAGE_INPUT_TOKENS: 115,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 100,
    sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: 5,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS: 7,
    sc.GEN_AI_USAGE_TOTAL_TOKENS: 122,
}


def read(chunks: list[Any], *, capture: bool = False) -> messages.MessagesStream:
    stream = messages.MessagesStream(capture_content=capture)
    for chunk in chunks:
        stream.add(chunk)
    return stream


def test_a_whole_body_in_one_chunk() -> None:
    assert read([BODY]).attributes() == EXPECTED


@given(st.lists(st.integers(min_value=0, max_value=len(BODY)), max_size=12))
def test_the_same_attributes_however_the_bytes_are_cut(cuts: list[int]) -> None:
    points = [0, *sorted(cuts), len(BODY)]
    chunks = [BODY[a:b] for a, b in itertools.pairwise(points)]
    stream = read(chunks, capture=True)
    assert stream.attributes() == EXPECTED
    (output,) = stream.output_messages(Budget(1000))
    assert output["parts"] == [{"type": "text", "content": "Hello"}]


def test_crlf_lines_str_chunks_and_decoded_events() -> None:
    assert read([BODY.replace(b"\n", b"\r\n")]).attributes() == EXPECTED
    assert read([BODY.decode()]).attributes() == EXPECTED
    events = [json.loads(line[5:]) for line in BODY.split(b"\n") if line.startswith(b"data:")]
    assert read(events).attributes() == EXPECTED


@pytest.mark.parametrize(
    "junk",
    [
        b"data: {not json\n\n",
        b"data: \xff\xfe\x80\n\n",
        b"data: [1, 2]\n\n",
        b'data: {"type": "brand_new_event", "usage": "lots"}\n\n',
        b'data: {"type": "message_delta", "usage": null, "delta": null}\n\n',
        b'data: {"type": "message_start", "message": "oops"}\n\n',
        b"event: ping\n\n",
        b"\n\n\n",
    ],
)
def test_junk_between_events_costs_nothing_else(junk: bytes) -> None:
    assert read([START, junk, TEXT, junk, DELTA]).attributes() == EXPECTED


def test_chunks_of_other_types_are_ignored() -> None:
    stream = read([None, 42, object(), [b"x"], START, DELTA])
    assert stream.attributes() == EXPECTED
    assert stream.chunk_count == 6


def test_a_line_too_long_to_be_an_event_we_read_is_skipped_not_kept() -> None:
    huge = b"data: " + b"x" * (1 << 17)
    stream = read([START, huge[:70_000], huge[70_000:], b"\n\n", DELTA])
    assert stream.attributes() == EXPECTED
    assert len(stream._pending) == 0


def test_counts_are_cumulative_and_a_smaller_later_one_does_not_undo_them() -> None:
    later = sse("message_delta", delta={}, usage={"output_tokens": 3, "input_tokens": 0})
    stream = read([START, DELTA, later])
    assert stream.attributes()[sc.GEN_AI_USAGE_OUTPUT_TOKENS] == 7
    assert stream.attributes()[sc.GEN_AI_USAGE_INPUT_TOKENS] == 115


def test_an_error_event_is_kept() -> None:
    stream = read([START, sse("error", error={"type": "overloaded_error", "message": "Overloaded"})])
    assert stream.error == ("overloaded_error", "Overloaded")
    assert read([sse("error", error=None)]).error == ("error", "")


def test_a_stream_with_no_events_has_no_attributes() -> None:
    assert read([]).attributes() == {}
    assert read([b"", b"event: ping\n"]).attributes() == {}


@pytest.mark.parametrize(
    ("usage", "expected"),
    [
        (None, {}),
        ({}, {}),
        ("lots", {}),
        ({"input_tokens": "3", "output_tokens": -1}, {}),
        ({"input_tokens": True}, {}),
        ({"output_tokens": 4}, {sc.GEN_AI_USAGE_OUTPUT_TOKENS: 4}),
        (
            {"input_tokens": 0, "cache_read_input_tokens": 0, "output_tokens": 0},
            {
                sc.GEN_AI_USAGE_INPUT_TOKENS: 0,
                sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 0,
                sc.GEN_AI_USAGE_OUTPUT_TOKENS: 0,
                sc.GEN_AI_USAGE_TOTAL_TOKENS: 0,
            },
        ),
        (
            {"input_tokens": 2.0, "cache_creation_input_tokens": None, "output_tokens": 1},
            {
                sc.GEN_AI_USAGE_INPUT_TOKENS: 2,
                sc.GEN_AI_USAGE_OUTPUT_TOKENS: 1,
                sc.GEN_AI_USAGE_TOTAL_TOKENS: 3,
            },
        ),
    ],
)
def test_usage_shapes(usage: object, expected: dict[str, int]) -> None:
    assert messages.usage_attributes(usage) == expected


class Message:
    """A result of the same fields as an object, not a dict."""

    def __init__(self) -> None:
        self.id = "msg_2"
        self.model = "claude-y"
        self.stop_reason = "pause_turn"
        self.usage = {"input_tokens": 1, "output_tokens": 2}


@pytest.mark.parametrize("result", [None, 3, "text", b"bytes", [], {"usage": None, "stop_reason": 7}])
def test_odd_results_give_fewer_attributes(result: object) -> None:
    assert messages.response_attributes(result) == {}
    assert messages.output_messages(result, Budget(100)) in (
        [],
        [{"role": "assistant", "parts": [], "finish_reason": ""}],
    )


def test_an_object_result_and_an_unmapped_stop_reason() -> None:
    assert messages.response_attributes(Message()) == {
        sc.GEN_AI_RESPONSE_ID: "msg_2",
        sc.GEN_AI_RESPONSE_MODEL: "claude-y",
        sc.GEN_AI_RESPONSE_FINISH_REASONS: ["pause_turn"],
        sc.GEN_AI_USAGE_INPUT_TOKENS: 1,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 2,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: 3,
    }


def test_odd_content_blocks_become_fewer_parts() -> None:
    history = [
        {
            "role": "user",
            "content": [None, 5, {"type": None}, {"type": "text", "text": None}, {"type": "mystery"}],
        },
        {"role": None, "content": "plain"},
        "not a message",
        {
            "role": "user",
            "content": [
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "AAAA"}}
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "ok"}]}
            ],
        },
    ]
    assert messages.input_messages(history, Budget(1000)) == [
        {"role": "user", "parts": [{"type": "mystery"}]},
        {"role": "user", "parts": [{"type": "text", "content": "plain"}]},
        {"role": "user", "parts": []},
        {
            "role": "user",
            "parts": [{"type": "blob", "modality": "image", "mime_type": "image/png", "content": "AAAA"}],
        },
        {
            "role": "user",
            "parts": [
                {"type": "tool_call_response", "id": "t", "response": [{"type": "text", "content": "ok"}]}
            ],
        },
    ]
    assert messages.input_messages("hi", Budget(10)) == []
    assert messages.system_instructions([{"type": "text", "text": "Be brief."}], Budget(100)) == [
        {"type": "text", "content": "Be brief."}
    ]
    assert messages.tool_definitions(
        [{"type": "web_search_20250305", "name": "web_search"}, None], Budget(100)
    ) == [{"type": "web_search_20250305", "name": "web_search"}]


def test_content_is_bounded_by_its_budget() -> None:
    (message,) = messages.input_messages([{"role": "user", "content": "x" * 50}], Budget(10))
    assert message["parts"][0]["content"].startswith("x" * 10)
    assert len(message["parts"][0]["content"]) < 50
