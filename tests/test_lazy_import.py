"""`instrument()` does not import LiteLLM: it patches LiteLLM when the application first imports it.

Each case runs in a fresh interpreter (this one imported LiteLLM long ago), which prints what it
saw as JSON: whether LiteLLM was imported, what was patched, the spans of one call made against
the fake provider in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import fake_provider as fp
from fake_provider import FakeProvider
from helpers import API_KEY

pytestmark = pytest.mark.release_independent

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
INSTRUMENT = Path(sys.executable).parent / ("opentelemetry-instrument" + (".exe" if os.name == "nt" else ""))

PRELUDE = """
import json, os, sys
from wrapt import FunctionWrapper
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from litellm_otel import LiteLLMInstrumentor

exporter = InMemorySpanExporter()
provider = TracerProvider()
provider.add_span_processor(SimpleSpanProcessor(exporter))
instrumentor = LiteLLMInstrumentor()
seen = {}

def call():
    import litellm
    litellm.completion(
        model="anthropic/claude-sonnet-4-5", messages=[{"role": "user", "content": "hi"}],
        api_base=os.environ["FAKE_PROVIDER_URL"], api_key=os.environ["FAKE_API_KEY"], max_tokens=10,
    )
    seen["spans"] = [(s.name, dict(s.attributes)) for s in exporter.get_finished_spans()]
"""


def run(provider: FakeProvider, body: str) -> dict[str, Any]:
    script = PRELUDE + textwrap.dedent(body) + "\nprint(json.dumps(seen, default=str))\n"
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(
        LITELLM_LOCAL_MODEL_COST_MAP="True",
        FAKE_PROVIDER_URL=provider.base_url,
        FAKE_API_KEY=API_KEY,
        PYTHONPATH=os.pathsep.join([str(EXAMPLES), env.get("PYTHONPATH", "")]),
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    seen: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return seen


def test_instrument_does_not_import_litellm_and_patches_it_on_its_first_import(
    provider: FakeProvider,
) -> None:
    seen = run(
        provider,
        """
        instrumentor.instrument(tracer_provider=provider)
        seen["imported_by_instrument"] = "litellm" in sys.modules
        seen["patched_before_import"] = list(instrumentor.patched_targets)
        from litellm import acompletion  # a name imported right away is the traced one
        seen["early_name_traced"] = isinstance(acompletion, FunctionWrapper)
        seen["patched"] = list(instrumentor.patched_targets)
        call()
        """,
    )
    assert seen["imported_by_instrument"] is False
    assert seen["patched_before_import"] == []
    assert seen["early_name_traced"] is True
    assert "litellm.completion" in seen["patched"]
    assert "litellm.anthropic_messages" in seen["patched"]
    ((name, attributes),) = seen["spans"]
    assert name == "chat anthropic/claude-sonnet-4-5"
    assert attributes["gen_ai.usage.cache_read.input_tokens"] == fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS


def test_the_same_targets_whether_litellm_comes_before_or_after(provider: FakeProvider) -> None:
    after = run(
        provider,
        """
        instrumentor.instrument(tracer_provider=provider)
        import litellm
        seen["patched"] = list(instrumentor.patched_targets)
        """,
    )
    before = run(
        provider,
        """
        import litellm
        instrumentor.instrument(tracer_provider=provider)
        seen["patched"] = list(instrumentor.patched_targets)
        """,
    )
    assert after["patched"] == before["patched"]
    assert len(after["patched"]) > 20


def test_uninstrument_before_the_import_leaves_litellm_untouched(provider: FakeProvider) -> None:
    seen = run(
        provider,
        """
        instrumentor.instrument(tracer_provider=provider)
        instrumentor.uninstrument()
        import litellm
        seen["wrapped"] = isinstance(litellm.completion, FunctionWrapper)
        seen["patched"] = list(instrumentor.patched_targets)
        call()
        """,
    )
    assert seen == {"wrapped": False, "patched": [], "spans": []}


def test_instrument_twice_or_again_after_uninstrument_patches_once(provider: FakeProvider) -> None:
    seen = run(
        provider,
        """
        instrumentor.instrument(tracer_provider=provider)
        instrumentor.instrument(tracer_provider=provider)  # BaseInstrumentor: a no-op
        instrumentor.uninstrument()
        instrumentor.instrument(tracer_provider=provider)  # a new hook; the first is cancelled
        other = LiteLLMInstrumentor()  # the same singleton
        import litellm
        seen["same"] = other is instrumentor
        seen["wrapped_twice"] = isinstance(litellm.completion.__wrapped__, FunctionWrapper)
        call()
        instrumentor.uninstrument()
        seen["restored"] = not isinstance(litellm.completion, FunctionWrapper)
        """,
    )
    assert seen["same"] is True
    assert seen["wrapped_twice"] is False
    assert [name for name, _ in seen["spans"]] == ["chat anthropic/claude-sonnet-4-5"]
    assert seen["restored"] is True


def test_a_failing_patch_never_breaks_the_applications_import(provider: FakeProvider) -> None:
    seen = run(
        provider,
        """
        import litellm_otel._litellm.targets as targets
        def unreadable(litellm):
            raise RuntimeError("a LiteLLM we cannot read")
        targets.find = unreadable
        instrumentor.instrument(tracer_provider=provider)
        import litellm
        seen["patched"] = list(instrumentor.patched_targets)
        call()
        """,
    )
    assert seen == {"patched": [], "spans": []}


def test_a_process_that_never_imports_litellm_does_not_under_the_launcher(provider: FakeProvider) -> None:
    if not INSTRUMENT.exists():
        pytest.fail(f"{INSTRUMENT} not found: install opentelemetry-instrumentation")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(OTEL_TRACES_EXPORTER="none", OTEL_METRICS_EXPORTER="none", OTEL_LOGS_EXPORTER="none")
    probe = (
        "import sys; imported = 'litellm' in sys.modules; from litellm_otel import LiteLLMInstrumentor; "
        "print(imported, LiteLLMInstrumentor().is_instrumented_by_opentelemetry)"
    )
    result = subprocess.run(
        [str(INSTRUMENT), sys.executable, "-c", probe],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"], result.stderr
