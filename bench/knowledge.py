"""Knowledge search at scale (issue 17): 100,000 published articles.

    .venv/bin/python bench/knowledge.py [--articles 100000] [--runs 10]

Target: a search under 100 ms at the 95th percentile, on SQLite (FTS5) and PostgreSQL
(full text). Uses DATABASE_URL if set, else var/bench-knowledge.sqlite3. Generates the
articles once — titles and symptoms combined from fault phrases, components and 40
product models, segmented by the same code the system uses, written in bulk with their
published version and index row — then times each query of a list (two-character
words, longer descriptions, model numbers, a word in no article) as an agent's
search, the selector the page, the intake suggestions and the API call: the ranked
ids, then the page's articles and versions.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-knowledge.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.accounts.models import User  # noqa: E402
from aftersales.accounts.roles import Role  # noqa: E402
from aftersales.accounts.services import user_create  # noqa: E402
from aftersales.knowledge import selectors  # noqa: E402
from aftersales.knowledge.models import Article, ArticleVersion, SearchEntry  # noqa: E402
from aftersales.knowledge.segment import joined  # noqa: E402

PARTS = [
    "录像机",
    "摄像机",
    "交换机",
    "服务器",
    "拼接屏",
    "门禁",
    "电源",
    "硬盘",
    "风扇",
    "光模块",
    "云台",
    "读卡器",
    "主板",
    "网卡",
    "内存",
    "显示器",
    "UPS",
    "电池",
]
FAULTS = [
    "开机黑屏",
    "无法识别",
    "频繁重启",
    "画面模糊",
    "端口不通",
    "指示灯不亮",
    "异响",
    "过热报警",
    "回放卡顿",
    "掉线",
    "无法登录",
    "画面闪烁",
    "无信号输出",
    "报错",
    "读卡无反应",
    "蜂鸣器长鸣",
    "升级失败",
    "时间不准",
    "夜视偏红",
    "图像抖动",
]
CAUSES = [
    "接线松动",
    "供电不足",
    "固件版本过旧",
    "灰尘堆积",
    "硬件老化",
    "配置错误",
    "网线损坏",
    "散热不良",
    "雷击",
    "进水受潮",
]
STEPS = [
    "重新插拔连接线",
    "更换电源适配器",
    "升级固件",
    "清理灰尘",
    "恢复出厂设置",
    "更换主板",
    "检查交换机端口",
    "校准时间",
    "更换风扇",
    "重新配置网络参数",
]
QUERIES = [
    "黑屏",
    "硬盘",
    "画面模糊",
    "录像机开机黑屏",
    "交换机端口不通怎么办",
    "HX-M07-3200",
    "hx-m21-3200 掉线",
    "蜂鸣器",
    "夜视偏红",
    "指示灯不亮",
    "升级失败",
    "冰箱制冷",
    "风扇异响过热",
    "读卡无反应",
    "UPS 电池",
]


def generate(count: int) -> None:
    have = Article.objects.count()
    if have >= count:
        return
    print(f"generating {count - have:,} articles …", flush=True)
    author = User.objects.filter(username="bench-writer").first() or user_create(
        actor=None, username="bench-writer", password="bench-pass-1", roles=[Role.TECHNICAL]
    )
    rng = random.Random(17)
    now = timezone.now()
    started = time.perf_counter()
    for start in range(have, count, 5000):
        articles, texts = [], []
        for n in range(start, min(count, start + 5000)):
            part, fault = rng.choice(PARTS), rng.choice(FAULTS)
            model = f"HX-M{rng.randrange(40):02d}-{rng.choice(['3200', '6400', '900'])}"
            title = f"{part}{fault}（{model}）"
            symptom = f"客户反映{part}{fault}，{rng.choice(PARTS)}{rng.choice(FAULTS)}。"
            cause, steps = rng.choice(CAUSES), "；".join(rng.sample(STEPS, 3))
            articles.append(
                Article(
                    title=title,
                    symptom=symptom,
                    cause=cause,
                    steps=steps,
                    public=n % 2 == 0,
                    status="published",
                    author=author,
                    version=1,
                    published_at=now,
                )
            )
            texts.append((title, model, symptom, cause, steps))
        with transaction.atomic():
            Article.objects.bulk_create(articles, batch_size=1000)
            ArticleVersion.objects.bulk_create(
                [
                    ArticleVersion(
                        article=a,
                        number=1,
                        title=t[0],
                        symptom=t[2],
                        cause=t[3],
                        steps=t[4],
                        public=a.public,
                        product_models=t[1],
                        written_by=author,
                        published_by=author,
                        published_at=now,
                    )
                    for a, t in zip(articles, texts, strict=True)
                ],
                batch_size=1000,
            )
            entries = [
                SearchEntry(
                    article=a,
                    title_words=joined([t[0], t[1]]),
                    body_words=joined([t[2], t[3], t[4]]),
                    public=a.public,
                )
                for a, t in zip(articles, texts, strict=True)
            ]
            SearchEntry.objects.bulk_create(entries, batch_size=1000)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO knowledge_fts (rowid, title_words, body_words) "
                        "VALUES (%s, %s, %s)",
                        [(e.article_id, e.title_words, e.body_words) for e in entries],
                    )
        print(f"  {start + len(articles):,} ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    generate(args.articles)
    agent = User.objects.filter(username="bench-agent").first() or user_create(
        actor=None, username="bench-agent", password="bench-pass-1", roles=[Role.AGENT]
    )
    started = time.perf_counter()
    selectors.found(agent, "预热")  # the process's first search loads jieba's dictionary
    print(
        f"first search in the process (jieba's dictionary loaded): "
        f"{(time.perf_counter() - started) * 1000:.0f} ms"
    )
    print(f"{connection.vendor}, {Article.objects.count():,} articles, {args.runs} runs each")
    print(f"{'query':<24} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8}")
    every = []
    for q in QUERIES:
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            _articles, total = selectors.found(agent, q, limit=20)
            times.append((time.perf_counter() - started) * 1000)
        every += times
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"{q:<24} {total:>8} {statistics.median(times):>8.1f} {p95:>8.1f}")
    every.sort()
    p95 = every[int(len(every) * 0.95)]
    print(
        f"all queries: p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms, "
        f"max {every[-1]:.1f} ms ({len(every)} searches)"
    )


if __name__ == "__main__":
    main()
