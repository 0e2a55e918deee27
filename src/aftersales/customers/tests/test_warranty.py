"""Rules: R-CUS-5 (warranty and maintenance periods)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aftersales.calendars.periods import add_months
from aftersales.customers.warranty import (
    WarrantyStatus,
    maintenance_until,
    warranty_status,
    warranty_until,
)

D = dt.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 15), 12, D(2027, 3, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 5, 1), 0, D(2026, 5, 1)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(start, months) == expected


def test_warranty_covers_up_to_the_day_before_the_same_date_months_later():
    assert warranty_until(D(2025, 3, 15), 12) == D(2026, 3, 14)


def test_warranty_of_zero_months_never_covers_a_day():
    assert warranty_until(D(2025, 3, 15), 0) == D(2025, 3, 14)


def test_maintenance_period_follows_the_warranty_directly():
    assert maintenance_until(D(2025, 3, 15), 12, 24) == D(2028, 3, 14)
    assert maintenance_until(D(2025, 3, 15), 12, 0) is None


ACCEPTED = D(2025, 3, 15)


def _status(on, accepted=ACCEPTED, w=12, m=0, contract=False):
    return warranty_status(
        on=on,
        accepted_on=accepted,
        warranty_until=warranty_until(accepted, w),
        maintenance_until=maintenance_until(accepted, w, m),
        under_contract=contract,
    )


def test_status_the_day_before_expiry_is_in_warranty():
    assert _status(D(2026, 3, 13)) == WarrantyStatus.IN_WARRANTY


def test_status_on_the_day_of_expiry_is_still_in_warranty():
    assert _status(D(2026, 3, 14)) == WarrantyStatus.IN_WARRANTY


def test_status_the_day_after_expiry_is_out_of_warranty():
    assert _status(D(2026, 3, 15)) == WarrantyStatus.OUT_OF_WARRANTY


def test_status_after_warranty_within_the_maintenance_period_is_maintenance():
    assert _status(D(2026, 3, 15), m=6) == WarrantyStatus.MAINTENANCE_CONTRACT
    assert _status(D(2026, 9, 14), m=6) == WarrantyStatus.MAINTENANCE_CONTRACT
    assert _status(D(2026, 9, 15), m=6) == WarrantyStatus.OUT_OF_WARRANTY


def test_a_current_contract_covers_equipment_out_of_warranty():
    assert _status(D(2027, 1, 1), contract=True) == WarrantyStatus.MAINTENANCE_CONTRACT


def test_warranty_takes_precedence_over_a_contract():
    assert _status(D(2025, 6, 1), contract=True) == WarrantyStatus.IN_WARRANTY


def test_without_an_acceptance_date_the_status_is_unknown():
    assert _status(D(2026, 1, 1), accepted=None) == WarrantyStatus.UNKNOWN
    assert _status(D(2026, 1, 1), accepted=None, contract=True) == (
        WarrantyStatus.MAINTENANCE_CONTRACT
    )


@given(
    accepted=st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=120),
)
def test_warranty_is_in_force_exactly_until_its_last_day(accepted, months):
    last = warranty_until(accepted, months)
    assert accepted <= last < add_months(accepted, months)
    assert _status(last, accepted=accepted, w=months) == WarrantyStatus.IN_WARRANTY
    assert _status(last + dt.timedelta(days=1), accepted=accepted, w=months) == (
        WarrantyStatus.OUT_OF_WARRANTY
    )
