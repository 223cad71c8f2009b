"""Clients generated from specs/<vendor> by scripts/regenerate.py (never edit by hand)."""
