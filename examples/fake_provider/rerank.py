"""Rerank: Cohere's v1 and v2 and the vLLM/Jina-compatible shape."""

from __future__ import annotations

import json

from .base import Endpoint
from .scenarios import _Scenario
from .wire import (
    RERANK_INPUT_TOKENS,
    JSONObject,
)


class RerankRoutes(Endpoint):
    # -- /v1/rerank (Cohere v1/v2 and vLLM/Jina compatible)
    def _rerank(self, body: JSONObject, sc: _Scenario) -> None:
        rerank_id = f"rerank-fake-{self._provider._next_id()}"
        documents = body.get("documents")
        docs: list[object] = documents if isinstance(documents, list) else []
        top_n = body.get("top_n")
        limit = top_n if isinstance(top_n, int) and top_n > 0 else len(docs)
        with_docs = body.get("return_documents") is not False
        results: list[object] = []
        for i, doc in enumerate(docs[:limit]):
            result: JSONObject = {"index": i, "relevance_score": round(max(0.95 - 0.1 * i, 0.01), 4)}
            if with_docs:
                text = doc.get("text") if isinstance(doc, dict) else doc
                result["document"] = {"text": text if isinstance(text, str) else json.dumps(doc)}
            results.append(result)
        self._send_json(
            200,
            {
                "id": rerank_id,
                "model": sc.response_model,
                "results": results,
                "meta": {
                    "api_version": {"version": "1"},
                    "billed_units": {"search_units": 1},
                    "tokens": {"input_tokens": RERANK_INPUT_TOKENS, "output_tokens": 0},
                },
                "usage": {"total_tokens": RERANK_INPUT_TOKENS},
            },
        )
