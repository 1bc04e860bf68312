"""The HTTP plumbing every route shares: reading and recording a request, sending JSON, errors
and event streams."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Protocol, cast

from .multipart import parse_form
from .scenarios import _ERROR_KINDS
from .wire import JSONObject

if TYPE_CHECKING:
    from .server import FakeProvider


@dataclass(frozen=True)
class RecordedRequest:
    """One request the fake provider received. ``headers`` keys are lower-cased."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, object]


class _StreamAborted(Exception):
    """Raised inside a stream writer to stop after a simulated mid-stream failure."""


class _HasProvider(Protocol):
    provider: FakeProvider


class Endpoint(BaseHTTPRequestHandler):
    """A request handler's shared plumbing; the routes are mixed in by API."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeProvider/1.0"

    @property
    def _provider(self) -> FakeProvider:
        return cast(_HasProvider, self.server).provider

    # -- request plumbing
    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size_line = self.rfile.readline()
                size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _parse_body(self, raw: bytes) -> JSONObject:
        """A JSON object body, or a ``multipart/form-data`` body's fields (see ``parse_form``)."""
        content_type = self.headers.get("Content-Type", "")
        if content_type.lower().startswith("multipart/form-data"):
            return parse_form(raw, content_type)
        try:
            parsed: object = json.loads(raw) if raw else None
        except ValueError:
            return {}
        return cast(JSONObject, parsed) if isinstance(parsed, dict) else {}

    def _record(self, body: JSONObject) -> dict[str, str]:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self._provider._record(RecordedRequest(self.command, self.path, headers, body))
        return headers

    # -- response plumbing
    def _send_json(self, status: int, payload: JSONObject, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_bytes(self, data: bytes, content_type: str) -> None:
        """A 200 whose body is ``data`` as is: audio, a video, a plain-text transcript."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _send_error(self, status: int, message: str, *, anthropic: bool, retryable: bool = False) -> None:
        openai_type, code, anthropic_type = _ERROR_KINDS.get(
            status, ("not_found_error", "not_found", "not_found_error")
        )
        payload: JSONObject
        if anthropic:
            payload = {"type": "error", "error": {"type": anthropic_type, "message": message}}
        else:
            payload = {"error": {"message": message, "type": openai_type, "param": None, "code": code}}
        # Not retryable unless asked: one call, one recorded request, no back-off sleeps.
        headers = {} if retryable else {"x-should-retry": "false"}
        if status == 429:
            headers["retry-after"] = "0"
        self._send_json(status, payload, headers)

    def _stream(
        self, events: Iterable[bytes | None], content_type: str = "text/event-stream; charset=utf-8"
    ) -> None:
        """Send ``events`` as a chunked body (an event stream unless ``content_type`` says
        otherwise: AWS event-stream frames, NDJSON); ``None`` aborts the connection."""
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for event in events:
            if event is None:
                # Leave the chunked body unterminated and close: the client sees a truncated stream.
                self.wfile.flush()
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(f"{len(event):X}\r\n".encode() + event + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()
