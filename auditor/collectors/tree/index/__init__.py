"""Talking to a simple repository index (PEP 503 HTML / PEP 691 JSON) through a cache."""
