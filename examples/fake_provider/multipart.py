"""Reading a ``multipart/form-data`` body (audio transcriptions, image edits and variations, video
references): its text fields, and what each uploaded file was, so a form request drives the
scenarios and is recorded like a JSON one."""

from __future__ import annotations

from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import HTTP

from .wire import JSONObject


def _boundary(content_type: str) -> bytes | None:
    header = EmailMessage()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    return boundary.encode() if isinstance(boundary, str) and boundary else None


def _add(form: JSONObject, name: str, value: object) -> None:
    """A repeated name (``image[]``, ``timestamp_granularities[]``) collects its values in a list."""
    if name not in form:
        form[name] = value
        return
    previous = form[name]
    if isinstance(previous, list):
        previous.append(value)
    else:
        form[name] = [previous, value]


def parse_form(body: bytes, content_type: str) -> JSONObject:
    """The form's fields by name: a text field as its string, a file as ``{"filename",
    "content_type", "size"}`` (its bytes are not kept). ``{}`` for a body without a boundary."""
    boundary = _boundary(content_type)
    if boundary is None:
        return {}
    form: JSONObject = {}
    for part in body.split(b"--" + boundary)[1:]:
        if part.startswith(b"--"):  # the closing delimiter
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers = BytesHeaderParser(policy=HTTP).parsebytes(head + b"\r\n\r\n")
        name = headers.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = headers.get_filename()
        if filename is None:
            _add(form, name, content.decode("utf-8", errors="replace"))
        else:
            _add(
                form,
                name,
                {
                    "filename": filename,
                    "content_type": headers.get_content_type(),
                    "size": len(content),
                },
            )
    return form
