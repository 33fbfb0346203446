"""Glossaries: terms per project and shared, TBX/CSV interchange, recognition, extraction.

May import: aligner, formats, store.
"""
