"""The GenAI client metrics (SPEC §3), recorded once per traced call after its span ends."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from opentelemetry.context import Context
from opentelemetry.metrics import Histogram, Meter

from litellm_otel import semconv as sc

if TYPE_CHECKING:
    from litellm_otel.stream_state import ChunkClock

# Bucket advice from the GenAI conventions: seconds doubling from 10 ms, tokens times 4 from 1.
DURATION_BUCKETS: Final = tuple(0.01 * 2**i for i in range(14))  # 0.01 … 81.92
TOKEN_BUCKETS: Final = tuple(4**i for i in range(14))  # 1 … 67108864
COST_BUCKETS: Final = (0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0)

# Request attributes copied onto every data point.
_REQUEST_KEYS: Final = (
    sc.GEN_AI_OPERATION_NAME,
    sc.GEN_AI_PROVIDER_NAME,
    sc.GEN_AI_REQUEST_MODEL,
    sc.SERVER_ADDRESS,
    sc.SERVER_PORT,
)


class Metrics:
    """The instruments, created once per `instrument()`."""

    def __init__(self, meter: Meter, extra_keys: tuple[str, ...] = (), *, latest: bool = False) -> None:
        # Request attributes copied onto every data point: the standard ones, and the
        # allow-listed metadata attributes (cost per tenant needs them on the cost histogram).
        self._request_keys = _REQUEST_KEYS + extra_keys
        self.duration = meter.create_histogram(
            sc.GEN_AI_CLIENT_OPERATION_DURATION,
            unit="s",
            description="GenAI operation duration.",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )
        # Under gen_ai_latest_experimental, inference and embeddings durations have names of their
        # own, instead of the operation duration (semantic-conventions-genai #521).
        self._durations: dict[str, Histogram] = {}
        if latest:
            inference = meter.create_histogram(
                sc.GEN_AI_CLIENT_INFERENCE_DURATION,
                unit="s",
                description="GenAI inference duration.",
                explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
            )
            self._durations = dict.fromkeys(sc.INFERENCE_OPERATIONS, inference)
            self._durations[sc.OP_EMBEDDINGS] = meter.create_histogram(
                sc.GEN_AI_CLIENT_EMBEDDINGS_DURATION,
                unit="s",
                description="GenAI embeddings duration.",
                explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
            )
        self.token_usage = meter.create_histogram(
            sc.GEN_AI_CLIENT_TOKEN_USAGE,
            unit="{token}",
            description="Number of input and output tokens used.",
            explicit_bucket_boundaries_advisory=TOKEN_BUCKETS,
        )
        self.time_to_first_chunk = meter.create_histogram(
            (
                sc.GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK
                if latest
                else sc.GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK
            ),
            unit="s",
            description="Time to receive the first chunk of a streamed response.",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )
        self.time_per_output_chunk = meter.create_histogram(
            (
                sc.GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK
                if latest
                else sc.GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK
            ),
            unit="s",
            description="Mean time between consecutive chunks of a streamed response, one point per stream.",
            explicit_bucket_boundaries_advisory=DURATION_BUCKETS,
        )
        self.cost = meter.create_histogram(
            sc.GEN_AI_USAGE_COST,
            unit="USD",
            description="Cost of GenAI operations as priced by LiteLLM.",
            explicit_bucket_boundaries_advisory=COST_BUCKETS,
        )

    def record(
        self,
        request: Mapping[str, Any],
        result: Mapping[str, Any] | None,
        error_type: str | None,
        duration: float,
        started: float,
        stream: ChunkClock | None,
        context: Context | None = None,
    ) -> None:
        """Records one call. `request` and `result` are the span's attributes, so the metric
        attributes are built from data already extracted, once. `context` is the call's span's:
        an exemplar the SDK keeps then points at that span, not at its parent."""
        attributes = {key: request[key] for key in self._request_keys if key in request}
        result = result or {}
        response_model = result.get(sc.GEN_AI_RESPONSE_MODEL)
        if response_model is not None:
            attributes[sc.GEN_AI_RESPONSE_MODEL] = response_model
        if error_type is not None:
            attributes[sc.ERROR_TYPE] = error_type
        histogram = self.duration
        if self._durations:
            histogram = self._durations.get(str(request.get(sc.GEN_AI_OPERATION_NAME)), histogram)
        histogram.record(duration, attributes, context)

        input_tokens = result.get(sc.GEN_AI_USAGE_INPUT_TOKENS)
        if input_tokens is not None:
            self.token_usage.record(input_tokens, {**attributes, sc.GEN_AI_TOKEN_TYPE: "input"}, context)
        output_tokens = result.get(sc.GEN_AI_USAGE_OUTPUT_TOKENS)
        if output_tokens is not None:
            self.token_usage.record(output_tokens, {**attributes, sc.GEN_AI_TOKEN_TYPE: "output"}, context)
        cost = result.get(sc.GEN_AI_USAGE_COST)
        if cost is not None:
            self.cost.record(cost, attributes, context)

        if stream is not None and stream.first_chunk_at is not None:
            self.time_to_first_chunk.record(stream.first_chunk_at - started, attributes, context)
            if stream.chunk_count > 1 and stream.last_chunk_at is not None:
                # One point per stream, the mean gap, rather than one per chunk as the
                # conventions word it: a histogram record per chunk costs several times the
                # per-chunk budget (measured in benchmarks/), and the mean is what dashboards read.
                gaps = stream.chunk_count - 1
                self.time_per_output_chunk.record(
                    (stream.last_chunk_at - stream.first_chunk_at) / gaps, attributes, context
                )
