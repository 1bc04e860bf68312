"""The provider's response id where LiteLLM wraps it in one of its own (Responses API)."""

from __future__ import annotations

import base64

import pytest
from litellm.responses.utils import ResponsesAPIRequestUtils

from litellm_otel._litellm import shapes

PROVIDER_ID = "resp_0c4f7a2e9b1d3f5a6c8e0b2d4f6a8c1e3b5d7f9a"


def test_the_provider_id_is_read_from_litellms_managed_id() -> None:
    managed = ResponsesAPIRequestUtils._build_responses_api_response_id(
        custom_llm_provider="openai", model_id=None, response_id=PROVIDER_ID
    )

    assert managed != PROVIDER_ID
    assert shapes.provider_response_id(managed) == PROVIDER_ID


@pytest.mark.parametrize(
    "response_id",
    [
        PROVIDER_ID,  # the provider's own id: kept as it is
        "resp_abcd",  # decodes, but not to LiteLLM's format
        "resp_" + base64.b64encode(b"\xff\xfe").decode(),  # not text
        "resp_!!",  # not base64
        "resp_" + base64.b64encode(b"litellm:custom_llm_provider:openai;model_id:None").decode(),
        "chatcmpl-1",
        None,
        42,
    ],
)
def test_other_ids_are_not_litellms(response_id: object) -> None:
    assert shapes.provider_response_id(response_id) is None
