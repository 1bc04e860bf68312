"""Configuration read once at `instrument()`: the content capture mode and its size bound."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Final

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
