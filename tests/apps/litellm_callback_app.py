"""LiteLLM's own "otel" callback and litellm-otel in one process, for tests/test_coexistence.py.

Run as ``python tests/apps/litellm_callback_app.py FORM REPORT [--global-provider]`` with
``FAKE_PROVIDER_URL`` (the fake provider's base URL) and ``FAKE_API_KEY`` set. It registers
LiteLLM's callback the way a user would (``litellm.<FORM> = ["otel"]``, FORM being ``callbacks``
or ``success_callback``), instruments LiteLLM with litellm-otel on its own ``TracerProvider``
(made the global one too with ``--global-provider``, else the global provider is left unset),
makes four chat calls (sync, sync stream, async, async stream, streams with
``include_usage``), waits for LiteLLM's logging to finish and writes what it saw to REPORT as
JSON. Whatever LiteLLM's callback exports to its own console exporter goes to stdout.

It runs in a child process because LiteLLM's callback may install the global tracer provider,
which can be set only once per process.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import logging
import os
import sys
from collections.abc import Sequence
from typing import Any

import litellm
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from litellm_otel import LiteLLMInstrumentor

MESSAGES = [{"role": "user", "content": "Say hello"}]
WATCHED_LOGGERS = ("litellm_otel", "opentelemetry.sdk.trace", "LiteLLM")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[dict[str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(
            {"logger": record.name, "level": record.levelname, "message": record.getMessage()}
        )


def _span(span: ReadableSpan) -> dict[str, Any]:
    return {
        "scope": span.instrumentation_scope.name if span.instrumentation_scope else None,
        "name": span.name,
        "kind": span.kind.name,
        "trace_id": f"0x{span.context.trace_id:032x}",
        "span_id": f"0x{span.context.span_id:016x}",
        "parent_id": f"0x{span.parent.span_id:016x}" if span.parent else None,
        "attributes": {k: list(v) if isinstance(v, tuple) else v for k, v in (span.attributes or {}).items()},
    }


def _is_litellm_callback(callback: object) -> bool:
    cls = type(callback)
    return cls.__name__ == "OpenTelemetry" and cls.__module__.startswith("litellm.integrations")


def main(argv: Sequence[str]) -> None:
    form, report_path = argv[0], argv[1]
    records = _Records()
    for name in WATCHED_LOGGERS:
        logging.getLogger(name).addHandler(records)

    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    if "--global-provider" in argv:
        trace.set_tracer_provider(tracer_provider)

    setattr(litellm, form, ["otel"])
    LiteLLMInstrumentor().instrument(tracer_provider=tracer_provider)

    params: dict[str, Any] = {
        "model": "openai/fake-gpt",
        "messages": MESSAGES,
        "api_base": os.environ["FAKE_PROVIDER_URL"] + "/v1",
        "api_key": os.environ["FAKE_API_KEY"],
    }
    stream_params = {**params, "stream": True, "stream_options": {"include_usage": True}}
    calls: dict[str, dict[str, Any]] = {}

    response = litellm.completion(**params)
    calls["sync"] = {"id": response.id, "prompt_tokens": response.usage.prompt_tokens}
    chunks = list(litellm.completion(**stream_params))
    calls["sync_stream"] = {"id": chunks[0].id, "prompt_tokens": chunks[-1].usage.prompt_tokens}

    async def async_calls() -> None:
        from litellm.litellm_core_utils.logging_worker import GLOBAL_LOGGING_WORKER

        response = await litellm.acompletion(**params)
        calls["async"] = {"id": response.id, "prompt_tokens": response.usage.prompt_tokens}
        chunks = [chunk async for chunk in await litellm.acompletion(**stream_params)]
        calls["async_stream"] = {"id": chunks[0].id, "prompt_tokens": chunks[-1].usage.prompt_tokens}
        # LiteLLM's async success callbacks run from its logging worker, on this loop.
        await asyncio.wait_for(GLOBAL_LOGGING_WORKER.flush(), timeout=10)
        for _ in range(10):
            await asyncio.sleep(0)

    asyncio.run(async_calls())
    # Its sync success callbacks run on its logging thread pool.
    from litellm.litellm_core_utils.thread_pool_executor import executor

    executor.shutdown(wait=True)
    global_provider = trace.get_tracer_provider()
    if isinstance(global_provider, TracerProvider):
        global_provider.force_flush()
    sys.stdout.flush()

    registered = [*litellm.callbacks, *litellm.success_callback, *litellm._async_success_callback]
    report = {
        "litellm_version": importlib.metadata.version("litellm"),
        "calls": calls,
        "spans": [_span(s) for s in exporter.get_finished_spans()],
        "logs": records.records,
        "litellm_callback_active": any(_is_litellm_callback(cb) for cb in registered),
        "global_provider": {
            "sdk": isinstance(global_provider, TracerProvider),
            "is_ours": global_provider is tracer_provider,
            "resource": dict(global_provider.resource.attributes)
            if isinstance(global_provider, TracerProvider)
            else None,
        },
    }
    with open(report_path, "w", encoding="utf-8") as file:
        json.dump(report, file)


if __name__ == "__main__":
    main(sys.argv[1:])
