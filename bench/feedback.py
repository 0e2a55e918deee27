"""Return visits and satisfaction at scale (issue 7).

    .venv/bin/python bench/feedback.py [--customers 100000] [--answers 1000000]

Targets: a year's statistics with 1,000,000 answers under 2 seconds on PostgreSQL;
generating a quarter's visits for 100,000 customers under 60 seconds. Uses
DATABASE_URL if set, else var/bench-feedback.sqlite3. Generates once:

- customers, each with one unit in warranty and half with a primary contact;
- a published survey of five scored questions and invitations for the past
  twelve months, five answers each (50 technicians, 20 product models, 8 regions);

then times the quarter's plan from nothing (the worst case: every visit new), the
plan run again (nothing to add), and the year's full report (overall and by
question, month, product, technician and region, the response and visit rates),
median of 5 runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics as stats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-feedback.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aftersales.config.settings")

import django  # noqa: E402

django.setup()

from common import analyze  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from aftersales.accounts.models import User  # noqa: E402
from aftersales.accounts.roles import Role  # noqa: E402
from aftersales.accounts.services import user_create  # noqa: E402
from aftersales.customers.models import Contact, Customer, Equipment, ProductModel  # noqa: E402
from aftersales.feedback import statistics, surveys, visits  # noqa: E402
from aftersales.feedback.models import Answer, QuestionSet, SurveyInvitation, Visit  # noqa: E402

REGIONS = ["华东", "华北", "华南", "华中", "西南", "西北", "东北", "港澳"]
PER_INVITATION = 5


def manager() -> User:
    return User.objects.filter(username="bench-manager").first() or user_create(
        actor=None, username="bench-manager", password="bench-pass-1", roles=[Role.SERVICE_MANAGER]
    )


def make_customers(count: int) -> None:
    have = Customer.objects.filter(name__startswith="基准客户").count()
    if have >= count:
        return
    print(f"generating {count - have:,} customers with a unit in warranty …", flush=True)
    model, _ = ProductModel.objects.get_or_create(code="BENCH-NVR", defaults={"name": "基准录像机"})
    until = timezone.localdate() + dt.timedelta(days=400)
    for start in range(have, count, 10_000):
        batch = range(start, min(count, start + 10_000))
        made = Customer.objects.bulk_create(
            [Customer(name=f"基准客户{n:07d}", region=REGIONS[n % 8]) for n in batch]
        )
        ids = (
            [c.pk for c in made]
            if made and made[0].pk
            else list(
                Customer.objects.filter(name__in=[f"基准客户{n:07d}" for n in batch]).values_list(
                    "pk", flat=True
                )
            )
        )
        Equipment.objects.bulk_create(
            [
                Equipment(
                    serial_number=f"BF{pk:09d}",
                    product_model=model,
                    customer_id=pk,
                    warranty_months=24,
                    warranty_until=until,
                )
                for pk in ids
            ]
        )
        Contact.objects.bulk_create(
            [
                Contact(customer_id=pk, name="联系人", phone=f"139{pk:08d}", is_primary=True)
                for pk in ids[::2]
            ]
        )


def make_answers(total: int) -> None:
    if Answer.objects.count() >= total:
        return
    print(f"generating {total:,} answers …", flush=True)
    owner = manager()
    question_set = QuestionSet.objects.filter(code="bench").first() or surveys.question_set_create(
        actor=owner,
        code="bench",
        name="基准满意度调查",
        kind="annual",
        questions=[{"kind": "score", "text": f"问题 {n}"} for n in range(1, PER_INVITATION + 1)],
    )
    questions = list(question_set.questions.values_list("pk", flat=True))
    technicians = [
        (
            User.objects.filter(username=f"bench-tech-{n}").first()
            or user_create(
                actor=None,
                username=f"bench-tech-{n}",
                password="bench-pass-1",
                roles=[Role.TECHNICIAN],
            )
        ).pk
        for n in range(50)
    ]
    models = [
        ProductModel.objects.get_or_create(code=f"BENCH-M{n}", defaults={"name": f"型号 {n}"})[0].pk
        for n in range(20)
    ]
    customers = list(Customer.objects.values_list("pk", flat=True)[:5000])
    rng = random.Random(7)
    this_month = timezone.localdate().replace(day=1)
    months = []
    month = this_month
    for _ in range(12):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    invitations = total // PER_INVITATION
    for start in range(0, invitations, 20_000):
        rows = []
        for n in range(start, min(invitations, start + 20_000)):
            at = timezone.make_aware(dt.datetime.combine(rng.choice(months), dt.time(10)))
            rows.append(
                SurveyInvitation(
                    question_set=question_set,
                    customer_id=rng.choice(customers),
                    token_hash=f"bench{n:059d}",
                    created_at=at,
                    expires_at=at + dt.timedelta(days=14),
                    answered_at=at + dt.timedelta(days=rng.randint(0, 10)),
                    technician_id=rng.choice(technicians),
                    product_model_id=rng.choice(models),
                    region=rng.choice(REGIONS),
                )
            )
        SurveyInvitation.objects.bulk_create(rows, batch_size=5000)
        made = list(
            SurveyInvitation.objects.filter(
                token_hash__gte=f"bench{start:059d}",
                token_hash__lt=f"bench{min(invitations, start + 20_000):059d}",
            ).values_list("pk", "answered_at", "technician_id", "product_model_id", "region")
        )
        answers = [
            Answer(
                invitation_id=pk,
                question_id=question,
                score=rng.choices([1, 2, 3, 4, 5], weights=[3, 5, 12, 40, 40])[0],
                month=timezone.localtime(answered).date().replace(day=1),
                region=region,
                technician_id_copy=technician,
                product_model_id_copy=model,
                counts_questionnaire=position == 0,  # the first score counts the form
            )
            for pk, answered, technician, model, region in made
            for position, question in enumerate(questions)
        ]
        Answer.objects.bulk_create(answers, batch_size=10_000)
        print(f"  {min(invitations, start + 20_000) * PER_INVITATION:,} answers", flush=True)


def timed(label: str, action, runs: int = 1) -> float:
    seconds = []
    result = None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - started)
    median = stats.median(seconds)
    print(f"{label}: {median:.2f} s (median of {runs}){'' if result is None else f' → {result}'}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--answers", type=int, default=1_000_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    make_customers(args.customers)
    make_answers(args.answers)
    analyze()
    today = timezone.localdate()
    period, _first, _last = visits.quarter_of(today)
    Visit.objects.filter(kind="quarterly", period=period).delete()
    Visit.history.filter(kind="quarterly", period=period).delete()  # type: ignore[attr-defined]
    timed(
        f"plan {period} from nothing ({args.customers:,} customers)", lambda: visits.visits_plan()
    )
    timed(f"plan {period} again (nothing to add)", lambda: visits.visits_plan())
    analyze()
    year_first = (today.replace(day=1) - dt.timedelta(days=365)).replace(day=1)
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    report = None

    def year_report():
        nonlocal report
        report = statistics.report(year_first, last_month, comments=50)
        return None

    timed(
        f"report {year_first:%Y-%m}..{last_month:%Y-%m} ({Answer.objects.count():,} answers)",
        year_report,
        runs=5,
    )
    assert report is not None
    print(
        f"  overall {report.overall.rate} % of {report.overall.answered:,} scored; "
        f"{len(report.by_month)} months, {len(report.by_technician)} technicians, "
        f"{len(report.by_product)} products, {len(report.by_region)} regions"
    )
    # The figures agree with a plain count.
    satisfied = Answer.objects.filter(
        month__gte=year_first, month__lte=last_month, score__gte=4
    ).count()
    assert satisfied == report.overall.satisfied, (satisfied, report.overall.satisfied)
    forms = (
        Answer.objects.filter(month__gte=year_first, month__lte=last_month, score__isnull=False)
        .values("invitation")
        .distinct()
        .count()
    )
    assert forms == report.overall.questionnaires, (forms, report.overall.questionnaires)
    print("  checked: satisfied answers and questionnaires equal plain counts")


if __name__ == "__main__":
    main()
