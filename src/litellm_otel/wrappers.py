"""The wrappers installed on LiteLLM's functions, and which span each call gets.

One wrapper serves sync and async functions alike: decide whether the call is traced, start its
span, call LiteLLM with the span current, then finish (or, for a stream, hand over to the stream
proxy) or fail and re-raise. Which span a call starts is chosen here, visibly:

- a Router endpoint: an INTERNAL span over its attempts (`router.RouterCall`), also for the
  endpoints a Router up to 1.109 builds per instance, through the method they all call;
- an entry point called with SDK-level `fallbacks=` outside a Router: an INTERNAL span over the
  models tried (`router.FallbacksCall`);
- any other entry point call: a CLIENT span for one provider request (`spans.Call`, or the class
  of its API surface, e.g. `spans.MessagesCall`), numbered as an attempt when a Router or
  fallbacks call is current.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from types import CoroutineType
from typing import Any

from opentelemetry import context
from opentelemetry.context import Context
from opentelemetry.instrumentation.utils import is_instrumentation_enabled, suppress_instrumentation

from litellm_otel._litellm import assembly, shapes
from litellm_otel.router import FallbacksCall, RouterCall
from litellm_otel.spans import (
    CLIENT_CALLS,
    CURRENT_CALL,
    CURRENT_ROUTER,
    CURRENT_TOOL,
    Call,
    Operation,
    Params,
    Telemetry,
    ToolCall,
    Traced,
    active,
    bind_params,
)

_logger = logging.getLogger(__name__)

Wrapper = Callable[[Callable[..., Any], Any, tuple[Any, ...], dict[str, Any]], Any]
Starter = Callable[[Telemetry, Operation, Params, Context], Traced | None]


def start_provider_call(
    telemetry: Telemetry, operation: Operation, params: Params, current: Context
) -> Traced | None:
    """The span of an entry point call: an attempt of the current Router call, an INTERNAL span
    over SDK-level fallbacks (LiteLLM calls its public functions again per model, so that call
    only orchestrates), or a CLIENT span of its own."""
    router = active(CURRENT_ROUTER, current)
    if router is None and params.get("fallbacks"):
        return FallbacksCall.start(telemetry, operation, params, current)
    attempt_of = router if isinstance(router, RouterCall) else None
    return CLIENT_CALLS[operation.surface].start(telemetry, operation, params, current, attempt_of)


def _suppression_keys() -> tuple[str, ...]:
    # The context keys `suppress_instrumentation()` sets (opentelemetry-instrumentation 0.5x: its
    # key and the key's plain legacy spelling), learned once through the public API.
    outside = context.get_current()
    with suppress_instrumentation():
        inside = context.get_current()
    return tuple(key for key, value in inside.items() if value and outside.get(key) is not value)


_SUPPRESSION_KEYS = _suppression_keys()
# Every context key that can make an entry point call untraced: in a context with none of them
# (most calls), one set operation answers what `_not_traced` would ask the context key by key.
_WATCHED: frozenset[str] = frozenset((CURRENT_CALL, CURRENT_ROUTER, *_SUPPRESSION_KEYS))


def _suppressed(current: Context) -> bool:
    """`not is_instrumentation_enabled()`, read in the context the wrapper already holds: that
    function fetches the current context again for each of its two keys, on every call."""
    if not _SUPPRESSION_KEYS:  # none learned: the API's own answer
        return not is_instrumentation_enabled()
    return any(map(current.get, _SUPPRESSION_KEYS))  # map, not a generator: no frame per call


def _not_traced(current: Context) -> bool:
    """Inside a traced call (LiteLLM's public functions call each other) or suppressed."""
    if _SUPPRESSION_KEYS and _WATCHED.isdisjoint(current):
        return False
    return active(CURRENT_CALL, current) is not None or _suppressed(current)


def _inside_any_span(current: Context) -> bool:
    return (
        active(CURRENT_CALL, current) is not None
        or active(CURRENT_ROUTER, current) is not None
        or _suppressed(current)
    )


def _router_not_traced(current: Context) -> bool:
    return _suppressed(current)


def traced(operation: Operation, *, telemetry: Telemetry) -> Wrapper:
    """The wrapper of a public LiteLLM function (`litellm.completion`, ...)."""
    return _wrapper(operation, telemetry, start_provider_call, _not_traced)


def implementation_traced(operation: Operation, *, telemetry: Telemetry) -> Wrapper:
    """A wrapper for the implementation behind a dispatch function (1.106: `_PYTHON_COMPLETION`).
    Reached through a patched public name it is the same call again, or under a Router or SDK
    fallbacks one of their own hops: only a call from a name imported before `instrument()`,
    outside any span of ours, is new."""
    return _wrapper(operation, telemetry, start_provider_call, _inside_any_span)


def _tool_not_traced(current: Context) -> bool:
    return active(CURRENT_TOOL, current) is not None or _suppressed(current)


def tool_traced(operation: Operation, *, telemetry: Telemetry) -> Wrapper:
    """The wrapper of an MCP tool call function of LiteLLM's: an INTERNAL `execute_tool` span."""
    return _wrapper(operation, telemetry, ToolCall.start, _tool_not_traced)


def router_traced(operation: Operation, *, telemetry: Telemetry) -> Wrapper:
    """The wrapper of a Router endpoint: an INTERNAL span per call, over its attempts."""
    return _wrapper(operation, telemetry, RouterCall.start, _router_not_traced)


def generic_router_traced(operations: Mapping[str, Operation], *, telemetry: Telemetry) -> Wrapper:
    """The wrapper of the Router method behind the endpoints a Router up to 1.109 builds per
    instance: a router span for the calls in `operations` (by the `__name__` of the LiteLLM
    function the endpoint hands it), none for the others."""

    def start(telemetry: Telemetry, _: Operation, params: Params, current: Context) -> Traced | None:
        operation = operations.get(shapes.function_name(params.get("original_function")))
        return None if operation is None else RouterCall.start(telemetry, operation, params, current)

    any_operation = next(iter(operations.values()))  # every one of them is async
    traced_call = _wrapper(any_operation, telemetry, start, _router_not_traced)

    def generic_router_call(
        wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        # A Router built before instrument() hands over the function as it was then: its
        # attempts go through the wrapped one, as a Router built afterwards does (the calls
        # this wrapper traces only; the other generic endpoints are left as LiteLLM bound them).
        bound = kwargs.get("original_function")
        if bound is not None and shapes.function_name(bound) in operations:
            traced_function = shapes.traced_function(bound)
            if traced_function is not bound:
                kwargs = {**kwargs, "original_function": traced_function}
        return traced_call(wrapped, instance, args, kwargs)

    return generic_router_call


def _wrapper(
    operation: Operation,
    telemetry: Telemetry,
    start: Starter,
    untraced: Callable[[Context], bool],
) -> Wrapper:
    """The one wrapper, sync or async: start (unless untraced), call, then finish or fail."""
    if operation.is_async:

        async def traced_async(
            wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
        ) -> Any:
            current = context.get_current()
            call = None
            if not untraced(current):
                call = start(telemetry, operation, bind_params(operation.positional, args, kwargs), current)
            if call is None:
                return await wrapped(*args, **kwargs)
            return await call.finish_awaited(wrapped(*args, **kwargs))

        return traced_async

    def traced_sync(
        wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        current = context.get_current()
        call = None
        if not untraced(current):
            call = start(telemetry, operation, bind_params(operation.positional, args, kwargs), current)
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
        if isinstance(result, CoroutineType):
            # completion(..., acompletion=True) returns the coroutine that does the provider
            # request; the span covers it until it is awaited to completion.
            return call.finish_awaited(result)
        return call.finish(result)

    return traced_sync


def carry_context(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Wraps LiteLLM's `run_async_function`, which runs a sync Router call (or SDK fallbacks)
    on a new event loop, in a worker thread when a loop is already running, without copying
    the context (seen on 1.79 and 1.106). The coroutine it runs gets the caller's context back,
    so attempt spans stay children of the Router span."""
    if "async_function" in kwargs:
        kwargs = {**kwargs, "async_function": _in_context(kwargs["async_function"], context.get_current())}
    elif args:
        args = (_in_context(args[0], context.get_current()), *args[1:])
    return wrapped(*args, **kwargs)


def context_carrying_pool(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Wraps the `ThreadPoolExecutor` class `batch_completion` makes its pool from: the pool's
    `submit` runs each call in a copy of the submitting thread's context, so the calls' spans
    are children of the caller's span, as they would be run one by one."""
    executor = wrapped(*args, **kwargs)
    submit = executor.submit

    def submit_in_context(fn: Callable[..., Any], /, *fn_args: Any, **fn_kwargs: Any) -> Any:
        return submit(contextvars.copy_context().run, fn, *fn_args, **fn_kwargs)

    try:
        executor.submit = submit_in_context
    except Exception:  # an executor that takes no attribute: its calls are traced without parent
        _logger.debug("litellm-otel: could not carry the context into a thread pool", exc_info=True)
    return executor


def _in_context(async_function: Callable[..., Awaitable[Any]], ctx: Context) -> Callable[..., Awaitable[Any]]:
    async def run_in_context(*args: Any, **kwargs: Any) -> Any:
        token = context.attach(ctx)
        try:
            return await async_function(*args, **kwargs)
        finally:
            context.detach(token)

    return run_in_context


def stamp_handoff(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Wraps LiteLLM's `Logging.pre_call`, which runs right before each provider request: the
    first one of a traced call marks the end of LiteLLM's preprocessing (retries excluded), and
    the URL it logs is the server of a call whose arguments did not name one (Bedrock)."""
    call = active(CURRENT_CALL)
    if isinstance(call, Call):
        if call.handoff_at is None:
            call.handoff_at = time.perf_counter()
        call.endpoint_used(shapes.logged_api_base(args, kwargs))
    return wrapped(*args, **kwargs)


def provider_request(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Wraps `httpx.Client.send`: each HTTP request a traced call sends is counted on its span,
    and one that fails (an error status, or no answer) becomes an HTTP span of its own under it.
    Outside our calls it only looks at the context."""
    call = active(CURRENT_CALL)
    if not isinstance(call, Call):
        return wrapped(*args, **kwargs)
    request, started = args[0] if args else kwargs.get("request"), time.time_ns()
    try:
        response = wrapped(*args, **kwargs)
    except BaseException as exc:
        call.provider_request(request, started, None, exc)
        raise
    call.provider_request(request, started, response, None)
    return response


async def provider_request_async(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """`provider_request` for `httpx.AsyncClient.send`."""
    call = active(CURRENT_CALL)
    if not isinstance(call, Call):
        return await wrapped(*args, **kwargs)
    request, started = args[0] if args else kwargs.get("request"), time.time_ns()
    try:
        response = await wrapped(*args, **kwargs)
    except BaseException as exc:
        call.provider_request(request, started, None, exc)
        raise
    call.provider_request(request, started, response, None)
    return response


def keep_assembly(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Wraps `litellm.stream_chunk_builder`, which LiteLLM's stream wrapper calls at the end of
    every stream: the usage it built (counted, when no chunk carried any) is kept for the
    stream's span, which then need not count the same tokens again (see `assembly`)."""
    built = wrapped(*args, **kwargs)
    try:
        assembly.keep(kwargs.get("chunks", args[0] if args else None), built)
    except Exception:
        _logger.debug("litellm-otel: could not keep a stream's assembled usage", exc_info=True)
    return built
