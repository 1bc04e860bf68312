"""Shared fixtures: a fake provider on 127.0.0.1 that LiteLLM talks to over real HTTP, and
in-memory OpenTelemetry exporters."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import ipaddress
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
# LiteLLM prices a stream without usage by counting its tokens, and for a Llama or Mistral model
# it loads that model's tokenizer from the Hugging Face Hub: offline, huggingface_hub retries for
# 23 s here (and without end where DNS hangs) before LiteLLM falls back to tiktoken. Offline mode
# makes it fall back at once. Child interpreters inherit it.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))

import litellm
import pytest
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fake_provider import FakeProvider
from helpers import API_KEY, telemetry_text
from litellm_otel import LiteLLMInstrumentor

litellm.telemetry = False

_getaddrinfo = socket.getaddrinfo


def _loopback(host: str | bytes | None) -> bool:
    name = host.decode() if isinstance(host, bytes) else host
    if name is None or name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _loopback_getaddrinfo(host: str | bytes | None, *args: Any, **kwargs: Any) -> Any:
    """The machine has no internet; a name lookup that waits for one (a DNS timeout, a client's
    backoff) would stall the suite for minutes in CI. Every other host fails at once, as it would
    where DNS answers quickly."""
    if not _loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"the tests are offline: {host!r} is not loopback")
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_getaddrinfo


@pytest.fixture(scope="session")
def fake_provider() -> Iterator[FakeProvider]:
    with FakeProvider() as provider:
        yield provider


@pytest.fixture
def provider(fake_provider: FakeProvider) -> FakeProvider:
    fake_provider.reset()
    return fake_provider


@pytest.fixture
def span_exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def metric_reader() -> InMemoryMetricReader:
    return InMemoryMetricReader()


@pytest.fixture
def log_exporter() -> InMemoryLogRecordExporter:
    return InMemoryLogRecordExporter()  # type: ignore[no-untyped-call]


@pytest.fixture(autouse=True)
def abandoned_streams_freed_between_tests() -> Iterator[None]:
    """LiteLLM's abandoned streams (1.79 … 1.110.2, with or without us) are reference cycles
    holding an open httpx response: freed only by a collection, and a collection that runs
    inside httpcore's connection-pool lock during a later request closes that response there
    and deadlocks on the same lock. A test that drops a stream has it freed as the test ends
    (what was imported before the tests is frozen: out of the way of these collections)."""
    yield
    gc.collect()


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def async_test_cleanup(request: pytest.FixtureRequest) -> None:
    # An async fixture made autouse would give every sync test an event loop too.
    if request.node.get_closest_marker("asyncio") is not None:  # pytest-asyncio marks async tests
        request.getfixturevalue("litellm_logging_worker_stopped")


@pytest.fixture
async def litellm_logging_worker_stopped() -> AsyncIterator[None]:
    """Each async test runs in an event loop of its own. LiteLLM 1.79's logging worker (one per
    process) keeps its queue and worker task in the loop that started it and handles no change
    of loop (the pinned 1.90.7 and later rebind to a new loop themselves). When a test's loop
    closed, cancelling the worker could hang the run: on CPython 3.11, `asyncio.wait_for`
    swallows a cancellation that arrives as the coroutine it waits for completes, and the worker
    was seen "cancelling" yet waiting on its queue again, with the loop's teardown waiting on it
    (any run of tests/test_instrumentor.py alone hung after
    test_concurrent_async_calls_keep_their_own_spans). So such a worker is drained and stopped
    while the test's loop still runs, and its queue dropped, as newer LiteLLM does on a change of
    loop: the next loop starts its own."""
    yield
    try:
        from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER as worker
    except ImportError:
        return
    task = getattr(worker, "_worker_task", None)
    if hasattr(worker, "_bound_loop") or not isinstance(task, asyncio.Task) or task.done():
        return
    if task.get_loop() is not asyncio.get_running_loop():
        return
    with contextlib.suppress(asyncio.TimeoutError, RuntimeError):  # RuntimeError: another loop's queue
        await asyncio.wait_for(worker.flush(), timeout=10)
    # LiteLLM's `stop()` cancels the task once and awaits it: a cancellation swallowed by the
    # worker's `wait_for` left it waiting on its queue and the teardown waiting on it (seen in
    # CI, 2026-12-08). Cancelled again until it ends, for at most about a second.
    for _ in range(100):
        task.cancel()
        await asyncio.wait({task}, timeout=0.01)
        if task.done():
            break
    worker._worker_task = None
    worker._queue = None


@pytest.fixture(autouse=True)
def no_secret_in_telemetry(
    span_exporter: InMemorySpanExporter,
    metric_reader: InMemoryMetricReader,
    log_exporter: InMemoryLogRecordExporter,
    caplog: pytest.LogCaptureFixture,
) -> Iterator[None]:
    """Every test's telemetry is scanned for the API key the tests use: exported spans, metric
    points and log records (where the test collected any), and what litellm-otel logged (debug
    records with their tracebacks included)."""
    caplog.set_level(logging.DEBUG, logger="litellm_otel")
    yield
    parts = [telemetry_text(span_exporter.get_finished_spans())]
    with contextlib.suppress(Exception):  # a reader no meter provider collected from
        parts.append(repr(metric_reader.get_metrics_data()))
    for data in log_exporter.get_finished_logs():
        parts.append(repr(data.log_record.attributes) + repr(data.log_record.body))
    formatter = logging.Formatter()  # formats a record's traceback too
    records = [*caplog.get_records("setup"), *caplog.get_records("call")]
    parts += [formatter.format(r) for r in records if r.name.startswith("litellm_otel")]
    assert API_KEY not in "\n".join(parts)


@pytest.fixture
def tracer_provider(span_exporter: InMemorySpanExporter) -> TracerProvider:
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    return tracer_provider


@pytest.fixture
def instrument(tracer_provider: TracerProvider) -> Iterator[LiteLLMInstrumentor]:
    instrumentor = LiteLLMInstrumentor()
    instrumentor.instrument(tracer_provider=tracer_provider)
    yield instrumentor
    instrumentor.uninstrument()
