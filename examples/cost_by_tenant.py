"""Cost per tenant, from LiteLLM call metadata, without copying anything not allow-listed.

`instrument(metadata_attributes=["tenant_id", "user_id"])` copies those keys of each call's
`metadata` onto its span and onto every metric data point as `litellm.metadata.<key>`; no other
key of the metadata is read. A `response_hook` adds one more attribute of the application's
choosing. The `gen_ai.usage.cost` histogram then sums cost per tenant.

    python examples/cost_by_tenant.py
"""

from __future__ import annotations

import os

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import litellm
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import Span

from fake_provider import FakeProvider
from litellm_otel import LiteLLMInstrumentor

CALLS = [
    ("acme", "alice", "anthropic/claude-sonnet-4-5"),
    ("acme", "bob", "openai/gpt-4o-mini"),
    ("globex", "carol", "anthropic/claude-sonnet-4-5"),
]


def tag_cached_calls(span: Span, kwargs: Mapping[str, Any], result: Any) -> None:
    """A response hook: mark calls that were mostly served from the provider's prompt cache."""
    usage = getattr(result, "usage", None)
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) or 0
    prompt = getattr(usage, "prompt_tokens", None) or 0
    span.set_attribute("app.mostly_cached", bool(prompt) and cached / prompt > 0.5)


def main() -> None:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    metrics = InMemoryMetricReader()
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=tracer_provider,
        meter_provider=MeterProvider([metrics]),
        metadata_attributes=["tenant_id", "user_id"],
        response_hook=tag_cached_calls,
    )

    with FakeProvider() as provider:
        for tenant, user, model in CALLS:
            api_base = provider.base_url if model.startswith("anthropic/") else provider.openai_base
            litellm.completion(
                model=model,
                messages=[{"role": "user", "content": "Summarise the ticket."}],
                max_tokens=256,
                api_base=api_base,
                api_key="sk-demo",
                # internal_note is not allow-listed: it never reaches telemetry.
                metadata={"tenant_id": tenant, "user_id": user, "internal_note": "VIP escalation"},
            )
    instrumentor.uninstrument()

    print("spans:")
    for span in spans.get_finished_spans():
        attributes = dict(span.attributes or {})
        copied = {k: v for k, v in attributes.items() if k.startswith(("litellm.metadata.", "app."))}
        print(f"  {span.name}: cost={attributes.get('gen_ai.usage.cost')} {copied}")

    cost_by_tenant: dict[str, float] = defaultdict(float)
    data = metrics.get_metrics_data()
    for resource_metrics in data.resource_metrics if data else []:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                if metric.name != "gen_ai.usage.cost":
                    continue
                for point in metric.data.data_points:
                    if isinstance(point, HistogramDataPoint):
                        tenant = str((point.attributes or {}).get("litellm.metadata.tenant_id"))
                        cost_by_tenant[tenant] += point.sum
    print("cost by tenant (USD, from the gen_ai.usage.cost histogram):")
    for tenant, cost in sorted(cost_by_tenant.items()):
        print(f"  {tenant}: {cost:.6f}")


if __name__ == "__main__":
    main()
