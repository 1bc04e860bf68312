"""The surfaces' pure builders on odd input (None, bytes, wrong types, dicts for objects, objects
without the fields): fewer attributes, never an exception, whatever LiteLLM hands back."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from litellm_otel import (
    google_genai,
    images,
    interactions,
    moderation,
    ocr,
    search,
    speech,
    tools,
    transcription,
    video,
)

MODULES = (transcription, speech, moderation, images, ocr, search, video, google_genai, interactions)

ODD: list[Any] = [
    None,
    b"\x00\xff bytes",
    "a string",
    42,
    -1.5,
    float("nan"),
    [],
    [None, 1, "x"],
    {},
    {"usage": None, "id": 5, "model": ["x"], "results": "flagged"},
    {"usage": {"input_tokens": -3, "output_tokens": "7", "input_token_details": []}},
    {"usageMetadata": {"promptTokenCount": 1.5, "thoughtsTokenCount": None}, "candidates": [None, {}]},
    {"pages": None, "usage_info": {"pages_processed": True}, "seconds": "eight", "status": 3},
    {"results": [{"flagged": "yes"}], "content": [{"text": 3}], "isError": "true"},
    SimpleNamespace(usage=SimpleNamespace(input_tokens=None), id=None, model=None),
    SimpleNamespace(),
]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5) | st.binary(max_size=5),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_odd_results_and_arguments_give_fewer_attributes_never_an_exception(module: Any, value: Any) -> None:
    assert isinstance(module.response_attributes(value), dict)
    module.output_text(value)
    params = value if isinstance(value, dict) else {"input": value, "config": value, "seconds": value}
    assert isinstance(module.request_attributes(params), dict)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_any_decoded_json_is_read_without_an_exception(value: Any) -> None:
    for module in MODULES:
        module.response_attributes(value)
        module.output_text(value)
        if isinstance(value, dict):
            module.request_attributes(value)
    tools.failed(value)
    tools.result_text(value)
    if isinstance(value, dict):
        tools.request_attributes(value)
        tools.arguments_text(value)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40) | st.text(max_size=40) | JSON, max_size=8))
def test_streams_take_any_chunks(chunks: list[Any]) -> None:
    for stream in (
        google_genai.GenerateContentStream(capture_content=True),
        google_genai.GenerateContentStream(),
        interactions.InteractionsStream(capture_content=True),
        interactions.InteractionsStream(),
    ):
        for chunk in chunks:
            stream.add(chunk)
        assert isinstance(stream.attributes(), dict)
