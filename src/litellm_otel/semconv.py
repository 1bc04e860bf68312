"""Every attribute, span-name and metric name this library emits, in one place.

Names follow the OpenTelemetry GenAI semantic conventions as released in v1.41.1. The GenAI names
are spelled out here rather than imported: `opentelemetry-semantic-conventions` marks its GenAI
constants as moved and its GenAI enums emit DeprecationWarning. Stable names (`error.type`,
`server.*`, `http.*`) come from that package. A rename is a one-line change in this module.
"""

from typing import Final

from opentelemetry.semconv.attributes.error_attributes import ERROR_TYPE
from opentelemetry.semconv.attributes.exception_attributes import (
    EXCEPTION_MESSAGE,
    EXCEPTION_STACKTRACE,
    EXCEPTION_TYPE,
)
from opentelemetry.semconv.attributes.http_attributes import (
    HTTP_REQUEST_METHOD,
    HTTP_REQUEST_RESEND_COUNT,
    HTTP_RESPONSE_STATUS_CODE,
)
from opentelemetry.semconv.attributes.server_attributes import SERVER_ADDRESS, SERVER_PORT
from opentelemetry.semconv.attributes.url_attributes import URL_FULL

SCHEMA_URL: Final = "https://opentelemetry.io/schemas/1.41.1"

# The exception span event (the exception conventions' event name).
EVENT_EXCEPTION: Final = "exception"

__all__ = [
    "ERROR_TYPE",
    "EXCEPTION_MESSAGE",
    "EXCEPTION_STACKTRACE",
    "EXCEPTION_TYPE",
    "HTTP_REQUEST_METHOD",
    "HTTP_REQUEST_RESEND_COUNT",
    "HTTP_RESPONSE_STATUS_CODE",
    "SCHEMA_URL",
    "SERVER_ADDRESS",
    "SERVER_PORT",
    "URL_FULL",
]

# gen_ai.operation.name values
OP_CHAT: Final = "chat"
OP_TEXT_COMPLETION: Final = "text_completion"
OP_EMBEDDINGS: Final = "embeddings"
OP_GENERATE_CONTENT: Final = "generate_content"
OP_RERANK: Final = "rerank"  # extension: no well-known value for rerank yet
OP_EXECUTE_TOOL: Final = "execute_tool"
OP_INVOKE_AGENT: Final = "invoke_agent"  # a remote agent run (an Interactions API `agent`)
# Extensions: the APIs no well-known operation describes (README "Operation names"). Each is the
# name LiteLLM, OpenAI and the proxy's route give the API, so a span name says what was called.
OP_TRANSCRIPTION: Final = "transcription"  # audio in, text out
OP_SPEECH: Final = "speech"  # text in, audio out (also gen_ai.output.type=speech)
OP_MODERATION: Final = "moderation"  # a classification, no generation
OP_OCR: Final = "ocr"  # a document in, its text out
OP_SEARCH: Final = "search"  # a web search API: a query in, results out, priced per query
OP_VIDEO_GENERATION: Final = "video_generation"  # a video job created (gen_ai.output.type=video)

# gen_ai.output.type values: text, json, image and speech are well-known; video is an extension.
OUTPUT_TEXT: Final = "text"
OUTPUT_IMAGE: Final = "image"
OUTPUT_SPEECH: Final = "speech"
OUTPUT_VIDEO: Final = "video"

# Request attributes, set when the span starts.
GEN_AI_OPERATION_NAME: Final = "gen_ai.operation.name"
GEN_AI_PROVIDER_NAME: Final = "gen_ai.provider.name"
GEN_AI_REQUEST_MODEL: Final = "gen_ai.request.model"
GEN_AI_REQUEST_TEMPERATURE: Final = "gen_ai.request.temperature"
GEN_AI_REQUEST_TOP_P: Final = "gen_ai.request.top_p"
GEN_AI_REQUEST_TOP_K: Final = "gen_ai.request.top_k"
GEN_AI_REQUEST_MAX_TOKENS: Final = "gen_ai.request.max_tokens"
GEN_AI_REQUEST_STOP_SEQUENCES: Final = "gen_ai.request.stop_sequences"
GEN_AI_REQUEST_FREQUENCY_PENALTY: Final = "gen_ai.request.frequency_penalty"
GEN_AI_REQUEST_PRESENCE_PENALTY: Final = "gen_ai.request.presence_penalty"
GEN_AI_REQUEST_SEED: Final = "gen_ai.request.seed"
GEN_AI_AGENT_NAME: Final = "gen_ai.agent.name"  # the agent an invoke_agent span runs
GEN_AI_REQUEST_CHOICE_COUNT: Final = "gen_ai.request.choice.count"
GEN_AI_REQUEST_ENCODING_FORMATS: Final = "gen_ai.request.encoding_formats"
GEN_AI_REQUEST_STREAM: Final = "gen_ai.request.stream"
GEN_AI_EMBEDDINGS_DIMENSION_COUNT: Final = "gen_ai.embeddings.dimension.count"
GEN_AI_OUTPUT_TYPE: Final = "gen_ai.output.type"

