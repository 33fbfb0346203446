"""Translation memory: approved and imported pairs, fuzzy lookup and concordance.

Fed by approvals (``review``) and TMX imports (``cli``).
May import: aligner, formats, store."""
