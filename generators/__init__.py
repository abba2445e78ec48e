"""Standardized party-building handbooks as code: model, diagrams, pages and print editions."""

__version__ = "0.1.0"
