"""The alerts pages send nothing but which alert to mark read (in the URL)."""
