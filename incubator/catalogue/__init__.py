"""The public knowledge platform: the catalogue of published innovations (no login)."""
