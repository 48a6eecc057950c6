"""coachkit's benchmarks: ``python -m benchmarks [NAME …]`` (``make bench`` runs them all).

Each benchmark prints a table and writes its own section of ``docs/performance.md``.
"""
