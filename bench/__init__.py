"""Benchmarks: `make bench` (`python -m bench`) runs them all; `python -m bench.<name>` runs one.

See bench/README.md for what each one measures and the latest figures.
"""
