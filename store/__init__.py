"""The service's own state (users and links, the money journal): SQLAlchemy 2 async."""
