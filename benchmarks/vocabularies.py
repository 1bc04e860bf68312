"""What each backend vocabulary adds to a call: added CPU per call against litellm-otel with no
vocabulary, in one process and one run.

    python benchmarks/vocabularies.py [--quick] [--rounds N] [--json out.json]

`litellm.completion` is replaced, while the instrumentor wraps it, by a stub returning LiteLLM
objects built beforehand from real calls to `examples/fake_provider/` (an Anthropic-style
response with cache reads, cache writes and reasoning; its stream, replayed): the call itself
costs almost nothing, so the difference between two instrumented batches is the vocabulary's
own work. Each round runs, for each variant (each vocabulary, then all three), a batch with it
and a batch without any, in an order that alternates; reported: the median of the per-round
differences, with its quartiles, in CPU microseconds per call (process_time), traces only.
"""

from __future__ import annotations

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import litellm
from litellm.litellm_core_utils.streaming_handler import CustomStreamWrapper
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from fake_provider import FakeProvider
from litellm_otel import LiteLLMInstrumentor

VARIANTS: dict[str, tuple[str, ...]] = {
    "none": (),
    "openinference": ("openinference",),
    "langfuse": ("langfuse",),
    "sentry": ("sentry",),
    "all three": ("openinference", "langfuse", "sentry"),
}
MODEL = "anthropic/claude-sonnet-4-5"
MESSAGES = [{"role": "user", "content": "Say hello"}]


class Replay(CustomStreamWrapper):  # type: ignore[misc]
    """LiteLLM's stream type over chunks it produced earlier (its __init__ is skipped)."""

    def __init__(self, chunks: list[Any]) -> None:
        self._left = iter(chunks)
        self.chunks = chunks

    def __iter__(self) -> Replay:
        return self

    def __next__(self) -> Any:
        return next(self._left)

    def __del__(self) -> None:
        return None


def prebuilt() -> tuple[Any, list[Any]]:
    """A real Anthropic-style response and the chunks of a real stream, from the fake provider."""
    with FakeProvider() as provider:
        args = {"model": MODEL, "messages": MESSAGES, "api_base": provider.base_url, "api_key": "sk-bench"}
        response = litellm.completion(**args, max_tokens=512)
        chunks = list(litellm.completion(**args, max_tokens=512, stream=True))
    return response, chunks


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return median, q1, q3


class Bench:
    """litellm-otel over the stub, instrumented with one variant per batch."""

    def __init__(self, batch: int) -> None:
        self.batch = batch
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.instrumentor = LiteLLMInstrumentor()
        self.attributes: dict[str, int] = {}  # per variant: attributes on its last span

    def batch_us(self, name: str, call: Callable[[], None]) -> float:
        """CPU microseconds per call of one batch with the variant's vocabularies."""
        self.instrumentor.instrument(
            tracer_provider=self.tracer_provider,
            meter_provider=NoOpMeterProvider(),
            vocabularies=VARIANTS[name],
        )
        try:
            call()  # untimed: what instrument() reset is warm again
            self.exporter.clear()
            gc.collect()
            started = time.process_time_ns()
            for _ in range(self.batch):
                call()
            elapsed = (time.process_time_ns() - started) / self.batch / 1000
            spans = self.exporter.get_finished_spans()
            self.attributes[name] = len(spans[-1].attributes or {}) if spans else 0
            self.exporter.clear()
            return elapsed
        finally:
            self.instrumentor.uninstrument()


def measure(rounds: int, batch: int) -> dict[str, Any]:
    response, chunks = prebuilt()
    original = litellm.completion

    def stub(*args: Any, **kwargs: Any) -> Any:
        return Replay(chunks) if kwargs.get("stream") else response

    def completion() -> None:
        litellm.completion(model=MODEL, messages=MESSAGES)

    def stream() -> None:
        for _ in litellm.completion(model=MODEL, messages=MESSAGES, stream=True):
            pass

    scenarios: dict[str, Callable[[], None]] = {"completion": completion, f"stream {len(chunks)}": stream}
    litellm.completion = stub  # before instrument(): the instrumentor wraps the stub
    results: dict[str, Any] = {}
    try:
        for scenario, call in scenarios.items():
            bench = Bench(batch)
            added: dict[str, list[float]] = {name: [] for name in VARIANTS if name != "none"}
            bare: list[float] = []
            for index in range(rounds):
                # Each variant against a `none` batch run right beside it, in alternating order.
                for position, name in enumerate(added):
                    if (index + position) % 2:
                        with_it, without = bench.batch_us(name, call), bench.batch_us("none", call)
                    else:
                        without, with_it = bench.batch_us("none", call), bench.batch_us(name, call)
                    added[name].append(with_it - without)
                    bare.append(without)
            results[scenario] = {
                "none_us": quartiles(bare),
                "attributes": bench.attributes,
                "added_us": {name: quartiles(values) for name, values in added.items()},
            }
    finally:
        litellm.completion = original
    return results


def report(results: dict[str, Any], rounds: int, batch: int) -> Iterator[str]:
    yield (
        "added CPU us per call by each vocabulary, against none beside it "
        f"(median [IQR], {rounds} rounds x {batch} calls)"
    )
    for scenario, result in results.items():
        median, q1, q3 = result["none_us"]
        yield f"  {scenario}: no vocabulary {median:.1f} [{q1:.1f}, {q3:.1f}] us/call, traces only"
        for name, (median, q1, q3) in result["added_us"].items():
            extra = result["attributes"][name] - result["attributes"]["none"]
            yield f"    {name:<14} {median:+7.1f} [{q1:+.1f}, {q3:+.1f}]  ({extra:+d} attributes)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and calls")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--batch", type=int, help="calls per batch")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args(argv)
    rounds = args.rounds or (10 if args.quick else 30)
    batch = args.batch or (200 if args.quick else 500)
    litellm.telemetry = False
    litellm.suppress_debug_info = True
    results = measure(rounds, batch)
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1))
    print("\n".join(report(results, rounds, batch)), flush=True)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # as overhead.py: skip LiteLLM's teardown at exit, seen to crash
