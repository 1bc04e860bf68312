"""The pure attribute builders: LiteLLM-shaped objects or plain dicts in, attributes out."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import litellm
import pytest
from litellm.types.utils import ModelResponse, Usage

from litellm_otel import extract
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes
from litellm_otel._litellm.lookups import Lookups
from litellm_otel.stream_state import StreamState


def test_usage_from_litellm_usage_object() -> None:
    usage = Usage(
        prompt_tokens=1234,
        completion_tokens=300,
        total_tokens=1534,
        prompt_tokens_details={"cached_tokens": 1000},
        completion_tokens_details={"reasoning_tokens": 90},
        cache_creation_input_tokens=200,
    )
    assert extract.usage_attributes(usage) == {
        sc.GEN_AI_USAGE_INPUT_TOKENS: 1234,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 300,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: 1534,
        sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 1000,
        sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: 200,
        sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: 90,
    }


def test_usage_from_dicts_of_either_shape() -> None:
    chat = {"prompt_tokens": 10, "completion_tokens": 5, "prompt_tokens_details": {"cached_tokens": 0}}
    responses = {
        "input_tokens": 9,
        "output_tokens": 4,
        "total_tokens": 13,
        "input_tokens_details": {"cached_tokens": 6},
        "output_tokens_details": {"reasoning_tokens": 2},
    }
    anthropic_raw = {"prompt_tokens": 3, "cache_read_input_tokens": 7, "cache_creation_input_tokens": 8}
    assert extract.usage_attributes(chat) == {
        sc.GEN_AI_USAGE_INPUT_TOKENS: 10,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 5,
        sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 0,  # a reported zero is kept
    }
    assert extract.usage_attributes(responses) == {
        sc.GEN_AI_USAGE_INPUT_TOKENS: 9,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 4,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: 13,
        sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 6,
        sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: 2,
    }
    assert extract.usage_attributes(anthropic_raw) == {
        sc.GEN_AI_USAGE_INPUT_TOKENS: 3,
        sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: 7,
        sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: 8,
    }


@pytest.mark.parametrize(
    "usage",
    [
        None,
        {},
        "tokens",
        42,
        [1, 2],
        {"prompt_tokens": None, "completion_tokens": "12", "total_tokens": -1},
        {"prompt_tokens": True, "completion_tokens": 1.5, "total_tokens": 2**70},
        {"prompt_tokens_details": "x", "completion_tokens_details": [1]},
        SimpleNamespace(prompt_tokens=float("nan"), prompt_tokens_details=None),
    ],
)
def test_odd_usage_gives_no_attributes(usage: Any) -> None:
    assert extract.usage_attributes(usage) == {}


def test_property_that_raises_is_an_absent_field() -> None:
    class Odd:
        @property
        def prompt_tokens(self) -> int:
            raise RuntimeError("boom")

        completion_tokens = 4

    assert extract.usage_attributes(Odd()) == {sc.GEN_AI_USAGE_OUTPUT_TOKENS: 4}


def test_response_attributes_from_model_response() -> None:
    response = ModelResponse(
        id="chatcmpl-1",
        model="gpt-4o-2024-08-06",
        choices=[
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}},
            {"index": 1, "finish_reason": "length", "message": {"role": "assistant", "content": "b"}},
        ],
        usage={"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
    )
    assert extract.response_attributes(sc.OP_CHAT, response) == {
        sc.GEN_AI_RESPONSE_ID: "chatcmpl-1",
        sc.GEN_AI_RESPONSE_MODEL: "gpt-4o-2024-08-06",
        sc.GEN_AI_RESPONSE_FINISH_REASONS: ["stop", "length"],
        sc.GEN_AI_USAGE_INPUT_TOKENS: 5,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 2,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: 7,
    }


def _model_responses() -> list[ModelResponse]:
    messages = [{"role": "user", "content": "hi"}]
    plain = litellm.completion(model="gpt-4o-mini", messages=messages, mock_response="hi")
    two_choices = ModelResponse(
        id="chatcmpl-1",
        model="gpt-4o-2024-08-06",
        choices=[
            {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "a"}},
            {"index": 1, "finish_reason": None, "message": {"role": "assistant", "content": "b"}},
        ],
        usage={"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7},
    )
    detailed = ModelResponse(
        id="chatcmpl-2",
        usage=Usage(
            prompt_tokens=9,
            completion_tokens=4,
            total_tokens=13,
            prompt_tokens_details={"cached_tokens": 6},
            completion_tokens_details={"reasoning_tokens": 3},
        ),
    )
    no_usage = ModelResponse(id="chatcmpl-3", model="m")
    no_usage.__pydantic_extra__.pop("usage", None)
    return [plain, two_choices, detailed, no_usage]


@pytest.mark.parametrize("response", _model_responses(), ids=["mock", "two-choices", "detailed", "no-usage"])
def test_fast_model_response_reader_matches_the_generic_readers(response: ModelResponse) -> None:
    read = shapes.model_response_attributes(response)
    assert read is not None  # each is a ModelResponse of the layout the reader knows
    assert read == (extract.response_attributes(sc.OP_CHAT, response), shapes.hidden_params(response))


@pytest.mark.parametrize(
    "counts",
    [(-1, 2, 1), (True, 2, 3), (2**63, 1, 2**63 + 1), (5.0, 2, 7), (5, None, 5), (0, 0, 0)],
    ids=["negative", "bool", "beyond-int64", "float", "missing", "zeros"],
)
def test_fast_model_response_reader_agrees_on_odd_counts(counts: tuple[Any, Any, Any]) -> None:
    # The plain-usage shortcut tests the three counts at once; any count it cannot take as is
    # must send the usage to the generic reader, never past it.
    response = ModelResponse(
        id="chatcmpl-4", usage=Usage(prompt_tokens=1, completion_tokens=1, total_tokens=2)
    )
    usage = response.__pydantic_extra__["usage"]
    usage.__dict__.update(zip(("prompt_tokens", "completion_tokens", "total_tokens"), counts, strict=True))
    read = shapes.model_response_attributes(response)
    assert read == (extract.response_attributes(sc.OP_CHAT, response), shapes.hidden_params(response))


def test_fast_model_response_reader_takes_a_providers_extra_usage_field() -> None:
    response = ModelResponse(
        id="chatcmpl-5", usage=Usage(prompt_tokens=8, completion_tokens=2, total_tokens=10)
    )
    usage = response.__pydantic_extra__["usage"]
    usage.__dict__["cache_read_input_tokens"] = 6  # a field of its own, as some releases declare it
    read = shapes.model_response_attributes(response)
    assert read is not None
    assert read[0][sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == 6
    assert read == (extract.response_attributes(sc.OP_CHAT, response), shapes.hidden_params(response))


@pytest.mark.parametrize(
    "response",
    [{"id": "x", "choices": []}, SimpleNamespace(id="x", choices=[]), None, "text"],
    ids=["dict", "object", "none", "str"],
)
def test_fast_model_response_reader_steps_aside_for_other_shapes(response: Any) -> None:
    assert shapes.model_response_attributes(response) is None


@pytest.mark.parametrize(
    "response",
    [
        None,
        {},
        "text",
        3,
        [],
        {"choices": "x", "usage": 5, "id": 12},
        {"choices": [None, {"finish_reason": 3}]},
    ],
)
def test_odd_responses_give_fewer_attributes(response: Any) -> None:
    assert extract.response_attributes(sc.OP_CHAT, response) == {}


def test_responses_api_status_becomes_finish_reason() -> None:
    assert extract.finish_reasons({"status": "completed"}) == ["stop"]
    assert extract.finish_reasons(
        {"status": "incomplete", "incomplete_details": {"reason": "max_output_tokens"}}
    ) == ["max_output_tokens"]
    assert extract.finish_reasons({"status": "failed"}) == ["failed"]


def test_request_attributes_read_what_is_present() -> None:
    params = {
        "model": "anthropic/claude-sonnet-4-5",
        "temperature": 1,
        "top_k": 40,
        "max_tokens": 100,
        "stop": "END",
        "n": 1,
        "stream": True,
        "response_format": {"type": "text"},
    }
    assert extract.request_attributes(sc.OP_CHAT, params) == {
        sc.GEN_AI_OPERATION_NAME: "chat",
        sc.GEN_AI_REQUEST_MODEL: "anthropic/claude-sonnet-4-5",
        sc.GEN_AI_REQUEST_TEMPERATURE: 1.0,
        sc.GEN_AI_REQUEST_TOP_K: 40.0,
        sc.GEN_AI_REQUEST_MAX_TOKENS: 100,
        sc.GEN_AI_REQUEST_STOP_SEQUENCES: ["END"],
        sc.GEN_AI_OUTPUT_TYPE: "text",
        sc.GEN_AI_REQUEST_STREAM: True,
    }


@pytest.mark.parametrize(
    "params",
    [
        {"model": "gpt-4o-mini", "messages": []},
        {"model": "gpt-4o-mini", "stream": True},
        {"model": "gpt-4o-mini", "stream": "yes"},
        {"model": "anthropic/claude-3-5-haiku-latest"},
        {"model": "gpt-4o", "custom_llm_provider": "azure", "api_base": "https://ex.openai.azure.com"},
        {"model": "gpt-4o", "base_url": "http://127.0.0.1:9/v1?key=secret"},
        {"model": "gpt-4o", "custom_llm_provider": 3, "api_base": ["x"]},
        {"model": "gpt-4o", "temperature": 0.2, "max_tokens": 9},
        {"model": ["not", "a", "string"]},
        {},
    ],
    ids=[
        "plain",
        "stream",
        "stream-not-true",
        "prefixed",
        "provider-and-base",
        "base-url",
        "odd-route",
        "optional",
        "odd-model",
        "empty",
    ],
)
def test_request_template_gives_what_the_full_build_gives(params: dict[str, Any]) -> None:
    lookups = Lookups.of(litellm)
    full = extract.request_attributes(sc.OP_CHAT, params)
    full.update(lookups.attributes(params))
    model = full.get(sc.GEN_AI_REQUEST_MODEL)
    name = f"chat {model}" if model else "chat"
    first = lookups.request_attributes(sc.OP_CHAT, params)
    assert first == (full, name)
    first[0]["mutated"] = True  # each call gets a dict of its own: the template stays as it was
    assert lookups.request_attributes(sc.OP_CHAT, params) == (full, name)


def test_request_attributes_skip_odd_values() -> None:
    params = {
        "model": 12,
        "temperature": "hot",
        "max_tokens": -5,
        "stop": [1, 2],
        "seed": "x",
        "n": None,
        "stream": "yes",
        "response_format": object(),
    }
    assert extract.request_attributes(sc.OP_CHAT, params) == {sc.GEN_AI_OPERATION_NAME: "chat"}


def test_pydantic_response_format_means_json() -> None:
    from pydantic import BaseModel

    class Answer(BaseModel):
        text: str

    attrs = extract.request_attributes(sc.OP_CHAT, {"response_format": Answer})
    assert attrs[sc.GEN_AI_OUTPUT_TYPE] == "json"


@pytest.mark.parametrize(
    ("api_base", "expected"),
    [
        ("https://api.openai.com/v1", {sc.SERVER_ADDRESS: "api.openai.com", sc.SERVER_PORT: 443}),
        (
            "http://user:secret@10.0.0.5:8080/v1?key=abc",
            {sc.SERVER_ADDRESS: "10.0.0.5", sc.SERVER_PORT: 8080},
        ),
        ("http://localhost/v1", {sc.SERVER_ADDRESS: "localhost", sc.SERVER_PORT: 80}),
        ("http://[::1]:9000", {sc.SERVER_ADDRESS: "::1", sc.SERVER_PORT: 9000}),
        ("http://host:notaport/", {}),
        ("not a url", {}),
        ("", {}),
        (None, {}),
        (42, {}),
    ],
)
def test_server_attributes_keep_the_host_alone(api_base: Any, expected: dict[str, Any]) -> None:
    assert extract.server_attributes(api_base) == expected


@pytest.mark.parametrize(
    ("litellm_provider", "expected"),
    [
        ("openai", "openai"),
        ("anthropic", "anthropic"),
        ("bedrock", "aws.bedrock"),
        ("azure", "azure.ai.openai"),
        ("azure_ai", "azure.ai.inference"),
        ("vertex_ai", "gcp.vertex_ai"),
        ("vertex_ai-anthropic_models", "gcp.vertex_ai"),
        ("gemini", "gcp.gemini"),
        ("mistral", "mistral_ai"),
        ("xai", "x_ai"),
        ("watsonx", "ibm.watsonx.ai"),
        ("hosted_vllm", "hosted_vllm"),
    ],
)
def test_provider_names(litellm_provider: str, expected: str) -> None:
    assert extract.provider_name(litellm_provider) == expected


def test_error_attributes() -> None:
    error = litellm.RateLimitError(message="slow down", llm_provider="openai", model="gpt-4o")
    assert extract.error_attributes(error) == {
        sc.ERROR_TYPE: "litellm.exceptions.RateLimitError",
        sc.HTTP_RESPONSE_STATUS_CODE: 429,
    }
    assert extract.error_attributes(ValueError("x")) == {sc.ERROR_TYPE: "ValueError"}
    odd = RuntimeError("x")
    odd.status_code = "429"  # type: ignore[attr-defined]
    assert extract.error_attributes(odd) == {sc.ERROR_TYPE: "RuntimeError"}


def test_secrets_and_redaction() -> None:
    params = {"api_key": "sk-abcdef", "api_base": "https://bob:pa55word@h.example/v1?key=qqqqqq&x=1"}
    found = extract.secrets(params)
    assert set(found) == {"sk-abcdef", "pa55word", "qqqqqq"}
    assert extract.redact("bad key sk-abcdef at pa55word", found) == "bad key [REDACTED] at [REDACTED]"


class _KeptChunks:
    """A stream as LiteLLM leaves it: the chunks it kept, counting how often they are walked."""

    def __init__(self, chunks: list[Any]) -> None:
        self.chunks = _CountedWalks(self, chunks)
        self.walks = 0


class _CountedWalks(list[Any]):
    def __init__(self, owner: _KeptChunks, chunks: list[Any]) -> None:
        super().__init__(chunks)
        self._owner = owner

    def __iter__(self) -> Iterator[Any]:
        self._owner.walks += 1
        return super().__iter__()


def _state_with_hidden_usage(usage: Usage | None) -> StreamState:
    state = StreamState()
    last = litellm.ModelResponseStream(choices=[])
    if usage is not None:
        last._hidden_params["usage"] = usage
    state.add(last)
    return state


def _usage_chunk(prompt_tokens: int, completion_tokens: int) -> Any:
    chunk = litellm.ModelResponseStream(choices=[])
    chunk.usage = Usage(prompt_tokens=prompt_tokens, completion_tokens=completion_tokens)
    return chunk


def test_stream_usage_merges_kept_chunks_when_the_hidden_total_lacks_input_tokens() -> None:
    # LiteLLM 1.79 on Anthropic: the hidden total has output tokens only; the input tokens are
    # in the message_start chunk it kept.
    stream = _KeptChunks([_usage_chunk(1234, 1), _usage_chunk(0, 300)])
    state = _state_with_hidden_usage(Usage(prompt_tokens=0, completion_tokens=300))

    usage, counted = shapes.stream_usage(state, stream)

    assert stream.walks == 1
    assert counted is False
    assert extract.usage_attributes(usage) == {
        sc.GEN_AI_USAGE_INPUT_TOKENS: 1234,
        sc.GEN_AI_USAGE_OUTPUT_TOKENS: 300,
        sc.GEN_AI_USAGE_TOTAL_TOKENS: 1534,
    }


def test_stream_usage_does_not_walk_kept_chunks_after_an_all_zero_hidden_total() -> None:
    # OpenAI-compatible stream without include_usage: LiteLLM's zeros, no chunk with usage.
    stream = _KeptChunks([litellm.ModelResponseStream(choices=[]) for _ in range(3)])
    state = _state_with_hidden_usage(Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0))

    assert shapes.stream_usage(state, stream) == (None, False)
    assert stream.walks == 0


def test_stream_usage_walks_kept_chunks_when_there_is_no_hidden_total() -> None:
    stream = _KeptChunks([_usage_chunk(10, 20), litellm.ModelResponseStream(choices=[])])
    state = _state_with_hidden_usage(None)

    usage, counted = shapes.stream_usage(state, stream)

    assert stream.walks == 1
    assert counted is False
    assert extract.usage_attributes(usage)[sc.GEN_AI_USAGE_INPUT_TOKENS] == 10


def test_stream_usage_takes_the_last_kept_chunks_count_over_litellms_zero_total() -> None:
    # LiteLLM 1.79 on Bedrock ConverseStream without include_usage: the hidden total (zeros)
    # is made when the finishing chunk goes out, before the trailing `metadata` frame's usage.
    final = _usage_chunk(3100, 93)
    stream = _KeptChunks([litellm.ModelResponseStream(choices=[]) for _ in range(3)] + [final])
    state = _state_with_hidden_usage(Usage(prompt_tokens=0, completion_tokens=0, total_tokens=0))

    usage, counted = shapes.stream_usage(state, stream)

    assert stream.walks == 0
    assert counted is False
    assert extract.usage_attributes(usage)[sc.GEN_AI_USAGE_INPUT_TOKENS] == 3100


def test_stream_usage_takes_the_last_kept_chunks_details_over_litellms_total() -> None:
    # LiteLLM 1.79 on Gemini without include_usage: the hidden total has prompt and completion
    # tokens only; the provider's cache and reasoning counts are on the last chunk it kept.
    final = litellm.ModelResponseStream(choices=[])
    final.usage = Usage(
        prompt_tokens=500,
        completion_tokens=90,
        prompt_tokens_details={"cached_tokens": 200},
        completion_tokens_details={"reasoning_tokens": 40},
    )
    stream = _KeptChunks([final])
    state = _state_with_hidden_usage(Usage(prompt_tokens=500, completion_tokens=90))

    attributes = extract.usage_attributes(shapes.stream_usage(state, stream)[0])

    assert attributes[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == 200
    assert attributes[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] == 40


@pytest.mark.parametrize("where", ["usage chunk", "hidden total"])
def test_stream_usage_is_litellms_count_when_no_kept_chunk_carries_the_providers(where: str) -> None:
    # LiteLLM 1.79 on Mistral, Groq or azure_ai: the provider's usage frame is dropped from the
    # kept chunks, and the usage it hands over (a chunk for include_usage, or its hidden total)
    # is its own tokenizer's count.
    stream = _KeptChunks([litellm.ModelResponseStream(choices=[]) for _ in range(6)])
    counted_usage = Usage(prompt_tokens=12, completion_tokens=7)
    if where == "usage chunk":
        state = StreamState()
        state.add(_usage_chunk(12, 7))
    else:
        state = _state_with_hidden_usage(counted_usage)

    usage, counted = shapes.stream_usage(state, stream)

    assert counted is True
    assert extract.usage_attributes(usage)[sc.GEN_AI_USAGE_INPUT_TOKENS] == 12
    # The provider's count on one of the last kept chunks makes the same usage reported.
    stream.chunks.append(_usage_chunk(0, 7))
    assert shapes.stream_usage(state, stream) == (usage, False)
