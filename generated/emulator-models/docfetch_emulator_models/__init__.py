"""pydantic models of docfetch's curated specs, one module per provider."""
