"""Configuration read once at `instrument()`: the content capture mode and its size bound, the
backend vocabularies and the semantic-conventions opt-in."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from litellm_otel import semconv as sc
from litellm_otel.vocabularies import KNOWN, Vocabularies

_logger: Final = logging.getLogger(__name__)

CAPTURE_CONTENT_ENV: Final = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
DEFAULT_CONTENT_MAX_LENGTH: Final = 16_384  # characters of content per attribute or event field

_MODES: Final = {
    "no_content": (False, False),
    "false": (False, False),
    "span_only": (True, False),
    "event_only": (False, True),
    "span_and_event": (True, True),
    "true": (True, True),
}

_warned: set[str] = set()


@dataclass(frozen=True, slots=True)
class ContentCapture:
    """Where prompt and completion content goes when a user opted in, and how much of it."""

    on_span: bool
    on_event: bool
    max_length: int = DEFAULT_CONTENT_MAX_LENGTH


def content_capture(
    override: str | bool | None = None, max_length: int | None = None
) -> ContentCapture | None:
    """The capture setting: the `instrument()` keyword if given, else the standard variable.

    None (the default) means no content: nothing is walked or encoded. An unknown value warns
    once and captures nothing.
    """
    value: str | bool | None = override if override is not None else os.environ.get(CAPTURE_CONTENT_ENV)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        on_span, on_event = (value, value)
    else:
        mode = _MODES.get(value.strip().lower())
        if mode is None:
            if value not in _warned:
                _warned.add(value)
                _logger.warning(
                    "%s=%r is not one of NO_CONTENT, SPAN_ONLY, EVENT_ONLY, SPAN_AND_EVENT, true, false; "
                    "no content will be captured.",
                    CAPTURE_CONTENT_ENV,
                    value,
                )
            return None
        on_span, on_event = mode
    if not (on_span or on_event):
        return None
    bound = max_length if isinstance(max_length, int) and max_length > 0 else DEFAULT_CONTENT_MAX_LENGTH
    return ContentCapture(on_span=on_span, on_event=on_event, max_length=bound)


def backend_vocabularies(override: str | Iterable[str] | None = None) -> Vocabularies | None:
    """The backend vocabularies: the `instrument()` keyword if given (names, or one
    comma-separated string), else OTEL_INSTRUMENTATION_LITELLM_VOCABULARIES.

    None (the default) means none: CLIENT and router spans get no extra keys and no extra work.
    Names are case-insensitive; an unknown one warns once and is ignored.
    """
    value = override if override is not None else os.environ.get(sc.VOCABULARIES_ENV)
    if not value:
        return None
    names = value.split(",") if isinstance(value, str) else [str(name) for name in value]
    chosen: list[str] = []
    for raw in names:
        name = raw.strip().lower()
        if not name:
            continue
        if name in KNOWN:
            chosen.append(name)
        elif name not in _warned:
            _warned.add(name)
            _logger.warning(
                "litellm-otel: %r is not a known vocabulary (%s); ignored.", raw.strip(), ", ".join(KNOWN)
            )
    return Vocabularies.of(chosen)


def latest_experimental() -> bool:
    """Whether OTEL_SEMCONV_STABILITY_OPT_IN (comma-separated categories) asks for the latest
    experimental GenAI conventions, which are then emitted instead of the released names."""
    value = os.environ.get(sc.SEMCONV_STABILITY_OPT_IN_ENV, "")
    return sc.GEN_AI_LATEST_EXPERIMENTAL in (part.strip().lower() for part in value.split(","))


_TRUE: Final = frozenset(("true", "1", "yes", "on"))
_FALSE: Final = frozenset(("false", "0", "no", "off"))


def deduplicate_framework_usage(override: object = None) -> bool:
    """Whether frameworks' own spans around a LiteLLM call leave its usage to ours: the
    `instrument()` keyword if given (a bool), else the variable; on unless it says false. An
    unknown value warns once and leaves it on."""
    if isinstance(override, bool):
        return override
    value = os.environ.get(sc.DEDUPLICATE_FRAMEWORK_USAGE_ENV, "").strip().lower()
    if not value or value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value not in _warned:
        _warned.add(value)
        _logger.warning(
            "litellm-otel: %s=%r is neither true nor false; left on.",
            sc.DEDUPLICATE_FRAMEWORK_USAGE_ENV,
            value,
        )
    return True
