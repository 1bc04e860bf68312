"""A plain LiteLLM application making one OpenAI-style chat call, for tests/test_coexistence.py.

Run under ``opentelemetry-instrument python tests/apps/openai_chat_app.py`` with
``FAKE_PROVIDER_URL`` set to the fake provider's base URL. LiteLLM's ``openai/`` provider goes
through the OpenAI SDK, which opentelemetry-instrumentation-openai-v2 instruments. Prints the
reply and LiteLLM's usage, one ``key=value`` per line.
"""

from __future__ import annotations

import os

import litellm


def main() -> None:
    response = litellm.completion(
        model="openai/fake-gpt",
        api_base=os.environ["FAKE_PROVIDER_URL"] + "/v1",
        api_key="sk-test",
        messages=[{"role": "user", "content": "Summarise our refund policy in one line."}],
    )
    print(f"reply={response.choices[0].message.content}")
    print(f"prompt_tokens={response.usage.prompt_tokens}")


if __name__ == "__main__":
    main()
