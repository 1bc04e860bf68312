"""MCP tool calls through LiteLLM's MCP client (`litellm.experimental_mcp_client.call_openai_tool`,
`call_mcp_tool`; `litellm.mcp_client` from 1.110) and through the proxy's MCP gateway
(`execute_mcp_tool(name, arguments, …)`): pure builders from a call's arguments and the tool's
result to the attributes of its `execute_tool` span.

The arguments are an OpenAI tool call (`{"id", "function": {"name", "arguments"}}`, an object or
a dict) or MCP's `CallToolRequestParams` (`name`, `arguments`); the result is MCP's
`CallToolResult` (`content` blocks, `isError`). Arguments and results are content: they are
read only under the content opt-in, by `arguments_text` and `result_text`. Nothing here touches
OpenTelemetry.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

from litellm_otel import semconv as sc
from litellm_otel.extract import Attributes
from litellm_otel.readers import field, fields, text

_BASE: Final[Attributes] = {
    sc.GEN_AI_OPERATION_NAME: sc.OP_EXECUTE_TOOL,
    sc.GEN_AI_TOOL_TYPE: sc.TOOL_TYPE_EXTENSION,
    sc.MCP_METHOD_NAME: sc.MCP_TOOLS_CALL,
}


def request_attributes(params: Mapping[str, Any]) -> tuple[Attributes, str]:
    """The span's start attributes and name (`execute_tool {tool}`), from `call_openai_tool`'s
    `openai_tool` or `call_mcp_tool`'s `call_tool_request_params`."""
    attributes = dict(_BASE)
    openai_tool = params.get("openai_tool")
    if openai_tool is not None:
        name = text(field(field(openai_tool, "function"), "name"))
        call_id = text(field(openai_tool, "id"))
        if call_id is not None:
            attributes[sc.GEN_AI_TOOL_CALL_ID] = call_id
    elif "call_tool_request_params" in params:
        name = text(field(params.get("call_tool_request_params"), "name"))
    else:  # the proxy's gateway: execute_mcp_tool(name, arguments, …)
        name = text(params.get("name"))
    if name is None:
        return attributes, sc.OP_EXECUTE_TOOL
    attributes[sc.GEN_AI_TOOL_NAME] = name
    return attributes, f"{sc.OP_EXECUTE_TOOL} {name}"


def failed(result: object) -> bool:
    """Whether the tool's result says the tool failed (MCP `isError`)."""
    read = fields(result)
    flag = read.get("isError")
    return (flag if flag is not None else read.get("is_error")) is True


def result_text(result: object) -> str | None:
    """The text blocks of the tool's result, else its structured content as JSON."""
    read = fields(result)
    blocks = read.get("content")
    texts: list[str] = []
    if isinstance(blocks, Sequence) and not isinstance(blocks, str | bytes):
        for block in blocks:
            value = field(block, "text")
            if isinstance(value, str):
                texts.append(value)
    if texts:
        return "\n".join(texts)
    structured = read.get("structuredContent")
    if structured is None:
        structured = read.get("structured_content")  # mcp 2's spelling
    if structured is None:
        return None
    try:
        return json.dumps(structured, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return None


def arguments_text(params: Mapping[str, Any]) -> str | None:
    """The arguments the tool was called with, as JSON text."""
    openai_tool = params.get("openai_tool")
    if openai_tool is not None:
        raw = field(field(openai_tool, "function"), "arguments")
    elif "call_tool_request_params" in params:
        raw = field(params.get("call_tool_request_params"), "arguments")
    else:
        raw = params.get("arguments")
    if isinstance(raw, str):
        return raw
    if raw is None:
        return None
    try:
        return json.dumps(raw, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return None
