"""Pure text processing for Chinese–English articles: clean, split, align.

No Flask, no database, no MT engine: callers pass text in and get plain
data back. ``workbench`` does the I/O around it.
"""

from aligner.align import Bead, align
from aligner.clean import Article, Block, clean_article
from aligner.furniture import paragraph_furniture
from aligner.langid import detect_language
from aligner.split import split_sentences

__all__ = [
    "Article",
    "Bead",
    "Block",
    "align",
    "clean_article",
    "detect_language",
    "paragraph_furniture",
    "split_sentences",
]
