-- Interchange without loss (issue 14): what TMX/XLIFF carry besides the two texts.
ALTER TABLE tm_units ADD COLUMN tuid TEXT;
ALTER TABLE tm_units ADD COLUMN created_by TEXT;
-- JSON list of <note> texts, JSON list of [type, value] props as written, JSON of other <tu> attributes
ALTER TABLE tm_units ADD COLUMN notes TEXT;
ALTER TABLE tm_units ADD COLUMN prop_list TEXT;
ALTER TABLE tm_units ADD COLUMN attrs TEXT;
-- xml:lang as written (en-GB, zh-TW); source_lang/target_lang stay the matching codes
ALTER TABLE tm_units ADD COLUMN source_tag TEXT;
ALTER TABLE tm_units ADD COLUMN target_tag TEXT;
-- JSON {"source": coded, "target": coded} when the unit has inline codes (formats/inline.py)
ALTER TABLE tm_units ADD COLUMN markup TEXT;
-- '' for the default translation; e.g. "file=ui.properties;id=OTHER" for a context-bound alternative
ALTER TABLE tm_units ADD COLUMN context TEXT NOT NULL DEFAULT '';
DROP INDEX IF EXISTS tm_units_key;
CREATE UNIQUE INDEX IF NOT EXISTS tm_units_key ON tm_units (source_lang, target_lang, source_key, context);
ALTER TABLE tm_history ADD COLUMN markup TEXT;
-- One row per imported TMX: its header attributes, props and notes as written.
CREATE TABLE IF NOT EXISTS tm_headers ( origin TEXT PRIMARY KEY, attrs TEXT NOT NULL, prop_list TEXT NOT NULL, notes TEXT NOT NULL, imported_at TEXT NOT NULL);
-- Concordance through a trigram index (substring search in Chinese and English).
CREATE VIRTUAL TABLE IF NOT EXISTS tm_fts USING fts5(source, target, content='tm_units', content_rowid='id', tokenize='trigram');
INSERT INTO tm_fts (tm_fts) VALUES ('rebuild');
CREATE TRIGGER IF NOT EXISTS tm_fts_insert AFTER INSERT ON tm_units BEGIN
  INSERT INTO tm_fts (rowid, source, target) VALUES (new.id, new.source, new.target);
END;
CREATE TRIGGER IF NOT EXISTS tm_fts_delete AFTER DELETE ON tm_units BEGIN
  INSERT INTO tm_fts (tm_fts, rowid, source, target) VALUES ('delete', old.id, old.source, old.target);
END;
CREATE TRIGGER IF NOT EXISTS tm_fts_update AFTER UPDATE OF source, target ON tm_units BEGIN
  INSERT INTO tm_fts (tm_fts, rowid, source, target) VALUES ('delete', old.id, old.source, old.target);
  INSERT INTO tm_fts (rowid, source, target) VALUES (new.id, new.source, new.target);
END;
-- Other tools' XLIFF taken as work: the file's bytes (targets are patched into them on export)
-- and, per segment, the unit's position in the file and its coded source.
CREATE TABLE IF NOT EXISTS xliff_originals ( document_id INTEGER PRIMARY KEY REFERENCES documents(id), filename TEXT NOT NULL, version TEXT NOT NULL, content BLOB NOT NULL);
ALTER TABLE segments ADD COLUMN unit_ref TEXT;
ALTER TABLE segments ADD COLUMN markup TEXT;
