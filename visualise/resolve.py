"""Find a node of the typed network by a name a user types: the shared look-up's network side.

Kept so ``policekg.visualise.resolve.find_node`` still works; the rule lives in
``policekg.queries.lookup`` with the store's, so ``--focus`` and ``trace`` agree on every name.
"""

from policekg.queries.lookup import find_node

__all__ = ["find_node"]