# Response attributes, set before the span ends.
GEN_AI_RESPONSE_ID: Final = "gen_ai.response.id"
GEN_AI_RESPONSE_MODEL: Final = "gen_ai.response.model"
GEN_AI_RESPONSE_FINISH_REASONS: Final = "gen_ai.response.finish_reasons"
GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK: Final = "gen_ai.response.time_to_first_chunk"
GEN_AI_USAGE_INPUT_TOKENS: Final = "gen_ai.usage.input_tokens"
GEN_AI_USAGE_OUTPUT_TOKENS: Final = "gen_ai.usage.output_tokens"
GEN_AI_USAGE_TOTAL_TOKENS: Final = "gen_ai.usage.total_tokens"  # extension
GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS: Final = "gen_ai.usage.cache_read.input_tokens"
GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS: Final = "gen_ai.usage.cache_creation.input_tokens"
GEN_AI_USAGE_REASONING_OUTPUT_TOKENS: Final = "gen_ai.usage.reasoning.output_tokens"
# Extension: the name Langfuse, OpenLIT and LiteLLM itself read; USD.
GEN_AI_USAGE_COST: Final = "gen_ai.usage.cost"

# LiteLLM-specific extensions.
LITELLM_PREPROCESSING_DURATION_MS: Final = "litellm.preprocessing.duration_ms"
LITELLM_STREAM_COMPLETED: Final = "litellm.stream.completed"
# How many HTTP requests one CLIENT span's call sent to the provider, when more than one: the
# retries LiteLLM (`num_retries`) or the provider's client (the OpenAI SDK's `max_retries`) made
# inside the call. Each one that failed is also an HTTP CLIENT span of its own under the call's.
LITELLM_PROVIDER_REQUESTS: Final = "litellm.provider.requests"
# The gen_ai.usage.* attributes of a span whose values are LiteLLM's estimate (its tokenizer's
# count, or a figure it derived from text) rather than the provider's reported count: string[].
LITELLM_USAGE_ESTIMATED: Final = "litellm.usage.estimated"
# What the non-token APIs bill by, as LiteLLM reads it from the provider's result (extensions).
LITELLM_USAGE_AUDIO_INPUT_TOKENS: Final = "litellm.usage.audio.input_tokens"  # of the input tokens
LITELLM_USAGE_TEXT_INPUT_TOKENS: Final = "litellm.usage.text.input_tokens"  # of the input tokens
LITELLM_USAGE_IMAGE_INPUT_TOKENS: Final = "litellm.usage.image.input_tokens"  # of the input tokens
LITELLM_USAGE_AUDIO_SECONDS: Final = "litellm.usage.audio.seconds"  # transcribed audio billed by time
LITELLM_USAGE_INPUT_CHARACTERS: Final = "litellm.usage.input_characters"  # speech: billed, no whitespace
LITELLM_USAGE_PAGES: Final = "litellm.usage.pages"  # OCR: pages processed
LITELLM_USAGE_SEARCH_RESULTS: Final = "litellm.search.results"  # search: results returned
LITELLM_USAGE_VIDEO_SECONDS: Final = "litellm.usage.video.seconds"  # video: seconds requested
LITELLM_MODERATION_FLAGGED: Final = "litellm.moderation.flagged"  # any input flagged
LITELLM_VIDEO_STATUS: Final = "litellm.video.status"  # the video job's status when created
# An Interactions API interaction's status (completed, requires_action, in_progress, …).
LITELLM_INTERACTION_STATUS: Final = "litellm.interaction.status"
LITELLM_ROUTER_MODEL_GROUP: Final = "litellm.router.model_group"
LITELLM_ROUTER_DEPLOYMENT_ID: Final = "litellm.router.deployment_id"
LITELLM_ROUTER_ATTEMPT: Final = "litellm.router.attempt"
LITELLM_ROUTER_FALLBACK_DEPTH: Final = "litellm.router.fallback_depth"
LITELLM_ROUTER_ATTEMPTS: Final = "litellm.router.attempts"
LITELLM_ROUTER_FALLBACKS: Final = "litellm.router.fallbacks"
LITELLM_ROUTER_FINAL_MODEL_GROUP: Final = "litellm.router.final_model_group"
# Allow-listed keys of the call's `metadata` (instrument(metadata_attributes=[...])).
LITELLM_METADATA_PREFIX: Final = "litellm.metadata."

