"""Leak check: 20,000 calls and 5,000 abandoned streams leave nothing of ours behind.

Runs LiteLLM's mock path (no HTTP) with the instrumentation on, then counts what is still alive:
spans not ended, stream proxies, calls, and the memory tracemalloc attributes to this library's
files. Exits non-zero when anything of ours outlives its call beyond a small bound.

    nox -s leaks            # or: python benchmarks/leaks.py [--calls N] [--streams N]
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import os
import sys
import tracemalloc
from collections.abc import Sequence

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, Span, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExporter, SpanExportResult

from litellm_otel import LiteLLMInstrumentor
from litellm_otel.spans import Traced
from litellm_otel.streams import TracedStream

MESSAGES = [{"role": "user", "content": "hi"}]
STREAM_TEXT = " ".join(f"word{i}" for i in range(20))
OUR_FILES = os.path.dirname(sys.modules["litellm_otel"].__file__ or "")
BOUND_BYTES = 64 * 1024  # memory allocated in our files and still alive after the run


class CountingExporter(SpanExporter):
    """Counts ended spans and keeps none of them."""

    def __init__(self) -> None:
        self.count = 0

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        self.count += len(spans)
        return SpanExportResult.SUCCESS


def live(kind: type) -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


def ours(snapshot: tracemalloc.Snapshot) -> int:
    return sum(
        stat.size
        for stat in snapshot.statistics("filename")
        if stat.traceback[0].filename.startswith(OUR_FILES)
    )


def run(calls: int, streams: int) -> int:
    exporter = CountingExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    reader = InMemoryMetricReader()
    LiteLLMInstrumentor().instrument(tracer_provider=tracer_provider, meter_provider=MeterProvider([reader]))

    for _ in range(200):  # warm LiteLLM's and our caches up before measuring
        litellm.completion(model="gpt-4o-mini", messages=MESSAGES, mock_response="hello")
    gc.collect()
    tracemalloc.start(1)  # one frame is enough to attribute memory to our files, and cheap
    before = tracemalloc.take_snapshot()
    ended_before = exporter.count

    for _ in range(calls):
        litellm.completion(model="gpt-4o-mini", messages=MESSAGES, mock_response="hello")
    for _ in range(streams):
        stream = litellm.completion(
            model="gpt-4o-mini", messages=MESSAGES, mock_response=STREAM_TEXT, stream=True
        )
        next(stream)
        del stream  # abandoned: its span must still end
    gc.collect()

    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    ended = exporter.count - ended_before
    total_growth = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    our_growth = ours(after) - ours(before)
    open_spans = sum(1 for obj in gc.get_objects() if isinstance(obj, Span) and obj.end_time is None)
    report = {
        "calls": calls,
        "abandoned streams": streams,
        "spans ended": ended,
        "spans still open": open_spans,
        "live stream proxies": live(TracedStream),
        "live traced calls": live(Traced),
        "memory growth, all (bytes)": total_growth,
        "memory growth per call, all (bytes)": round(total_growth / (calls + streams), 1),
        "memory still held by litellm_otel files (bytes)": our_growth,
    }
    width = max(len(k) for k in report)
    print(f"litellm {importlib.metadata.version('litellm')}, python {sys.version.split()[0]}")
    for key, value in report.items():
        print(f"{key:<{width}}  {value}")

    failures = []
    if ended != calls + streams:
        failures.append(f"{calls + streams - ended} spans never ended")
    if open_spans or report["live stream proxies"] or report["live traced calls"]:
        failures.append("objects of ours outlived their calls")
    if our_growth > BOUND_BYTES:
        failures.append(f"litellm_otel holds {our_growth} bytes more than before (bound {BOUND_BYTES})")
    for failure in failures:
        print(f"FAIL: {failure}")
    if not failures:
        print("OK: nothing of ours leaked")
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--streams", type=int, default=5_000)
    args = parser.parse_args()
    sys.exit(run(args.calls, args.streams))


if __name__ == "__main__":
    main()
