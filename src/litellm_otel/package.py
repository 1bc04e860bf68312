# The oldest LiteLLM here was released in October 2025: more than a year of releases is
# supported, and `nox -s tests` runs the suite against pinned releases across the range.
# 1.82.7 and 1.82.8 were malicious uploads (a credential stealer; LiteLLM security issue
# #24518) and 1.107.0 is reported compromised: never let an installer pick them for us.
_instruments = ("litellm >= 1.79.0, != 1.82.7, != 1.82.8, != 1.107.0, < 2",)

_supports_metrics = True
