"""OpenAI's Decisions API: ``POST /v1/decisions``, typed questions about one input, answered with
probabilities rather than text.

Read from the OpenAI SDK's ``decisions.create`` and ``Decision`` type (openai 3.63) and LiteLLM's
`llms/openai/decisions` (1.106, 1.110.2), which also serves `litellm.systemone` for ``openai/``
models through it: a body of ``model``, ``input`` (a string or user messages), ``questions``
(``predicate``, ``choice``, ``score``) and ``safety_identifier``; a reply of the ``model``,
``answers`` in question order, each echoing its question's ``name`` (a question of a type the API
does not answer, such as LiteLLM's ``box``, is refused), and ``usage`` as the Responses API counts
it, plus ``input_tokens_details.cache_write_tokens``.
"""

from __future__ import annotations

from .base import Endpoint
from .scenarios import _Scenario
from .wire import (
    DECISION_PROBABILITY,
    DECISION_TOP_PROBABILITY,
    DECISIONS_CACHE_WRITE_TOKENS,
    DECISIONS_CACHED_TOKENS,
    DECISIONS_INPUT_TOKENS,
    DECISIONS_OUTPUT_TOKENS,
    JSONObject,
)


def _spread(count: int) -> list[float]:
    """Probabilities for ``count`` options: the first ``DECISION_TOP_PROBABILITY``, the others
    sharing the rest evenly."""
    if count == 1:
        return [1.0]
    rest = round((1 - DECISION_TOP_PROBABILITY) / (count - 1), 6)
    return [DECISION_TOP_PROBABILITY] + [rest] * (count - 1)


def _options(question: JSONObject, key: str) -> list[JSONObject]:
    options = question.get(key)
    return [option for option in options if isinstance(option, dict)] if isinstance(options, list) else []


def _answer(question: object) -> JSONObject:
    if not isinstance(question, dict):
        return {"type": "refusal", "name": None}
    name = question.get("name")
    kind = question.get("type")
    if kind == "predicate":
        return {"type": "predicate", "name": name, "probability": DECISION_PROBABILITY}
    if kind == "choice" and (choices := _options(question, "choices")):
        return {
            "type": "choice",
            "name": name,
            "choice": choices[0].get("value"),
            "confidence": DECISION_TOP_PROBABILITY,
            "probabilities": [
                {"value": option.get("value"), "probability": probability}
                for option, probability in zip(choices, _spread(len(choices)), strict=True)
            ],
        }
    if kind == "score" and (levels := _options(question, "levels")):
        probabilities = _spread(len(levels))
        return {
            "type": "score",
            "name": name,
            "score": round(sum(value * p for value, p in enumerate(probabilities)), 6),
            "confidence": DECISION_TOP_PROBABILITY,
            "probabilities": [
                {"value": value, "label": level.get("label"), "probability": probability}
                for value, (level, probability) in enumerate(zip(levels, probabilities, strict=True))
            ],
        }
    return {"type": "refusal", "name": name}


class DecisionRoutes(Endpoint):
    # -- /v1/decisions
    def _decisions(self, body: JSONObject, sc: _Scenario) -> None:
        self._provider._next_id()
        questions = body.get("questions")
        input_tokens = sc.token_override if sc.token_override is not None else DECISIONS_INPUT_TOKENS
        self._send_json(
            200,
            {
                "model": sc.response_model,
                "answers": [_answer(q) for q in questions] if isinstance(questions, list) else [],
                "usage": {
                    "input_tokens": input_tokens,
                    "input_tokens_details": {
                        "cached_tokens": DECISIONS_CACHED_TOKENS,
                        "cache_write_tokens": DECISIONS_CACHE_WRITE_TOKENS,
                    },
                    "output_tokens": DECISIONS_OUTPUT_TOKENS,
                    "output_tokens_details": {"reasoning_tokens": 0},
                    "total_tokens": input_tokens + DECISIONS_OUTPUT_TOKENS,
                },
            },
        )
