"""Logs, traces and metrics: what an operator sees of the running service."""
