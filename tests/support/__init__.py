"""Test seams shared across rooms: the in-process sandbox and a client connected to it."""
