# The oldest LiteLLM here was released in October 2025: more than a year of releases is
# supported, and the nox `tests` session runs the suite against both ends of the range.
_instruments = ("litellm >= 1.79.0, < 2",)

_supports_metrics = True
