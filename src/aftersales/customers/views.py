"""Pages for customers and equipment. Thin: validate, call one service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from aftersales.accounts.selectors import can_view_audit
from aftersales.common.audit import history_entries
from aftersales.common.forms import run_service
from aftersales.common.requests import acting_user, customers_to_portal
from aftersales.customers import forms, selectors, services

PAGE_SIZE = 25


def _require(request: HttpRequest, permission: str) -> None:
    if not acting_user(request).has_perm(permission):
        raise PermissionDenied


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _form_page(request: HttpRequest, form: Any, title: str, *, cancel: str) -> HttpResponse:
    return render(request, "form_page.html", {"form": form, "title": title, "cancel": cancel})


# --- customers -------------------------------------------------------------------


@login_required
@customers_to_portal("portal:equipment")
def customer_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.view_customer")
    filters = forms.CustomerFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    key = data.get("key")
    customers = selectors.customer_list(
        user,
        q=data.get("q", ""),
        region=data.get("region", ""),
        is_key_customer=None if not key else key == "1",
    )
    page_obj = _page(request, customers)
    page_obj.object_list = selectors.with_equipment_counts(page_obj.object_list)
    return render(
        request,
        "customers/customer_list.html",
        {
            "filters": filters,
            "page_obj": page_obj,
            "regions": selectors.customer_regions() if not user.is_external else [],
        },
    )


@login_required
def customer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    customer = selectors.get_customer_for_user(user, pk)
    if user.is_external:  # our notes on a customer (salesperson, key account) are ours
        return redirect("portal:equipment")
    equipment = selectors.equipment_list(user, customer=customer.pk)
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "sites": customer.sites.all(),
            "contacts": customer.contacts.select_related("site"),
            "equipment_page": _page(request, equipment),
            "contracts": customer.contracts.prefetch_related("equipment"),
            "history": history_entries(customer) if can_view_audit(user) else [],
        },
    )


@login_required
def customer_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.add_customer")
    form = forms.CustomerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        customer = run_service(
            form, lambda: services.customer_create(actor=user, **form.cleaned_data)
        )
        if customer is not None:
            messages.success(request, _("Customer %(name)s created.") % {"name": customer.name})
            return redirect("customers:detail", pk=customer.pk)
    return _form_page(request, form, _("New customer"), cancel=reverse("customers:list"))


@login_required
def customer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.change_customer")
    customer = selectors.get_customer_for_user(user, pk)
    form = forms.CustomerForm(request.POST or None, instance=customer)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if run_service(
            form,
            lambda: services.customer_update(actor=user, customer=customer, **fields),
        ):
            messages.success(request, _("Saved."))
            return redirect("customers:detail", pk=customer.pk)
    return _form_page(
        request, form, _("Edit customer"), cancel=reverse("customers:detail", args=[pk])
    )


@login_required
def site_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.add_site")
    customer = selectors.get_customer_for_user(user, pk)
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.site_create(actor=user, customer=customer, **form.cleaned_data),
        )
        if done is not None:
            return redirect("customers:detail", pk=customer.pk)
    return _form_page(
        request,
        form,
        _("New site for %(name)s") % {"name": customer.name},
        cancel=reverse("customers:detail", args=[pk]),
    )


@login_required
def contact_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.add_contact")
    customer = selectors.get_customer_for_user(user, pk)
    form = forms.ContactForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.contact_create(actor=user, customer=customer, **form.cleaned_data),
        )
        if done is not None:
            return redirect("customers:detail", pk=customer.pk)
    return _form_page(
        request,
        form,
        _("New contact for %(name)s") % {"name": customer.name},
        cancel=reverse("customers:detail", args=[pk]),
    )


@login_required
def contract_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.add_maintenancecontract")
    customer = selectors.get_customer_for_user(user, pk)
    form = forms.ContractForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.contract_create(actor=user, customer=customer, **form.cleaned_data),
        )
        if done is not None:
            return redirect("customers:detail", pk=customer.pk)
    return _form_page(
        request,
        form,
        _("New maintenance contract for %(name)s") % {"name": customer.name},
        cancel=reverse("customers:detail", args=[pk]),
    )


# --- equipment --------------------------------------------------------------------


@login_required
@customers_to_portal("portal:equipment")
def equipment_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.view_equipment")
    filters = forms.EquipmentFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    equipment = selectors.equipment_list(
        user,
        q=data.get("q", ""),
        status=data.get("status", ""),
        customer=data.get("customer"),
    )
    return render(
        request,
        "customers/equipment_list.html",
        {"filters": filters, "page_obj": _page(request, equipment)},
    )


@login_required
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    equipment = selectors.get_equipment_for_user(user, pk)
    timeline = selectors.equipment_timeline(equipment)
    if user.is_external:  # a customer sees the history of their unit, not our staff
        timeline = [entry.without_who() for entry in timeline]
    kinds = selectors.TIMELINE_KINDS
    if not can_view_audit(user):  # record changes are the audit trail: managers only
        timeline = [entry for entry in timeline if entry.kind != "record"]
        kinds = [(kind, label) for kind, label in kinds if kind != "record"]
    return render(
        request,
        "customers/equipment_detail.html",
        {
            "equipment": equipment,
            "sale_order": _sale_order(user, equipment),
            "timeline": timeline,
            "timeline_kinds": kinds,
            "timeline_counts": {
                kind: sum(1 for e in timeline if e.kind == kind) for kind, _label in kinds
            },
        },
    )


def _sale_order(user: Any, equipment: Any) -> Any:
    """The order that sold the unit, for those who read sales records."""
    if not user.has_perm("sales.view_salesorder") or user.is_external:
        return None
    from aftersales.sales.models import SalesOrder

    return SalesOrder.objects.filter(lines__units__equipment=equipment).first()


@login_required
def equipment_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.add_equipment")
    customers = selectors.customers_for(user)
    initial = {}
    if request.GET.get("customer", "").isdigit():
        initial["customer"] = request.GET["customer"]
    form = forms.EquipmentForm(request.POST or None, customers=customers, initial=initial)
    if request.method == "POST" and form.is_valid():
        equipment = run_service(
            form, lambda: services.equipment_create(actor=user, **form.cleaned_data)
        )
        if equipment is not None:
            messages.success(
                request, _("Equipment %(serial)s created.") % {"serial": equipment.serial_number}
            )
            return redirect("customers:equipment_detail", pk=equipment.pk)
    return _form_page(request, form, _("New equipment"), cancel=reverse("customers:equipment_list"))


@login_required
def equipment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    _require(request, "customers.change_equipment")
    equipment = selectors.get_equipment_for_user(user, pk)
    form = forms.EquipmentForm(
        request.POST or None,
        instance=equipment,
        customers=selectors.customers_for(user),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if run_service(
            form,
            lambda: services.equipment_update(actor=user, equipment=equipment, **fields),
        ):
            messages.success(request, _("Saved."))
            return redirect("customers:equipment_detail", pk=equipment.pk)
    return _form_page(
        request, form, _("Edit equipment"), cancel=reverse("customers:equipment_detail", args=[pk])
    )
