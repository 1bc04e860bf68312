"""Everything litellm-otel knows about LiteLLM's insides, and nothing else.

LiteLLM rewrites its internals every few releases (1.106: dispatch functions; 1.109: a Router
facade over a core class; 1.110: a Rust-backed core). Each private shape the rest of the
library relies on is read here, with the releases it was read from, so that the next rewrite
is a change to this package alone:

- `targets`: what to wrap, per generation of LiteLLM's internals, and what is missing;
- `shapes`: pure readers of LiteLLM's private result shapes (hidden params, the chunks a stream
  kept, the Router's per-attempt metadata, the callback lists);
- `lookups`: what only LiteLLM can answer (provider, cost, token counts), through its functions;
- `assembly`: the usage LiteLLM assembles as a stream ends, kept for the stream's span;
- `prices` and `reports`: its per-token rates, and where its figures are not the provider's.
"""
