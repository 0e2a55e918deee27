"""The full-text index of the published articles' words: an FTS5 table on SQLite, a
stored tsvector under a GIN index on PostgreSQL (see knowledge/search.py)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5("
    "title_words, body_words, tokenize = 'unicode61 remove_diacritics 0')",
]
SQLITE_BACK = ["DROP TABLE IF EXISTS knowledge_fts"]
POSTGRES = [
    "ALTER TABLE knowledge_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_words), 'A') || "
    "setweight(to_tsvector('simple', body_words), 'B')) STORED",
    "CREATE INDEX knowledge_document ON knowledge_searchentry USING gin (document)",
]
POSTGRES_BACK = [
    "DROP INDEX IF EXISTS knowledge_document",
    "ALTER TABLE knowledge_searchentry DROP COLUMN IF EXISTS document",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_BACK, "postgresql": POSTGRES_BACK}),
        )
    ]
