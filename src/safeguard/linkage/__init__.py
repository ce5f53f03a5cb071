"""Record linkage: which agency records are about the same person (Splink 5 on DuckDB).

See docs/linkage.md. This package never imports Django.
"""
