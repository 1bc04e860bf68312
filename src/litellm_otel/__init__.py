"""OpenTelemetry instrumentation for the LiteLLM Python SDK.

Usage::

    from litellm_otel import LiteLLMInstrumentor

    LiteLLMInstrumentor().instrument()

Every LiteLLM call then produces one GenAI CLIENT span per provider request, with usage (cache
and reasoning breakdowns included), cost, response metadata and errors, all set before the span
ends. See the README for the attribute reference.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Collection
from typing import Any, Final

from opentelemetry.instrumentation.instrumentor import (  # type: ignore[attr-defined]
    BaseInstrumentor,
)
from opentelemetry.instrumentation.utils import unwrap
from opentelemetry.metrics import NoOpMeterProvider, get_meter
from opentelemetry.trace import get_tracer
from wrapt import wrap_function_wrapper

from litellm_otel import semconv as sc
from litellm_otel.metrics import Metrics
from litellm_otel.package import _instruments
from litellm_otel.patch import Operation, Telemetry, traced
from litellm_otel.routing import Routing
from litellm_otel.version import __version__

__all__ = ["LiteLLMInstrumentor", "__version__"]

_logger: Final = logging.getLogger(__name__)

# The public functions users call, with their GenAI operation. Recent LiteLLM binds dispatch
# functions here (litellm.completion is litellm.chat_completions.dispatch.completion, not
# litellm.main.completion): the names on the `litellm` module are what gets patched.
_ENTRY_POINTS: Final = (
    ("completion", sc.OP_CHAT),
    ("acompletion", sc.OP_CHAT),
    ("text_completion", sc.OP_TEXT_COMPLETION),
    ("atext_completion", sc.OP_TEXT_COMPLETION),
    ("embedding", sc.OP_EMBEDDINGS),
    ("aembedding", sc.OP_EMBEDDINGS),
    ("responses", sc.OP_CHAT),
    ("aresponses", sc.OP_CHAT),
    ("image_generation", sc.OP_GENERATE_CONTENT),
    ("aimage_generation", sc.OP_GENERATE_CONTENT),
    ("rerank", sc.OP_RERANK),
    ("arerank", sc.OP_RERANK),
)

_POSITIONAL_KINDS: Final = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _positional_names(function: Any) -> tuple[str, ...]:
    # Dispatch functions take *args/**kwargs but set __wrapped__ to the legacy function, whose
    # signature inspect.signature follows.
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return ()
    return tuple(p.name for p in parameters if p.kind in _POSITIONAL_KINDS)


def _is_litellm_otel_callback(callback: object) -> bool:
    if isinstance(callback, str):
        return callback == "otel"
    cls = type(callback)
    return cls.__name__ == "OpenTelemetry" and cls.__module__.startswith("litellm.integrations")


def _warn_if_litellm_otel_callback(litellm: Any) -> None:
    registered = [
        name
        for name in ("callbacks", "success_callback", "failure_callback", "_async_success_callback")
        if any(_is_litellm_otel_callback(cb) for cb in getattr(litellm, name, None) or ())
    ]
    if registered:
        _logger.warning(
            "LiteLLM's own OpenTelemetry callback is registered (litellm.%s); every call will be "
            'traced twice, once by it and once by litellm-otel. Remove "otel" from those lists '
            "to keep only litellm-otel's spans.",
            ", litellm.".join(registered),
        )


class LiteLLMInstrumentor(BaseInstrumentor):  # type: ignore[misc]
    """Traces LiteLLM SDK calls as OpenTelemetry GenAI spans.

    `instrument(tracer_provider=..., meter_provider=...)` use the given providers, else the
    global ones.
    """

    _patched: tuple[str, ...] = ()

    def instrumentation_dependencies(self) -> Collection[str]:
        return _instruments

    def _instrument(self, **kwargs: Any) -> None:
        # Imported here: importing litellm_otel (e.g. by opentelemetry-instrument's discovery)
        # must not import LiteLLM, which is slow to import and may not be installed.
        import litellm  # noqa: PLC0415

        tracer = get_tracer(
            __name__, __version__, tracer_provider=kwargs.get("tracer_provider"), schema_url=sc.SCHEMA_URL
        )
        meter_provider = kwargs.get("meter_provider")
        metrics = None
        if not isinstance(meter_provider, NoOpMeterProvider):
            metrics = Metrics(
                get_meter(__name__, __version__, meter_provider=meter_provider, schema_url=sc.SCHEMA_URL)
            )
        telemetry = Telemetry(
            tracer=tracer,
            metrics=metrics,
            routing=Routing(
                litellm.get_llm_provider,
                litellm.completion_cost,
                litellm.token_counter,
                litellm.ModelResponse,
            ),
        )
        patched = []
        for name, operation_name in _ENTRY_POINTS:
            function = getattr(litellm, name, None)
            if function is None:
                continue
            operation = Operation(
                name=operation_name,
                positional=_positional_names(function),
                is_async=inspect.iscoroutinefunction(function),
            )
            wrap_function_wrapper(litellm, name, traced(operation, telemetry=telemetry))
            patched.append(name)
        self._patched = tuple(patched)
        _warn_if_litellm_otel_callback(litellm)

    def _uninstrument(self, **kwargs: Any) -> None:
        import litellm  # noqa: PLC0415

        for name in self._patched:
            unwrap(litellm, name)
        self._patched = ()
