"""AWS's binary event-stream framing (``application/vnd.amazon.eventstream``), as Bedrock's
ConverseStream and InvokeModelWithResponseStream answer.

Read from the AWS SDKs' event-stream encoding reference: a message is a 12-byte prelude (total
length, headers length, both big-endian uint32, then the CRC32 of those 8 bytes), the headers
(name length uint8, name, value type uint8 — 7 is a string —, value length uint16, value), the
payload, and the CRC32 of everything before it. botocore's ``EventStreamBuffer`` (which LiteLLM
decodes Bedrock streams with) checks both checksums.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Final

from fake_provider.wire import JSONObject

CONTENT_TYPE: Final = "application/vnd.amazon.eventstream"
_STRING: Final = 7  # the header value type of a UTF-8 string


def _header(name: str, value: str) -> bytes:
    raw_name, raw_value = name.encode(), value.encode()
    value_prefix = struct.pack("!BH", _STRING, len(raw_value))
    return struct.pack("!B", len(raw_name)) + raw_name + value_prefix + raw_value


def message(headers: dict[str, str], payload: bytes) -> bytes:
    """One event-stream message, checksummed."""
    raw_headers = b"".join(_header(name, value) for name, value in headers.items())
    prelude = struct.pack("!II", 12 + len(raw_headers) + len(payload) + 4, len(raw_headers))
    prelude += struct.pack("!I", zlib.crc32(prelude))
    body = prelude + raw_headers + payload
    return body + struct.pack("!I", zlib.crc32(body))


def event(event_type: str, payload: JSONObject) -> bytes:
    """A Bedrock event (``:message-type: event``) carrying a JSON payload."""
    return message(
        {":event-type": event_type, ":content-type": "application/json", ":message-type": "event"},
        json.dumps(payload, separators=(",", ":")).encode(),
    )
