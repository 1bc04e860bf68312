"""OpenTelemetry instrumentation for the LiteLLM Python SDK.

Usage::

    from litellm_otel import LiteLLMInstrumentor

    LiteLLMInstrumentor().instrument()

Every LiteLLM call then produces one GenAI CLIENT span per provider request, with usage (cache
and reasoning breakdowns included), cost, response metadata and errors, all set before the span
ends. See the README for the attribute reference.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from types import ModuleType
from typing import Any, Final

from opentelemetry._logs import get_logger
from opentelemetry.instrumentation.instrumentor import (  # type: ignore[attr-defined]
    BaseInstrumentor,
)
from opentelemetry.instrumentation.utils import unwrap
from opentelemetry.metrics import NoOpMeterProvider, get_meter
from opentelemetry.trace import get_tracer
from wrapt import wrap_function_wrapper

from litellm_otel import _frameworks
from litellm_otel import semconv as sc
from litellm_otel._litellm import shapes, targets
from litellm_otel._litellm.lookups import Lookups
from litellm_otel._litellm.targets import Role, Target
from litellm_otel.config import (
    backend_vocabularies,
    content_capture,
    deduplicate_framework_usage,
    latest_experimental,
)
from litellm_otel.import_hooks import OnImport
from litellm_otel.metrics import Metrics
from litellm_otel.package import _instruments
from litellm_otel.spans import Operation, Telemetry
from litellm_otel.version import __version__
from litellm_otel.wrappers import (
    Wrapper,
    carry_context,
    context_carrying_pool,
    generic_router_traced,
    implementation_traced,
    keep_assembly,
    provider_request,
    provider_request_async,
    router_traced,
    stamp_handoff,
    tool_traced,
    traced,
)

__all__ = ["LiteLLMInstrumentor", "__version__"]

_logger: Final = logging.getLogger(__name__)


def _wrapper(target: Target, telemetry: Telemetry) -> Wrapper:
    """The wrapper a target's role calls for."""
    if target.role is Role.RUN_ASYNC:
        return carry_context
    if target.role is Role.THREAD_POOL:
        return context_carrying_pool
    if target.role is Role.PRE_CALL:
        return stamp_handoff
    if target.role is Role.ASSEMBLY:
        return keep_assembly
    if target.role is Role.TRANSPORT:
        return provider_request_async if target.is_async else provider_request
    if target.role is Role.GENERIC_ROUTER:
        operations = {
            name: Operation(name=operation, positional=target.positional, is_async=True)
            for name, operation in targets.GENERIC_ROUTER_CALLS.items()
        }
        return generic_router_traced(operations, telemetry=telemetry)
    operation = Operation(
        name=target.operation or "",
        positional=target.positional,
        is_async=target.is_async,
        surface=target.surface,
        streams=target.streams,
    )
    if target.role is Role.ROUTER:
        return router_traced(operation, telemetry=telemetry)
    if target.role is Role.IMPLEMENTATION:
        return implementation_traced(operation, telemetry=telemetry)
    if target.role is Role.TOOL_CALL:
        return tool_traced(operation, telemetry=telemetry)
    return traced(operation, telemetry=telemetry)


