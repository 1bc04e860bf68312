"""The INTERNAL spans that only orchestrate: a Router call over its attempts, and SDK-level
`fallbacks=` over the models tried. They number their attempts and summarise them; they carry no
usage, no cost and record no metrics (their attempts' CLIENT spans do)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind

from litellm_otel import extract, readers
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes
from litellm_otel.spans import CURRENT_ROUTER, Operation, Params, Telemetry, Traced
from litellm_otel.stream_state import ChunkClock

_logger: Final = logging.getLogger(__name__)


class RouterCall(Traced):
    """A Router call: an INTERNAL span over its attempts. It orchestrates, so it carries no
    usage, no cost and records no metrics (its attempts do)."""

    __slots__ = ("_attempts", "_groups")

    kind = SpanKind.INTERNAL
    context_key = CURRENT_ROUTER

    def __init__(
        self, span: trace.Span, operation: Operation, params: Params, telemetry: Telemetry, parent: Context
    ) -> None:
        super().__init__(span, operation, params, telemetry, parent)
        self._attempts = 0
        self._groups: list[str] = []  # model groups tried, in order: the first, then fallbacks

    @classmethod
    def start(
        cls, telemetry: Telemetry, operation: Operation, params: Params, current: Context
    ) -> RouterCall | None:
        try:
            group = readers.text(params.get("model"))
            attributes: extract.Attributes = {}
            if group is not None:
                attributes[sc.LITELLM_ROUTER_MODEL_GROUP] = group
            if telemetry.metadata_keys:
                attributes.update(
                    extract.metadata_attributes(params.get("metadata"), telemetry.metadata_keys)
                )
            name = f"router {operation.name} {group}" if group else f"router {operation.name}"
            span = telemetry.tracer.start_span(name, current, cls.kind, attributes)
            return cls(span, operation, params, telemetry, current)
        except Exception:
            _logger.debug("litellm-otel: could not start a router span", exc_info=True)
            return None

    def attempt_attributes(self, params: Mapping[str, Any]) -> extract.Attributes:
        """The `litellm.router.*` attributes of one attempt, read when it starts."""
        self._attempts += 1
        attributes: extract.Attributes = {sc.LITELLM_ROUTER_ATTEMPT: self._attempts}
        attempt = shapes.router_attempt(params)
        group = attempt.model_group
        if group is not None:
            attributes[sc.LITELLM_ROUTER_MODEL_GROUP] = group
        else:  # SDK-level fallbacks: each model is its own group
            group = readers.text(params.get("model"))
        if group is not None and group not in self._groups:
            self._groups.append(group)
        if attempt.deployment_id is not None:
            attributes[sc.LITELLM_ROUTER_DEPLOYMENT_ID] = attempt.deployment_id
        depth = attempt.fallback_depth
        if depth is None:  # not said by LiteLLM: the groups tried before this one
            depth = self._groups.index(group) if group in self._groups else 0
        attributes[sc.LITELLM_ROUTER_FALLBACK_DEPTH] = depth
        return attributes

    def _summary(self) -> extract.Attributes:
        attributes: extract.Attributes = {
            sc.LITELLM_ROUTER_ATTEMPTS: self._attempts,
            sc.LITELLM_ROUTER_FALLBACKS: max(len(self._groups) - 1, 0),
        }
        if self._groups:
            attributes[sc.LITELLM_ROUTER_FINAL_MODEL_GROUP] = self._groups[-1]
        return attributes

    def fail(self, exc: BaseException) -> None:
        self._close(self._summary(), exc)

    def _result_attributes(self, result: object) -> extract.Attributes:
        return self._summary()

    def _stream_attributes(self, stream: object, state: ChunkClock, completed: bool) -> extract.Attributes:
        attributes = self._summary()
        attributes[sc.LITELLM_STREAM_COMPLETED] = completed
        return attributes


class FallbacksCall(RouterCall):
    """`litellm.completion(..., fallbacks=[...])`: an INTERNAL span over the models tried."""

    __slots__ = ()

    @classmethod
    def start(
        cls, telemetry: Telemetry, operation: Operation, params: Params, current: Context
    ) -> FallbacksCall | None:
        try:
            model = readers.text(params.get("model"))
            name = f"fallbacks {operation.name} {model}" if model else f"fallbacks {operation.name}"
            span = telemetry.tracer.start_span(name, current, cls.kind)
            return cls(span, operation, params, telemetry, current)
        except Exception:
            _logger.debug("litellm-otel: could not start a fallbacks span", exc_info=True)
            return None
