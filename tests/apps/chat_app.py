"""A plain LiteLLM application with no OpenTelemetry code, for the zero-code test.

Run under ``opentelemetry-instrument python tests/apps/chat_app.py`` with
``FAKE_PROVIDER_URL`` set to the fake provider's base URL; it makes one Anthropic-style chat call
and prints the reply and LiteLLM's usage, one ``key=value`` per line.
"""

from __future__ import annotations

import os

import litellm


def main() -> None:
    response = litellm.completion(
        model="anthropic/claude-sonnet-4-5",
        api_base=os.environ["FAKE_PROVIDER_URL"],
        api_key="sk-test",
        max_tokens=64,
        messages=[{"role": "user", "content": "Summarise our refund policy in one line."}],
    )
    print(f"reply={response.choices[0].message.content}")
    print(f"prompt_tokens={response.usage.prompt_tokens}")


if __name__ == "__main__":
    main()
