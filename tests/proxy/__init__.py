"""Tests of the LiteLLM proxy server (`nox -s proxy`); a package so mypy resolves the shared test helpers."""
