"""Offline GeoNames-backed gazetteer: a SQLite store of places and names."""
