"""The money domain of the graph: movements exactly once, transfers as sagas, the audit.

`MoneyMutation` and `MoneyQuery` are the pieces `schema/__init__.py` merges into the root types.
The context must offer `money` (a `resolvers.money.desk.MoneyDesk`) and `caller` (a string).
"""

from schema.money.mutations import MoneyMutation
from schema.money.queries import MoneyQuery

__all__ = ["MoneyMutation", "MoneyQuery"]
