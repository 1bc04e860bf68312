"""What only LiteLLM itself can tell: which provider a model goes to, where, and at what cost."""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, Final

from litellm_otel import extract, readers
from litellm_otel import semconv as sc
from litellm_otel._litellm.prices import (
    PriceCache,
    counted_token_counts,
    plain_token_counts,
    reported_token_counts,
)

_logger: Final = logging.getLogger(__name__)

_Route = tuple[str | None, str | None]
_NOT_PRICED: Final = object()  # no `response_cost` in a result's `_hidden_params`
_NO_ATTRIBUTES: Final[Mapping[str, extract.AttributeValue]] = {}
_OPTIONAL_BUT_MAX_TOKENS: Final = extract.OPTIONAL_PARAMS - {"max_tokens"}
_FULL_BUILD: Final = object()  # a call whose start attributes are built in full, not copied


def _span_name(operation: str, attributes: Mapping[str, extract.AttributeValue]) -> str:
    model = attributes.get(sc.GEN_AI_REQUEST_MODEL)
    return f"{operation} {model}" if model else operation


class Lookups:
    """Provider, server and cost lookups through LiteLLM, cached where LiteLLM's answer is pure."""

    def __init__(
        self,
        get_llm_provider: Callable[..., Any],
        completion_cost: Callable[..., Any],
        token_counter: Callable[..., Any] | None = None,
        cost_per_token: Callable[..., Any] | None = None,
        usage_type: Callable[..., Any] | None = None,
        model_info: Callable[..., Any] | None = None,
        price_map: Callable[[], Mapping[str, Any]] | None = None,
    ) -> None:
        self._get_llm_provider = get_llm_provider
        self._completion_cost = completion_cost
        self._token_counter = token_counter
        self._cost_per_token = cost_per_token
        self._usage_type = usage_type
        # get_llm_provider parses the model string and walks LiteLLM's provider lists on every
        # call; its answer depends only on these three strings, so it is resolved once per triple.
        self._route: Callable[[str, str | None, str | None], _Route] = functools.lru_cache(maxsize=1024)(
            self._resolve
        )
        # The attributes built from a route, once per route too: ~2 us of every call's start.
        self._route_attributes: Callable[
            [str, str | None, str | None], Mapping[str, extract.AttributeValue]
        ] = functools.lru_cache(maxsize=1024)(self._attributes_of_route)
        # A call's whole start attributes, once per operation, model, stream flag and route, for
        # the calls that set no other request parameter (most calls).
        self._request_template: Callable[
            [str, str, bool, str | None, str | None, Any],
            tuple[Mapping[str, extract.AttributeValue], str],
        ] = functools.lru_cache(maxsize=1024)(self._request_template_of)
        # And those of what a result reports, once per endpoint and provider: ~1 us of every call's end.
        self._reported_route: Callable[[str | None, str | None], Mapping[str, extract.AttributeValue]] = (
            functools.lru_cache(maxsize=256)(self._attributes_of_report)
        )
        # A stream's cost from its token counts at per-model rates read from LiteLLM once (see
        # prices.py), when LiteLLM's functions for it are at hand.
        self._prices: PriceCache | None = None
        if cost_per_token is not None and usage_type is not None and model_info is not None and price_map:
            self._prices = PriceCache(cost_per_token, usage_type, model_info, price_map, self._provider)
        # Models LiteLLM's generic pricing could not price, with the price map it was asked with
        # (identity and size): asked again only when the map changes. An unpriced model cost
        # ~300 us of every call's end in LiteLLM's failing lookups otherwise (1.110.2).
        self._price_map = price_map
        self._unpriced: dict[str, tuple[int, int]] = {}

    @classmethod
    def of(cls, litellm: ModuleType) -> Lookups:
        """The lookups through the installed LiteLLM's public functions (all of 1.79 … 1.110)."""
        return cls(
            litellm.get_llm_provider,
            litellm.completion_cost,
            litellm.token_counter,
            litellm.cost_per_token,
            litellm.Usage,
            litellm.get_model_info,
            lambda: litellm.model_cost,  # read per call: LiteLLM may replace the map
        )

    def _provider(self, model: str) -> str | None:
        return self._route(model, None, None)[0]

    def _resolve(self, model: str, custom_llm_provider: str | None, api_base: str | None) -> _Route:
        try:
            _, provider, _, resolved_base = self._get_llm_provider(
                model=model, custom_llm_provider=custom_llm_provider, api_base=api_base
            )
        except Exception:  # unknown model or provider: LiteLLM will raise its own error
            return None, api_base
        provider = provider if isinstance(provider, str) and provider else None
        return provider, resolved_base if isinstance(resolved_base, str) else api_base

    def request_attributes(self, operation: str, params: Mapping[str, Any]) -> tuple[extract.Attributes, str]:
        """A call's start attributes, `extract.request_attributes` and the route's provider and
        server (`attributes`), in a dict of its own, with the span's name: copied from a template
        when the call sets none of `extract.OPTIONAL_PARAMS`, built in full otherwise."""
        model = params.get("model")
        if isinstance(model, str):
            max_tokens = params.get("max_tokens")
            if extract.OPTIONAL_PARAMS.isdisjoint(params):
                max_tokens = None
            elif type(max_tokens) is not int or not _OPTIONAL_BUT_MAX_TOKENS.isdisjoint(params):
                # A template serves `max_tokens` alone too (every Messages API call, many chat
                # calls), one per value: an application uses a few.
                max_tokens = _FULL_BUILD
            if max_tokens is not _FULL_BUILD:
                provider = params.get("custom_llm_provider")
                api_base = params.get("api_base") or params.get("base_url")
                template, name = self._request_template(
                    operation,
                    model,
                    params.get("stream") is True,
                    provider if isinstance(provider, str) else None,
                    api_base if isinstance(api_base, str) else None,
                    max_tokens,
                )
                return dict(template), name
        attributes = extract.request_attributes(operation, params)
        attributes.update(self.attributes(params))
        return attributes, _span_name(operation, attributes)

    def _request_template_of(
        self,
        operation: str,
        model: str,
        stream: bool,
        provider: str | None,
        api_base: str | None,
        max_tokens: int | None,
    ) -> tuple[Mapping[str, extract.AttributeValue], str]:
        params: dict[str, Any] = {"model": model, "stream": stream}
        if max_tokens is not None:
            params["max_tokens"] = max_tokens
        attributes = extract.request_attributes(operation, params)
        attributes.update(self._route_attributes(model, provider, api_base))
        return attributes, _span_name(operation, attributes)

    def attributes(self, params: Mapping[str, Any]) -> Mapping[str, extract.AttributeValue]:
        """`gen_ai.provider.name` and `server.*` for a call, before it is made. The same dict
        serves every call with the same model, provider and `api_base`: a `Mapping` to its
        readers, who copy from it (a plain dict, as `dict.update` merges one without a call per
        key, unlike a mappingproxy)."""
        model = params.get("model")
        provider = params.get("custom_llm_provider")
        api_base = params.get("api_base") or params.get("base_url")
        if not isinstance(model, str):
            return _NO_ATTRIBUTES
        provider = provider if isinstance(provider, str) else None
        api_base = api_base if isinstance(api_base, str) else None
        return self._route_attributes(model, provider, api_base)

    def _attributes_of_route(
        self, model: str, provider: str | None, api_base: str | None
    ) -> Mapping[str, extract.AttributeValue]:
        resolved_provider, resolved_base = self._route(model, provider, api_base)
        attributes = extract.server_attributes(resolved_base)
        if resolved_provider is not None:
            attributes[sc.GEN_AI_PROVIDER_NAME] = extract.provider_name(resolved_provider)
        return attributes

    def attributes_from_result(
        self, hidden: Mapping[str, Any], provider: bool, server: bool
    ) -> Mapping[str, extract.AttributeValue]:
        """Provider and server as LiteLLM reports them after the call, for what was unknown before
        (shared, as `attributes`' are: the same dict serves every result LiteLLM reports alike)."""
        api_base = hidden.get("api_base") if server else None
        name = hidden.get("custom_llm_provider") if provider else None
        # Anything but a string names neither: left out, as None is.
        return self._reported_route(
            api_base if isinstance(api_base, str) else None, name if isinstance(name, str) else None
        )

    def _attributes_of_report(
        self, api_base: str | None, name: str | None
    ) -> Mapping[str, extract.AttributeValue]:
        attributes = extract.server_attributes(api_base)
        if name:
            attributes[sc.GEN_AI_PROVIDER_NAME] = extract.provider_name(name)
        return attributes

    def cost(self, result: object, hidden: Mapping[str, Any]) -> float | None:
        """USD cost: LiteLLM's own figure from `_hidden_params`, else `completion_cost`.

        When LiteLLM put `response_cost: None` there it already tried and could not price the
        model; asking again would cost time and give the same answer, so the cost stays absent.
        """
        cost = hidden.get("response_cost", _NOT_PRICED)
        if cost is not _NOT_PRICED:
            # A finite float, LiteLLM's own figure on every priced call, is taken without a call.
            return cost if type(cost) is float and math.isfinite(cost) else readers.number(cost)
        if not hidden:
            return None  # not a LiteLLM result object: nothing completion_cost could price
        try:
            return readers.number(self._completion_cost(completion_response=result))
        except Exception:
            _logger.debug("litellm-otel: LiteLLM could not price this response", exc_info=True)
            return None

    def tokens_cost(self, model: object, tokens: extract.Attributes) -> float | None:
        """USD cost of the token counts on a span (`tokens`, its `gen_ai.usage.*` attributes),
        for a call whose result LiteLLM put no cost on: at the model's per-token rates read from
        LiteLLM (prices.py), else through LiteLLM's own pricing (`usage_cost`)."""
        prompt = tokens.get(sc.GEN_AI_USAGE_INPUT_TOKENS)
        if not isinstance(model, str) or type(prompt) is not int:
            return None
        if self._prices is not None:
            completion = tokens.get(sc.GEN_AI_USAGE_OUTPUT_TOKENS, 0)
            cache_read = tokens.get(sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, 0)
            cache_write = tokens.get(sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, 0)
            reasoning = tokens.get(sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, 0)
            if type(completion) is int and type(cache_read) is int and type(cache_write) is int:
                counts = reported_token_counts(
                    prompt, completion, cache_read, cache_write, reasoning if type(reasoning) is int else 0
                )
                try:
                    fast = None if counts is None else self._prices.cost(model, counts)
                except Exception:
                    fast = None
                if fast is not None:
                    return fast
        return self.usage_cost(model, None, tokens)

    def _known_unpriced(self, model: str) -> tuple[bool, tuple[int, int] | None]:
        """Whether LiteLLM failed to price `model` with the current price map, and the map's mark."""
        if self._price_map is None:
            return False, None
        prices = self._price_map()
        mark = (id(prices), len(prices))
        return self._unpriced.get(model) == mark, mark

    def usage_cost(
        self,
        model: object,
        usage: object,
        tokens: extract.Attributes,
        response: object = None,
        *,
        counted: bool = False,
    ) -> float | None:
        """USD cost of a streamed call, priced for the requested model: from the final response
        snapshot when the stream carried one (Responses API); else, for a plain text `usage`, at
        the model's per-token rates (prices.py); else from the token counts on the span
        (`tokens`, the `gen_ai.usage.*` attributes already extracted) through LiteLLM.

        The counts are passed to `cost_per_token` one by one, with a `Usage` built from them:
        LiteLLM 1.79 prices providers without a cost function of their own (Mistral, Groq,
        azure_ai, Cohere, OpenRouter) from `prompt_tokens`/`completion_tokens` alone and returns
        0.0 for a bare `usage_object`, and reads cache writes only from the `Usage` it builds
        itself (`cache_creation_input_tokens`), not from `prompt_tokens_details`.

        `counted`: the usage is a tokenizer's (`tokens` say so in `litellm.usage.estimated`): its
        text counts on the span are all there is to price, without reading the usage again.
        """
        if not isinstance(model, str):
            return None
        try:
            if response is not None:
                return readers.number(self._completion_cost(completion_response=response, model=model))
            prompt_tokens = tokens.get(sc.GEN_AI_USAGE_INPUT_TOKENS)
            if self._cost_per_token is None or self._usage_type is None or not isinstance(prompt_tokens, int):
                return None
            completion_tokens = tokens.get(sc.GEN_AI_USAGE_OUTPUT_TOKENS)
            completion_tokens = completion_tokens if isinstance(completion_tokens, int) else 0
            cache_read = tokens.get(sc.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS)
            cache_write = tokens.get(sc.GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS)
            reasoning = tokens.get(sc.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS)
            if self._prices is not None:
                # At the model's per-token rates (prices.py) when the counts are plain text ones:
                # LiteLLM's figure, without its generic path on every stream.
                if counted and not cache_read and not cache_write:
                    plain = counted_token_counts(
                        prompt_tokens, completion_tokens, reasoning if isinstance(reasoning, int) else 0
                    )
                else:
                    plain = plain_token_counts(usage)
                fast = None if plain is None else self._prices.cost(model, plain)
                if fast is not None:
                    return fast
            unpriced, mark = self._known_unpriced(model)
            if unpriced:
                return None
            counts: dict[str, Any] = {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "cache_read_input_tokens": cache_read if isinstance(cache_read, int) else 0,
                "cache_creation_input_tokens": cache_write if isinstance(cache_write, int) else 0,
            }
            usage = self._usage_type(
                total_tokens=prompt_tokens + completion_tokens,
                reasoning_tokens=reasoning if isinstance(reasoning, int) else None,
                prompt_tokens_details={"cached_tokens": counts["cache_read_input_tokens"]},
                **counts,
            )
            try:
                prompt_cost, completion_cost = self._cost_per_token(model=model, usage_object=usage, **counts)
            except Exception:
                if mark is not None:
                    if len(self._unpriced) >= 1024:
                        self._unpriced.clear()
                    self._unpriced[model] = mark
                raise
            return readers.number(prompt_cost + completion_cost)
        except Exception:
            _logger.debug("litellm-otel: LiteLLM could not price this stream", exc_info=True)
            return None

    def counted_usage(
        self, model: object, messages: object, completion_text: object
    ) -> dict[str, int] | None:
        """Token counts from LiteLLM's own tokenizer, for a stream whose provider reported none.

        OpenAI-compatible providers send usage on a stream only when asked with
        `stream_options.include_usage`; LiteLLM 1.106 then reports zeros rather than counting.
        """
        if self._token_counter is None or not isinstance(model, str) or not isinstance(messages, list):
            return None
        try:
            prompt_tokens = int(self._token_counter(model=model, messages=messages))
            completion_tokens = int(
                self._token_counter(
                    model=model,
                    text=completion_text if isinstance(completion_text, str) else "",
                    count_response_tokens=True,
                )
            )
        except Exception:
            _logger.debug("litellm-otel: LiteLLM could not count this stream's tokens", exc_info=True)
            return None
        return {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }
