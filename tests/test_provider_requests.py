"""Every HTTP request a call sends to its provider shows, with its outcome: the retries LiteLLM
(`num_retries`) or the provider's client (the OpenAI SDK's `max_retries`) makes inside one call.

The fake provider's `flaky-<N>` models answer their first N requests with a retryable 429, as a
real rate-limited provider does. The call stays one GenAI CLIENT span (usage and cost counted
once, from the response that arrived); each failed request is an HTTP CLIENT span under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import litellm
import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import (
    API_KEY,
    USER_MESSAGES,
    anthropic_args,
    assert_absent,
    assert_subset,
    attributes,
    openai_args,
)
from litellm_otel import LiteLLMInstrumentor, extract
from litellm_otel import semconv as sc


def split(exporter: InMemorySpanExporter) -> tuple[ReadableSpan, list[ReadableSpan]]:
    """The call's GenAI span, and the HTTP spans of its failed requests (children of it)."""
    spans = exporter.get_finished_spans()
    (call,) = [s for s in spans if s.name.startswith("chat ")]
    requests = [s for s in spans if s is not call]
    for request in requests:
        assert request.parent is not None
        assert request.parent.span_id == call.context.span_id
        assert request.context.trace_id == call.context.trace_id
    return call, requests


def assert_rate_limited(request: ReadableSpan, path: str, resends: int) -> None:
    assert request.name == "POST"
    assert request.kind is SpanKind.CLIENT
    assert request.status.status_code is StatusCode.ERROR
    found = attributes(request)
    assert_subset(
        found,
        {
            sc.HTTP_REQUEST_METHOD: "POST",
            sc.HTTP_RESPONSE_STATUS_CODE: 429,
            sc.ERROR_TYPE: "429",
            sc.SERVER_ADDRESS: "127.0.0.1",
        },
    )
    assert str(found[sc.URL_FULL]).endswith(path)
    assert found.get(sc.HTTP_REQUEST_RESEND_COUNT, 0) == resends
    # An HTTP span: no GenAI attributes, so nothing of it is summed as usage or cost.
    assert not any(key.startswith("gen_ai.") for key in found)
    assert request.start_time is not None and request.end_time is not None
    assert request.start_time <= request.end_time


