"""The provider's truth on every span: each wire format LiteLLM normalises, called as a user
would (sync and async; non-streamed, streamed with and without `include_usage`), against a fake
that speaks the provider's real wire format with distinctive numbers."""

from __future__ import annotations

import asyncio
import importlib.metadata
import math
from typing import Any

import litellm
import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fake_provider import FakeProvider
from helpers import USER_MESSAGES, attributes, only_span
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from provider_cases import (
    ABSENT,
    ANY_COUNT,
    CASES,
    COLUMNS,
    LIMITS,
    MODES,
    PLAIN,
    STREAM,
    Case,
    expected,
    price,
    truth_for,
)

LITELLM_VERSION = importlib.metadata.version("litellm")


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


def _limit_value(case: Case, mode: str, column: str) -> object | None:
    limit = LIMITS.get((case.name, mode, column))
    if limit is not None and limit.applies(LITELLM_VERSION):
        return limit.seen
    return None


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
    usage_lost = _limit_value(case, mode, "input") == ANY_COUNT
    wanted = expected(case, mode, port=int(provider.base_url.rsplit(":", 1)[1]), usage_lost=usage_lost)
    for column, name in COLUMNS.items():
        seen = _limit_value(case, mode, column)
        if seen is not None:
            wanted[name] = seen
    problems: dict[str, tuple[object, object]] = {}
    for name, value in wanted.items():
        got = actual.get(name, ABSENT)
        if isinstance(got, tuple | list):
            got = tuple(got)
        if value == ANY_COUNT:
            ok = isinstance(got, int) and got > 0
        else:
            ok = got == (tuple(value) if isinstance(value, list) else value)
        if not ok:
            problems[name] = (got, value)

    truth = None if usage_lost else truth_for(case, mode)
    cost_limit = _limit_value(case, mode, "cost")
    got_cost = actual.get(sc.GEN_AI_USAGE_COST, ABSENT)
    if cost_limit is not None:
        if got_cost != cost_limit:
            problems[sc.GEN_AI_USAGE_COST] = (got_cost, cost_limit)
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
