"""Property-based: LiteLLM-shaped data with missing fields, None, wrong types, negative or huge
numbers, dicts instead of objects and extra fields, fed through the same extraction code the
wrappers use. No exception escapes, and every attribute emitted has a valid OTel type."""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from litellm_otel import content, extract, readers
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes
from litellm_otel.stream_state import StreamState

EXAMPLES = 400
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.binary(max_size=8),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=10), children, max_size=4),
    ),
    max_leaves=8,
)


def shaped(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """A LiteLLM-shaped record: a dict or an attribute object, with some fields missing, others
    odd, and extra ones."""
    record = st.fixed_dictionaries({}, optional={**fields, "extra": values})
    return st.one_of(record, record.map(lambda d: SimpleNamespace(**d)), values)


counts = st.one_of(st.integers(min_value=-5, max_value=2**64), st.none(), st.text(max_size=3), st.floats())
usages = shaped(
    {
        "prompt_tokens": counts,
        "completion_tokens": counts,
        "total_tokens": counts,
        "input_tokens": counts,
        "output_tokens": counts,
        "cache_read_input_tokens": counts,
        "cache_creation_input_tokens": counts,
        "prompt_tokens_details": shaped({"cached_tokens": counts, "cache_write_tokens": counts}),
        "completion_tokens_details": shaped({"reasoning_tokens": counts}),
        "input_tokens_details": shaped({"cached_tokens": counts}),
        "output_tokens_details": shaped({"reasoning_tokens": counts}),
    }
)
tool_calls = st.lists(
    shaped({"id": values, "index": counts, "function": shaped({"name": values, "arguments": values})}),
    max_size=3,
)
messages = shaped(
    {
        "role": st.one_of(st.sampled_from(["user", "assistant", "system", "tool"]), values),
        "content": st.one_of(
            values,
            st.lists(
                shaped({"type": st.sampled_from(["text", "image_url", "input_audio"]), "text": values}),
                max_size=3,
            ),
        ),
        "tool_calls": tool_calls,
        "tool_call_id": values,
        "name": values,
    }
)
choices = st.lists(
    shaped(
        {
            "index": counts,
            "finish_reason": values,
            "message": messages,
            "delta": shaped({"content": values, "role": values, "tool_calls": tool_calls}),
            "text": values,
        }
    ),
    max_size=3,
)
responses = shaped(
    {
        "id": values,
        "model": values,
        "choices": choices,
        "usage": usages,
        "status": values,
        "output": values,
        "meta": shaped({"tokens": usages}),
        "_hidden_params": shaped({"response_cost": values, "api_base": values, "usage": usages}),
    }
)
chunks = shaped(
    {
        "id": values,
        "model": values,
        "choices": choices,
        "usage": usages,
        "response": responses,
        "type": values,
        "delta": values,
        "_hidden_params": shaped({"usage": usages}),
    }
)
params = st.dictionaries(
    st.sampled_from(
        [
            "model",
            "temperature",
            "top_p",
            "top_k",
            "max_tokens",
            "max_completion_tokens",
            "stop",
            "seed",
            "n",
            "response_format",
            "stream",
            "encoding_format",
            "dimensions",
            "api_key",
            "api_base",
            "messages",
            "tools",
            "instructions",
        ]
    ),
    values,
)
operations = st.sampled_from(
    [sc.OP_CHAT, sc.OP_TEXT_COMPLETION, sc.OP_EMBEDDINGS, sc.OP_RERANK, sc.OP_GENERATE_CONTENT]
)


def assert_valid_attributes(attributes: Mapping[str, Any]) -> None:
    for name, value in attributes.items():
        assert isinstance(name, str)
        assert _valid_value(value), (name, value)


def _valid_scalar(value: Any) -> bool:
    if isinstance(value, bool | str):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**63
    return isinstance(value, float)


def _valid_value(value: Any) -> bool:
    if isinstance(value, list | tuple):
        kinds = {type(v) for v in value}
        return len(kinds) <= 1 and all(_valid_scalar(v) for v in value)
    return _valid_scalar(value)


@SETTINGS
@given(usages)
def test_usage(usage: Any) -> None:
    assert_valid_attributes(extract.usage_attributes(usage))


@SETTINGS
@given(operations, responses)
def test_response(operation: str, response: Any) -> None:
    assert_valid_attributes(extract.response_attributes(operation, response))
    shapes.hidden_params(response)


@SETTINGS
@given(operations, params)
def test_request(operation: str, call_params: dict[str, Any]) -> None:
    assert_valid_attributes(extract.request_attributes(operation, call_params))
    assert_valid_attributes(extract.server_attributes(call_params.get("api_base")))
    for secret in extract.secrets(call_params):
        assert isinstance(secret, str)


@SETTINGS
@given(operations, st.lists(chunks, max_size=6), values)
def test_stream(operation: str, stream_chunks: list[Any], retained: Any) -> None:
    state = StreamState(capture_content=True)
    for chunk in stream_chunks:
        state.add(chunk)
    stream = SimpleNamespace(chunks=retained)
    usage, counted = shapes.stream_usage(state, stream)
    assert isinstance(counted, bool)
    assert_valid_attributes(extract.stream_attributes(operation, state, usage))
    assert_valid_attributes(extract.usage_attributes(shapes.merged_usage(retained)))
    assert state.content is not None
    json.dumps(state.content.messages(state.finish_reasons, content.Budget(200)), default=str)


@SETTINGS
@given(st.one_of(st.lists(messages, max_size=4), values), values, values, responses)
def test_content(history: Any, tools: Any, instructions: Any, response: Any) -> None:
    budget = content.Budget(500)
    captured = [
        content.input_messages(history, budget),
        content.tool_definitions(tools, budget),
        content.system_instructions(instructions, budget),
        content.output_messages(response, budget),
    ]
    json.dumps(captured, default=str)


@SETTINGS
@given(values)
def test_error_attributes(status: Any) -> None:
    error = RuntimeError("boom")
    error.status_code = status  # type: ignore[attr-defined]
    attributes = extract.error_attributes(error)
    assert_valid_attributes(attributes)
    assert attributes[sc.ERROR_TYPE] == "RuntimeError"


@pytest.mark.parametrize("count_value", [2**63, -1, True, 1.5, float("inf"), "12"])
def test_out_of_range_counts_are_dropped(count_value: Any) -> None:
    assert readers.count(count_value) is None