def test_a_call_without_retries_has_no_request_spans(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    litellm.completion(**openai_args(provider))

    call, requests = split(span_exporter)
    assert requests == []
    assert_absent(attributes(call), [sc.LITELLM_PROVIDER_REQUESTS])


@pytest.mark.parametrize("stream", [False, True], ids=["plain", "stream"])
def test_the_openai_clients_own_retry_shows_under_the_call(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter, stream: bool
) -> None:
    result = litellm.completion(**openai_args(provider, "openai/gpt-4o-mini-flaky-1", stream=stream))
    if stream:
        list(result)

    assert [r.path for r in provider.requests] == ["/v1/chat/completions"] * 2
    call, (failed,) = split(span_exporter)
    assert call.status.status_code is StatusCode.UNSET
    assert attributes(call)[sc.LITELLM_PROVIDER_REQUESTS] == 2
    assert_rate_limited(failed, "/v1/chat/completions", resends=0)
    assert failed.end_time is not None and call.end_time is not None and failed.end_time <= call.end_time


async def test_litellms_num_retries_show_under_the_call_and_usage_counts_once(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM's Anthropic handler does not retry by itself; num_retries makes LiteLLM do it.
    await litellm.acompletion(**anthropic_args(provider, "anthropic/claude-flaky-2", num_retries=2))

    assert [r.path for r in provider.requests] == ["/v1/messages"] * 3
    call, failed = split(span_exporter)
    assert call.status.status_code is StatusCode.UNSET
    assert attributes(call)[sc.LITELLM_PROVIDER_REQUESTS] == 3
    assert len(failed) == 2
    for resends, request in enumerate(sorted(failed, key=lambda s: s.start_time or 0)):
        assert_rate_limited(request, "/v1/messages", resends)
    served = (
        fp.ANTHROPIC_INPUT_TOKENS
        + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
        + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    )
    total = sum(
        int(attributes(s).get(sc.GEN_AI_USAGE_INPUT_TOKENS, 0)) for s in span_exporter.get_finished_spans()
    )
    assert total == served


async def test_a_call_whose_every_request_failed_shows_each(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    with pytest.raises(litellm.exceptions.RateLimitError):
        await litellm.acompletion(**openai_args(provider, "openai/gpt-4o-mini-flaky-9", max_retries=1))

    call, failed = split(span_exporter)
    assert call.status.status_code is StatusCode.ERROR
    assert attributes(call)[sc.LITELLM_PROVIDER_REQUESTS] == len(provider.requests) == 2
    assert [attributes(r).get(sc.HTTP_REQUEST_RESEND_COUNT, 0) for r in failed] == [0, 1]


async def test_a_call_whose_only_request_failed_is_that_request(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    # LiteLLM's Messages API does not retry (num_retries is not applied to it, 1.79 … 1.110.2):
    # one request, and the call's span alone says how it went.
    with pytest.raises(Exception, match="rate"):
        await litellm.anthropic_messages(
            model="anthropic/claude-flaky-1",
            messages=USER_MESSAGES,
            max_tokens=64,
            api_base=provider.base_url,
            api_key=API_KEY,
        )

    assert len(provider.requests) == 1
    call, requests = split(span_exporter)
    assert requests == []
    assert call.status.status_code is StatusCode.ERROR
    assert attributes(call)[sc.HTTP_RESPONSE_STATUS_CODE] == 429
    assert_absent(attributes(call), [sc.LITELLM_PROVIDER_REQUESTS])


async def test_router_retries_are_attempts_each_its_own_request(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    # The Router turns its clients' own retries off and retries itself: each request an attempt.
    params = {"model": "openai/gpt-4o-mini-flaky-2", "api_base": provider.openai_base, "api_key": API_KEY}
    router = litellm.Router(
        model_list=[{"model_name": "gpt", "litellm_params": params}], num_retries=2, retry_after=0
    )
    await router.acompletion(model="gpt", messages=USER_MESSAGES)

    spans = span_exporter.get_finished_spans()
    attempts = [s for s in spans if s.name.startswith("chat ")]
    assert len(attempts) == len(provider.requests) == 3
    assert [s.status.status_code for s in attempts] == [StatusCode.ERROR, StatusCode.ERROR, StatusCode.UNSET]
    assert [attributes(s)[sc.LITELLM_ROUTER_ATTEMPT] for s in attempts] == [1, 2, 3]
    assert not [s for s in spans if s.name == "POST"]


@pytest.fixture
def httpx_instrumented() -> Iterator[None]:
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    instrumentor = HTTPXClientInstrumentor()
    instrumentor.instrument()
    yield
    instrumentor.uninstrument()


def test_with_the_httpx_instrumentation_its_spans_show_the_requests_alone(
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    span_exporter: InMemorySpanExporter,
    httpx_instrumented: None,
) -> None:
    litellm.completion(**openai_args(provider, "openai/gpt-4o-mini-flaky-1"))

    spans = span_exporter.get_finished_spans()  # httpx's go to the global provider, not ours
    (call,) = spans
    assert attributes(call)[sc.LITELLM_PROVIDER_REQUESTS] == 2


def test_nothing_outside_a_traced_call_is_touched(
    provider: FakeProvider, instrument: LiteLLMInstrumentor, span_exporter: InMemorySpanExporter
) -> None:
    with httpx.Client() as client:
        response = client.post(provider.openai_base + "/chat/completions", json={"model": "x-flaky-1"})
    assert response.status_code == 429
    assert span_exporter.get_finished_spans() == ()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://user:s3cret-pass@api.example.com:8443/v1/chat?key=sk-very-secret&x=1",
            {
                sc.URL_FULL: "https://api.example.com:8443/v1/chat",
                sc.SERVER_ADDRESS: "api.example.com",
                sc.SERVER_PORT: 8443,
            },
        ),
        (
            "https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent?key=AIza-secret",
            {
                sc.URL_FULL: "https://generativelanguage.googleapis.com/v1beta/models/gemini:generateContent",
                sc.SERVER_ADDRESS: "generativelanguage.googleapis.com",
                sc.SERVER_PORT: 443,
            },
        ),
        ("http://[::1]:9/x", {sc.URL_FULL: "http://[::1]:9/x", sc.SERVER_ADDRESS: "::1", sc.SERVER_PORT: 9}),
    ],
)
def test_request_attributes_never_carry_credentials_or_the_query(url: str, expected: dict[str, Any]) -> None:
    found = extract.http_request_attributes(httpx.Request("POST", url))
    assert found == {sc.HTTP_REQUEST_METHOD: "POST", **expected}
    assert "secret" not in repr(found)


@pytest.mark.parametrize("request_", [None, 3, "POST /x", object(), httpx.Request("GET", "relative")])
def test_odd_requests_give_fewer_attributes(request_: object) -> None:
    found = extract.http_request_attributes(request_)
    assert sc.URL_FULL not in found or str(found[sc.URL_FULL]).startswith("http")
