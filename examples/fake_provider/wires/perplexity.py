"""Perplexity's Sonar chat API (``POST /chat/completions``), here serving sonar-pro.

Read from docs.perplexity.ai (chat completions reference, pricing) and LiteLLM's
`llms/perplexity/chat` (1.79, 1.110.2): the reply adds `citations` (URLs) and `search_results`
at the top level; usage adds `search_context_size`, `citation_tokens`, `num_search_queries` and
Perplexity's own charge in `usage.cost` (token costs plus the per-request search fee, total in
`total_cost`). No cache or reasoning counts for sonar-pro. A stream repeats the citations and
search results on every chunk and carries usage on its last chunk, asked or not.

Also Perplexity's Search API (``POST /search``, docs.perplexity.ai's search reference, 2026): a
``query`` in (with ``max_results``, 10 by default, at most 20); out, ``results`` (``title``,
``url``, ``snippet``, ``date``, ``last_updated``), the request's ``id`` and ``server_time``. No
usage: Perplexity bills a flat fee per request. Here the web holds ``SEARCH_RESULTS`` pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from fake_provider.wire import JSONObject

from . import openai_chat
from .truth import Truth, Wire

if TYPE_CHECKING:
    from fake_provider.base import Endpoint
    from fake_provider.scenarios import _Scenario

_ID = "d2b7c9e4-3a1f-4b6d-8e5c-7f0a9b8c6d4e"
_MODEL = "sonar-pro"
_CITATIONS: list[object] = ["https://example.invalid/source-1", "https://example.invalid/source-2"]
_SEARCH_RESULTS: list[object] = [
    {"title": f"Source {n}", "url": url, "date": "2026-11-30", "last_updated": "2026-11-30", "snippet": ""}
    for n, url in enumerate(_CITATIONS, 1)
]
_TOTAL_COST = 0.012747  # 1094 input at $3/M + 231 output at $15/M + the low-context request fee
_USAGE: JSONObject = {
    "prompt_tokens": 1094,
    "completion_tokens": 231,
    "total_tokens": 1325,
    "search_context_size": "low",
    "citation_tokens": 0,
    "num_search_queries": 2,
    "cost": {
        "input_tokens_cost": 0.003282,
        "output_tokens_cost": 0.003465,
        "request_cost": 0.006,
        "total_cost": _TOTAL_COST,
    },
}
TRUTH = Truth(input_tokens=1094, output_tokens=231, response_id=_ID, response_model=_MODEL, cost=_TOTAL_COST)


def _reply(created: int) -> JSONObject:
    return openai_chat.completion(
        _ID, _MODEL, created, _USAGE, citations=_CITATIONS, search_results=_SEARCH_RESULTS
    )


def _chunks(created: int, sc: _Scenario) -> list[JSONObject]:
    return [
        openai_chat.chunk(
            _ID,
            _MODEL,
            created,
            [choice],
            citations=_CITATIONS,
            search_results=_SEARCH_RESULTS,
            **({"usage": _USAGE} if choice["finish_reason"] else {}),
        )
        for choice in openai_chat.deltas()
    ]


SEARCH_ID: Final = "5b1f3c2a-8e4d-4f6a-9c7b-2d0e1a3f5b6c"
SEARCH_RESULTS: Final[tuple[JSONObject, ...]] = tuple(
    {
        "title": f"Search result {n}",
        "url": f"https://example.invalid/search-result-{n}",
        "snippet": f"Page {n} of the fake web, which every query finds.",
        "date": "2026-01-1" + str(n),
        "last_updated": "2026-02-0" + str(n),
    }
    for n in range(1, 5)
)
_DEFAULT_MAX_RESULTS: Final = 10
_chat = openai_chat.serve("/chat/completions", _reply, _chunks)


def _serve(endpoint: Endpoint, path: str, body: JSONObject, sc: _Scenario) -> None:
    if path != "/search":
        _chat(endpoint, path, body, sc)
        return
    raw_max = body.get("max_results")
    max_results = raw_max if isinstance(raw_max, int) and raw_max > 0 else _DEFAULT_MAX_RESULTS
    endpoint._send_json(
        200,
        {"results": [dict(r) for r in SEARCH_RESULTS[:max_results]], "id": SEARCH_ID, "server_time": None},
    )


WIRE = Wire(
    name="perplexity",
    serve=_serve,
    truth=TRUTH,
    stream_truth=TRUTH,
    streams_usage_unasked=True,
)
