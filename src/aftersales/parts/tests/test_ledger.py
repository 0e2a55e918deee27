"""The stock ledger (R-SP-1): every movement a row, balances in step, never negative."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import factories

from aftersales.parts import selectors, services
from aftersales.parts.models import Balance, Movement
from aftersales.parts.tests.conftest import NOW

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(stock):
    return stock["order"]


def ledger_sum(item, location=None):
    rows = Movement.objects.filter(item=item)
    if location is not None:
        rows = rows.filter(location=location)
    totals = rows.aggregate(q=Sum("quantity"), v=Sum("value"))
    return totals["q"] or Decimal(0), totals["v"] or Decimal(0)


def balance(item, location):
    found = Balance.objects.filter(item=item, location=location).first()
    return (found.quantity, found.value) if found else (Decimal(0), Decimal(0))


def test_a_receipt_books_quantity_and_value_with_a_document_and_a_user(users, stock):
    moved = services.stock_receive(
        actor=users.warehouse,
        item=stock["psu"],
        location=stock["depot"],
        quantity=10,
        unit_cost="120.50",
        document="供应商送货单 8812",
    )
    assert (moved.kind, moved.quantity, moved.value) == ("receipt", 10, Decimal("1205.00"))
    assert moved.document == "供应商送货单 8812" and moved.actor == users.warehouse
    assert moved.month == dt.date(2026, 11, 1)
    assert balance(stock["psu"], stock["depot"]) == (10, Decimal("1205.00"))
    assert selectors.on_hand(stock["psu"]) == 10
    with factories.refused("document"):  # a receipt needs the supplier's delivery note
        services.stock_receive(
            actor=users.warehouse,
            item=stock["psu"],
            location=stock["depot"],
            quantity=1,
            unit_cost=0,
        )
    with factories.refused("location"):  # and the warehouse books it, not a technician
        services.stock_receive(
            actor=users.tech,
            item=stock["psu"],
            location=stock["depot"],
            quantity=1,
            unit_cost=0,
            document="送货单",
        )
    assert selectors.on_hand(stock["psu"]) == 10


def test_issues_are_valued_at_the_moving_average_and_the_last_unit_takes_the_rest(
    users, stock, order
):
    psu, depot = stock["psu"], stock["depot"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=depot,
        quantity=2,
        unit_cost=100,
    )
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=depot,
        quantity=1,
        unit_cost=101,
    )
    # 3 units worth 301.00: one at 100.33, then the remaining two worth 200.67.
    first = services.stock_issue(
        actor=users.warehouse, work_order=order, item=psu, location=depot, quantity=1
    )
    assert first.value == Decimal("-100.33") and first.document == order.number
    rest = services.stock_issue(
        actor=users.warehouse, work_order=order, item=psu, location=depot, quantity=2
    )
    assert rest.value == Decimal("-200.67")
    assert balance(psu, depot) == (0, 0) == ledger_sum(psu, depot)


@pytest.mark.parametrize(
    "quantity, message_part",
    [(0, "more than zero"), (-1, "more than zero"), ("1.5", "whole"), ("abc", "number")],
)
def test_bad_quantities_are_refused_and_nothing_is_written(
    users, stock, quantity, message_part, settings
):
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as refused:
        services.stock_receive(
            document="供应商送货单",
            actor=users.warehouse,
            item=stock["psu"],
            location=stock["depot"],
            quantity=quantity,
            unit_cost=1,
        )
    assert "quantity" in refused.value.message_dict
    assert not Movement.objects.exists()


def test_items_by_the_metre_take_fractions(users, stock):
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=stock["cable"],
        location=stock["depot"],
        quantity="30.5",
        unit_cost="2.00",
    )
    assert selectors.on_hand(stock["cable"]) == Decimal("30.5")


def test_issuing_more_than_on_hand_is_refused_and_changes_nothing(users, stock, order):
    psu, kit = stock["psu"], stock["kit"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=kit,
        quantity=1,
        unit_cost=100,
    )
    with pytest.raises(ValidationError) as refused:
        services.stock_issue(actor=users.tech, work_order=order, item=psu, location=kit, quantity=2)
    assert "quantity" in refused.value.message_dict
    assert balance(psu, kit) == (1, Decimal("100.00"))
    assert Movement.objects.count() == 1


def test_a_technician_books_only_in_their_own_kit(users, stock, order):
    psu = stock["psu"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=stock["depot"],
        quantity=5,
        unit_cost=100,
    )
    with pytest.raises(ValidationError) as refused:
        services.stock_issue(
            actor=users.tech, work_order=order, item=psu, location=stock["depot"], quantity=1
        )
    assert "location" in refused.value.message_dict
    services.stock_transfer(
        actor=users.warehouse, item=psu, source=stock["depot"], target=stock["kit"], quantity=2
    )
    used = services.stock_issue(
        actor=users.tech, work_order=order, item=psu, location=stock["kit"], quantity=1
    )
    assert used.location == stock["kit"] and used.work_order == order


def test_a_transfer_moves_quantity_and_value_in_two_rows_of_one_document(users, stock):
    psu = stock["psu"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=stock["depot"],
        quantity=4,
        unit_cost=100,
    )
    out, into = services.stock_transfer(
        actor=users.warehouse, item=psu, source=stock["depot"], target=stock["kit"], quantity=3
    )
    assert out.document == into.document == "DB-2026-000001"
    assert (out.quantity, out.value, into.quantity, into.value) == (
        -3,
        Decimal("-300.00"),
        3,
        Decimal("300.00"),
    )
    assert balance(psu, stock["kit"]) == (3, Decimal("300.00"))
    assert selectors.on_hand(psu) == 4
    with factories.refused("source"):
        services.stock_transfer(
            actor=users.tech, item=psu, source=stock["kit"], target=stock["depot"], quantity=1
        )


def test_returns_come_back_at_issue_cost_and_never_more_than_was_taken(users, stock, order):
    psu, kit = stock["psu"], stock["kit"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=kit,
        quantity=2,
        unit_cost=90,
    )
    services.stock_issue(actor=users.tech, work_order=order, item=psu, location=kit, quantity=2)
    with factories.refused("quantity"):
        services.stock_return(
            actor=users.tech, work_order=order, item=psu, location=kit, quantity=3
        )
    back = services.stock_return(
        actor=users.tech, work_order=order, item=psu, location=kit, quantity=1, reason="未使用"
    )
    assert (back.kind, back.quantity, back.value) == ("return", 1, Decimal("90.00"))
    assert balance(psu, kit) == (1, Decimal("90.00")) == ledger_sum(psu, kit)


def test_nothing_is_booked_to_a_void_order(users, stock, order):
    from aftersales.service import work_orders

    psu, kit = stock["psu"], stock["kit"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=kit,
        quantity=2,
        unit_cost=90,
    )
    work_orders.work_order_void(actor=users.manager, work_order=order, reason="填错")
    with factories.refused(conflict="该维修单已作废"):
        services.stock_issue(actor=users.tech, work_order=order, item=psu, location=kit, quantity=1)


def test_a_write_off_needs_a_reason_and_the_warehouse(users, stock):
    psu, depot = stock["psu"], stock["depot"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=depot,
        quantity=2,
        unit_cost=50,
    )
    with factories.refused("reason"):
        services.stock_write_off(
            actor=users.warehouse, item=psu, location=depot, quantity=1, reason=""
        )
    with factories.refused("location"):
        services.stock_write_off(
            actor=users.tech, item=psu, location=depot, quantity=1, reason="坏"
        )
    gone = services.stock_write_off(
        actor=users.warehouse, item=psu, location=depot, quantity=1, reason="运输损坏"
    )
    assert (gone.kind, gone.quantity, gone.value) == ("write_off", -1, Decimal("-50.00"))
    assert gone.document == "BF-2026-000001"


def test_a_stock_count_books_each_difference_under_one_document(users, stock):
    psu, cable, depot = stock["psu"], stock["cable"], stock["depot"]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=depot,
        quantity=5,
        unit_cost=100,
    )
    booked = services.stock_count(
        actor=users.warehouse, location=depot, counts={psu: 3, cable: "12.5"}, note="11月盘点"
    )
    by_item = {m.item: m for m in booked}
    assert by_item[psu].quantity == -2 and by_item[psu].value == Decimal("-200.00")
    # Nothing was on the books for the cable: the gain is valued at the list price (0 here).
    assert by_item[cable].quantity == Decimal("12.5")
    assert {m.document for m in booked} == {"PD-2026-000001"}
    assert selectors.on_hand(psu, depot) == 3 and selectors.on_hand(cable, depot) == Decimal("12.5")
    # A count that agrees with the books books nothing.
    assert services.stock_count(actor=users.warehouse, location=depot, counts={psu: 3}) == []
    with factories.refused("lines"):
        services.stock_count(actor=users.warehouse, location=depot, counts={psu: "-1"})
    with factories.refused("lines"):
        services.stock_count(actor=users.warehouse, location=depot, counts={psu: "2.5"})


def test_movements_cannot_be_dated_in_the_future(users, stock):
    with factories.refused("at"):
        services.stock_receive(
            document="供应商送货单",
            actor=users.warehouse,
            item=stock["psu"],
            location=stock["depot"],
            quantity=1,
            unit_cost=1,
            at=NOW + dt.timedelta(hours=1),
        )


def test_reorder_list_shows_items_at_or_below_their_level(users, stock):
    from aftersales.customers.services import part_item_update

    psu = part_item_update(actor=None, part_item=stock["psu"], reorder_level=3)
    assert list(selectors.to_reorder()) == [psu]  # nothing on hand at all
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=stock["depot"],
        quantity=3,
        unit_cost=1,
    )
    assert [i.on_hand for i in selectors.to_reorder()] == [3]
    services.stock_receive(
        document="供应商送货单",
        actor=users.warehouse,
        item=psu,
        location=stock["kit"],
        quantity=1,
        unit_cost=1,
    )
    assert list(selectors.to_reorder()) == []


# --- on hand is always the sum of the ledger (property) -----------------------------------

step = st.tuples(
    st.sampled_from(["receive", "issue", "transfer", "write_off", "count"]),
    st.sampled_from(["depot", "kit"]),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=500),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, max_size=12))
def test_on_hand_always_equals_the_sum_of_movements_and_never_goes_negative(
    users, stock, order, steps
):
    psu = stock["psu"]
    places = {"depot": stock["depot"], "kit": stock["kit"]}
    Movement.objects.all().delete()
    Balance.objects.all().delete()
    for action, place, amount, cost in steps:
        other = places["kit" if place == "depot" else "depot"]
        try:
            if action == "receive":
                services.stock_receive(
                    document="供应商送货单",
                    actor=users.warehouse,
                    item=psu,
                    location=places[place],
                    quantity=amount,
                    unit_cost=cost,
                )
            elif action == "issue":
                services.stock_issue(
                    actor=users.warehouse,
                    work_order=order,
                    item=psu,
                    location=places[place],
                    quantity=amount,
                )
            elif action == "transfer":
                services.stock_transfer(
                    actor=users.warehouse,
                    item=psu,
                    source=places[place],
                    target=other,
                    quantity=amount,
                )
            elif action == "write_off":
                services.stock_write_off(
                    actor=users.warehouse,
                    item=psu,
                    location=places[place],
                    quantity=amount,
                    reason="损坏",
                )
            else:
                services.stock_count(
                    actor=users.warehouse, location=places[place], counts={psu: amount}
                )
        except ValidationError:
            pass  # refused: and then nothing may have changed, which the sums below check
        for location in places.values():
            quantity, value = balance(psu, location)
            assert (quantity, value) == ledger_sum(psu, location)
            assert quantity >= 0 and value >= 0
            assert quantity > 0 or value == 0  # an empty place is worth nothing
