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


def _ranked(match: str, *, public_only: bool, count: int) -> list[int]:
    """The ids matching ``match`` (in the database's own syntax), best first."""
    if connection.vendor == "sqlite":
        if public_only:
            sql = (
                "SELECT f.rowid FROM knowledge_fts f JOIN knowledge_searchentry e "
                "ON e.article_id = f.rowid WHERE knowledge_fts MATCH %s AND e.public "
                "ORDER BY bm25(knowledge_fts, 4.0, 1.0), f.rowid DESC LIMIT %s"
            )
        else:  # staff read every indexed article: no join, FTS5 alone
            sql = (
                "SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH %s "
                "ORDER BY bm25(knowledge_fts, 4.0, 1.0), rowid DESC LIMIT %s"
            )
    else:
        public = " AND e.public" if public_only else ""
        sql = (
            "SELECT e.article_id FROM knowledge_searchentry e, to_tsquery('simple', %s) q "
            f"WHERE e.document @@ q{public} "
            "ORDER BY ts_rank(e.document, q) DESC, e.article_id DESC LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, count])
        return [row[0] for row in cursor.fetchall()]


def _count(match: str, *, public_only: bool) -> int:
    if connection.vendor == "sqlite":
        found = (
            "SELECT f.rowid FROM knowledge_fts f JOIN knowledge_searchentry e "
            "ON e.article_id = f.rowid WHERE knowledge_fts MATCH %s AND e.public"
            if public_only
            else "SELECT rowid FROM knowledge_fts WHERE knowledge_fts MATCH %s"
        )
    else:
        public = " AND public" if public_only else ""
        found = (
            "SELECT article_id FROM knowledge_searchentry "
            f"WHERE document @@ to_tsquery('simple', %s){public}"
        )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({found} LIMIT {MAX_MATCHES}) AS found", [match])
        return int(cursor.fetchone()[0])


def _syntax(terms: list[str], *, every: bool) -> str:
    if connection.vendor == "sqlite":
        return f" {'AND' if every else 'OR'} ".join(f'"{t}"' for t in terms)
    return f" {'&' if every else '|'} ".join(f"'{t}'" for t in terms)


def search(q: str, *, public_only: bool, limit: int, offset: int = 0) -> tuple[list[int], int]:
    """(article ids best first, how many match — at most MAX_MATCHES) for the query.

    The articles holding every word of the query, ranked; only when none does, those
    holding some of the words. Ranking only the articles with every word keeps a query
    with a common word (a brand's "hx") fast, and a model number finds that model's
    articles, not every article of the brand."""
    terms = query_words(q)
    if not terms:
        return [], 0
    wanted = offset + limit
    every = _syntax(terms, every=True)
    ids = _ranked(every, public_only=public_only, count=wanted)
    if ids or len(terms) == 1:
        total = _count(every, public_only=public_only) if len(ids) == wanted else len(ids)
        return ids[offset:], total
    some = _syntax(terms, every=False)
    ids = _ranked(some, public_only=public_only, count=wanted)
    total = _count(some, public_only=public_only) if len(ids) == wanted else len(ids)
    return ids[offset:], total
