"""Hooks into the import path and the verdict workflow (filled in below)."""
