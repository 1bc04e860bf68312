"""Fixtures of the framework tests: the global tracer and meter providers (frameworks use the
global ones: ADK's tracer and meter are made when it is imported), and litellm-otel instrumented
into them, with the framework deduplication on or off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import litellm
import pytest
from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import Counter, Histogram, MeterProvider
from opentelemetry.sdk.metrics.export import AggregationTemporality, InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from frameworks.shared import TOOL_ONCE_MODEL
from litellm_otel import LiteLLMInstrumentor


@dataclass(frozen=True)
class GlobalTelemetry:
    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader
    tracer_provider: TracerProvider
    meter_provider: MeterProvider


@pytest.fixture(scope="session")
def tool_once_model_priced() -> None:
    """LiteLLM prices the fake `tool-once` model as gpt-4o-mini, so its CLIENT spans carry a cost."""
    name = TOOL_ONCE_MODEL.removeprefix("openai/")
    if name not in litellm.model_cost:
        litellm.register_model({name: dict(litellm.model_cost["gpt-4o-mini"])})


@pytest.fixture(scope="session")
def global_telemetry(tool_once_model_priced: None) -> GlobalTelemetry:
    spans = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(spans))
    # Delta: each collection holds what was recorded since the last one, i.e. by one test.
    delta = AggregationTemporality.DELTA
    reader = InMemoryMetricReader(preferred_temporality={Histogram: delta, Counter: delta})
    meter_provider = MeterProvider(metric_readers=[reader])
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(meter_provider)
    assert trace.get_tracer_provider() is tracer_provider, "another global tracer provider was set first"
    assert metrics.get_meter_provider() is meter_provider, "another global meter provider was set first"
    return GlobalTelemetry(spans, reader, tracer_provider, meter_provider)


# The root conftest's exporter, reader and provider, replaced by the global ones in the tests that
# run a framework (those requesting `global_telemetry`): its secret scan reads them. The other tests
# here leave the global providers alone.
@pytest.fixture
def span_exporter(request: pytest.FixtureRequest) -> InMemorySpanExporter:
    if "global_telemetry" not in request.fixturenames:
        return InMemorySpanExporter()
    telemetry: GlobalTelemetry = request.getfixturevalue("global_telemetry")
    telemetry.spans.clear()
    return telemetry.spans


@pytest.fixture
def metric_reader(request: pytest.FixtureRequest) -> InMemoryMetricReader:
    if "global_telemetry" not in request.fixturenames:
        return InMemoryMetricReader()
    telemetry: GlobalTelemetry = request.getfixturevalue("global_telemetry")
    telemetry.metrics.get_metrics_data()  # drain: the next collection is this test's
    return telemetry.metrics


@pytest.fixture
def tracer_provider(global_telemetry: GlobalTelemetry) -> TracerProvider:
    return global_telemetry.tracer_provider


def _instrumented(global_telemetry: GlobalTelemetry, **kwargs: object) -> Iterator[LiteLLMInstrumentor]:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(
        tracer_provider=global_telemetry.tracer_provider,
        meter_provider=global_telemetry.meter_provider,
        **kwargs,
    )
    yield instrumentor
    instrumentor.uninstrument()


@pytest.fixture
def instrument(
    global_telemetry: GlobalTelemetry,
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
) -> Iterator[LiteLLMInstrumentor]:
    """litellm-otel as installed: framework usage deduplicated."""
    yield from _instrumented(global_telemetry)


@pytest.fixture
def instrument_keeping_framework_usage(
    global_telemetry: GlobalTelemetry,
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
) -> Iterator[LiteLLMInstrumentor]:
    """litellm-otel with the opt-out: frameworks left as they are."""
    yield from _instrumented(global_telemetry, deduplicate_framework_usage=False)
