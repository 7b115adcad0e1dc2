"""The service's typed configuration, read once at the edge."""
