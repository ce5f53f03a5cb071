"""The hub: the Django project holding the shared store, and later the practitioners' web pages."""
