"""Storage: the SQLite connection, the schema and its numbered migrations, document writes.

The only owner of the tables (``migrations``); callers use sqlite-utils directly.
May import: nothing from workbench but itself."""
