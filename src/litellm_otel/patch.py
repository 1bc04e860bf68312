"""The wrappers around LiteLLM's entry points, and the one place where spans start and end."""

from __future__ import annotations

import inspect
import logging
import time
import traceback
from collections.abc import Awaitable, Callable, Mapping
from contextvars import Token
from dataclasses import dataclass
from typing import Any, Final

from opentelemetry import context, trace
from opentelemetry.context import Context
from opentelemetry.instrumentation.utils import is_instrumentation_enabled
from opentelemetry.trace import SpanKind, Status, StatusCode

from litellm_otel import extract
from litellm_otel import semconv as sc
from litellm_otel.metrics import Metrics
from litellm_otel.routing import Routing
from litellm_otel.streams import StreamState, TracedStream

_logger: Final = logging.getLogger(__name__)

# Set in the context of every traced call. LiteLLM's public functions call each other (the
# async variants run the sync ones in an executor with a copy of the context; text_completion
# calls completion); a call made while this is set is part of the outer call and gets no span.
_INSIDE_CALL: Final = context.create_key("litellm_otel.inside_call")

_MAX_MESSAGE: Final = 1024


@dataclass(frozen=True, slots=True)
class Operation:
    """One LiteLLM entry point: its GenAI operation and how its arguments are spelled."""

    name: str
    positional: tuple[str, ...]  # names of the parameters args may fill, in order
    is_async: bool


@dataclass(frozen=True, slots=True)
class Telemetry:
    """What the wrappers need, handed over once at `instrument()`."""

    tracer: trace.Tracer
    routing: Routing
    metrics: Metrics | None  # None when the meter provider is a no-op: nothing to record


