"""LiteLLM's own assembly of a finished stream, kept as it is made, for the stream's span.

At the end of every stream (1.79 … 1.110.2) LiteLLM's stream wrapper hands the chunks it kept
to `litellm.stream_chunk_builder(chunks=self.chunks, ...)`, on the thread iterating the stream,
right before it ends the iteration; when no chunk carried usage, the builder counts the prompt
and the completion with LiteLLM's tokenizer. 1.79.0 passes that usage only to LiteLLM's
logging, and a span counting the same tokens again paid the tokenizer twice per stream (~30 µs
on 1.79). So the wrapper of the builder keeps the latest usage it built on each thread, with
the identity of the chunk list it was built from, and the span of the stream ending next on
that thread takes it back when the list is its own. From 1.90 there is nothing to take: 1.90.7,
1.109.3 and 1.110.2 hand the usage back in the last chunk's hidden params (without
`include_usage`), where `shapes.stream_usage` finds it, and 1.106.12 and 1.108.14 assemble
OpenAI-compatible streams without a prompt count. So the builder is wrapped only before 1.90
(`targets`).

Only the list's identity and length are kept, never the list: nothing of a stream outlives it.
"""

from __future__ import annotations

import threading
from typing import Any

from litellm_otel.readers import count, field

_latest = threading.local()


def keep(chunks: object, built: object) -> None:
    """Remember the usage LiteLLM built from `chunks` on this thread (it replaces any other)."""
    usage = field(built, "usage")
    if type(chunks) is list and count(field(usage, "prompt_tokens")):
        _latest.built = (id(chunks), len(chunks), usage)
    else:
        _latest.built = None


def take(stream: object) -> Any:
    """The usage LiteLLM built from this very stream's chunk list on this thread, once; else
    None."""
    built = getattr(_latest, "built", None)
    if built is None:
        return None
    _latest.built = None
    key, size, usage = built
    chunks = getattr(stream, "chunks", None)
    if type(chunks) is list and key == id(chunks) and size == len(chunks):
        return usage
    return None
