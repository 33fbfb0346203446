"""Workbench: offline Chinese⇄English translation, alignment and review."""

__version__ = "0.1.0"