def _params(positional: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Mapping[str, Any]:
    if not args:
        return kwargs
    params = dict(zip(positional, args, strict=False))
    params.update(kwargs)
    return params


class _Call:
    """A traced LiteLLM call: starts its span, and ends it exactly once."""

    __slots__ = (
        "_attributes",
        "_context",
        "_has_provider",
        "_has_server",
        "_operation",
        "_params",
        "_started",
        "_streaming",
        "_telemetry",
        "span",
    )

    def __init__(
        self,
        span: trace.Span,
        operation: Operation,
        params: Mapping[str, Any],
        telemetry: Telemetry,
        attributes: extract.Attributes,
    ) -> None:
        self.span = span
        self._operation = operation
        self._params = params
        self._telemetry = telemetry
        self._attributes = attributes  # the request attributes, also the metrics' base
        self._has_provider = sc.GEN_AI_PROVIDER_NAME in attributes
        self._has_server = sc.SERVER_ADDRESS in attributes
        self._streaming = attributes.get(sc.GEN_AI_REQUEST_STREAM) is True
        self._started = time.perf_counter()
        self._context = context.set_value(_INSIDE_CALL, True, trace.set_span_in_context(span))

    @classmethod
    def start(
        cls, telemetry: Telemetry, operation: Operation, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> _Call | None:
        try:
            params = _params(operation.positional, args, kwargs)
            attributes = extract.request_attributes(operation.name, params)
            attributes.update(telemetry.routing.attributes(params))
            model = attributes.get(sc.GEN_AI_REQUEST_MODEL)
            name = f"{operation.name} {model}" if model else operation.name
            span = telemetry.tracer.start_span(name, kind=SpanKind.CLIENT, attributes=attributes)
            return cls(span, operation, params, telemetry, attributes)
        except Exception:
            _logger.debug("litellm-otel: could not start a span", exc_info=True)
            return None

    def attach(self) -> Token[Context]:
        return context.attach(self._context)

    def finish(self, result: Any) -> Any:
        """Ends the span with the result's data, and returns what the caller gets: the result
        itself, or for a stream, a proxy that ends the span when the stream ends."""
        if self._streaming and (hasattr(result, "__next__") or hasattr(result, "__anext__")):
            try:
                return TracedStream(result, self, time_chunks=self._telemetry.metrics is not None)
            except Exception:
                _logger.debug("litellm-otel: could not watch the stream", exc_info=True)
        self._close(self._collect(self._result_attributes, result), None)
        return result

    def finish_stream(self, stream: object, state: StreamState, *, completed: bool) -> None:
        attributes = self._collect(self._stream_attributes, stream, state, completed)
        self._close(attributes, None, state)

    def fail_stream(self, state: StreamState, exc: BaseException) -> None:
        self._close(self._collect(self._stream_attributes, None, state, False), exc, state)

    def fail(self, exc: BaseException) -> None:
        self._close(None, exc)

    def _collect(self, build: Callable[..., extract.Attributes], *args: Any) -> extract.Attributes | None:
        """The result's attributes, when anything will read them: a recording span or metrics."""
        if self._telemetry.metrics is None and not self.span.is_recording():
            return None
        try:
            return build(*args)
        except Exception:
            _logger.debug("litellm-otel: could not read the result", exc_info=True)
            return None

    def _close(
        self,
        attributes: extract.Attributes | None,
        exc: BaseException | None,
        stream: StreamState | None = None,
    ) -> None:
        """The one place a span ends; metrics are recorded after it."""
        duration = time.perf_counter() - self._started
        error_type = None
        try:
            if exc is not None:
                error = extract.error_attributes(exc)
                error_type = str(error[sc.ERROR_TYPE])
            if self.span.is_recording():
                if attributes:
                    self.span.set_attributes(attributes)
                if exc is not None:
                    self._record_error(exc, error)
        except Exception:
            _logger.debug("litellm-otel: could not fill in the span", exc_info=True)
        try:
            self.span.end()
        except Exception:  # a span processor that raises must not reach the caller
            _logger.debug("litellm-otel: could not end a span", exc_info=True)
        metrics = self._telemetry.metrics
        if metrics is not None:
            try:
                metrics.record(self._attributes, attributes, error_type, duration, self._started, stream)
            except Exception:
                _logger.debug("litellm-otel: could not record metrics", exc_info=True)

    def _record_error(self, exc: BaseException, error: extract.Attributes) -> None:
        secrets = extract.secrets(self._params)
        message = extract.redact(str(exc), secrets)
        stacktrace = extract.redact("".join(traceback.format_exception(exc)), secrets)
        self.span.set_attributes(error)
        self.span.record_exception(
            exc, attributes={"exception.message": message, "exception.stacktrace": stacktrace}
        )
        self.span.set_status(Status(StatusCode.ERROR, message[:_MAX_MESSAGE]))

    async def finish_awaited(self, awaitable: Awaitable[Any]) -> Any:
        """Awaits a call's coroutine with the span current, then finishes or fails the span."""
        token = self.attach()
        try:
            result = await awaitable
        except BaseException as exc:
            self.fail(exc)
            raise
        finally:
            context.detach(token)
        return self.finish(result)

    def _stream_attributes(self, stream: object, state: StreamState, completed: bool) -> extract.Attributes:
        usage = extract.stream_usage(state, stream)
        model = self._params.get("model")
        routing = self._telemetry.routing
        if usage is None and completed and self._operation.name == sc.OP_CHAT and state.response is None:
            usage = routing.counted_usage(
                model, self._params.get("messages"), extract.field(stream, "response_uptil_now")
            )
        attributes = extract.stream_attributes(self._operation.name, state, usage)
        attributes[sc.LITELLM_STREAM_COMPLETED] = completed
        if state.first_chunk_at is not None:
            attributes[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = state.first_chunk_at - self._started
        if not self._has_provider or not self._has_server:
            attributes.update(
                routing.attributes_from_result(
                    extract.hidden_params(stream),
                    provider=not self._has_provider,
                    server=not self._has_server,
                )
            )
        if usage is not None:
            cost = routing.usage_cost(model, usage, state.response)
            if cost is not None:
                attributes[sc.GEN_AI_USAGE_COST] = cost
        return attributes

    def _result_attributes(self, result: object) -> extract.Attributes:
        attributes = extract.response_attributes(self._operation.name, result)
        hidden = extract.hidden_params(result)
        if not self._has_provider or not self._has_server:
            attributes.update(
                self._telemetry.routing.attributes_from_result(
                    hidden, provider=not self._has_provider, server=not self._has_server
                )
            )
        cost = self._telemetry.routing.cost(result, hidden)
        if cost is not None:
            attributes[sc.GEN_AI_USAGE_COST] = cost
        return attributes


def _untraced() -> bool:
    return context.get_value(_INSIDE_CALL) is True or not is_instrumentation_enabled()


Wrapper = Callable[[Callable[..., Any], Any, tuple[Any, ...], dict[str, Any]], Any]


def traced(operation: Operation, *, telemetry: Telemetry) -> Wrapper:
    """A wrapt wrapper giving each call of one LiteLLM entry point its CLIENT span."""
    if operation.is_async:

        async def traced_async(
            wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
        ) -> Any:
            call = None if _untraced() else _Call.start(telemetry, operation, args, kwargs)
            if call is None:
                return await wrapped(*args, **kwargs)
            return await call.finish_awaited(wrapped(*args, **kwargs))

        return traced_async

    def traced_sync(
        wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        call = None if _untraced() else _Call.start(telemetry, operation, args, kwargs)
        if call is None:
            return wrapped(*args, **kwargs)
        token = call.attach()
        try:
            result = wrapped(*args, **kwargs)
        except BaseException as exc:
            call.fail(exc)
            raise
        finally:
            context.detach(token)
        if inspect.iscoroutine(result):
            # completion(..., acompletion=True) returns the coroutine that does the provider
            # request; the span covers it until it is awaited to completion.
            return call.finish_awaited(result)
        return call.finish(result)

    return traced_sync
