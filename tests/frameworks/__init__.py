"""Agent frameworks calling LiteLLM against the fake provider (`nox -s frameworks`); a package so
mypy resolves the shared helpers."""
