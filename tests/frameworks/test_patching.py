"""The framework machinery without any framework: the switch, the registry of served usage, and
lazy patching (on the module's import, undone by uninstall, a warning for what is missing).
These need no framework installed and run in every session."""

from __future__ import annotations

import gc
import logging
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from litellm_otel._frameworks.patching import Framework, Installed, Patch, Served, Shared
from litellm_otel.config import deduplicate_framework_usage
from litellm_otel.semconv import DEDUPLICATE_FRAMEWORK_USAGE_ENV as DEDUPLICATE_ENV

MODULE = "litellm_otel_fake_framework"


class Usage:
    """Stands for a framework's usage object: unhashable, like a pydantic model."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Usage)


def test_deduplication_is_on_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEDUPLICATE_ENV, raising=False)
    assert deduplicate_framework_usage() is True


@pytest.mark.parametrize(
    ("value", "expected"), [("false", False), ("FALSE", False), ("0", False), ("true", True)]
)
def test_the_variable_turns_deduplication_off(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: bool
) -> None:
    monkeypatch.setenv(DEDUPLICATE_ENV, value)
    assert deduplicate_framework_usage() is expected


def test_the_keyword_overrides_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DEDUPLICATE_ENV, "false")
    assert deduplicate_framework_usage(True) is True
    monkeypatch.setenv(DEDUPLICATE_ENV, "true")
    assert deduplicate_framework_usage(False) is False


def test_an_unknown_value_warns_once_and_leaves_deduplication_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv(DEDUPLICATE_ENV, "sometimes")
    assert deduplicate_framework_usage() is True
    assert deduplicate_framework_usage() is True
    assert [r.getMessage() for r in caplog.records if DEDUPLICATE_ENV in r.getMessage()] == [
        f"litellm-otel: {DEDUPLICATE_ENV}='sometimes' is neither true nor false; left on."
    ]


def test_served_holds_objects_by_identity_and_weakly() -> None:
    served = Served()
    usage, equal = Usage(), Usage()
    served.add(usage)

    assert usage in served
    assert equal not in served  # equal, not the same object
    del usage
    gc.collect()
    assert len(served) == 0


@pytest.fixture
def fake_framework() -> Iterator[Callable[[], ModuleType]]:
    """A module imported on demand, with one function to wrap (`count`) and none named `absent`."""

    def load() -> ModuleType:
        module = ModuleType(MODULE)
        exec(  # the module's source, as an import would run it
            "calls = []\ndef count(x):\n    calls.append(x)\n    return x\n", module.__dict__
        )
        sys.modules[MODULE] = module
        from wrapt.importer import notify_module_loaded  # what an import's hook would call

        notify_module_loaded(module)
        return module

    yield load
    sys.modules.pop(MODULE, None)


def doubling(
    wrapped: Callable[..., Any], instance: Any, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    return 2 * wrapped(*args, **kwargs)


def installed(*patches: Patch) -> Installed:
    shared = Shared(Served(), lambda: True, metrics=True)
    return Installed((Framework("litellm-otel-fake-framework", lambda _: patches),), shared)


def test_patches_wait_for_the_module_and_uninstall_restores_it(
    fake_framework: Callable[[], ModuleType],
) -> None:
    patches = installed(Patch(MODULE, "", "count", doubling, "nothing"))
    assert len(patches.wrapped) == 0  # not imported yet: nothing done

    module = fake_framework()
    original = module.count.__wrapped__
    assert module.count(3) == 6
    assert list(patches.wrapped) == [f"{MODULE}.count"]

    patches.uninstall()
    assert module.count is original
    assert module.count(3) == 3


def test_uninstall_before_the_import_cancels_the_patch(fake_framework: Callable[[], ModuleType]) -> None:
    installed(Patch(MODULE, "", "count", doubling, "nothing")).uninstall()

    module = fake_framework()
    assert module.count(3) == 3


def test_a_missing_attribute_is_named_in_one_warning(
    fake_framework: Callable[[], ModuleType], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="litellm_otel")
    patches = installed(
        Patch(MODULE, "", "absent", doubling, "its spans count LiteLLM's usage a second time"),
        Patch(MODULE, "", "count", doubling, "nothing"),
    )

    module = fake_framework()
    assert module.count(3) == 6  # the rest is patched
    assert [r.getMessage() for r in caplog.records if r.name.startswith("litellm_otel")] == [
        "litellm-otel: the installed litellm-otel-fake-framework (version unknown) has no "
        f"{MODULE}.absent; its spans count LiteLLM's usage a second time."
    ]
    patches.uninstall()


def test_instrument_imports_no_framework() -> None:
    """Patching waits for the framework's import: instrument() imports none of its modules."""
    code = textwrap.dedent(
        """
        import sys
        from litellm_otel import LiteLLMInstrumentor
        LiteLLMInstrumentor().instrument()
        print(sorted(m for m in sys.modules if m.startswith("google.adk") or m == "litellm"))
        """
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
