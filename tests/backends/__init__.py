"""Tests against real backends (Arize Phoenix: `nox -s phoenix`); a package so mypy resolves the
shared test helpers."""
