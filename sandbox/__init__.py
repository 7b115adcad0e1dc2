"""A faithful emulator of the cTrader WebServices API. The service never imports it."""
