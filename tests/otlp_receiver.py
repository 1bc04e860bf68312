"""A real OTLP/HTTP trace receiver on 127.0.0.1 for end-to-end tests.

It accepts what an OTLP/HTTP exporter sends to ``POST /v1/traces`` (binary protobuf, optionally
gzip- or deflate-compressed), decodes it with ``opentelemetry-proto`` into
``ExportTraceServiceRequest`` messages and answers with an empty ``ExportTraceServiceResponse``,
as a collector would. Stdlib HTTP server, ephemeral port (or ``port=``), one thread.

``stop()`` closes the listening socket and every open connection, as a collector that goes
down does (exporters see refused connections until ``start()`` serves the same port again);
what was received is kept across restarts.

Usage::

    with OTLPReceiver() as receiver:
        exporter = OTLPSpanExporter(endpoint=receiver.traces_url)
        ...  # or OTEL_EXPORTER_OTLP_ENDPOINT=receiver.endpoint in a child process
        spans = receiver.wait_for_spans(2)
        assert value(attribute_values(spans[0].span)["gen_ai.usage.input_tokens"]) == 1234
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Final

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, InstrumentationScope, KeyValue
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import Span

__all__ = ["OTLPReceiver", "ReceivedSpan", "attribute_values", "value"]

TRACES_PATH: Final = "/v1/traces"
PROTOBUF: Final = "application/x-protobuf"


@dataclass(frozen=True)
class ReceivedSpan:
    """One decoded span with the resource and instrumentation scope it was exported under."""

    resource: Resource
    scope: InstrumentationScope
    scope_schema_url: str
    span: Span


def value(any_value: AnyValue) -> object:
    """The Python value of an OTLP ``AnyValue`` (arrays as lists, kvlists as dicts)."""
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    if kind == "array_value":
        return [value(item) for item in any_value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: value(kv.value) for kv in any_value.kvlist_value.values}
    result: object = getattr(any_value, kind)
    return result


def attribute_values(holder: Span | Resource | Span.Event) -> dict[str, AnyValue]:
    """Attribute name -> the raw ``AnyValue`` (check ``WhichOneof("value")`` for the wire type)."""
    pairs: list[KeyValue] = list(holder.attributes)
    return {kv.key: kv.value for kv in pairs}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a restart binds the same port while old connections linger

    def __init__(self, receiver: OTLPReceiver, port: int) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.receiver = receiver

    def handle_error(self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any) -> None:
        # stop() closing a connection under its handler is the outage, not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.receiver._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.receiver._track(self.connection, add=False)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep pytest output clean

    def do_POST(self) -> None:
        body = self._read_body()
        if self.path != TRACES_PATH:
            self._reply(404, b"")
            return
        if self.headers.get_content_type() != PROTOBUF:
            self._reply(415, b"")
            return
        encoding = (self.headers.get("Content-Encoding") or "").strip().lower()
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        request = ExportTraceServiceRequest()
        try:
            request.ParseFromString(body)
        except Exception:  # a malformed payload is the client's error, as for a collector
            self._reply(400, b"")
            return
        self.server.receiver._record(request)
        self._reply(200, ExportTraceServiceResponse().SerializeToString())

    def _read_body(self) -> bytes:
        if "chunked" not in (self.headers.get("Transfer-Encoding") or "").lower():
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        chunks: list[bytes] = []
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            chunks.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after each chunk
        while self.rfile.readline().strip():  # trailers, up to the blank line
            pass
        return b"".join(chunks)

    def _reply(self, status: int, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", PROTOBUF)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class OTLPReceiver:
    """Collects every ``ExportTraceServiceRequest`` POSTed to ``/v1/traces``.

    Binds ``port`` on 127.0.0.1 at construction (0: any free port, kept across restarts).
    """

    def __init__(self, port: int = 0) -> None:
        self._condition = threading.Condition()
        self._requests: list[ExportTraceServiceRequest] = []
        self._connections: set[socket.socket] = set()
        self._server: _Server | None = _Server(self, port)
        self._port: int = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        """Base URL, as for ``OTEL_EXPORTER_OTLP_ENDPOINT`` (exporters append ``/v1/traces``)."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def traces_url(self) -> str:
        """Full traces URL, as for ``OTLPSpanExporter(endpoint=...)``."""
        return self.endpoint + TRACES_PATH

    @property
    def requests(self) -> list[ExportTraceServiceRequest]:
        with self._condition:
            return list(self._requests)

    def spans(self) -> list[ReceivedSpan]:
        """Every span received so far, in arrival order."""
        return [
            ReceivedSpan(
                resource=resource_spans.resource,
                scope=scope_spans.scope,
                scope_schema_url=scope_spans.schema_url,
                span=span,
            )
            for request in self.requests
            for resource_spans in request.resource_spans
            for scope_spans in resource_spans.scope_spans
            for span in scope_spans.spans
        ]

    def wait_for_spans(self, count: int, timeout: float = 10.0) -> list[ReceivedSpan]:
        """All spans once at least ``count`` have arrived; raises ``TimeoutError`` otherwise."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while len(self.spans()) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError(f"expected {count} spans, received {len(self.spans())}")
                self._condition.wait(remaining)
        return self.spans()

    def clear(self) -> None:
        with self._condition:
            self._requests.clear()

    def _record(self, request: ExportTraceServiceRequest) -> None:
        with self._condition:
            self._requests.append(request)
            self._condition.notify_all()

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        with self._condition:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def start(self) -> OTLPReceiver:
        """Serve (again, on the same port after ``stop()``); a no-op while serving."""
        if self._thread is not None:
            return self
        if self._server is None:
            self._server = _Server(self, self._port)
        self._thread = threading.Thread(target=self._server.serve_forever, name="otlp-receiver", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting and close every open connection; a no-op when stopped."""
        server, thread = self._server, self._thread
        if server is None:
            return
        if thread is not None:
            server.shutdown()
        server.server_close()
        with self._condition:
            connections = list(self._connections)
        for connection in connections:  # keep-alive connections would otherwise still be served
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> OTLPReceiver:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
