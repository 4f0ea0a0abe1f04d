"""Communiqué: self-hosted publishing of public statements, with readers' comments."""

__version__ = "0.1.0"
