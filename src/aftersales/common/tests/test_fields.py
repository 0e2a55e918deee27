"""Exact decimals on SQLite too: the stock ledger's sums must not drift."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone
from tests import factories

from aftersales.parts.models import Balance, Movement

pytestmark = pytest.mark.django_db


def test_a_thousand_dimes_and_fifths_sum_exactly():
    """0.1 + 0.2 is 0.30000000000000004 in floating point; SQLite's REAL would drift."""
    item, place = factories.make_part(), factories.make_location("SUM")
    now = timezone.now()
    Movement.objects.bulk_create(
        Movement(
            item=item,
            location=place,
            kind="receipt",
            quantity="0.001",
            value="0.10" if n % 2 else "0.20",
            at=now,
            month=now.date().replace(day=1),
            document="T",
            reason="t",
        )
        for n in range(1000)
    )
    total = Movement.objects.aggregate(v=Sum("value"), q=Sum("quantity"))
    assert total == {"v": Decimal("150.00"), "q": Decimal("1.000")}
    assert isinstance(total["v"], Decimal)


def test_values_round_trip_at_their_scale():
    item = factories.make_part()
    place = factories.make_location("RT")
    saved = Balance.objects.create(item=item, location=place, quantity="12.345", value="0.07")
    again = Balance.objects.get(pk=saved.pk)
    assert (again.quantity, again.value) == (Decimal("12.345"), Decimal("0.07"))
    assert Balance.objects.filter(quantity__gt="12.344", value__lt="0.08").count() == 1