# LiteLLM provider names mapped to the well-known gen_ai.provider.name values. Providers not
# listed pass through unchanged. The text-completion and azure_text entries are ours: they are
# the same vendors reached through LiteLLM's legacy text-completion route.
PROVIDER_NAMES: Final[dict[str, str]] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "anthropic": "anthropic",
    "bedrock": "aws.bedrock",
    "azure": "azure.ai.openai",
    "azure_text": "azure.ai.openai",
    "azure_ai": "azure.ai.inference",
    "vertex_ai": "gcp.vertex_ai",
    "vertex_ai_beta": "gcp.vertex_ai",
    "gemini": "gcp.gemini",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "mistral": "mistral_ai",
    "groq": "groq",
    "deepseek": "deepseek",
    "xai": "x_ai",
    "perplexity": "perplexity",
    "watsonx": "ibm.watsonx.ai",
    "watsonx_text": "ibm.watsonx.ai",
}

# Metrics (SPEC §3).
GEN_AI_CLIENT_OPERATION_DURATION: Final = "gen_ai.client.operation.duration"
GEN_AI_CLIENT_TOKEN_USAGE: Final = "gen_ai.client.token.usage"
GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK: Final = "gen_ai.client.operation.time_to_first_chunk"
GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK: Final = "gen_ai.client.operation.time_per_output_chunk"
GEN_AI_TOKEN_TYPE: Final = "gen_ai.token.type"
# The cost histogram shares its name with the span attribute GEN_AI_USAGE_COST (extension).

# Content (opt-in only, SPEC §4).
GEN_AI_INPUT_MESSAGES: Final = "gen_ai.input.messages"
GEN_AI_OUTPUT_MESSAGES: Final = "gen_ai.output.messages"
GEN_AI_SYSTEM_INSTRUCTIONS: Final = "gen_ai.system_instructions"
GEN_AI_TOOL_DEFINITIONS: Final = "gen_ai.tool.definitions"

# Tool execution spans (execute_tool): the GenAI conventions' tool attributes, and the MCP
# conventions' method name for a tool call made over MCP (semantic-conventions v1.41.1).
GEN_AI_TOOL_NAME: Final = "gen_ai.tool.name"
GEN_AI_TOOL_CALL_ID: Final = "gen_ai.tool.call.id"
GEN_AI_TOOL_TYPE: Final = "gen_ai.tool.type"
GEN_AI_TOOL_CALL_ARGUMENTS: Final = "gen_ai.tool.call.arguments"  # content: opt-in only
GEN_AI_TOOL_CALL_RESULT: Final = "gen_ai.tool.call.result"  # content: opt-in only
MCP_METHOD_NAME: Final = "mcp.method.name"
MCP_TOOLS_CALL: Final = "tools/call"
TOOL_TYPE_EXTENSION: Final = "extension"  # a tool run outside the agent: an MCP server's
TOOL_ERROR: Final = "tool_error"  # error.type of a tool call whose result says it failed (MCP isError)
EVENT_INFERENCE_DETAILS: Final = "gen_ai.client.inference.operation.details"

# Newer GenAI names (semantic-conventions-genai, not in v1.41.1), emitted instead of the released
# ones under OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental (SPEC §7).
SEMCONV_STABILITY_OPT_IN_ENV: Final = "OTEL_SEMCONV_STABILITY_OPT_IN"
GEN_AI_LATEST_EXPERIMENTAL: Final = "gen_ai_latest_experimental"
# semantic-conventions-genai #440: the cache-write count, renamed from cache_creation.
GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS: Final = "gen_ai.usage.cache_write.input_tokens"
# semantic-conventions-genai #521: inference metrics under gen_ai.client.inference.*; embeddings
# moved to their own duration in the same reorganisation (docs/gen-ai/client-embeddings.md).
GEN_AI_CLIENT_INFERENCE_DURATION: Final = "gen_ai.client.inference.duration"
GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK: Final = "gen_ai.client.inference.time_to_first_chunk"
GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK: Final = "gen_ai.client.inference.time_per_output_chunk"
GEN_AI_CLIENT_EMBEDDINGS_DURATION: Final = "gen_ai.client.embeddings.duration"
# The operations the inference metrics cover (client-inference.md).
INFERENCE_OPERATIONS: Final = frozenset((OP_CHAT, OP_TEXT_COMPLETION, OP_GENERATE_CONTENT))

