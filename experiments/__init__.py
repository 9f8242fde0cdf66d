"""Shipped experiment definitions and the scripts behind the figures of docs/validation.md."""
