"""The examples run as a user would run them (``python examples/x.py``) and print what they claim.

Each example starts its own fake provider; nothing here needs network access or an API key.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span, Status

import fake_provider as fp
from litellm_otel import semconv as sc
from otlp_receiver import OTLPReceiver, attribute_values, value

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ANTHROPIC_INPUT = (
    fp.ANTHROPIC_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    + fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS
)


def run_example(name: str, *args: str, **extra_env: str) -> str:
    """Run ``examples/<name>`` in a fresh interpreter; returns its stdout."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update(LITELLM_LOCAL_MODEL_COST_MAP="True", **extra_env)
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), *args],
        env=env,
        cwd=EXAMPLES.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def receiver() -> Iterator[OTLPReceiver]:
    with OTLPReceiver() as otlp_receiver:
        yield otlp_receiver


def test_router_cost_tracing_prints_per_attempt_cost_total_and_tree() -> None:
    out = run_example("router_cost_tracing.py")
    lines = out.splitlines()

    assert f"reply: {fp.RESPONSE_TEXT}" in lines
    litellm_cost = re.search(r"^LiteLLM's response_cost: \$(\d+\.\d{6})$", out, re.M)
    assert litellm_cost, out

    # One row per attempt: the rate-limited cheap model without usage, then the fallback.
    assert re.search(
        r"^\s+1\s+fast\s+openai/gpt-4o-mini-error-429\s+RateLimitError 429\s+-\s+-\s+-$", out, re.M
    )
    winner = re.search(
        rf"^\s+2\s+capable\s+anthropic/claude-sonnet-4-5\s+ok\s+{ANTHROPIC_INPUT}\s+{fp.ANTHROPIC_OUTPUT_TOKENS}"
        r"\s+(\d+\.\d{6})$",
        out,
        re.M,
    )
    assert winner, out
    assert (
        f"input includes {fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS} cache reads and "
        f"{fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS} cache writes" in out
    )
    assert f"total: 2 attempts, {ANTHROPIC_INPUT} input + {fp.ANTHROPIC_OUTPUT_TOKENS} output tokens" in lines

    # The total read from the spans is the answering attempt's cost, and LiteLLM's own figure.
    total = re.search(r"^total cost of the request: \$(\d+\.\d{6})$", out, re.M)
    assert total, out
    cost = winner.group(1)
    assert float(cost) > 0
    assert total.group(1) == cost == litellm_cost.group(1)

    tree = lines[lines.index("span tree:") + 1 :]
    assert tree[:2] == [
        "router chat fast [INTERNAL] attempts=2 fallbacks=1 final_model_group=capable",
        "  chat openai/gpt-4o-mini-error-429 [CLIENT] ERROR RateLimitError 429 provider=openai",
    ]
    # LiteLLM counts the thinking block's reasoning tokens itself (the count varies by release).
    assert re.fullmatch(
        r"  chat anthropic/claude-sonnet-4-5 \[CLIENT\]"
        rf" tokens in/out={ANTHROPIC_INPUT}/{fp.ANTHROPIC_OUTPUT_TOKENS}"
        rf" cache read/write={fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS}"
        rf"/{fp.ANTHROPIC_CACHE_CREATION_INPUT_TOKENS}"
        rf" (reasoning=\d+ )?cost=\${re.escape(cost)} provider=anthropic",
        tree[2],
    ), tree[2]
    assert len(tree) == 3


def test_quickstart_prints_a_compact_span_tree_and_json_on_request() -> None:
    lines = run_example("quickstart.py").splitlines()

    assert lines[0] == "# the caller still gets LiteLLM's own exception: RateLimitError"
    assert [line.split(" [", 1)[0] for line in lines[1:]] == [
        "chat anthropic/claude-sonnet-4-5",
        "chat openai/gpt-4o-mini",
        "chat openai/gpt-4o-error-429",
    ]
    assert f"tokens in/out={ANTHROPIC_INPUT}/{fp.ANTHROPIC_OUTPUT_TOKENS}" in lines[1]
    assert "ERROR RateLimitError 429" in lines[3]
    assert not any("Give Feedback" in line for line in lines)

    raw = run_example("quickstart.py", "--json")
    assert raw.count('"kind": "SpanKind.CLIENT"') == 3


def test_otlp_export_sends_spans_to_the_configured_endpoint(receiver: OTLPReceiver) -> None:
    out = run_example("otlp_export.py", OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint)

    assert f"2 spans exported to {receiver.traces_url}" in out.splitlines(), out
    received = receiver.spans()  # the example flushed and shut down before exiting
    assert [r.span.name for r in received] == [
        "chat anthropic/claude-sonnet-4-5",
        "chat openai/gpt-4o-error-429",
    ]
    ok, failed = received
    assert value(attribute_values(ok.resource)["service.name"]) == "litellm-otel-example"
    assert {r.scope.name for r in received} == {"litellm_otel"}
    assert {r.span.kind for r in received} == {Span.SpanKind.SPAN_KIND_CLIENT}

    ok_attrs = attribute_values(ok.span)
    assert ok_attrs[sc.GEN_AI_USAGE_INPUT_TOKENS].int_value == ANTHROPIC_INPUT
    assert ok_attrs[sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS].int_value == fp.ANTHROPIC_CACHE_READ_INPUT_TOKENS
    assert ok_attrs[sc.GEN_AI_USAGE_COST].double_value > 0

    assert failed.span.status.code == Status.StatusCode.STATUS_CODE_ERROR
    failed_attrs = attribute_values(failed.span)
    assert failed_attrs[sc.ERROR_TYPE].string_value == "litellm.exceptions.RateLimitError"
    assert failed_attrs[sc.HTTP_RESPONSE_STATUS_CODE].int_value == 429


def test_cost_by_tenant_sums_cost_per_allow_listed_tenant() -> None:
    out = run_example("cost_by_tenant.py")

    costs = dict(re.findall(r"^  (acme|globex): (\d+\.\d{6})$", out, re.M))
    assert set(costs) == {"acme", "globex"}
    per_span = [float(c) for c in re.findall(r"cost=(\d+\.\d+)", out)]
    assert len(per_span) == 3
    assert float(costs["acme"]) == pytest.approx(per_span[0] + per_span[1], abs=1e-6)
    assert float(costs["globex"]) == pytest.approx(per_span[2], abs=1e-6)
    assert "'litellm.metadata.user_id': 'alice'" in out
    assert "internal_note" not in out
    assert "VIP escalation" not in out