def _warn_if_litellm_otel_callback(litellm: Any) -> None:
    registered = shapes.lists_with_otel_callback(litellm)
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
    `response_hook(span, kwargs, result)` (called on recording CLIENT spans; errors are logged);
    `vocabularies` (backends whose own keys CLIENT and router spans also carry: "openinference",
    "langfuse", "sentry"; overrides OTEL_INSTRUMENTATION_LITELLM_VOCABULARIES);
    `deduplicate_framework_usage` (default True: an agent framework's span around a LiteLLM call,
    Google ADK's, carries no usage, which the CLIENT span has; overrides
    OTEL_INSTRUMENTATION_LITELLM_DEDUPLICATE_FRAMEWORK_USAGE).
    OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental emits the newer GenAI names instead.
    """

    _patched: tuple[Target, ...] = ()  # every wrapper installed
    _on_import: OnImport | None = None  # waiting for LiteLLM's first import
    _late: tuple[OnImport, ...] = ()  # waiting for LiteLLM modules the application imports later
    _framework_patches: _frameworks.Installed | None = None  # applied as the frameworks are imported

    @property
    def patched_targets(self) -> tuple[str, ...]:
        """The LiteLLM attributes wrapped by `instrument()` (dotted names), for diagnostics."""
        return tuple(target.label for target in self._patched)

    def instrumentation_dependencies(self) -> Collection[str]:
        return _instruments

    def _instrument(self, **kwargs: Any) -> None:
        # LiteLLM is not imported here: it takes seconds and ~170 MB, which every process started
        # under opentelemetry-instrument would pay, LiteLLM user or not. It is patched when the
        # application first imports it (a post-import hook), or now if it already has.
        patch = self._patcher(**kwargs)
        metrics_on = not isinstance(kwargs.get("meter_provider"), NoOpMeterProvider)
        self._framework_patches = _frameworks.install(
            deduplicate_framework_usage(kwargs.get("deduplicate_framework_usage")),
            lambda: bool(self._patched),
            metrics_on,
        )
        self._on_import = OnImport(patch).register("litellm")

    def _patcher(self, **kwargs: Any) -> Callable[[ModuleType], None]:
        """What `instrument(**kwargs)` does to a LiteLLM module, ready before LiteLLM is there."""
        tracer = get_tracer(
            __name__, __version__, tracer_provider=kwargs.get("tracer_provider"), schema_url=sc.SCHEMA_URL
        )
        metadata_keys = tuple(str(key) for key in kwargs.get("metadata_attributes") or ())
        latest = latest_experimental()
        meter_provider = kwargs.get("meter_provider")
        metrics = None
        if not isinstance(meter_provider, NoOpMeterProvider):
            metrics = Metrics(
                get_meter(__name__, __version__, meter_provider=meter_provider, schema_url=sc.SCHEMA_URL),
                extra_keys=tuple(sc.LITELLM_METADATA_PREFIX + key for key in metadata_keys),
                latest=latest,
            )
        capture = content_capture(kwargs.get("capture_content"), kwargs.get("content_max_length"))
        events = None
        if capture is not None and capture.on_event:
            events = get_logger(
                __name__, __version__, logger_provider=kwargs.get("logger_provider"), schema_url=sc.SCHEMA_URL
            )
        vocabularies = backend_vocabularies(kwargs.get("vocabularies"))

        def patch(litellm: ModuleType) -> None:
            telemetry = Telemetry(
                tracer=tracer,
                metrics=metrics,
                content=capture,
                events=events,
                metadata_keys=metadata_keys,
                request_hook=kwargs.get("request_hook"),
                response_hook=kwargs.get("response_hook"),
                lookups=Lookups.of(litellm),
                vocabularies=vocabularies,
                latest_semconv=latest,
            )
            self._patch(litellm, telemetry)

        return patch

    def _patch(self, litellm: ModuleType, telemetry: Telemetry) -> None:
        try:
            plan = targets.find(litellm)
        except Exception:  # a LiteLLM we cannot read must not stop the application starting
            _logger.warning(
                "litellm-otel: could not read the installed LiteLLM; nothing is traced", exc_info=True
            )
            return
        self._wrap(plan.targets, plan.missing, plan.litellm_version, telemetry)
        _warn_if_litellm_otel_callback(litellm)
        # LiteLLM's MCP client and the proxy's MCP gateway are imported by the application, if
        # at all: patched then.
        version = plan.litellm_version
        self._late = tuple(
            OnImport(self._late_patch(find, version, telemetry)).register(name)
            for name, find in targets.LATE_MODULES
        )

    def _late_patch(
        self,
        find: Callable[[ModuleType], tuple[list[Target], list[targets.Missing]]],
        version: str,
        telemetry: Telemetry,
    ) -> Callable[[ModuleType], None]:
        return lambda module: self._wrap(*find(module), version, telemetry)

    def _wrap(
        self,
        found: Collection[Target],
        missing: Collection[targets.Missing],
        version: str,
        telemetry: Telemetry,
    ) -> None:
        for absent in missing:
            _logger.warning(
                "litellm-otel: the installed LiteLLM %s has no %s (%s); %s. Everything else is traced.",
                version,
                absent.label,
                absent.role.value,
                absent.loss,
            )
        patched: list[Target] = []
        for target in found:
            try:
                wrap_function_wrapper(target.owner, target.name, _wrapper(target, telemetry))
            except Exception:
                _logger.warning("litellm-otel: could not wrap %s", target.label, exc_info=True)
                continue
            patched.append(target)
        self._patched = (*self._patched, *patched)

    def _uninstrument(self, **kwargs: Any) -> None:
        if self._framework_patches is not None:
            self._framework_patches.uninstall()
            self._framework_patches = None
        if self._on_import is not None:
            self._on_import.cancel()
            self._on_import = None
        for late in self._late:
            late.cancel()
        self._late = ()
        for target in reversed(self._patched):
            unwrap(target.owner, target.name)
        self._patched = ()
