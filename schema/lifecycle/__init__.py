"""The account lifecycle of the graph: users, traders, links, passwords, partners, attributes.

`LifecycleMutation` is the piece `schema/__init__.py` merges into `Mutation`; it needs only the
standard `resolvers.context.Context`.
"""

from schema.lifecycle.mutations import LifecycleMutation

__all__ = ["LifecycleMutation"]
