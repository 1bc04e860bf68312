"""What the framework tests share: importing a framework (skip, or fail under `nox -s frameworks`),
the agents' tool, the usage the fake provider served, the usage a trace sums to, the span tree."""

from __future__ import annotations

import importlib
import os
from collections import Counter
from collections.abc import Callable, Iterable
from types import ModuleType

import pytest
from opentelemetry.sdk.metrics.export import HistogramDataPoint, MetricsData
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind

import fake_provider as fp
from fake_provider import RecordedRequest
from litellm_otel import semconv as sc

SCOPE = "litellm_otel"
# A chat model of the fake provider that calls the first tool offered, then, once the
# conversation ends with the tool's result, answers with text: an agent loop's two turns.
TOOL_ONCE_MODEL = "openai/gpt-4o-mini-tool-once"
# The counts a trace's sum is compared on: every gen_ai.usage.* count a span may carry.
USAGE_KEYS = (
    sc.GEN_AI_USAGE_INPUT_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
    sc.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
    sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
)


PROGRAM = "program"  # the caller's span around an agent run, for frameworks that make none
WEATHER = "Paris: 18C, sunny"  # what the tool answers for the city the fake provider asks about


def get_weather(city: str) -> str:
    """The current weather in a city.

    Args:
        city: The city.
    """
    return f"{city}: 18C, sunny"


def is_program(span: ReadableSpan) -> bool:
    return span.name == PROGRAM


def require(module: str, distribution: str) -> ModuleType:
    """Import a framework; without it skip the module, or fail under `nox -s frameworks`
    (NOX_FRAMEWORKS=1), which must not pass by skipping."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        reason = f"{distribution} is not installed ({exc})"
        if os.environ.get("NOX_FRAMEWORKS") == "1":
            pytest.fail(reason, pytrace=False)
        pytest.skip(f"{reason}; run `nox -s frameworks`", allow_module_level=True)


def served_usage(requests: Iterable[RecordedRequest]) -> Counter[str]:
    """The usage the fake provider sent, summed over the requests it received: each chat
    completion (non-streamed, or streamed with include_usage) sends `fp.OPENAI_USAGE`: prompt
    1200 (cached 1000), completion 300 (reasoning 120)."""
    served: Counter[str] = Counter()
    for request in requests:
        assert request.path == "/v1/chat/completions", request.path
        if request.body.get("stream") is True:
            options = request.body.get("stream_options")
            assert isinstance(options, dict) and options.get("include_usage") is True
        served[sc.GEN_AI_USAGE_INPUT_TOKENS] += fp.CHAT_PROMPT_TOKENS
        served[sc.GEN_AI_USAGE_OUTPUT_TOKENS] += fp.CHAT_COMPLETION_TOKENS
        served[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] += fp.CHAT_CACHED_TOKENS
        served[sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] += fp.CHAT_REASONING_TOKENS
    return served


def trace_usage(spans: Iterable[ReadableSpan]) -> Counter[str]:
    """The trace-wide sum of the gen_ai.usage.* counts, over every span that carries one."""
    total: Counter[str] = Counter()
    for span in spans:
        for key in USAGE_KEYS:
            value = (span.attributes or {}).get(key)
            if isinstance(value, int):
                total[key] += value
    return total


def carriers(spans: Iterable[ReadableSpan]) -> set[str]:
    """The scopes whose spans carry any gen_ai.usage.* attribute."""
    return {
        span.instrumentation_scope.name if span.instrumentation_scope else "?"
        for span in spans
        if any(key.startswith("gen_ai.usage.") for key in span.attributes or {})
    }


def client_spans(spans: Iterable[ReadableSpan]) -> list[ReadableSpan]:
    return [
        span
        for span in spans
        if span.kind is SpanKind.CLIENT
        and span.instrumentation_scope is not None
        and span.instrumentation_scope.name == SCOPE
    ]


def assert_one_tree(
    spans: list[ReadableSpan], requests: int, is_parent: Callable[[ReadableSpan], bool]
) -> list[ReadableSpan]:
    """One trace; one CLIENT span of ours per provider request, each the child of a span that
    `is_parent` accepts. Returns the CLIENT spans."""
    assert {span.context.trace_id for span in spans if span.context} == {spans[0].context.trace_id}
    by_id = {span.context.span_id: span for span in spans if span.context}
    ours = client_spans(spans)
    assert len(ours) == requests, [span.name for span in spans]
    for span in ours:
        assert span.parent is not None, span.name
        parent = by_id.get(span.parent.span_id)
        assert parent is not None and is_parent(parent), (span.name, parent and parent.name)
    return ours


def token_metric(data: MetricsData | None) -> dict[tuple[str, str], int]:
    """gen_ai.client.token.usage summed by (meter scope, gen_ai.token.type)."""
    sums: Counter[tuple[str, str]] = Counter()
    for resource in data.resource_metrics if data else ():
        for scope in resource.scope_metrics:
            for metric in scope.metrics:
                if metric.name != "gen_ai.client.token.usage":
                    continue
                for point in metric.data.data_points:
                    assert isinstance(point, HistogramDataPoint)
                    kind = str((point.attributes or {}).get(sc.GEN_AI_TOKEN_TYPE))
                    sums[(scope.scope.name, kind)] += int(point.sum)
    return dict(sums)


def span_tree(spans: Iterable[ReadableSpan]) -> str:
    """The spans as an indented tree (name, kind, status, usage and retry attributes), for a
    failing test's output and the record of a run."""
    spans = list(spans)
    ids = {span.context.span_id for span in spans if span.context}
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in sorted(spans, key=lambda s: s.start_time or 0):
        parent = span.parent.span_id if span.parent and span.parent.span_id in ids else None
        children.setdefault(parent, []).append(span)
    shown = (*USAGE_KEYS, sc.GEN_AI_USAGE_COST, sc.LITELLM_PROVIDER_REQUESTS, sc.HTTP_RESPONSE_STATUS_CODE)
    lines: list[str] = []

    def walk(parent: int | None, depth: int) -> None:
        for span in children.get(parent, []):
            found = {k: v for k, v in (span.attributes or {}).items() if k in shown}
            status = span.status.status_code.name
            lines.append(f"{'  ' * depth}{span.name} [{span.kind.name}, {status}] {found}")
            walk(span.context.span_id if span.context else None, depth + 1)

    walk(None, 0)
    return "\n".join(lines)
