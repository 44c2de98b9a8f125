"""docfetch: typed, safe document downloads for five document APIs."""

__version__ = "0.1.0"
