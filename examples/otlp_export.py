"""Export LiteLLM spans over OTLP/HTTP (protobuf) to a collector or tracing backend.

Starts the bundled fake provider on 127.0.0.1 (no API key needed), instruments LiteLLM with a
``BatchSpanProcessor`` + ``OTLPSpanExporter`` and makes two calls, one of which fails. The
exporter reads the standard ``OTEL_EXPORTER_OTLP_ENDPOINT`` (a base URL; ``/v1/traces`` is
appended) and ``OTEL_EXPORTER_OTLP_HEADERS`` variables; the endpoint defaults to
``http://localhost:4318``, an OpenTelemetry Collector's OTLP/HTTP port.

    pip install opentelemetry-sdk opentelemetry-exporter-otlp-proto-http
    OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 python examples/otlp_export.py

``OTEL_EXPORTER_OTLP_ENDPOINT`` for some backends (self-hosted defaults; check your deployment):

* Grafana Tempo, Jaeger, self-hosted SigNoz: ``http://<host>:4318``, their OTLP/HTTP receiver
  port (SigNoz Cloud: ``https://ingest.<region>.signoz.cloud:443`` with
  ``OTEL_EXPORTER_OTLP_HEADERS=signoz-ingestion-key=<key>``).
* Langfuse: ``https://cloud.langfuse.com/api/public/otel`` (EU; US: ``us.cloud.langfuse.com``;
  self-hosted: ``http://<host>:3000/api/public/otel``) with
  ``OTEL_EXPORTER_OTLP_HEADERS="Authorization=Basic <base64 of public_key:secret_key>"``.
  Langfuse accepts OTLP over HTTP only, not gRPC.
* Arize Phoenix: ``http://<host>:6006`` (Phoenix serves OTLP/HTTP on its UI port).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult

from fake_provider import FakeProvider
from litellm_otel import LiteLLMInstrumentor

MESSAGES = [{"role": "user", "content": "Summarise our refund policy in one line."}]


class CountingExporter(SpanExporter):
    """Delegates to the OTLP exporter and counts the spans the endpoint accepted (demo only)."""

    def __init__(self, exporter: SpanExporter) -> None:
        self.exporter = exporter
        self.exported = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        result = self.exporter.export(spans)
        if result is SpanExportResult.SUCCESS:
            self.exported += len(spans)
        return result

    def shutdown(self) -> None:
        self.exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.exporter.force_flush(timeout_millis)


def main() -> None:
    # Where the exporter sends: the traces-specific variable is a full URL and wins.
    base = os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4318")
    endpoint = os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or base.rstrip("/") + "/v1/traces"
    tracer_provider = TracerProvider(resource=Resource.create({SERVICE_NAME: "litellm-otel-example"}))
    # No arguments: the exporter reads OTEL_EXPORTER_OTLP_* itself, as in production.
    exporter = CountingExporter(OTLPSpanExporter())
    tracer_provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(tracer_provider)
    LiteLLMInstrumentor().instrument()

    with FakeProvider() as provider:
        litellm.completion(
            model="anthropic/claude-sonnet-4-5",
            messages=MESSAGES,
            max_tokens=512,
            api_base=provider.base_url,
            api_key="sk-ant-demo",
        )
        # Recorded on its span: status ERROR, error.type, http.response.status_code.
        with contextlib.suppress(litellm.RateLimitError):
            litellm.completion(
                model="openai/gpt-4o-error-429",
                messages=MESSAGES,
                api_base=provider.openai_base,
                api_key="sk-demo",
                max_retries=0,
            )

    # A batch processor exports in the background: flush before the process exits (shutdown
    # flushes too). An unreachable endpoint is retried, then logged by the exporter, not raised.
    tracer_provider.force_flush()
    print(f"{exporter.exported} spans exported to {endpoint}")
    tracer_provider.shutdown()


if __name__ == "__main__":
    main()
