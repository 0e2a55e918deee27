"""Full-text search over the published articles, on either database.

SQLite: an FTS5 table (``knowledge_fts``, rowid = the article's id) holds the
segmented title and body, ranked by BM25 with the title weighing four times the body.
PostgreSQL: ``knowledge_searchentry.document``, a stored tsvector of the same words
(title weight A, body B) under a GIN index, ranked by ts_rank. Both are built from
the words ``segment`` makes, so a query matches the same articles on both; the words
are letters, digits and Chinese characters only, so they are safe in either syntax.
"""

from __future__ import annotations

from django.db import connection

from aftersales.knowledge.models import Article, SearchEntry
from aftersales.knowledge.segment import joined, query_words

MAX_MATCHES = 1000  # a count beyond this reads "1000+": no query walks every match


def index(article: Article) -> None:
    """The article's last published version in the index, or out of it when it is not
    readable (a draft never published, or withdrawn)."""
    latest = article.versions.order_by("-number").first() if article.readable else None
    unindex(article.pk)
    if latest is None:
        return
    title = joined([latest.title, latest.product_models, latest.fault_codes])
    body = joined([latest.symptom, latest.cause, latest.steps, latest.parts])
    SearchEntry.objects.create(
        article=article, title_words=title, body_words=body, public=latest.public
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO knowledge_fts (rowid, title_words, body_words) VALUES (%s, %s, %s)",
                [article.pk, title, body],
            )


def unindex(article_id: int) -> None:
    SearchEntry.objects.filter(article_id=article_id).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM knowledge_fts WHERE rowid = %s", [article_id])


def search(q: str, *, public_only: bool, limit: int, offset: int = 0) -> tuple[list[int], int]:
    """(article ids best first, how many match — at most MAX_MATCHES) for the query."""
    terms = query_words(q)
    if not terms:
        return [], 0
    public = " AND e.public" if public_only else ""
    if connection.vendor == "sqlite":
        match = " OR ".join(f'"{t}"' for t in terms)
        ranked = (
            "SELECT e.article_id, bm25(knowledge_fts, 4.0, 1.0) AS rank FROM knowledge_fts "
            "JOIN knowledge_searchentry e ON e.article_id = knowledge_fts.rowid "
            f"WHERE knowledge_fts MATCH %s{public}"
        )
        order = "rank ASC, article_id DESC"
    else:
        match = " | ".join(f"'{t}'" for t in terms)
        ranked = (
            "SELECT e.article_id, ts_rank(e.document, q) AS rank "
            "FROM knowledge_searchentry e, to_tsquery('simple', %s) q "
            f"WHERE e.document @@ q{public}"
        )
        order = "rank DESC, article_id DESC"
    with connection.cursor() as cursor:
        cursor.execute(f"{ranked} ORDER BY {order} LIMIT %s OFFSET %s", [match, limit, offset])
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT count(*) FROM ({ranked} LIMIT {MAX_MATCHES}) AS found",
            [match],
        )
        total = cursor.fetchone()[0]
    return ids, total
