"""What did a Router request cost? Per-attempt tokens and cost, read back from the spans.

A ``litellm.Router`` with three model groups, all served by the bundled fake provider on
127.0.0.1 (no API key, no network):

* ``fast``: a cheap OpenAI model that answers 429 (rate limited) here;
* ``capable``: an Anthropic model (cache reads, cache writes and reasoning tokens);
* ``local``: an OpenAI-compatible self-hosted server (``hosted_vllm/``), the last resort.

With ``fallbacks=[{"fast": ["capable", "local"]}]`` the request to ``fast`` fails and falls back
to ``capable``, which answers (``local`` would be tried next had ``capable`` failed too).
litellm-otel draws one INTERNAL span for the Router call and one CLIENT span per attempt, each
with its own tokens and cost: the request's cost is the sum over its attempts, and failed
attempts carry no usage, so nothing is counted twice.

    python examples/router_cost_tracing.py
"""

from __future__ import annotations

import os

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from collections.abc import Sequence
from typing import Any

import litellm
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from fake_provider import FakeProvider
from litellm_otel import LiteLLMInstrumentor
from span_tree import print_tree

MESSAGES = [{"role": "user", "content": "Summarise our refund policy in one line."}]
API_KEY = "sk-demo"

# Attribute names litellm-otel sets (see the README's attribute reference).
INPUT_TOKENS = "gen_ai.usage.input_tokens"
OUTPUT_TOKENS = "gen_ai.usage.output_tokens"
CACHE_READ = "gen_ai.usage.cache_read.input_tokens"
CACHE_WRITE = "gen_ai.usage.cache_creation.input_tokens"
REASONING = "gen_ai.usage.reasoning.output_tokens"
COST = "gen_ai.usage.cost"


def build_router(provider: FakeProvider) -> Any:
    def deployment(group: str, model: str, api_base: str) -> dict[str, Any]:
        return {
            "model_name": group,
            "litellm_params": {"model": model, "api_base": api_base, "api_key": API_KEY},
        }

    return litellm.Router(
        model_list=[
            # The fake provider answers 429 to any model name containing "error-429".
            deployment("fast", "openai/gpt-4o-mini-error-429", provider.openai_base),
            deployment("capable", "anthropic/claude-sonnet-4-5", provider.base_url),
            deployment("local", "hosted_vllm/Qwen/Qwen3-8B", provider.openai_base),
        ],
        fallbacks=[{"fast": ["capable", "local"]}],
        # No retries within a group: a single-deployment group retries after an exponential
        # back-off (about a second), which would only slow the demo down.
        num_retries=0,
    )


def attrs(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def outcome(span: ReadableSpan) -> str:
    if span.status.status_code is not StatusCode.ERROR:
        return "ok"
    a = attrs(span)
    error = str(a.get("error.type", "error")).rsplit(".", 1)[-1]
    status = a.get("http.response.status_code")
    return f"{error} {status}" if status is not None else error


def print_attempts(spans: Sequence[ReadableSpan]) -> None:
    attempts = sorted(
        (s for s in spans if s.kind is SpanKind.CLIENT), key=lambda s: int(attrs(s)["litellm.router.attempt"])
    )
    print(
        f"{'attempt':>7}  {'group':<8} {'model':<30} {'outcome':<18} "
        f"{'input':>6} {'output':>6} {'cost USD':>10}"
    )
    total_cost = 0.0
    total_input = total_output = 0
    for span in attempts:
        a = attrs(span)
        cost = a.get(COST)
        total_cost += float(cost or 0.0)
        total_input += int(a.get(INPUT_TOKENS, 0))
        total_output += int(a.get(OUTPUT_TOKENS, 0))
        print(
            f"{a['litellm.router.attempt']:>7}  {a['litellm.router.model_group']:<8} "
            f"{a['gen_ai.request.model']:<30} {outcome(span):<18} "
            f"{a.get(INPUT_TOKENS, '-'):>6} {a.get(OUTPUT_TOKENS, '-'):>6} "
            f"{'-' if cost is None else f'{cost:.6f}':>10}"
        )
        if CACHE_READ in a or CACHE_WRITE in a or REASONING in a:
            print(
                f"{'':>9}input includes {a.get(CACHE_READ, 0)} cache reads and {a.get(CACHE_WRITE, 0)} "
                f"cache writes; output includes {a.get(REASONING, 0)} reasoning tokens"
            )
    print(f"total: {len(attempts)} attempts, {total_input} input + {total_output} output tokens")
    print(f"total cost of the request: ${total_cost:.6f}")


def main() -> None:
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
    LiteLLMInstrumentor().instrument(tracer_provider=tracer_provider)

    with FakeProvider() as provider:
        router = build_router(provider)
        response = router.completion(model="fast", messages=MESSAGES, max_tokens=512)

    print(f"reply: {response.choices[0].message.content}")
    # LiteLLM's own figure covers the answering call only; it matches the sum below because
    # failed attempts cost nothing.
    print(f"LiteLLM's response_cost: ${response._hidden_params.get('response_cost', 0.0):.6f}\n")
    spans = exporter.get_finished_spans()
    print_attempts(spans)
    print("\nspan tree:")
    print_tree(spans)
    tracer_provider.shutdown()


if __name__ == "__main__":
    main()
