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
import sys
from collections.abc import Collection
from typing import Any, Final

from opentelemetry._logs import get_logger
from opentelemetry.instrumentation.instrumentor import (  # type: ignore[attr-defined]
    BaseInstrumentor,
)
from opentelemetry.instrumentation.utils import unwrap
from opentelemetry.metrics import NoOpMeterProvider, get_meter
from opentelemetry.trace import get_tracer
from wrapt import wrap_function_wrapper

from litellm_otel import semconv as sc
from litellm_otel.config import content_capture
from litellm_otel.metrics import Metrics
from litellm_otel.package import _instruments
from litellm_otel.patch import (
    Operation,
    Telemetry,
    carry_context,
    implementation_traced,
    router_traced,
    stamp_handoff,
    traced,
)
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

# Router methods defined on the class, so Routers built before instrument() are traced too.
# Router.responses/aresponses are bound per instance in Router.__init__ from litellm.aresponses:
# their attempts are traced for Routers built after instrument(), without a router span.
_ROUTER_METHODS: Final = (
    ("completion", sc.OP_CHAT),
    ("acompletion", sc.OP_CHAT),
    ("text_completion", sc.OP_TEXT_COMPLETION),
    ("atext_completion", sc.OP_TEXT_COMPLETION),
    ("embedding", sc.OP_EMBEDDINGS),
    ("aembedding", sc.OP_EMBEDDINGS),
    ("image_generation", sc.OP_GENERATE_CONTENT),
    ("aimage_generation", sc.OP_GENERATE_CONTENT),
    ("rerank", sc.OP_RERANK),
    ("arerank", sc.OP_RERANK),
)

# Modules that bind LiteLLM's run_async_function by name (sync Router calls, SDK fallbacks).
_RUN_ASYNC_MODULES: Final = ("litellm.router", "litellm.litellm_core_utils.fallback_utils")

_POSITIONAL_KINDS: Final = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


def _operation(name: str, function: Any, *, method: bool = False) -> Operation:
    # Dispatch functions take *args/**kwargs but set __wrapped__ to the legacy function, whose
    # signature inspect.signature follows. A method's args reach wrapt without `self`.
    try:
        parameters = list(inspect.signature(function).parameters.values())
    except (TypeError, ValueError):
        parameters = []
    positional = tuple(p.name for p in parameters if p.kind in _POSITIONAL_KINDS)
    return Operation(
        name=name,
        positional=positional[1:] if method else positional,
        is_async=inspect.iscoroutinefunction(function),
    )


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

    `instrument()` keywords: `tracer_provider`, `meter_provider`, `logger_provider` (else the
    global ones); `capture_content` (`"NO_CONTENT"`, `"SPAN_ONLY"`, `"EVENT_ONLY"`,
    `"SPAN_AND_EVENT"` or a bool; overrides OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT);
    `content_max_length` (characters of content per attribute, default 16384);
    `metadata_attributes` (keys of a call's `metadata` to copy onto spans and metrics as
    `litellm.metadata.<key>`; nothing is copied unless listed); `request_hook(span, kwargs)` and
    `response_hook(span, kwargs, result)` (called on recording CLIENT spans; errors are logged).
    """

    _patched: tuple[tuple[Any, str], ...] = ()  # (owner, attribute) of every wrapper installed

    def instrumentation_dependencies(self) -> Collection[str]:
        return _instruments

    def _instrument(self, **kwargs: Any) -> None:
        # Imported here: importing litellm_otel (e.g. by opentelemetry-instrument's discovery)
        # must not import LiteLLM, which is slow to import and may not be installed.
        import litellm  # noqa: PLC0415

        tracer = get_tracer(
            __name__, __version__, tracer_provider=kwargs.get("tracer_provider"), schema_url=sc.SCHEMA_URL
        )
        metadata_keys = tuple(str(key) for key in kwargs.get("metadata_attributes") or ())
        meter_provider = kwargs.get("meter_provider")
        metrics = None
        if not isinstance(meter_provider, NoOpMeterProvider):
            metrics = Metrics(
                get_meter(__name__, __version__, meter_provider=meter_provider, schema_url=sc.SCHEMA_URL),
                extra_keys=tuple(sc.LITELLM_METADATA_PREFIX + key for key in metadata_keys),
            )
        capture = content_capture(kwargs.get("capture_content"), kwargs.get("content_max_length"))
        events = None
        if capture is not None and capture.on_event:
            events = get_logger(
                __name__, __version__, logger_provider=kwargs.get("logger_provider"), schema_url=sc.SCHEMA_URL
            )
        telemetry = Telemetry(
            tracer=tracer,
            metrics=metrics,
            content=capture,
            events=events,
            metadata_keys=metadata_keys,
            request_hook=kwargs.get("request_hook"),
            response_hook=kwargs.get("response_hook"),
            routing=Routing(
                litellm.get_llm_provider,
                litellm.completion_cost,
                litellm.token_counter,
                litellm.cost_per_token,
                litellm.Usage,
            ),
        )
        patched: list[tuple[Any, str]] = []

        def patch(owner: Any, name: str, wrapper: Any) -> None:
            wrap_function_wrapper(owner, name, wrapper)
            patched.append((owner, name))

        for name, operation_name in _ENTRY_POINTS:
            function = getattr(litellm, name, None)
            if function is None:
                continue
            patch(litellm, name, traced(_operation(operation_name, function), telemetry=telemetry))
            # Recent LiteLLM's dispatch functions (1.106: litellm.chat_completions.dispatch)
            # call the Python implementation through a module global read at call time, so
            # `from litellm import completion` done before instrument() is traced through it.
            # A call through the patched name reaches it nested, and gets no second span.
            dispatch = sys.modules.get(getattr(function, "__module__", "") or "")
            implementation = f"_PYTHON_{name.upper()}"
            if (
                dispatch is not None
                and dispatch is not litellm
                and callable(getattr(dispatch, implementation, None))
            ):
                inner = getattr(dispatch, implementation)
                wrapper = implementation_traced(_operation(operation_name, inner), telemetry=telemetry)
                patch(dispatch, implementation, wrapper)
        router_class = getattr(litellm, "Router", None)
        for name, operation_name in _ROUTER_METHODS:
            method = router_class.__dict__.get(name) if router_class is not None else None
            if inspect.isfunction(method):
                operation = _operation(operation_name, method, method=True)
                patch(router_class, name, router_traced(operation, telemetry=telemetry))
        for module_name in _RUN_ASYNC_MODULES:
            module = sys.modules.get(module_name)
            if module is not None and callable(getattr(module, "run_async_function", None)):
                patch(module, "run_async_function", carry_context)
        logging_class = getattr(
            sys.modules.get("litellm.litellm_core_utils.litellm_logging"), "Logging", None
        )
        if logging_class is not None and inspect.isfunction(logging_class.__dict__.get("pre_call")):
            patch(logging_class, "pre_call", stamp_handoff)
        self._patched = tuple(patched)
        _warn_if_litellm_otel_callback(litellm)

    def _uninstrument(self, **kwargs: Any) -> None:
        for owner, name in self._patched:
            unwrap(owner, name)
        self._patched = ()
