"""Account lifecycle: users, traders, links, passwords, partners, white labels and attributes.

Each operation validates its order before any upstream call, sends one write, keeps the
service's own records (user store, trader index) in step, and answers the changed object or a
`Refusal` saying why nothing changed (`failures.py`).
"""
