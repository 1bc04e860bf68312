"""LiteLLM's own OpenTelemetry callback ("OTel v2", LiteLLM >= 1.110) as a benchmark subject.

A user switches it on with `LITELLM_OTEL_V2=true` and `litellm.callbacks = ["otel"]`; LiteLLM
then builds an `OpenTelemetryV2` logger (litellm/integrations/otel/logger.py, read from 1.110.2)
with a `TracerProvider` of its own. To export to the same in-memory SDK setup as the other
subjects, this adapter builds that logger itself with the benchmark's providers (the logger's
constructor takes them, as LiteLLM's own tests do) and registers it the way LiteLLM registers a
`CustomLogger`: in `litellm.callbacks`. Metrics are on when the benchmark gives an SDK meter
provider (LiteLLM's `LITELLM_OTEL_INTEGRATION_ENABLE_METRICS`).

It is a LiteLLM callback: its span opens at LiteLLM's pre-call hook and closes in the *async*
success/failure callback, which LiteLLM runs on its logging worker. Sync calls get no span from
it, and neither do calls that never reach LiteLLM's logging (the benchmark's isolated scenarios).
"""

from __future__ import annotations

import importlib.metadata
import os
from typing import Any

import litellm
from opentelemetry.sdk.metrics import MeterProvider

# Where LiteLLM keeps the callbacks it runs (1.110.2); the logger is removed from all of them.
_CALLBACK_LISTS = (
    "callbacks",
    "input_callback",
    "success_callback",
    "failure_callback",
    "service_callback",
    "_async_success_callback",
    "_async_failure_callback",
    "_async_input_callback",
)


def available() -> str | None:
    """Why this LiteLLM has no OTel v2, or None when it has."""
    try:
        from litellm.integrations.otel.logger import OpenTelemetryV2  # noqa: F401, PLC0415
    except ImportError:
        return f"LiteLLM {importlib.metadata.version('litellm')} has no OTel v2 (it ships from 1.110)"
    return None


class LiteLLMInstrumentor:
    """instrument()/uninstrument() over LiteLLM's OTel v2 logger, like the instrumentors."""

    def __init__(self) -> None:
        reason = available()
        if reason is not None:
            raise RuntimeError(reason)
        self._logger: Any = None

    def instrument(self, *, tracer_provider: Any, meter_provider: Any) -> None:
        metrics = isinstance(meter_provider, MeterProvider)
        os.environ["LITELLM_OTEL_V2"] = "true"
        os.environ["LITELLM_OTEL_INTEGRATION_ENABLE_METRICS"] = "true" if metrics else "false"
        # Imported here: LiteLLM before 1.110 has no such module (see available()).
        from litellm.integrations.otel.logger import OpenTelemetryV2  # noqa: PLC0415
        from litellm.integrations.otel.model.config import (  # noqa: PLC0415
            OpenTelemetryV2Config,
            is_otel_v2_enabled,
        )

        is_otel_v2_enabled.cache_clear()  # LiteLLM caches the switch at its first read
        self._logger = OpenTelemetryV2(
            config=OpenTelemetryV2Config(),
            tracer_provider=tracer_provider,
            meter_provider=meter_provider if metrics else None,
        )
        litellm.callbacks.append(self._logger)

    def uninstrument(self) -> None:
        logger, self._logger = self._logger, None
        if logger is None:
            return
        for name in _CALLBACK_LISTS:
            callbacks = getattr(litellm, name, None)
            if isinstance(callbacks, list):
                callbacks[:] = [callback for callback in callbacks if callback is not logger]
