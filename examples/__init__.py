"""Client examples; each script runs on its own against `make run` (see README.md)."""
