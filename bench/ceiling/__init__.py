"""Ceiling (b) of bench/http_load.py: Askwell's Django stack serving fixed bytes."""
