"""Resolver functions per domain, the per-request dataloaders and the money operations."""
