"""litellm-otel in one screen: no API key, no network.

Starts the bundled fake provider on 127.0.0.1, instruments LiteLLM, makes three calls (an
Anthropic-style call with cache reads, cache writes and reasoning tokens; an OpenAI-style call;
one that fails with 429) and prints the spans as a compact tree; `--json` prints each span in
full with the console exporter instead.

    python examples/quickstart.py [--json]
"""

from __future__ import annotations

import argparse
import os

# LiteLLM fetches its model price map from the network at import unless told not to.
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

import litellm
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fake_provider import FakeProvider
from litellm_otel import LiteLLMInstrumentor
from span_tree import print_tree

MESSAGES = [{"role": "user", "content": "Summarise our refund policy in one line."}]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="every span in full, as console-exporter JSON")
    raw = parser.parse_args().json
    litellm.suppress_debug_info = True  # LiteLLM's "Give Feedback / Get Help" banners
    exporter = InMemorySpanExporter()
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter() if raw else exporter))
    trace.set_tracer_provider(tracer_provider)
    LiteLLMInstrumentor().instrument()  # the one line an application adds

    with FakeProvider() as provider:
        # Anthropic-style: 34 fresh input tokens + 1000 cache reads + 200 cache writes, and a
        # thinking block LiteLLM counts as reasoning tokens.
        litellm.completion(
            model="anthropic/claude-sonnet-4-5",
            messages=MESSAGES,
            max_tokens=512,
            api_base=provider.base_url,
            api_key="sk-ant-demo",
        )
        litellm.completion(
            model="openai/gpt-4o-mini", messages=MESSAGES, api_base=provider.openai_base, api_key="sk-demo"
        )
        try:
            litellm.completion(
                model="openai/gpt-4o-error-429",
                messages=MESSAGES,
                api_base=provider.openai_base,
                api_key="sk-demo",
                max_retries=0,
            )
        except litellm.RateLimitError as error:
            print(f"# the caller still gets LiteLLM's own exception: {type(error).__name__}")
    tracer_provider.shutdown()
    if not raw:
        print_tree(exporter.get_finished_spans())


if __name__ == "__main__":
    main()