# Backend vocabularies (opt-in, SPEC §7): the extra keys a backend reads, beside the GenAI names.
VOCABULARIES_ENV: Final = "OTEL_INSTRUMENTATION_LITELLM_VOCABULARIES"
# Whether an agent framework's own span around a LiteLLM call (Google ADK's) is kept free of the
# usage litellm-otel's CLIENT span carries: on unless false.
DEDUPLICATE_FRAMEWORK_USAGE_ENV: Final = "OTEL_INSTRUMENTATION_LITELLM_DEDUPLICATE_FRAMEWORK_USAGE"
VOCABULARY_OPENINFERENCE: Final = "openinference"
VOCABULARY_LANGFUSE: Final = "langfuse"
VOCABULARY_SENTRY: Final = "sentry"

# OpenInference (Arize Phoenix, Arize AX): openinference-semantic-conventions' SpanAttributes.
OPENINFERENCE_SPAN_KIND: Final = "openinference.span.kind"
OPENINFERENCE_KIND_LLM: Final = "LLM"
OPENINFERENCE_KIND_EMBEDDING: Final = "EMBEDDING"
OPENINFERENCE_KIND_RERANKER: Final = "RERANKER"
OPENINFERENCE_KIND_CHAIN: Final = "CHAIN"
LLM_MODEL_NAME: Final = "llm.model_name"
EMBEDDING_MODEL_NAME: Final = "embedding.model_name"
LLM_PROVIDER: Final = "llm.provider"
LLM_SYSTEM: Final = "llm.system"
LLM_TOKEN_COUNT_PROMPT: Final = "llm.token_count.prompt"
LLM_TOKEN_COUNT_COMPLETION: Final = "llm.token_count.completion"
LLM_TOKEN_COUNT_TOTAL: Final = "llm.token_count.total"
LLM_TOKEN_COUNT_PROMPT_CACHE_READ: Final = "llm.token_count.prompt_details.cache_read"
LLM_TOKEN_COUNT_PROMPT_CACHE_WRITE: Final = "llm.token_count.prompt_details.cache_write"
LLM_TOKEN_COUNT_COMPLETION_REASONING: Final = "llm.token_count.completion_details.reasoning"
LLM_COST_TOTAL: Final = "llm.cost.total"
# gen_ai.provider.name -> (llm.provider, llm.system), the values OpenInference defines for them
# (OpenInferenceLLMProviderValues / OpenInferenceLLMSystemValues); None where it has no system.
OPENINFERENCE_PROVIDERS: Final[dict[str, tuple[str, str | None]]] = {
    "openai": ("openai", "openai"),
    "anthropic": ("anthropic", "anthropic"),
    "cohere": ("cohere", "cohere"),
    "mistral_ai": ("mistralai", "mistralai"),
    "deepseek": ("deepseek", None),
    "groq": ("groq", None),
    "perplexity": ("perplexity", None),
    "x_ai": ("xai", None),
    "azure.ai.openai": ("azure", "openai"),
    "azure.ai.inference": ("azure", None),
    "aws.bedrock": ("aws", None),
    "gcp.vertex_ai": ("google", "vertexai"),
    "gcp.gemini": ("google", None),
}

# Langfuse (OTLP endpoint): LangfuseOtelSpanAttributes in its server's otel/attributes.ts.
LANGFUSE_OBSERVATION_COMPLETION_START_TIME: Final = "langfuse.observation.completion_start_time"
LANGFUSE_OBSERVATION_TYPE: Final = "langfuse.observation.type"
LANGFUSE_TYPE_CHAIN: Final = "chain"

# Sentry (AI Agents): the names of sentry-conventions its dashboards were built on, now aliases
# of the GenAI names in newer Relay releases.
SENTRY_USAGE_INPUT_TOKENS_CACHED: Final = "gen_ai.usage.input_tokens.cached"
SENTRY_USAGE_INPUT_TOKENS_CACHE_WRITE: Final = "gen_ai.usage.input_tokens.cache_write"
SENTRY_USAGE_OUTPUT_TOKENS_REASONING: Final = "gen_ai.usage.output_tokens.reasoning"
SENTRY_COST_TOTAL_TOKENS: Final = "gen_ai.cost.total_tokens"
