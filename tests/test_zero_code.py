"""Zero-code instrumentation: ``opentelemetry-instrument python app.py`` traces LiteLLM.

The application (tests/apps/chat_app.py) imports LiteLLM and nothing from OpenTelemetry. It runs
in a child process under the real ``opentelemetry-instrument`` launcher: the distro's SDK
configurator builds the tracer provider from ``OTEL_*`` variables and the launcher discovers
``LiteLLMInstrumentor`` through its ``opentelemetry_instrumentor`` entry point. Spans travel
over OTLP/HTTP to a receiver in the test process; the app talks to the fake provider, also in
the test process, over real HTTP.

Other instrumentations installed in the environment stay enabled, as they would for a user; the
assertions only look at spans from the ``litellm_otel`` scope, so extra spans (httpx, requests,
...) do not disturb them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

import fake_provider as fp
from fake_provider import FakeProvider
from litellm_otel import semconv as sc
from otlp_receiver import OTLPReceiver, ReceivedSpan, attribute_values, value

APP = Path(__file__).resolve().parent / "apps" / "chat_app.py"
# The console script is installed next to the interpreter (venv/bin or venv\Scripts).
INSTRUMENT = Path(sys.executable).parent / ("opentelemetry-instrument" + (".exe" if os.name == "nt" else ""))
SERVICE_NAME = "zero-code-app"
SCOPE = "litellm_otel"


@pytest.fixture
def receiver() -> Iterator[OTLPReceiver]:
    with OTLPReceiver() as otlp_receiver:
        yield otlp_receiver


def run_app(
    provider: FakeProvider, receiver: OTLPReceiver, **otel_env: str
) -> subprocess.CompletedProcess[str]:
    """Run the app under opentelemetry-instrument; spans go to ``receiver`` over OTLP/HTTP."""
    if not INSTRUMENT.exists():
        pytest.fail(f"{INSTRUMENT} not found: install opentelemetry-instrumentation")
    # Start from the caller's environment minus any OTel configuration it carries.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY", ""), "127.0.0.1,localhost"]))
    env.update(
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        FAKE_PROVIDER_URL=provider.base_url,
        NO_PROXY=no_proxy,
        OTEL_SERVICE_NAME=SERVICE_NAME,
        # The distro defaults "otlp" to gRPC; this project ships the HTTP/protobuf exporter.
        OTEL_TRACES_EXPORTER="otlp",
        OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf",
        OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
        OTEL_METRICS_EXPORTER="none",
        OTEL_LOGS_EXPORTER="none",
    )
    env.update(otel_env)
    result = subprocess.run(
        [str(INSTRUMENT), sys.executable, str(APP)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"reply={fp.RESPONSE_TEXT}" in result.stdout, (result.stdout, result.stderr)
    # The app really called the provider (exactly once) in both cases.
    assert [r.path for r in provider.requests] == ["/v1/messages"]
    return result


def ours(receiver: OTLPReceiver) -> list[ReceivedSpan]:
    # The child exited after its tracer provider's shutdown flushed the batch processor, and
    # every export got its response only once recorded: nothing is still in flight.
    return [s for s in receiver.spans() if s.scope.name == SCOPE]


def test_opentelemetry_instrument_traces_an_unmodified_app(
    provider: FakeProvider, receiver: OTLPReceiver
) -> None:
    result = run_app(provider, receiver)

    spans = ours(receiver)
    assert len(spans) == 1, ([s.span.name for s in receiver.spans()], result.stderr)
    received = spans[0]
    span = received.span
    assert span.name == "chat anthropic/claude-sonnet-4-5"
    assert span.kind == Span.SpanKind.SPAN_KIND_CLIENT
    assert span.status.code == Status.StatusCode.STATUS_CODE_UNSET

    resource = {k: value(v) for k, v in attribute_values(received.resource).items()}
    assert resource["service.name"] == SERVICE_NAME
    assert "telemetry.auto.version" in resource  # set by the SDK configurator the launcher ran

    attrs = attribute_values(span)
    assert {k: value(attrs[k]) for k in (sc.GEN_AI_PROVIDER_NAME, sc.GEN_AI_OPERATION_NAME)} == {
        sc.GEN_AI_PROVIDER_NAME: "anthropic",
        sc.GEN_AI_OPERATION_NAME: "chat",
    }
    usage = {k: (v.WhichOneof("value"), value(v)) for k, v in attrs.items() if k.startswith("gen_ai.usage.")}
    input_tokens = (
        fp.ANTHROPIC_INPUT_TOKENS
        + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
        + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
    )
    assert usage[sc.GEN_AI_USAGE_INPUT_TOKENS] == ("int_value", input_tokens)
    assert usage[sc.GEN_AI_USAGE_OUTPUT_TOKENS] == ("int_value", fp.ANTHROPIC_OUTPUT_TOKENS)
    assert usage[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] == (
        "int_value",
        fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS,
    )
    assert usage[sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS] == (
        "int_value",
        fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS,
    )
    cost_type, cost = usage[sc.GEN_AI_USAGE_COST]
    assert cost_type == "double_value"
    assert isinstance(cost, float)
    assert cost > 0
    # The app saw the same usage LiteLLM reported.
    assert f"prompt_tokens={input_tokens}" in result.stdout


def test_disabled_instrumentation_produces_no_span(provider: FakeProvider, receiver: OTLPReceiver) -> None:
    # Same launcher, same configuration as above, one variable added.
    result = run_app(provider, receiver, OTEL_PYTHON_DISABLED_INSTRUMENTATIONS=SCOPE)

    assert ours(receiver) == [], result.stderr
    assert not [s for s in receiver.spans() if any(k.startswith("gen_ai.") for k in attribute_values(s.span))]
