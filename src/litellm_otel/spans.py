"""The span lifecycle: the one place spans start and end, and the CLIENT span of one provider request.

`Traced` owns a span from `start` to its one `_close`: it attaches the span's context around the
call, hands streams to `streams.TracedStream`, fills in the result's attributes, runs the hooks,
ends the span and then records metrics and the content event. `Call` is the CLIENT span; the
INTERNAL spans that only orchestrate (Router, SDK fallbacks) are in `router`.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import Token
from dataclasses import dataclass
from typing import Any, ClassVar, Final, Protocol

from opentelemetry import context, trace
from opentelemetry._logs import Logger, LogRecord
from opentelemetry.context import Context
from opentelemetry.trace import SpanKind, Status, StatusCode

from litellm_otel import (
    content,
    extract,
    google_genai,
    images,
    interactions,
    messages,
    moderation,
    ocr,
    search,
    speech,
    stacktraces,
    tools,
    transcription,
    video,
)
from litellm_otel import semconv as sc
from litellm_otel._litellm import assembly, reports, shapes
from litellm_otel._litellm.lookups import Lookups
from litellm_otel._litellm.targets import Surface
from litellm_otel.config import ContentCapture
from litellm_otel.messages import MessagesStream
from litellm_otel.metrics import Metrics
from litellm_otel.stream_state import ChunkClock, StreamState
from litellm_otel.streams import TracedStream
from litellm_otel.vocabularies import Vocabularies

_logger: Final = logging.getLogger(__name__)

# The traced call a context is inside. LiteLLM's public functions call each other (the async
# variants run the sync ones in an executor with a copy of the context; text_completion calls
# completion); a call made while one is current is part of it and gets no span of its own.
CURRENT_CALL: Final = context.create_key("litellm_otel.call")
# The Router call a context is inside: the provider calls it makes are its attempts.
CURRENT_ROUTER: Final = context.create_key("litellm_otel.router_call")
# The tool call a context is inside (`call_openai_tool` calls `call_mcp_tool`: one span).
CURRENT_TOOL: Final = context.create_key("litellm_otel.tool_call")

_MAX_MESSAGE: Final = 1024
# The operations whose results are LiteLLM `ModelResponse`s, read by its fast reader first.
_MODEL_RESPONSES: Final = frozenset((sc.OP_CHAT, sc.OP_TEXT_COMPLETION))
_NO_RESULT: Final = object()  # `_close` of a call that failed: no response for the hook
_CONTENT_KEYS: Final = frozenset(
    (
        sc.GEN_AI_INPUT_MESSAGES,
        sc.GEN_AI_OUTPUT_MESSAGES,
        sc.GEN_AI_SYSTEM_INSTRUCTIONS,
        sc.GEN_AI_TOOL_DEFINITIONS,
    )
)


@dataclass(frozen=True, slots=True)
class Operation:
    """One LiteLLM entry point: its GenAI operation and how its arguments are spelled."""

    name: str
    positional: tuple[str, ...]  # names of the parameters args may fill, in order
    is_async: bool
    surface: Surface = Surface.CHAT  # whose shapes its results have: the CLIENT span class reading them
    streams: bool = False  # it always returns a stream (generate_content_stream), whatever `stream` says


Params = Mapping[str, Any]  # a call's arguments by name

RequestHook = Callable[[trace.Span, Mapping[str, Any]], None]
"""`request_hook(span, call_kwargs)`: called when a CLIENT span starts."""
ResponseHook = Callable[[trace.Span, Mapping[str, Any], Any], None]
"""`response_hook(span, call_kwargs, result)`: called before a CLIENT span ends successfully
(`result` is LiteLLM's response, or its stream once the stream ended)."""


@dataclass(frozen=True, slots=True)
class Telemetry:
    """What the wrappers need, handed over once at `instrument()`."""

    tracer: trace.Tracer
    lookups: Lookups
    metrics: Metrics | None  # None when the meter provider is a no-op: nothing to record
    content: ContentCapture | None = None  # None unless the user opted in to content capture
    events: Logger | None = None  # for the inference details event, when captured on events
    metadata_keys: tuple[str, ...] = ()  # allow-listed keys of the call's `metadata` to record
    request_hook: RequestHook | None = None
    response_hook: ResponseHook | None = None
    vocabularies: Vocabularies | None = None  # None unless the user enabled backend vocabularies
    latest_semconv: bool = False  # OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental


def bind_params(positional: tuple[str, ...], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Params:
    """A call's arguments by name: positional ones under their parameter's name."""
    if not args:
        return kwargs
    params = dict(zip(positional, args, strict=False))
    params.update(kwargs)
    return params


def active(key: str, current: Context | None = None) -> Traced | None:
    """The call of ours a context is inside, unless it has ended. An ended one can be current
    again when another instrumentation restores a context it saved inside our call (seen with
    opentelemetry-instrumentation-openai-v2 after a stream); it must not swallow new calls."""
    call = (current if current is not None else context.get_current()).get(key)
    return call if isinstance(call, Traced) and not call.ended else None


_ENDED: Final = Context()  # what an ended call keeps as its context: nothing


def _span_key() -> str | None:
    # The key the API keeps a context's span under, learned once through set_span_in_context.
    keys = list(trace.set_span_in_context(trace.INVALID_SPAN, Context()))
    return keys[0] if len(keys) == 1 else None


_SPAN_KEY: Final = _span_key()


class Traced:
    """A span around one LiteLLM call: started by `start`, ended exactly once by `_close`."""

    __slots__ = (
        "_context",
        "_operation",
        "_params",
        "_recording",
        "_started",
        "_streaming",
        "_telemetry",
        "ended",
        "span",
    )

    kind: ClassVar[SpanKind]
    context_key: ClassVar[str]
    captures_content: ClassVar[bool] = False

    def __init__(
        self, span: trace.Span, operation: Operation, params: Params, telemetry: Telemetry, parent: Context
    ) -> None:
        self.span = span
        # Read once: a span records from its start until its end, which only `_close` calls.
        self._recording = span.is_recording()
        self._operation = operation
        self._params = params
        self._telemetry = telemetry
        self._streaming = operation.streams or params.get("stream") is True
        self._started = time.perf_counter()
        self.ended = False
        if _SPAN_KEY is None:
            self._context = context.set_value(self.context_key, self, trace.set_span_in_context(span, parent))
        else:  # what set_span_in_context and set_value make, in one copy of the parent instead of two
            self._context = Context({**parent, _SPAN_KEY: span, self.context_key: self})

    def attach(self) -> Token[Context]:
        return context.attach(self._context)

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

    def finish(self, result: Any) -> Any:
        """Ends the span with the result's data, and returns what the caller gets: the result
        itself, or for a stream, a proxy that ends the span when the stream ends."""
        if self._streaming and (hasattr(result, "__next__") or hasattr(result, "__anext__")):
            try:
                return TracedStream(result, self, self._stream_state())
            except Exception:
                _logger.debug("litellm-otel: could not watch the stream", exc_info=True)
        attributes = self._collect(self._result_attributes, result)
        self._close(attributes, None, result=result)
        return result

    def _stream_state(self) -> ChunkClock:
        """What this call keeps of its stream's chunks: when they came (a span that only
        orchestrates reads nothing else of them)."""
        return ChunkClock()

    def finish_stream(self, stream: object, state: Any, *, completed: bool) -> None:
        attributes = self._collect(self._stream_attributes, stream, state, completed)
        self._close(attributes, None, state, result=stream)

    def _response_hook(self, result: object) -> None:
        hook = self._telemetry.response_hook
        if hook is not None and self.captures_content:
            try:
                hook(self.span, self._params, result)
            except Exception:
                _logger.debug("litellm-otel: the response hook raised", exc_info=True)

    def fail_stream(self, state: Any, exc: BaseException) -> None:
        self._close(self._collect(self._stream_attributes, None, state, False), exc, state)

    def fail(self, exc: BaseException) -> None:
        self._close(None, exc)

    def _collect(self, build: Callable[..., extract.Attributes], *args: Any) -> extract.Attributes | None:
        """The result's attributes, when anything will read them: a recording span or metrics."""
        if not self._recording and self._telemetry.metrics is None:
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
        stream: ChunkClock | None = None,
        *,
        result: object = _NO_RESULT,
        reported_error: tuple[str, str] | None = None,
    ) -> None:
        """The one place a span ends: our attributes and the enabled backends' keys, then the error
        or (on success) the response hook, which can read and override them; metrics are recorded
        after the end. `reported_error` is a failure the provider reported inside a response that
        raised nothing (an `error` event in a stream): its type and message."""
        duration = time.perf_counter() - self._started
        error_type = None
        try:
            if exc is not None:
                error = extract.error_attributes(exc)
                error_type = str(error[sc.ERROR_TYPE])
            elif reported_error is not None:
                error_type = reported_error[0]
            if attributes and self._telemetry.latest_semconv:
                extract.use_latest_names(attributes)
            if self._recording:
                if attributes:
                    self.span.set_attributes(attributes)
                vocabularies = self._telemetry.vocabularies
                if vocabularies is not None:
                    self._set_backend_attributes(vocabularies, attributes or {}, duration)
                if exc is not None:
                    self._record_error(exc, error)
                elif reported_error is not None:
                    self.span.set_attribute(sc.ERROR_TYPE, reported_error[0])
                    self.span.set_status(Status(StatusCode.ERROR, reported_error[1][:_MAX_MESSAGE]))
                elif result is not _NO_RESULT and self._telemetry.response_hook is not None:
                    self._response_hook(result)
            self._before_end()
        except Exception:
            _logger.debug("litellm-otel: could not fill in the span", exc_info=True)
        self.ended = True
        try:
            self.span.end()
        except Exception:  # a span processor that raises must not reach the caller
            _logger.debug("litellm-otel: could not end a span", exc_info=True)
        try:
            self._after_end(attributes, error_type, duration, stream)
        except Exception:
            _logger.debug("litellm-otel: could not record metrics or events", exc_info=True)
        # The call's context holds the call: letting go of it here breaks that cycle, so the
        # call and its span are freed as soon as the caller drops them, not by a later run of
        # the cyclic garbage collector (whose runs then cost every call in the process).
        self._context = _ENDED

    def _set_backend_attributes(
        self, vocabularies: Vocabularies, attributes: extract.Attributes, duration: float
    ) -> None:
        # On its own: a vocabulary that fails must not cost the span its error or the hook.
        try:
            self.span.set_attributes(self._backend_attributes(vocabularies, attributes, duration))
        except Exception:
            _logger.debug("litellm-otel: could not add the backends' keys", exc_info=True)

    def _backend_attributes(
        self, vocabularies: Vocabularies, attributes: extract.Attributes, duration: float
    ) -> extract.Attributes:
        """The backends' keys of a span that only orchestrates: their chain kind."""
        return vocabularies.internal

    def _record_error(self, exc: BaseException, error: extract.Attributes) -> None:
        secrets = extract.secrets(self._params)
        message = extract.redact(str(exc), secrets)
        stacktrace = extract.redact(stacktraces.format_exception(exc), secrets)
        self.span.set_attributes(error)
        # The exception event, added as Span.record_exception would add it, but with the stack
        # formatted once and cheaply: record_exception formats it with traceback, twice (SDK
        # 1.39 … 1.45), and through LiteLLM's deep stacks each of those cost ~1.9 ms on Python
        # 3.11 (the proxy bench: 8M instructions an event; see `stacktraces`).
        self.span.add_event(
            sc.EVENT_EXCEPTION,
            {
                sc.EXCEPTION_TYPE: error[sc.ERROR_TYPE],
                sc.EXCEPTION_MESSAGE: message,
                sc.EXCEPTION_STACKTRACE: stacktrace,
            },
        )
        self.span.set_status(Status(StatusCode.ERROR, message[:_MAX_MESSAGE]))

    def _before_end(self) -> None:
        """What a span adds to the trace just before it ends (a CLIENT span: its failed requests)."""
        return None

    def _result_attributes(self, result: object) -> extract.Attributes:
        raise NotImplementedError

    def _stream_attributes(self, stream: object, state: Any, completed: bool) -> extract.Attributes:
        raise NotImplementedError

    def _after_end(
        self,
        attributes: extract.Attributes | None,
        error_type: str | None,
        duration: float,
        stream: ChunkClock | None,
    ) -> None:
        """What follows the span's end: metrics and the content event (CLIENT spans only)."""
        return None


class AttemptCounter(Protocol):
    """A call whose provider requests are its attempts (a Router call, SDK-level fallbacks)."""

    def attempt_attributes(self, params: Params) -> extract.Attributes: ...


class Call(Traced):
    """One provider request: a CLIENT span with the request, response, usage and cost."""

    __slots__ = (
        "_answered",
        "_attributes",
        "_captured",
        "_failed_requests",
        "_has_provider",
        "_has_server",
        "_requests",
        "handoff_at",
    )

    kind = SpanKind.CLIENT
    context_key = CURRENT_CALL
    captures_content = True
    # The module of pure builders of a surface read through `SurfaceCall`; None for chat, whose
    # builders (`extract`, `_litellm.shapes`) this class calls directly.
    builders: ClassVar[SurfaceBuilders | None] = None

    def __init__(
        self,
        span: trace.Span,
        operation: Operation,
        params: Mapping[str, Any],
        telemetry: Telemetry,
        parent: Context,
        attributes: extract.Attributes,
    ) -> None:
        Traced.__init__(self, span, operation, params, telemetry, parent)  # no super() object per call
        self._attributes = attributes  # the request attributes, also the metrics' base
        self._has_provider = sc.GEN_AI_PROVIDER_NAME in attributes
        self._has_server = sc.SERVER_ADDRESS in attributes
        self.handoff_at: float | None = None  # when LiteLLM first handed the request to the provider
        self._captured: dict[str, Any] | None = None  # structured content, for the event
        self._requests = 0  # HTTP requests sent to the provider so far (retries included)
        self._answered = False  # one of them was answered: the call's requests are over
        # The ones that failed: (attributes, start ns, end ns), drawn as spans when the call ends.
        self._failed_requests: list[tuple[extract.Attributes, int, int]] | None = None

    @classmethod
    def start(
        cls,
        telemetry: Telemetry,
        operation: Operation,
        params: Params,
        current: Context,
        attempt_of: AttemptCounter | None = None,
    ) -> Call | None:
        """A CLIENT span for one provider request; `attempt_of` is the Router or SDK-fallbacks
        call it is an attempt of, which numbers it."""
        try:
            attributes, name = telemetry.lookups.request_attributes(operation.name, params)
            if cls.builders is not None:
                attributes.update(cls.builders.request_attributes(params))
                if operation.streams:
                    attributes[sc.GEN_AI_REQUEST_STREAM] = True
            if attempt_of is not None:
                attributes.update(attempt_of.attempt_attributes(params))
            if telemetry.metadata_keys:
                attributes.update(
                    extract.metadata_attributes(params.get("metadata"), telemetry.metadata_keys)
                )
            span = telemetry.tracer.start_span(name, current, cls.kind, attributes)
            call = cls(span, operation, params, telemetry, current, attributes)
        except Exception:
            _logger.debug("litellm-otel: could not start a span", exc_info=True)
            return None
        if telemetry.request_hook is not None and call._recording:
            try:
                telemetry.request_hook(span, params)
            except Exception:
                _logger.debug("litellm-otel: the request hook raised", exc_info=True)
        return call

    def _backend_attributes(
        self, vocabularies: Vocabularies, attributes: extract.Attributes, duration: float
    ) -> extract.Attributes:
        """The backends' keys of one provider request, from its request and result attributes."""
        return vocabularies.client(self._attributes, attributes, time.time() - duration)

    def endpoint_used(self, api_base: str | None) -> None:
        """`server.*` from the URL LiteLLM posts to, when the call's arguments named no server
        (Bedrock builds it from `aws_bedrock_runtime_endpoint` or the region): set on the span
        before it ends, and on the metrics' attributes."""
        if self._has_server or api_base is None:
            return
        server = extract.server_attributes(api_base)
        if not server:
            return
        self._has_server = True
        self._attributes.update(server)
        if self.span.is_recording():
            self.span.set_attributes(server)

    def provider_request(
        self, request: object, started: int, response: object, exc: BaseException | None
    ) -> None:
        """One HTTP request this call sent to the provider (`started`: its start, in ns): counted
        for `litellm.provider.requests`; one that failed (an error status, or no answer) is kept,
        to be drawn as an HTTP span under this one when the call ends (`_before_end`)."""
        try:
            if self.handoff_at is None or self._answered:
                # Before LiteLLM's hand-off to the provider, or once the provider answered: a
                # request of LiteLLM's own, not the call's (1.79's cost lookup asks Ollama's
                # /api/show, on a logging thread that carries the call's context).
                return
            self._requests += 1
            status = getattr(response, "status_code", None)
            if exc is None and (type(status) is not int or status < 400):
                self._answered = True
                return
            if self.ended or not self._recording:
                return
            attributes = extract.http_request_attributes(request)
            if type(status) is int:
                attributes[sc.HTTP_RESPONSE_STATUS_CODE] = status
                attributes[sc.ERROR_TYPE] = str(status)  # the HTTP conventions' error.type of a status
            elif exc is not None:
                attributes[sc.ERROR_TYPE] = str(extract.error_attributes(exc)[sc.ERROR_TYPE])
            if self._requests > 1:
                attributes[sc.HTTP_REQUEST_RESEND_COUNT] = self._requests - 1
            if self._failed_requests is None:
                self._failed_requests = []
            self._failed_requests.append((attributes, started, time.time_ns()))
        except Exception:
            _logger.debug("litellm-otel: could not record a provider request", exc_info=True)

    def _before_end(self) -> None:
        """The failed requests of a call that sent more than one, each an HTTP CLIENT span under
        this one (HTTP conventions: a span per request, resends included), so retries inside the
        call show with their outcome. A call's only request is the call itself: its span says how
        it went. Not drawn when opentelemetry-instrumentation-httpx already traces every request."""
        failed = self._failed_requests
        if failed is None or self._requests < 2 or _http_spans_elsewhere():
            return
        for attributes, started, ended in failed:
            name = str(attributes.get(sc.HTTP_REQUEST_METHOD, "HTTP"))
            span = self._telemetry.tracer.start_span(
                name, self._context, SpanKind.CLIENT, attributes, start_time=started
            )
            span.set_status(Status(StatusCode.ERROR))
            span.end(end_time=ended)

    def _provider(self, attributes: extract.Attributes) -> object:
        """The call's `gen_ai.provider.name`: from its start, else as its result reported it."""
        return self._attributes.get(sc.GEN_AI_PROVIDER_NAME) or attributes.get(sc.GEN_AI_PROVIDER_NAME)

    def _add_reported(
        self, attributes: extract.Attributes, hidden: Mapping[str, Any], estimated: tuple[str, ...] = ()
    ) -> None:
        """What a result or stream adds to the response attributes read from it: the time LiteLLM
        took before its request, the provider and server it reports where the start knew none,
        and what it reported settled to the provider's own (`reports.settle`)."""
        if self.handoff_at is not None:
            attributes[sc.LITELLM_PREPROCESSING_DURATION_MS] = (self.handoff_at - self._started) * 1000.0
        if self._requests > 1:
            attributes[sc.LITELLM_PROVIDER_REQUESTS] = self._requests
        if hidden and (not self._has_provider or not self._has_server):
            attributes.update(
                self._telemetry.lookups.attributes_from_result(
                    hidden, not self._has_provider, not self._has_server
                )
            )
        litellm_provider = hidden.get("custom_llm_provider")
        if not isinstance(litellm_provider, str):  # 1.79 streams: the request model's route prefix
            model = self._params.get("model")
            litellm_provider = model.split("/", 1)[0] if isinstance(model, str) and "/" in model else None
        reports.settle(attributes, self._provider(attributes), litellm_provider, estimated)

    def _result_attributes(self, result: object) -> extract.Attributes:
        operation = self._operation.name
        read = shapes.model_response_attributes(result) if operation in _MODEL_RESPONSES else None
        if read is not None:
            attributes, hidden = read
        else:
            attributes = extract.response_attributes(operation, result)
            hidden = shapes.hidden_params(result)
        self._add_reported(attributes, hidden)
        cost = self._telemetry.lookups.cost(result, hidden)
        if cost is not None:
            attributes[sc.GEN_AI_USAGE_COST] = cost
        if self._telemetry.content is not None:
            attributes.update(self._capture(lambda budget: content.output_messages(result, budget)))
        return attributes

    def fail(self, exc: BaseException) -> None:
        attributes = self._collect(self._capture, None) if self._telemetry.content is not None else None
        if self._requests > 1:
            attributes = {**(attributes or {}), sc.LITELLM_PROVIDER_REQUESTS: self._requests}
        self._close(attributes, exc)

    def _request_content(self, max_length: int) -> tuple[tuple[str, list[Any]], ...]:
        """The request's content as GenAI messages, system instructions and tool definitions."""
        params = self._params
        inputs = params.get("messages") or params.get("input") or params.get("prompt")
        return (
            (sc.GEN_AI_INPUT_MESSAGES, content.input_messages(inputs, content.Budget(max_length))),
            (
                sc.GEN_AI_SYSTEM_INSTRUCTIONS,
                content.system_instructions(params.get("instructions"), content.Budget(max_length)),
            ),
            (
                sc.GEN_AI_TOOL_DEFINITIONS,
                content.tool_definitions(params.get("tools"), content.Budget(max_length)),
            ),
        )

    def _capture(self, outputs: Callable[[content.Budget], list[Any]] | None) -> extract.Attributes:
        """Content of the call, kept structured for the event and JSON-encoded for the span."""
        capture = self._telemetry.content
        if capture is None:
            return {}
        captured: dict[str, Any] = {}
        for name, value in (
            *self._request_content(capture.max_length),
            (sc.GEN_AI_OUTPUT_MESSAGES, outputs(content.Budget(capture.max_length)) if outputs else []),
        ):
            if value:
                captured[name] = value
        self._captured = captured if capture.on_event else None
        if not capture.on_span:
            return {}
        return {name: json.dumps(value, ensure_ascii=False, default=str) for name, value in captured.items()}

    def _after_end(
        self,
        attributes: extract.Attributes | None,
        error_type: str | None,
        duration: float,
        stream: ChunkClock | None,
    ) -> None:
        metrics = self._telemetry.metrics
        if metrics is not None:
            metrics.record(
                self._attributes, attributes, error_type, duration, self._started, stream, self._context
            )
        events = self._telemetry.events
        if self._captured is None or events is None:
            return
        details: dict[str, Any] = dict(self._attributes)
        details.update((k, v) for k, v in (attributes or {}).items() if k not in _CONTENT_KEYS)
        details.update(self._captured)
        if error_type is not None:
            details[sc.ERROR_TYPE] = error_type
        token = context.attach(self._context)  # the event belongs to this call's span
        try:
            events.emit(LogRecord(event_name=sc.EVENT_INFERENCE_DETAILS, attributes=details))
        finally:
            context.detach(token)

    def _stream_state(self) -> ChunkClock:
        return StreamState(capture_content=self._telemetry.content is not None)

    # `state` is the StreamState above (Any: the surfaces' subclasses keep streams of their own).
    def _stream_attributes(self, stream: object, state: Any, completed: bool) -> extract.Attributes:
        usage, counted = shapes.stream_usage(state, stream)
        model = self._params.get("model")
        lookups = self._telemetry.lookups
        estimated = reports.COUNTED_USAGE if counted else ()
        if usage is None and completed and self._operation.name == sc.OP_CHAT and state.response is None:
            # LiteLLM's own count, made as the stream ended (1.79 … 1.89 keep it nowhere else),
            # or, when it made none on this thread, ours with its tokenizer.
            usage = assembly.take(stream)
            if usage is None:
                usage = lookups.counted_usage(
                    model, self._params.get("messages"), shapes.response_text_so_far(stream)
                )
            estimated = reports.COUNTED_USAGE
        attributes = extract.stream_attributes(self._operation.name, state, usage)
        if state.response is None:
            served = shapes.provider_response_model(stream)
            if served is not None:
                attributes[sc.GEN_AI_RESPONSE_MODEL] = served
        attributes[sc.LITELLM_STREAM_COMPLETED] = completed
        if state.first_chunk_at is not None:
            attributes[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = state.first_chunk_at - self._started
        hidden = shapes.hidden_params(stream)
        self._add_reported(attributes, hidden, estimated)
        if usage is not None:
            cost = None
            if reports.charges_itself(self._provider(attributes)) and not estimated:
                cost = shapes.stream_charge(state, stream)
            if cost is None:
                cost = lookups.usage_cost(model, usage, attributes, state.response, counted=bool(estimated))
            if cost is not None:
                attributes[sc.GEN_AI_USAGE_COST] = cost
        if self._telemetry.content is not None:
            stream_content = state.content
            if state.response is not None:
                attributes.update(
                    self._capture(lambda budget: content.output_messages(state.response, budget))
                )
            elif stream_content is not None:
                attributes.update(
                    self._capture(lambda budget: stream_content.messages(state.finish_reasons, budget))
                )
        return attributes


class MessagesCall(Call):
    """One Anthropic Messages API request (`litellm.anthropic_messages`): a CLIENT span read
    through `messages`, the surface's own builders. Its result is a plain dict that LiteLLM puts
    no cost on, so the cost is LiteLLM's price for the reported counts (`Lookups.usage_cost`)."""

    __slots__ = ()

    def _stream_state(self) -> ChunkClock:
        return MessagesStream(capture_content=self._telemetry.content is not None)

    def _result_attributes(self, result: object) -> extract.Attributes:
        attributes = messages.response_attributes(result)
        self._add_reported(attributes, shapes.hidden_params(result))
        self._add_cost(attributes)
        if self._telemetry.content is not None:
            attributes.update(self._capture(lambda budget: messages.output_messages(result, budget)))
        return attributes

    def finish_stream(self, stream: object, state: MessagesStream, *, completed: bool) -> None:
        attributes = self._collect(self._stream_attributes, stream, state, completed)
        self._close(attributes, None, state, result=stream, reported_error=state.error)

    def _stream_attributes(
        self, stream: object, state: MessagesStream, completed: bool
    ) -> extract.Attributes:
        attributes = state.attributes()
        attributes[sc.LITELLM_STREAM_COMPLETED] = completed
        if state.first_chunk_at is not None:
            attributes[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = state.first_chunk_at - self._started
        self._add_reported(attributes, shapes.hidden_params(stream))
        self._add_cost(attributes)
        if self._telemetry.content is not None:
            attributes.update(self._capture(state.output_messages))
        return attributes

    def _add_cost(self, attributes: extract.Attributes) -> None:
        cost = self._telemetry.lookups.tokens_cost(self._params.get("model"), attributes)
        if cost is not None:
            attributes[sc.GEN_AI_USAGE_COST] = cost

    def _request_content(self, max_length: int) -> tuple[tuple[str, list[Any]], ...]:
        params = self._params
        return (
            (
                sc.GEN_AI_INPUT_MESSAGES,
                messages.input_messages(params.get("messages"), content.Budget(max_length)),
            ),
            (
                sc.GEN_AI_SYSTEM_INSTRUCTIONS,
                messages.system_instructions(params.get("system"), content.Budget(max_length)),
            ),
            (
                sc.GEN_AI_TOOL_DEFINITIONS,
                messages.tool_definitions(params.get("tools"), content.Budget(max_length)),
            ),
        )


class SurfaceBuilders(Protocol):
    """A surface's module of pure builders (`transcription`, `speech`, `google_genai`, …)."""

    def request_attributes(self, params: Mapping[str, Any]) -> extract.Attributes: ...

    def response_attributes(self, result: object) -> extract.Attributes: ...

    # Attributes whose value set at the start from the request the result does not replace.
    @property
    def KEPT_FROM_REQUEST(self) -> frozenset[str]: ...

    def output_text(self, result: object) -> str | None: ...


class SurfaceCall(Call):
    """One provider request of an API beyond chat and Messages (audio, moderation, OCR, search,
    video, Google's generateContent): a CLIENT span read through the surface's `builders`. The
    cost is LiteLLM's own figure on the result when it put one there, else its price for the
    token counts read (a plain dict result, such as generateContent's, has no room for one)."""

    __slots__ = ()

    def _result_attributes(self, result: object) -> extract.Attributes:
        builders = self.builders
        assert builders is not None  # every subclass names its module (surface_call)
        attributes = builders.response_attributes(result)
        for kept in builders.KEPT_FROM_REQUEST:
            if kept in self._attributes:
                attributes.pop(kept, None)
        hidden = shapes.hidden_params(result)
        self._add_reported(attributes, hidden)
        lookups = self._telemetry.lookups
        cost = lookups.cost(result, hidden) if hidden else None
        if not cost and sc.GEN_AI_USAGE_INPUT_TOKENS in attributes:
            # No figure, or LiteLLM's 0.0 for tokens it could not price on this surface (1.79's
            # generateContent): its price for the counts the span carries.
            cost = lookups.tokens_cost(self._params.get("model"), attributes) or cost
        if cost is not None:
            attributes[sc.GEN_AI_USAGE_COST] = cost
        if self._telemetry.content is not None:
            attributes.update(
                self._capture(lambda budget: _text_output(builders.output_text(result), budget))
            )
        return attributes

    def _request_content(self, max_length: int) -> tuple[tuple[str, list[Any]], ...]:
        # The text a call sends (speech's and moderation's `input`, a search's `query`), if any.
        params = self._params
        sent = params.get("input") if params.get("input") is not None else params.get("query")
        if not isinstance(sent, str):
            return ()
        return ((sc.GEN_AI_INPUT_MESSAGES, content.input_messages(sent, content.Budget(max_length))),)


class SurfaceStream(Protocol):
    """What a surface's stream state reads from the events it was handed (`GenerateContentStream`,
    `InteractionsStream`), besides when they came."""

    first_chunk_at: float | None

    def attributes(self) -> extract.Attributes: ...

    def output_text(self) -> str | None: ...


class StreamingSurfaceCall(SurfaceCall):
    """A SurfaceCall whose stream is read by a state of its surface's own (`_stream_state`). No
    cost is on the stream: it is LiteLLM's price for the counts the events reported."""

    __slots__ = ()

    def _stream_attributes(self, stream: object, state: SurfaceStream, completed: bool) -> extract.Attributes:
        attributes = state.attributes()
        attributes[sc.LITELLM_STREAM_COMPLETED] = completed
        if state.first_chunk_at is not None:
            attributes[sc.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = state.first_chunk_at - self._started
        self._add_reported(attributes, shapes.hidden_params(stream))
        if sc.GEN_AI_USAGE_INPUT_TOKENS in attributes:
            cost = self._telemetry.lookups.tokens_cost(self._params.get("model"), attributes)
            if cost is not None:
                attributes[sc.GEN_AI_USAGE_COST] = cost
        if self._telemetry.content is not None:
            attributes.update(self._capture(lambda budget: _text_output(state.output_text(), budget)))
        return attributes


class GenerateContentCall(StreamingSurfaceCall):
    """Google's generateContent: a SurfaceCall whose streamed variant yields server-sent events
    (`generate_content_stream`), read by `google_genai.GenerateContentStream`."""

    __slots__ = ()

    builders: ClassVar[SurfaceBuilders | None] = google_genai

    def _stream_state(self) -> ChunkClock:
        return google_genai.GenerateContentStream(capture_content=self._telemetry.content is not None)


class InteractionsCall(StreamingSurfaceCall):
    """Google's Interactions API: a SurfaceCall whose operation is the call's (`chat` with a
    model, `invoke_agent` with an agent: `interactions`), and whose `stream=True` variant yields
    LiteLLM's events, read by `interactions.InteractionsStream`."""

    __slots__ = ()

    builders: ClassVar[SurfaceBuilders | None] = interactions

    @classmethod
    def start(
        cls,
        telemetry: Telemetry,
        operation: Operation,
        params: Params,
        current: Context,
        attempt_of: AttemptCounter | None = None,
    ) -> Call | None:
        agent = interactions.agent_name(params)
        if agent is None:
            return super().start(telemetry, operation, params, current, attempt_of)
        call = super().start(
            telemetry, dataclasses.replace(operation, name=sc.OP_INVOKE_AGENT), params, current, attempt_of
        )
        if call is not None:  # the conventions' name of an agent's span: `invoke_agent {agent}`
            call.span.update_name(f"{sc.OP_INVOKE_AGENT} {agent}")
        return call

    def _stream_state(self) -> ChunkClock:
        return interactions.InteractionsStream(capture_content=self._telemetry.content is not None)


def _text_output(text: str | None, budget: content.Budget) -> list[Any]:
    if text is None:
        return []
    return [{"role": "assistant", "parts": [{"type": "text", "content": budget.take(text)}]}]


class ToolCall(Traced):
    """One MCP tool call through LiteLLM's MCP client: an INTERNAL `execute_tool` span (the
    GenAI conventions' tool execution span), failed when the tool's result says it failed."""

    __slots__ = ()

    kind = SpanKind.INTERNAL
    context_key = CURRENT_TOOL

    @classmethod
    def start(
        cls, telemetry: Telemetry, operation: Operation, params: Params, current: Context
    ) -> ToolCall | None:
        try:
            attributes, name = tools.request_attributes(params)
            if telemetry.content is not None and telemetry.content.on_span:
                arguments = tools.arguments_text(params)
                if arguments is not None:
                    attributes[sc.GEN_AI_TOOL_CALL_ARGUMENTS] = content.Budget(
                        telemetry.content.max_length
                    ).take(arguments)
            span = telemetry.tracer.start_span(name, current, cls.kind, attributes)
            return cls(span, operation, params, telemetry, current)
        except Exception:
            _logger.debug("litellm-otel: could not start a tool span", exc_info=True)
            return None

    def finish(self, result: Any) -> Any:
        attributes = self._collect(self._result_attributes, result)
        error = (sc.TOOL_ERROR, "the tool reported an error") if tools.failed(result) else None
        self._close(attributes, None, result=result, reported_error=error)
        return result

    def _result_attributes(self, result: object) -> extract.Attributes:
        capture = self._telemetry.content
        if capture is None or not capture.on_span:
            return {}
        returned = tools.result_text(result)
        if returned is None:
            return {}
        return {sc.GEN_AI_TOOL_CALL_RESULT: content.Budget(capture.max_length).take(returned)}


def surface_call(builders: SurfaceBuilders) -> type[Call]:
    """The CLIENT span class of a surface read by `builders`."""
    name = getattr(builders, "__name__", "surface").rsplit(".", 1)[-1].title().replace("_", "")
    return type(f"{name}Call", (SurfaceCall,), {"__slots__": (), "builders": builders})


def _http_spans_elsewhere() -> bool:
    """Whether opentelemetry-instrumentation-httpx is tracing every HTTP request already (its
    spans then show each provider request, failed or not: ours would be the same again)."""
    httpx_instrumentation = sys.modules.get("opentelemetry.instrumentation.httpx")
    instrumentor = getattr(httpx_instrumentation, "HTTPXClientInstrumentor", None)
    return instrumentor is not None and bool(instrumentor().is_instrumented_by_opentelemetry)


# The CLIENT span class of each API surface.
CLIENT_CALLS: Final[Mapping[Surface, type[Call]]] = {
    Surface.CHAT: Call,
    Surface.MESSAGES: MessagesCall,
    Surface.TRANSCRIPTION: surface_call(transcription),
    Surface.SPEECH: surface_call(speech),
    Surface.IMAGES: surface_call(images),
    Surface.MODERATION: surface_call(moderation),
    Surface.OCR: surface_call(ocr),
    Surface.SEARCH: surface_call(search),
    Surface.VIDEO: surface_call(video),
    Surface.GOOGLE_GENAI: GenerateContentCall,
    Surface.INTERACTIONS: InteractionsCall,
}
