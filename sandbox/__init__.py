"""A faithful emulator of the cTrader WebServices API. The service never imports it."""

from sandbox.app import create_app
from sandbox.settings import SandboxSettings

__all__ = ["SandboxSettings", "create_app"]
