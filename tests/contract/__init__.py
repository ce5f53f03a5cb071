"""Tests of the agency data contract: normalisers, schemas and their documentation."""
