"""docfetch's core: what every provider client shares (see DEVELOPING.md)."""
