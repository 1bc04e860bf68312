"""A stream's cost from its token counts, at LiteLLM's own per-token prices, without LiteLLM's
generic pricing path on every stream.

`litellm.cost_per_token` re-resolves the provider and the model's price entry and walks every
pricing rule LiteLLM knows (tiers, service tiers, regions, modalities) on each call: about 90 µs
of a stream's end on a 2-core VM (LiteLLM 1.110.2), the largest part of our fixed cost per
stream. For a text call below any token tier, a model's price is linear in four counts: text
prompt tokens, cache reads, cache writes and completion tokens. Its four rates are read once per
model from LiteLLM itself, with `cost_per_token` on one token of each kind, so the figure is
LiteLLM's own; they are read again whenever LiteLLM's price map or the model's entry changes
(`litellm.register_model`, a reloaded map). Everything else is priced by LiteLLM as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, NamedTuple

from litellm_otel.readers import count, fields

# Providers (as `get_llm_provider` names them) whose every priced chat model in LiteLLM's map
# was checked to price linearly in the four counts below its token tiers, reasoning tokens at the
# output rate unless the entry has a reasoning rate: on 1.79.0 and 1.110.2, each model, five usage
# shapes (tests/test_prices.py keeps checking a sample). Not xai: 1.79 prices its reasoning
# tokens on top of the completion tokens.
LINEAR_PROVIDERS: Final = frozenset(
    (
        "anthropic",
        "azure",
        "azure_ai",
        "bedrock",
        "cohere_chat",
        "deepseek",
        "fireworks_ai",
        "gemini",
        "groq",
        "mistral",
        "openai",
        "openrouter",
        "perplexity",
        "together_ai",
        "vertex_ai",
    )
)
# Price entry keys of pricing that is not linear in token counts, or depends on the time of day.
_NONLINEAR_KEYS: Final = ("threshold", "off_peak", "tiered", "per_character", "per_second")
# `input_cost_per_token_above_200k_tokens` and the like: a rate for calls above a token count.
_TOKEN_TIER: Final = re.compile(r"above_(\d+)k_tokens")
_NO_TIER: Final = 1 << 62
_MAX_MODELS: Final = 1024

# Usage fields a plain text call may carry with a value; any other field set (audio, images,
# web search, a TTL breakdown of cache writes) is priced by LiteLLM's own path. `cost` is
# LiteLLM's own figure, which some of its streams put in their usage (mock streams, 1.110.2).
_USAGE_FIELDS: Final = frozenset(
    (
        "cost",
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "prompt_tokens_details",
        "completion_tokens_details",
        "cache_read_input_tokens",
        "cache_creation_input_tokens",
    )
)
_PROMPT_DETAIL_FIELDS: Final = frozenset(
    ("cached_tokens", "cache_write_tokens", "cache_creation_tokens", "text_tokens")
)
_OUTPUT_DETAIL_FIELDS: Final = frozenset(("reasoning_tokens", "text_tokens"))


class TokenCounts(NamedTuple):
    """What a plain text call is priced from. `prompt` includes the cache reads and writes.
    (A named tuple: built at every stream's end, where a frozen dataclass costs a microsecond.)"""

    prompt: int
    completion: int  # includes the reasoning tokens
    cache_read: int = 0
    cache_write: int = 0
    reasoning: int = 0


def _only(read: object, allowed: frozenset[str]) -> bool:
    """Whether a mapping of usage fields has a value (not None, not 0) only in `allowed`."""
    if type(read) is dict or isinstance(read, Mapping):  # a dict, mostly: no ABC check then
        if read.keys() <= allowed:  # LiteLLM's `Usage` itself, mostly: no loop in Python then
            return True
        for key, value in read.items():  # a loop, not any(...): this runs at every stream's end
            # The key first: comparing a pydantic details object with 0 goes through its __eq__.
            if key not in allowed and value is not None and not (type(value) is int and value == 0):
                return False
    return True


def plain_token_counts(usage: object) -> TokenCounts | None:
    """The counts of a LiteLLM usage (object or dict), or None when it holds anything LiteLLM
    prices apart (audio, images, tool use, cache TTLs) or is inconsistent."""
    read = fields(usage)
    prompt, completion = count(read.get("prompt_tokens")), count(read.get("completion_tokens"))
    if prompt is None or completion is None or not _only(read, _USAGE_FIELDS):
        return None
    reasoning = 0
    output_details = fields(read.get("completion_tokens_details"))
    if output_details:  # absent on many providers' usage: nothing to read then
        if not _only(output_details, _OUTPUT_DETAIL_FIELDS):
            return None
        reasoning = count(output_details.get("reasoning_tokens")) or 0
        output_text = count(output_details.get("text_tokens"))
        if reasoning > completion or output_text not in (None, 0, completion, completion - reasoning):
            return None
    top_read, top_written = read.get("cache_read_input_tokens"), read.get("cache_creation_input_tokens")
    details = fields(read.get("prompt_tokens_details"))
    cache_read: int | None
    cache_write: int | None
    if not details:
        cache_read, cache_write, text = count(top_read) or 0, count(top_written) or 0, None
    else:
        if not _only(details, _PROMPT_DETAIL_FIELDS):
            return None
        written = details.get("cache_write_tokens") or details.get("cache_creation_tokens")
        # A cache-write count only in the details is read by LiteLLM 1.110 and ignored by 1.79's
        # `cost_per_token(usage_object=...)` (issue #14): left to LiteLLM's own path, as before.
        if written and not top_written:
            return None
        cache_read = _agreed(details.get("cached_tokens"), top_read)
        cache_write = _agreed(written, top_written)
        text = count(details.get("text_tokens"))
    if cache_read is None or cache_write is None or cache_read + cache_write > prompt:
        return None
    if text is not None and text not in (0, prompt - cache_read - cache_write):
        return None
    return _counts(prompt, completion, cache_read, cache_write, reasoning)


def reported_token_counts(
    prompt: int, completion: int, cache_read: int, cache_write: int, reasoning: int
) -> TokenCounts | None:
    """The counts a span reports (`prompt` includes the cache reads and writes, `completion` the
    reasoning), or None when they do not add up."""
    if not (cache_read >= 0 and cache_write >= 0 and cache_read + cache_write <= prompt):
        return None
    if not 0 <= reasoning <= completion:
        return None
    return _counts(prompt, completion, cache_read, cache_write, reasoning)


def counted_token_counts(prompt: int, completion: int, reasoning: int = 0) -> TokenCounts | None:
    """The counts of a usage made by a tokenizer (LiteLLM's, or ours with it): text tokens and
    nothing else, so no field of it needs checking; None when they do not add up."""
    if prompt < 0 or not 0 <= reasoning <= completion:
        return None
    return _counts(prompt, completion, 0, 0, reasoning)


def _counts(prompt: int, completion: int, cache_read: int, cache_write: int, reasoning: int) -> TokenCounts:
    # The tuple built directly: a named tuple's own constructor is a Python function, ~3,000
    # instructions of every stream's end (callgrind, LiteLLM 1.79.0).
    return tuple.__new__(TokenCounts, (prompt, completion, cache_read, cache_write, reasoning))


def _agreed(first: object, second: object) -> int | None:
    """The one count two fields give (either may be absent or 0), or None when they differ."""
    a, b = count(first) or 0, count(second) or 0
    if a and b and a != b:
        return None
    return a or b


@dataclass(frozen=True, slots=True)
class _Rates:
    """A model's four per-token rates as LiteLLM prices them, and what they were read from."""

    prices: Mapping[str, Any] = field(repr=False)  # LiteLLM's price map then (identity)
    size: int  # its number of entries then: a registered model can change which entry applies
    key: str | None  # the model's entry: its key, the entry (identity) and a copy of it
    entry: Mapping[str, Any] | None = field(repr=False)
    snapshot: Mapping[str, Any] | None = field(repr=False)
    linear: bool  # False: this model is priced by LiteLLM's own path
    reasoning_rate: bool = False  # the entry prices reasoning tokens apart: LiteLLM's path then
    text: float = 0.0
    cache_read: float = 0.0
    cache_write: float = 0.0
    output: float = 0.0
    limit: int = _NO_TIER  # prompt + completion tokens from which a token tier may apply

    def current(self, prices: Mapping[str, Any]) -> bool:
        if prices is not self.prices or len(prices) != self.size:
            return False
        if self.key is None:
            return True
        entry = prices.get(self.key)
        return entry is self.entry and entry == self.snapshot


class PriceCache:
    """Per-token rates per model, read from LiteLLM and dropped when its prices change."""

    def __init__(
        self,
        cost_per_token: Callable[..., Any],
        usage_type: Callable[..., Any],
        model_info: Callable[..., Any],
        price_map: Callable[[], Mapping[str, Any]],
        provider: Callable[[str], str | None],
    ) -> None:
        self._cost_per_token = cost_per_token
        self._usage_type = usage_type
        self._model_info = model_info
        self._price_map = price_map
        self._provider = provider
        self._rates: dict[str, _Rates] = {}

    def cost(self, model: str, counts: TokenCounts) -> float | None:
        """LiteLLM's price for these counts, or None when the model is not priced linearly
        (LiteLLM's own path then prices it). Raises what LiteLLM raised while reading rates."""
        prices = self._price_map()
        rates = self._rates.get(model)
        if rates is None or not rates.current(prices):
            rates = self._read(model, prices)
        if not rates.linear or counts.prompt + counts.completion >= rates.limit:
            return None
        if counts.reasoning and rates.reasoning_rate:
            return None
        text = counts.prompt - counts.cache_read - counts.cache_write
        # The order of LiteLLM's own sum (generic_cost_per_token): prompt side, then completion.
        prompt_cost = text * rates.text + counts.cache_read * rates.cache_read
        prompt_cost += counts.cache_write * rates.cache_write
        return prompt_cost + counts.completion * rates.output

    def _read(self, model: str, prices: Mapping[str, Any]) -> _Rates:
        if len(self._rates) >= _MAX_MODELS:
            self._rates.clear()
        rates = self._probe(model, prices)
        self._rates[model] = rates
        return rates

    def _probe(self, model: str, prices: Mapping[str, Any]) -> _Rates:
        unpriced = _Rates(prices, len(prices), None, None, None, linear=False)
        try:
            if self._provider(model) not in LINEAR_PROVIDERS:
                return unpriced
            key = self._model_info(model=model).get("key")
        except Exception:  # a model LiteLLM cannot route or has no price for
            return unpriced
        entry = prices.get(key) if isinstance(key, str) else None
        if not isinstance(entry, Mapping):
            return unpriced
        # What the entry prices: after `register_model`, LiteLLM 1.110 keeps every price field
        # of its ModelInfo in the entry, None when unset.
        priced = [name for name, value in entry.items() if value is not None]
        if any(marker in name for name in priced for marker in _NONLINEAR_KEYS):
            return unpriced
        tiers = [int(found.group(1)) * 1000 for name in priced if (found := _TOKEN_TIER.search(name))]
        snapshot = dict(entry)
        unpriced = _Rates(prices, len(prices), key, entry, snapshot, linear=False)
        try:
            rates = (
                self._one(model, prompt_tokens=1),
                self._one(model, prompt_tokens=1, cache_read_input_tokens=1),
                self._one(model, prompt_tokens=1, cache_creation_input_tokens=1),
                self._one(model, completion_tokens=1),
            )
        except Exception:
            return unpriced
        if any(rate is None for rate in rates):
            return unpriced
        text, cache_read, cache_write, output = (float(rate) for rate in rates if rate is not None)
        return _Rates(
            prices,
            len(prices),
            key,
            entry,
            snapshot,
            linear=True,
            reasoning_rate=any("reasoning" in name and "cost" in name for name in priced),
            text=text,
            cache_read=cache_read,
            cache_write=cache_write,
            output=output,
            limit=min(tiers, default=_NO_TIER),
        )

    def _one(self, model: str, **tokens: int) -> float | None:
        """LiteLLM's price of one token of a kind, asked as the stream path asks it: the counts
        one by one and in a `Usage` (LiteLLM 1.79 prices a bare `usage_object` at 0.0 for
        providers without a cost function of their own, see `Lookups.usage_cost`)."""
        prompt, completion = tokens.setdefault("prompt_tokens", 0), tokens.setdefault("completion_tokens", 0)
        usage = self._usage_type(total_tokens=prompt + completion, **tokens)
        prompt_cost, completion_cost = self._cost_per_token(model=model, usage_object=usage, **tokens)
        total = prompt_cost + completion_cost
        return float(total) if isinstance(total, (int, float)) else None
