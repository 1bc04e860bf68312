"""A compact, readable tree of finished spans: name, kind and the figures that matter.

Used by the examples to show what litellm-otel recorded at a glance:

    router chat fast [INTERNAL] attempts=2 fallbacks=1 final_model_group=capable
      chat openai/gpt-4o-mini-error-429 [CLIENT] ERROR RateLimitError 429
      chat anthropic/claude-sonnet-4-5 [CLIENT] tokens in/out=1234/300 cache read/write=1000/200 ...
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

ROUTER_KEYS = ("litellm.router.attempts", "litellm.router.fallbacks", "litellm.router.final_model_group")


def _pair(a: dict[str, Any], label: str, first: str, second: str) -> str | None:
    if first not in a and second not in a:
        return None
    return f"{label}={a.get(first, '-')}/{a.get(second, '-')}"


def describe(span: ReadableSpan) -> str:
    """One line: the span's name and kind, then its key usage, cost and error attributes."""
    a = dict(span.attributes or {})
    details: list[str] = []
    if span.status.status_code is StatusCode.ERROR:
        error = str(a.get("error.type", "error")).rsplit(".", 1)[-1]
        status = a.get("http.response.status_code")
        details.append(f"ERROR {error}" + (f" {status}" if status is not None else ""))
    if span.kind is SpanKind.INTERNAL:
        details += [f"{key.rsplit('.', 1)[-1]}={a[key]}" for key in ROUTER_KEYS if key in a]
    else:
        for pair in (
            _pair(a, "tokens in/out", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens"),
            _pair(
                a,
                "cache read/write",
                "gen_ai.usage.cache_read.input_tokens",
                "gen_ai.usage.cache_creation.input_tokens",
            ),
        ):
            if pair:
                details.append(pair)
        if "gen_ai.usage.reasoning.output_tokens" in a:
            details.append(f"reasoning={a['gen_ai.usage.reasoning.output_tokens']}")
        if "gen_ai.usage.cost" in a:
            details.append(f"cost=${a['gen_ai.usage.cost']:.6f}")
        if "gen_ai.provider.name" in a:
            details.append(f"provider={a['gen_ai.provider.name']}")
    return " ".join([f"{span.name} [{span.kind.name}]", *details])


def print_tree(spans: Sequence[ReadableSpan]) -> None:
    """Every span under its parent (spans whose parent is not among them are roots)."""
    ids = {s.context.span_id for s in spans}
    children: dict[int | None, list[ReadableSpan]] = {}
    for span in spans:
        parent = span.parent.span_id if span.parent and span.parent.span_id in ids else None
        children.setdefault(parent, []).append(span)

    def walk(parent: int | None, depth: int) -> None:
        for span in sorted(children.get(parent, []), key=lambda s: s.start_time or 0):
            print("  " * depth + describe(span))
            walk(span.context.span_id, depth + 1)

    walk(None, 0)
