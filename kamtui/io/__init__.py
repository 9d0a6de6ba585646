"""Importers and exporters (no Textual)."""
