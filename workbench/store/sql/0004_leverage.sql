-- Migration 4: TM leverage (issue 16). Where a segment's target came from the TM
-- ("ICE", "TM 100%", "TM 87%") and which unit; whether the MT was corrected to follow
-- the glossary; per-project leverage settings.
ALTER TABLE "segments" ADD COLUMN "tm_match" TEXT;
ALTER TABLE "segments" ADD COLUMN "tm_origin" TEXT;
ALTER TABLE "segments" ADD COLUMN "glossary_corrected" INTEGER DEFAULT 0;
-- ICE matches confirmed automatically (status "translated") when set.
ALTER TABLE "projects" ADD COLUMN "ice_auto_confirm" INTEGER NOT NULL DEFAULT 0;
-- A fuzzy TM match scoring at least this pre-fills the target instead of the MT; NULL: off.
ALTER TABLE "projects" ADD COLUMN "fuzzy_prefill" INTEGER;
