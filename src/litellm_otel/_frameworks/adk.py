"""Google ADK, read from google-adk 2.15.0: everything litellm-otel knows about its insides.

ADK's LiteLLM model (`google.adk.models.lite_llm.LiteLlm`) turns each LiteLLM response's usage into
a `GenerateContentResponseUsageMetadata` and ADK records it on its own inference span, the parent
of litellm-otel's CLIENT span (`generate_content {model}`, and `call_llm` too under
ADK_TELEMETRY_SCHEMA_VERSION_OPT_IN=1, both through `tracing._set_usage_metadata_attributes`),
and in its `gen_ai.client.token.usage` histogram (meter `gcp.vertex.agent`,
`_metrics.record_client_token_usage`). Every token would count twice in a trace's sum and in that
metric; ADK's output count also adds LiteLLM's reasoning tokens to its completion tokens, which
include them already. So the usage objects of the calls litellm-otel traced are remembered as
`LiteLlm.generate_content_async` yields them, and those two functions skip them: litellm-otel's
CLIENT span alone carries such a call's usage, with its cache, reasoning and cost. ADK keeps the
usage everywhere else (its events and session, its `adk.experimental.invoke_*` totals, its
`gen_ai.client.inference.*` counters, which litellm-otel does not emit, and any model that is
not LiteLLM).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import wrapt

from litellm_otel._frameworks.patching import Framework, Patch, Shared, Wrapper

if TYPE_CHECKING:
    _Proxy = wrapt.ObjectProxy[Any]
else:
    _Proxy = wrapt.ObjectProxy  # not subscriptable at run time on every supported wrapt

_DOUBLE_COUNTED = "its spans and metrics count the usage of LiteLLM calls a second time"


class _ServedResponses(_Proxy):
    """The async generator `LiteLlm.generate_content_async` returns, unchanged, remembering the
    usage of each response whose LiteLLM call litellm-otel traced."""

    def __init__(self, responses: Any, shared: Shared) -> None:
        super().__init__(responses)
        self._self_shared = shared

    def _self_remember(self, response: Any) -> Any:
        usage = getattr(response, "usage_metadata", None)
        if usage is not None and self._self_shared.tracing_litellm():
            self._self_shared.served.add(usage)
        return response

    def __aiter__(self) -> _ServedResponses:
        return self

    async def __anext__(self) -> Any:
        return self._self_remember(await self.__wrapped__.__anext__())

    async def asend(self, value: Any) -> Any:
        return self._self_remember(await self.__wrapped__.asend(value))

    async def athrow(self, *args: Any) -> Any:
        return self._self_remember(await self.__wrapped__.athrow(*args))


def _remember_served(shared: Shared) -> Wrapper:
    def generate_content_async(
        wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        return _ServedResponses(wrapped(*args, **kwargs), shared)

    return generate_content_async


def _argument(args: tuple[Any, ...], kwargs: dict[str, Any], position: int, name: str) -> Any:
    return kwargs[name] if name in kwargs else args[position] if len(args) > position else None


def _skip_served_span_usage(shared: Shared) -> Wrapper:
    def set_usage_metadata_attributes(
        wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        # (span, usage_metadata)
        usage = _argument(args, kwargs, 1, "usage_metadata")
        if usage is not None and usage in shared.served:
            return None
        return wrapped(*args, **kwargs)

    return set_usage_metadata_attributes


def _skip_served_token_metric(shared: Shared) -> Wrapper:
    def record_client_token_usage(
        wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        # (agent_name, llm_request, responses): the responses of one model call
        responses: Iterable[Any] = _argument(args, kwargs, 2, "responses") or ()
        for response in responses:
            usage = getattr(response, "usage_metadata", None)
            if usage is not None and usage in shared.served:
                return None
        return wrapped(*args, **kwargs)

    return record_client_token_usage


def _patches(shared: Shared) -> tuple[Patch, ...]:
    patches = [
        Patch(
            "google.adk.models.lite_llm",
            "LiteLlm",
            "generate_content_async",
            _remember_served(shared),
            _DOUBLE_COUNTED,
        ),
        Patch(
            "google.adk.telemetry.tracing",
            "",
            "_set_usage_metadata_attributes",
            _skip_served_span_usage(shared),
            "its spans count the usage of LiteLLM calls a second time",
        ),
    ]
    if shared.metrics:
        patches.append(
            Patch(
                "google.adk.telemetry._metrics",
                "",
                "record_client_token_usage",
                _skip_served_token_metric(shared),
                "its gen_ai.client.token.usage counts the usage of LiteLLM calls a second time",
            )
        )
    return tuple(patches)


FRAMEWORK = Framework("google-adk", _patches)
