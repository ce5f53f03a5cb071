"""Safeguard: an open multi-agency safeguarding hub against child sexual exploitation."""

__version__ = "0.1.0"
