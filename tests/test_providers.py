"""The provider's truth on every span: each wire format LiteLLM normalises, called as a user
would (sync and async; non-streamed, streamed with and without `include_usage`), against a fake
that speaks the provider's real wire format with distinctive numbers."""

from __future__ import annotations

import asyncio
import math
import re
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import helpers
from fake_provider import FakeProvider
from helpers import USER_MESSAGES, attributes, only_span
from litellm_otel import LiteLLMInstrumentor, extract
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes
from provider_cases import (
    ABSENT,
    ANY_COUNT,
    CASES,
    LITELLM_ID,
    MAYBE_ESTIMATED,
    MODES,
    PLAIN,
    STREAM,
    Case,
    expected,
    limit,
    price,
    truth_for,
)

LITELLM_VERSION = str(helpers.LITELLM_VERSION)


def _call(case: Case, mode: str, provider: FakeProvider, *, sync: bool) -> None:
    responses = case.entry == "responses"
    prompt: dict[str, Any] = (
        {"input": USER_MESSAGES[0]["content"]} if responses else {"messages": USER_MESSAGES}
    )
    kwargs: dict[str, Any] = {"model": case.model, **prompt, **case.args(provider)}
    if mode != PLAIN:
        kwargs["stream"] = True
    if mode not in (PLAIN, STREAM) and not responses:
        kwargs["stream_options"] = {"include_usage": True}
    if sync:
        result = (litellm.responses if responses else litellm.completion)(**kwargs)
        if mode != PLAIN:
            for _ in result:
                pass
        return

    async def run() -> None:
        result = await (litellm.aresponses if responses else litellm.acompletion)(**kwargs)
        if mode != PLAIN:
            async for _ in result:
                pass

    asyncio.run(run())


@pytest.mark.parametrize("sync", [True, False], ids=["sync", "async"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_span_says_what_the_provider_reported(
    case: Case,
    mode: str,
    sync: bool,
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    span_exporter: InMemorySpanExporter,
) -> None:
    _call(case, mode, provider, sync=sync)
    actual = attributes(only_span(span_exporter))
    wanted = expected(case, mode, int(provider.base_url.rsplit(":", 1)[1]), LITELLM_VERSION)
    problems: dict[str, tuple[object, object]] = {}
    for name, value in wanted.items():
        got = actual.get(name, ABSENT)
        if isinstance(got, tuple | list):
            got = tuple(got)
        if name == sc.LITELLM_USAGE_ESTIMATED and isinstance(got, tuple):
            # A reasoning count LiteLLM derived from text is listed too, where it is on the span.
            got = tuple(n for n in got if n != sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS)
        if value == ANY_COUNT:
            ok = isinstance(got, int) and got > 0
        elif value == MAYBE_ESTIMATED:
            ok = got == ABSENT or (
                isinstance(got, int) and got > 0 and name in actual.get(sc.LITELLM_USAGE_ESTIMATED, ())
            )
        elif value == LITELLM_ID:
            ok = isinstance(got, str) and re.fullmatch(r"(chatcmpl-)?[0-9a-f-]{36}", got) is not None
        else:
            ok = got == (tuple(value) if isinstance(value, list) else value)
        if not ok:
            problems[name] = (got, value)

    truth = truth_for(case, mode, LITELLM_VERSION)
    cost_limit = limit(case, mode, "cost", LITELLM_VERSION)
    got_cost = actual.get(sc.GEN_AI_USAGE_COST, ABSENT)
    if cost_limit is not None:
        if got_cost != cost_limit.seen:
            problems[sc.GEN_AI_USAGE_COST] = (got_cost, cost_limit.seen)
    elif truth is not None:
        want_cost = price(case.model, truth, litellm.model_cost)
        if want_cost is None:
            if got_cost is not ABSENT:
                problems[sc.GEN_AI_USAGE_COST] = (got_cost, "<absent: unpriced model>")
        elif not (isinstance(got_cost, float) and math.isclose(got_cost, want_cost, rel_tol=1e-6)):
            problems[sc.GEN_AI_USAGE_COST] = (got_cost, want_cost)
    elif not (isinstance(got_cost, float) and got_cost > 0):
        problems[sc.GEN_AI_USAGE_COST] = (got_cost, "<a price of the counted tokens>")
    assert not problems, f"LiteLLM {LITELLM_VERSION}: attribute (on the span, wanted): {problems}"


def test_readme_provider_table_is_the_one_the_matrix_proves() -> None:
    from provider_table import README, readme_table, table

    assert readme_table(README.read_text()) == table(), "run: python tests/provider_table.py --write"


def test_bedrock_server_is_the_endpoint_litellm_posts_to(
    provider: FakeProvider,
    instrument: LiteLLMInstrumentor,
    span_exporter: InMemorySpanExporter,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No api_base nor aws_bedrock_runtime_endpoint in the call: LiteLLM takes the endpoint from
    # the environment (or builds it from the region) and reports api_base=None; the URL it
    # logs before posting is the server.
    monkeypatch.setenv("AWS_BEDROCK_RUNTIME_ENDPOINT", provider.base_for("bedrock_converse"))
    case = next(case for case in CASES if case.wire == "bedrock_converse")
    args = {k: v for k, v in case.args(provider).items() if k != "aws_bedrock_runtime_endpoint"}

    litellm.completion(model=case.model, messages=USER_MESSAGES, **args)

    actual = attributes(only_span(span_exporter))
    assert actual[sc.SERVER_ADDRESS] == "127.0.0.1"
    assert actual[sc.SERVER_PORT] == int(provider.base_url.rsplit(":", 1)[1])


_CHAT_CASES = [case for case in CASES if case.entry == "completion"]


@pytest.mark.parametrize("case", _CHAT_CASES, ids=[case.name for case in _CHAT_CASES])
def test_fast_model_response_reader_finds_what_the_generic_readers_find(
    case: Case, provider: FakeProvider
) -> None:
    # The reader spans use first on a chat result must agree with the generic readers on every
    # provider's real result, or step aside (None) for them.
    result = litellm.completion(model=case.model, messages=USER_MESSAGES, **case.args(provider))
    read = shapes.model_response_attributes(result)
    generic = extract.response_attributes(sc.OP_CHAT, result), shapes.hidden_params(result)
    assert read is None or read == generic, case.name
    _FAST_READS.append(read is not None)


_FAST_READS: list[bool] = []


def test_fast_model_response_reader_takes_every_chat_result() -> None:
    # Run after the test above (same module, file order): a reader that stepped aside for every
    # provider would pass it while speeding up nothing.
    if not _FAST_READS:
        pytest.skip("the per-provider comparison did not run")
    generic = _FAST_READS.count(False)
    assert not generic, f"{generic} of {len(_FAST_READS)} results took the generic readers"
