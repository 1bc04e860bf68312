"""Living with other instrumentations: what the user sees, asserted.

1. LiteLLM's own OpenTelemetry callback registered by the user (``litellm.callbacks = ["otel"]``
   or ``litellm.success_callback = ["otel"]``) next to litellm-otel. It runs in a child process
   (tests/apps/litellm_callback_app.py): when no SDK tracer provider is global, LiteLLM's
   callback installs its own as the global one, which a process can do only once.

   What LiteLLM 1.106's callback does there (read from litellm/integrations/opentelemetry.py
   and observed):

   * LiteLLM builds it at the first call. If the global tracer provider is then an SDK
     ``TracerProvider``, it takes its tracer (scope ``litellm``) from it. Otherwise it makes a
     ``TracerProvider`` (resource ``service.name=litellm``) exporting as
     ``OTEL_EXPORTER_OTLP_PROTOCOL`` or ``OTEL_EXPORTER`` say (default ``console``: JSON on
     stdout) and sets it as the global provider.
   * It runs after the call, on LiteLLM's logging thread or worker, and takes the current span
     of that context as its parent. For a non-streaming call that is litellm-otel's CLIENT span
     (LiteLLM copies the caller's context to its logging thread on purpose), so it creates no
     ``litellm_request`` span: it writes its attributes onto our span and adds a
     ``raw_gen_ai_request`` child carrying the prompt, the completion and the usage as strings.
     Our span has normally ended by then: the SDK drops every write and logs ``Setting
     attribute on ended span.`` (about fifty times per call). For a sync call it is a race:
     now and then LiteLLM's thread is first and its attributes land on our open span (legacy
     ``gen_ai.system``, ``metadata.*``, content). Usage numbers stay exact either way: LiteLLM
     writes the same token counts, and never adds them up.
   * For a stream it runs when the stream ends, outside our span: a root ``litellm_request``
     span (its own trace) with ``gen_ai.usage.*`` and a ``raw_gen_ai_request`` child.

   LiteLLM 1.79 builds its callback from the proxy's settings and so needs ``litellm[proxy]``;
   without it every call logs ``Error initializing custom logger`` and no LiteLLM span is made.

2. The OpenAI SDK's GenAI instrumentation (opentelemetry-instrumentation-openai-v2): LiteLLM's
   ``openai/`` provider calls the OpenAI SDK, so the same provider request gets litellm-otel's
   CLIENT span and, as its child, openai-v2's CLIENT span: the usage is on both (and the token
   metrics are recorded by both).
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib.metadata
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import litellm
import openai.resources.chat.completions as openai_chat
import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.dependencies import get_dist_dependency_conflicts
from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor
from opentelemetry.proto.trace.v1.trace_pb2 import Span
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import HistogramDataPoint, InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode
from packaging.version import Version

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY, assert_absent, assert_subset, attributes, openai_args
from litellm_otel import LiteLLMInstrumentor
from litellm_otel import semconv as sc
from otlp_receiver import OTLPReceiver, attribute_values, value

LITELLM_VERSION = Version(importlib.metadata.version("litellm"))
SCOPE = "litellm_otel"
APPS = Path(__file__).resolve().parent / "apps"
# The console script is installed next to the interpreter (venv/bin or venv\Scripts).
INSTRUMENT = Path(sys.executable).parent / ("opentelemetry-instrument" + (".exe" if os.name == "nt" else ""))
CHAT_MODEL = "openai/fake-gpt"
SPAN_NAME = f"chat {CHAT_MODEL}"
CHAT_USAGE = {
    sc.GEN_AI_USAGE_INPUT_TOKENS: fp.CHAT_PROMPT_TOKENS,
    sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.CHAT_COMPLETION_TOKENS,
    sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.CHAT_TOTAL_TOKENS,
    sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: fp.CHAT_CACHED_TOKENS,
    sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: fp.CHAT_REASONING_TOKENS,
}
INCLUDE_USAGE = {"stream": True, "stream_options": {"include_usage": True}}
# Attributes only LiteLLM's callback writes.
LITELLM_CALLBACK_ATTRIBUTES = (
    "gen_ai.system",
    "hidden_params",
    "llm.request.type",
    "metadata.usage_object",
    sc.GEN_AI_INPUT_MESSAGES,
    sc.GEN_AI_OUTPUT_MESSAGES,
)
ENDED_SPAN_WARNING = "Setting attribute on ended span."
# openai-v2 2.x reports through opentelemetry-util-genai's handler, whose tracer is named after
# its module; earlier releases used their own module name.
OPENAI_V2_SCOPES = {"opentelemetry.util.genai.handler", "opentelemetry.instrumentation.openai_v2"}


def chat(provider: FakeProvider, **extra: Any) -> Any:
    return litellm.completion(**openai_args(provider, CHAT_MODEL, **extra))


async def achat(provider: FakeProvider, **extra: Any) -> Any:
    return await litellm.acompletion(**openai_args(provider, CHAT_MODEL, **extra))


def child_env(provider: FakeProvider, **extra: str) -> dict[str, str]:
    # Start from the caller's environment minus any OTel configuration it carries.
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    no_proxy = ",".join(filter(None, [env.get("NO_PROXY", ""), "127.0.0.1,localhost"]))
    env.update(LITELLM_LOCAL_MODEL_COST_MAP="True", FAKE_PROVIDER_URL=provider.base_url, NO_PROXY=no_proxy)
    env.update(extra)
    return env


# --- 1. LiteLLM's own "otel" callback ---------------------------------------------------------


@dataclass(frozen=True)
class CallbackRun:
    report: dict[str, Any]  # what tests/apps/litellm_callback_app.py wrote
    stdout: str
    stderr: str

    def logs(self, logger: str, message: str = "") -> list[dict[str, str]]:
        return [r for r in self.report["logs"] if r["logger"] == logger and message in r["message"]]


def run_callback_app(
    provider: FakeProvider, tmp_path: Path, form: str, *, global_provider: bool
) -> CallbackRun:
    report_path = tmp_path / "report.json"
    command = [sys.executable, str(APPS / "litellm_callback_app.py"), form, str(report_path)]
    if global_provider:
        command.append("--global-provider")
    result = subprocess.run(
        command,
        env=child_env(provider, FAKE_API_KEY=API_KEY),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return CallbackRun(report=report, stdout=result.stdout, stderr=result.stderr)


def console_spans(stdout: str) -> list[dict[str, Any]]:
    """The spans the SDK's ConsoleSpanExporter printed (one JSON object each), in the shape the
    app reports its spans in. The console format carries no instrumentation scope."""
    decoder = json.JSONDecoder()
    spans: list[dict[str, Any]] = []
    position = stdout.find("{")
    while position != -1:
        printed, end = decoder.raw_decode(stdout, position)
        spans.append(
            {
                "scope": None,
                "name": printed["name"],
                "kind": printed["kind"].removeprefix("SpanKind."),
                "trace_id": printed["context"]["trace_id"],
                "span_id": printed["context"]["span_id"],
                "parent_id": printed["parent_id"],
                "attributes": printed["attributes"],
            }
        )
        position = stdout.find("{", end)
    return spans


def assert_litellm_callback_spans(
    theirs: list[dict[str, Any]], ours: Mapping[str, dict[str, Any]], calls: Mapping[str, Any]
) -> None:
    """LiteLLM's spans for the four calls: a raw_gen_ai_request child of our span for each
    non-streaming call, a root litellm_request (with a raw_gen_ai_request child) for each stream."""
    by_parent: dict[str | None, list[dict[str, Any]]] = {}
    for span in theirs:
        by_parent.setdefault(span["parent_id"], []).append(span)
    for call in ("sync", "async"):
        our_span = ours[calls[call]["id"]]
        [raw] = by_parent.pop(our_span["span_id"])
        assert (raw["name"], raw["kind"], raw["trace_id"]) == (
            "raw_gen_ai_request",
            "INTERNAL",
            our_span["trace_id"],
        )
        # The prompt, the completion and the usage, as Python reprs, recorded by default.
        assert "Say hello" in raw["attributes"]["llm.openai.messages"]
        assert fp.RESPONSE_TEXT in raw["attributes"]["llm.openai.choices"]
        assert f"'prompt_tokens': {fp.CHAT_PROMPT_TOKENS}" in raw["attributes"]["llm.openai.usage"]
    roots = {span["attributes"].get(sc.GEN_AI_RESPONSE_ID): span for span in by_parent.pop(None)}
    for call in ("sync_stream", "async_stream"):
        call_id = calls[call]["id"]
        request = roots.pop(call_id)
        assert (request["name"], request["kind"]) == ("litellm_request", "INTERNAL")
        assert request["trace_id"] != ours[call_id]["trace_id"]  # a trace of its own
        assert_subset(
            request["attributes"],
            {
                "gen_ai.system": "openai",
                sc.GEN_AI_USAGE_INPUT_TOKENS: fp.CHAT_PROMPT_TOKENS,
                sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.CHAT_COMPLETION_TOKENS,
                sc.GEN_AI_USAGE_TOTAL_TOKENS: fp.CHAT_TOTAL_TOKENS,
            },
        )
        [raw] = by_parent.pop(request["span_id"])
        assert raw["name"] == "raw_gen_ai_request"
    assert roots == {}
    assert by_parent == {}


@pytest.mark.parametrize(
    ("form", "global_provider"),
    [("callbacks", False), ("success_callback", True)],
    ids=["callbacks-no-global-provider", "success_callback-global-provider"],
)
def test_litellm_otel_callback_next_to_litellm_otel(
    provider: FakeProvider, tmp_path: Path, form: str, global_provider: bool
) -> None:
    run = run_callback_app(provider, tmp_path, form, global_provider=global_provider)
    report, calls = run.report, run.report["calls"]

    # One warning from litellm-otel, naming the list the user put "otel" in.
    [warning] = run.logs("litellm_otel")
    assert warning["level"] == "WARNING"
    assert f"(litellm.{form})" in warning["message"]

    # The calls work: four provider requests, four answers with the provider's usage.
    assert [r.path for r in provider.requests] == ["/v1/chat/completions"] * 4
    assert list(calls) == ["sync", "sync_stream", "async", "async_stream"]
    assert {call["prompt_tokens"] for call in calls.values()} == {fp.CHAT_PROMPT_TOKENS}

    # Ours: one CLIENT span per call with the provider's usage, whatever LiteLLM's callback did.
    spans = report["spans"]
    ours = {s["attributes"][sc.GEN_AI_RESPONSE_ID]: s for s in spans if s["scope"] == SCOPE}
    assert len(ours) == len([s for s in spans if s["scope"] == SCOPE]) == 4
    assert set(ours) == {call["id"] for call in calls.values()}
    for span in ours.values():
        assert (span["name"], span["kind"], span["parent_id"]) == (SPAN_NAME, "CLIENT", None)
        assert_subset(span["attributes"], CHAT_USAGE)
    for call in ("async", "sync_stream", "async_stream"):  # the sync call's span: see the docstring
        assert_absent(ours[calls[call]["id"]]["attributes"], LITELLM_CALLBACK_ATTRIBUTES)
    assert API_KEY not in run.stdout + json.dumps(spans)

    if LITELLM_VERSION.release >= (1, 106):
        assert report["litellm_callback_active"]
    if LITELLM_VERSION.release < (1, 80) and importlib.util.find_spec("backoff") is None:
        assert not report["litellm_callback_active"]  # it needs litellm[proxy] there

    if not report["litellm_callback_active"]:
        # LiteLLM could not build its callback: an error per call, no span, no provider set.
        assert len(run.logs("LiteLLM", "Error initializing custom logger")) == 4
        assert run.stdout == ""
        assert len(spans) == 4
        assert report["global_provider"]["is_ours"] is global_provider
        assert report["global_provider"]["sdk"] is global_provider
        return

    # LiteLLM's callback wrote into our ended spans: the SDK dropped that and said so.
    assert len(run.logs("opentelemetry.sdk.trace", ENDED_SPAN_WARNING)) > 0
    if global_provider:
        # It used the user's global provider: its spans (scope "litellm") sit next to ours.
        assert report["global_provider"]["is_ours"]
        theirs = [s for s in spans if s["scope"] != SCOPE]
        assert {s["scope"] for s in theirs} == {"litellm"}
        assert run.stdout == ""
        # Summing usage over every span counts each stream twice; over our scope, once.
        everything = sum(s["attributes"].get(sc.GEN_AI_USAGE_INPUT_TOKENS, 0) for s in spans)
        assert everything == 6 * fp.CHAT_PROMPT_TOKENS
        assert sum(s["attributes"][sc.GEN_AI_USAGE_INPUT_TOKENS] for s in ours.values()) == (
            4 * fp.CHAT_PROMPT_TOKENS
        )
    else:
        # No SDK provider was global: LiteLLM installed its own, printing its spans on stdout.
        global_info = report["global_provider"]
        assert global_info["sdk"]
        assert not global_info["is_ours"]
        assert global_info["resource"]["service.name"] == "litellm"
        assert len(spans) == 4  # nothing of LiteLLM's reached our provider
        theirs = console_spans(run.stdout)
    assert_litellm_callback_spans(theirs, ours, calls)


# --- 2. The OpenAI SDK's GenAI instrumentation (openai-v2) -------------------------------------


@pytest.fixture
def with_openai_v2(tracer_provider: TracerProvider, metric_reader: InMemoryMetricReader) -> Iterator[None]:
    """litellm-otel and openai-v2 on the same providers; openai-v2 is uninstrumented afterwards.

    LiteLLM caches its OpenAI clients, and a client binds the SDK's ``create`` when LiteLLM
    first uses it: the cache is emptied before (so openai-v2 sees the calls) and after (so no
    cached client keeps calling openai-v2's wrapper in later tests).
    """
    meter_provider = MeterProvider([metric_reader])
    originals = [cls.__dict__["create"] for cls in (openai_chat.Completions, openai_chat.AsyncCompletions)]
    litellm.in_memory_llm_clients_cache.flush_cache()
    ours = LiteLLMInstrumentor()
    ours.instrument(tracer_provider=tracer_provider, meter_provider=meter_provider)
    openai_v2 = OpenAIInstrumentor()  # type: ignore[no-untyped-call]
    openai_v2.instrument(tracer_provider=tracer_provider, meter_provider=meter_provider)
    try:
        yield
    finally:
        openai_v2.uninstrument()
        ours.uninstrument()
        litellm.in_memory_llm_clients_cache.flush_cache()
    restored = [cls.__dict__["create"] for cls in (openai_chat.Completions, openai_chat.AsyncCompletions)]
    assert all(after is before for after, before in zip(restored, originals, strict=True))


def token_usage_by_scope(reader: InMemoryMetricReader, token_type: str) -> dict[str, int]:
    data = reader.get_metrics_data()
    sums: dict[str, int] = {}
    for resource_metrics in data.resource_metrics if data else []:
        for scope_metrics in resource_metrics.scope_metrics:
            for metric in scope_metrics.metrics:
                if metric.name != sc.GEN_AI_CLIENT_TOKEN_USAGE:
                    continue
                for point in metric.data.data_points:
                    assert isinstance(point, HistogramDataPoint)
                    if (point.attributes or {}).get(sc.GEN_AI_TOKEN_TYPE) == token_type:
                        name = scope_metrics.scope.name
                        sums[name] = sums.get(name, 0) + int(point.sum)
    return sums


@pytest.mark.usefixtures("with_openai_v2")
async def test_openai_v2_span_is_a_child_of_ours_and_repeats_the_usage(
    provider: FakeProvider, span_exporter: InMemorySpanExporter, metric_reader: InMemoryMetricReader
) -> None:
    def sync_stream() -> list[Any]:
        return list(chat(provider, **INCLUDE_USAGE))

    async def async_stream() -> list[Any]:
        return [chunk async for chunk in await achat(provider, **INCLUDE_USAGE)]

    # Each stream in a context of its own: openai-v2 leaves ours current after a stream (see
    # test_call_after_an_openai_v2_stream_gets_its_own_span).
    def text(chunks: list[Any]) -> str:
        # From 1.110 LiteLLM passes OpenAI's usage chunk on as sent: with no choices.
        return "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)

    replies = [
        chat(provider).choices[0].message.content,
        text(contextvars.copy_context().run(sync_stream)),
        (await achat(provider)).choices[0].message.content,
        text(await asyncio.create_task(async_stream())),
    ]
    assert replies == [fp.RESPONSE_TEXT] * 4

    spans = span_exporter.get_finished_spans()
    ours = {attributes(s)[sc.GEN_AI_RESPONSE_ID]: s for s in spans if scope_of(s) == SCOPE}
    theirs = [s for s in spans if scope_of(s) != SCOPE]
    assert len(ours) == 4
    for span in ours.values():
        assert (span.name, span.kind, span.parent) == (SPAN_NAME, SpanKind.CLIENT, None)
        assert_subset(attributes(span), CHAT_USAGE)
    if not LITELLM_CALLS_OPENAI_CREATE:
        # LiteLLM 1.108 posts through the OpenAI client's `post`, not `chat.completions.create`,
        # which is what openai-v2 wraps: it sees nothing, so nothing is counted twice.
        assert theirs == []
        assert token_usage_by_scope(metric_reader, "input") == {SCOPE: 4 * fp.CHAT_PROMPT_TOKENS}
        return
    assert len(theirs) == 4
    for span in theirs:
        # openai-v2's CLIENT span for the same provider request, a child of ours.
        assert scope_of(span) in OPENAI_V2_SCOPES
        assert (span.name, span.kind) == ("chat fake-gpt", SpanKind.CLIENT)
        parent = ours[attributes(span)[sc.GEN_AI_RESPONSE_ID]]
        assert span.parent is not None
        assert span.parent.span_id == parent.context.span_id
        assert span.context.trace_id == parent.context.trace_id
        # ... with the same usage: summed over every span, the tokens count twice.
        assert_subset(
            attributes(span),
            {
                sc.GEN_AI_REQUEST_MODEL: "fake-gpt",
                sc.GEN_AI_USAGE_INPUT_TOKENS: fp.CHAT_PROMPT_TOKENS,
                sc.GEN_AI_USAGE_OUTPUT_TOKENS: fp.CHAT_COMPLETION_TOKENS,
            },
        )
    [their_scope] = {scope_of(s) for s in theirs}
    assert sum(attributes(s)[sc.GEN_AI_USAGE_INPUT_TOKENS] for s in spans) == 8 * fp.CHAT_PROMPT_TOKENS

    # The token usage metric too: same name, one series per scope.
    assert token_usage_by_scope(metric_reader, "input") == {
        SCOPE: 4 * fp.CHAT_PROMPT_TOKENS,
        their_scope: 4 * fp.CHAT_PROMPT_TOKENS,
    }


# Up to 1.106 LiteLLM calls the OpenAI SDK's `chat.completions.create` for OpenAI chat calls;
# from 1.108.0 it posts through the client itself.
LITELLM_CALLS_OPENAI_CREATE = Version(importlib.metadata.version("litellm")) < Version("1.108")


def scope_of(span: ReadableSpan) -> str | None:
    return span.instrumentation_scope.name if span.instrumentation_scope else None


# openai-v2 (opentelemetry-util-genai) attaches its span's context when a stream starts and
# detaches it when the stream ends, which restores the context current when the stream started
# -- litellm-otel's call, by then ended -- in the caller's context. An ended call of ours must
# not take the caller's next LiteLLM call for one of its own inner calls.
@pytest.mark.usefixtures("with_openai_v2")
def test_call_after_an_openai_v2_stream_gets_its_own_span(
    provider: FakeProvider, span_exporter: InMemorySpanExporter
) -> None:
    def stream_then_call() -> None:
        for _ in chat(provider, **INCLUDE_USAGE):
            pass
        leaked = trace.get_current_span()  # openai-v2's leak: our ended stream span is current
        assert leaked is trace.INVALID_SPAN or not leaked.is_recording()
        chat(provider)

    # In a copied context, so that what openai-v2 leaves behind stays out of the other tests.
    contextvars.copy_context().run(stream_then_call)
    assert len([s for s in span_exporter.get_finished_spans() if scope_of(s) == SCOPE]) == 2


@pytest.mark.usefixtures("with_openai_v2")
def test_openai_v2_and_litellm_embedding(provider: FakeProvider, span_exporter: InMemorySpanExporter) -> None:
    try:
        response = litellm.embedding(
            model="openai/fake-embed",
            input=["hello"],
            api_base=provider.openai_base,
            api_key=API_KEY,
            max_retries=0,
        )
    except litellm.InternalServerError as exc:
        # LiteLLM 1.79 asks the OpenAI SDK for the raw response; openai-v2 reads `.model` from
        # it and raises, which fails the call, with or without litellm-otel. Our span says so.
        assert "'LegacyAPIResponse' object has no attribute 'model'" in str(exc)
        failed = True
        [span] = [s for s in span_exporter.get_finished_spans() if scope_of(s) == SCOPE]
        assert span.status.status_code is StatusCode.ERROR
        assert attributes(span)[sc.ERROR_TYPE] == "litellm.exceptions.InternalServerError"
    else:
        # LiteLLM 1.106 posts embeddings through the OpenAI client without `Embeddings.create`:
        # openai-v2 sees nothing, and only our span has the usage.
        failed = False
        assert response.usage.prompt_tokens == fp.EMBEDDING_PROMPT_TOKENS
        [span] = span_exporter.get_finished_spans()
        assert scope_of(span) == SCOPE
        assert attributes(span)[sc.GEN_AI_USAGE_INPUT_TOKENS] == fp.EMBEDDING_PROMPT_TOKENS
    if LITELLM_VERSION.release[:2] == (1, 79):
        assert failed
    if LITELLM_VERSION.release >= (1, 106):
        assert not failed


def test_openai_v2_disabled_under_opentelemetry_instrument(provider: FakeProvider) -> None:
    # The launcher would load openai-v2: its entry point is there and its dependencies are met.
    [entry_point] = [
        ep
        for ep in importlib.metadata.entry_points(group="opentelemetry_instrumentor")
        if ep.value.startswith("opentelemetry.instrumentation.openai_v2")
    ]
    assert entry_point.name == "openai"  # the name OTEL_PYTHON_DISABLED_INSTRUMENTATIONS takes
    assert entry_point.load() is OpenAIInstrumentor
    assert entry_point.dist is not None
    assert get_dist_dependency_conflicts(entry_point.dist) is None

    if not INSTRUMENT.exists():
        pytest.fail(f"{INSTRUMENT} not found: install opentelemetry-instrumentation")
    with OTLPReceiver() as receiver:
        result = subprocess.run(
            [str(INSTRUMENT), sys.executable, str(APPS / "openai_chat_app.py")],
            env=child_env(
                provider,
                OTEL_PYTHON_DISABLED_INSTRUMENTATIONS="openai",
                OTEL_SERVICE_NAME="coexistence-app",
                OTEL_TRACES_EXPORTER="otlp",
                OTEL_EXPORTER_OTLP_PROTOCOL="http/protobuf",
                OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint,
                OTEL_METRICS_EXPORTER="none",
                OTEL_LOGS_EXPORTER="none",
            ),
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert f"reply={fp.RESPONSE_TEXT}" in result.stdout, (result.stdout, result.stderr)
        received = receiver.spans()

    assert [r.path for r in provider.requests] == ["/v1/chat/completions"]
    gen_ai = [s for s in received if any(k.startswith("gen_ai.") for k in attribute_values(s.span))]
    assert [(s.scope.name, s.span.name) for s in gen_ai] == [(SCOPE, SPAN_NAME)], result.stderr
    [received_span] = gen_ai
    assert received_span.span.kind == Span.SpanKind.SPAN_KIND_CLIENT
    usage = {k: value(v) for k, v in attribute_values(received_span.span).items() if k in CHAT_USAGE}
    assert usage == CHAT_USAGE
