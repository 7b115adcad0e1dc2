"""Benchmarks: `python -m bench.<name>`; each module prints its own side-by-side report."""
