"""REST API for customers, equipment, product models and contracts (spec/api.md)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from aftersales.accounts.roles import Role
from aftersales.accounts.selectors import users_with_role
from aftersales.common.filters import FilterSet
from aftersales.common.permissions import RolePermissions
from aftersales.common.requests import acting_user, user_or_none
from aftersales.customers import selectors, services, warranty
from aftersales.customers.models import (
    Contact,
    Customer,
    Equipment,
    MaintenanceContract,
    ProductModel,
    Site,
)
from aftersales.customers.warranty import WarrantyStatus

# --- serializers ------------------------------------------------------------------


class SiteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = ["id", "name", "address"]


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email", "site", "is_primary"]


class CustomerSerializer(serializers.ModelSerializer):
    sites = SiteSerializer(many=True, read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "kind",
            "region",
            "is_key_customer",
            "sales_owner",
            "phone",
            "address",
            "notes",
            "is_active",
            "created_at",
            "updated_at",
            "sites",
            "contacts",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "sites", "contacts"]
        extra_kwargs = {"name": {"validators": []}}  # uniqueness: the service answers

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sales_owner"].queryset = users_with_role(Role.SALES)


class EquipmentSerializer(serializers.ModelSerializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    product_model = serializers.CharField(
        max_length=50, help_text=_("Model code or name; an unknown one joins the catalogue.")
    )
    product_model_name = serializers.CharField(source="product_model.name", read_only=True)
    accepted_on = serializers.DateField(allow_null=True)
    warranty_months = serializers.IntegerField(min_value=0, max_value=warranty.MAX_WARRANTY_MONTHS)
    maintenance_months = serializers.IntegerField(
        min_value=0, max_value=warranty.MAX_MAINTENANCE_MONTHS, required=False
    )
    warranty_status = serializers.ChoiceField(choices=WarrantyStatus.choices, read_only=True)
    purchase_date = serializers.DateField(
        source="purchased_on",
        read_only=True,
        allow_null=True,
        help_text="The order date of the sales order that delivered the unit.",
    )

    class Meta:
        model = Equipment
        fields = [
            "id",
            "serial_number",
            "customer",
            "customer_name",
            "site",
            "product_model",
            "product_model_name",
            "batch_number",
            "purchase_date",
            "delivered_on",
            "accepted_on",
            "warranty_months",
            "maintenance_months",
            "warranty_until",
            "maintenance_until",
            "warranty_status",
            "installed_by_us",
            "notes",
            "created_at",
        ]
        read_only_fields = ["id", "warranty_until", "maintenance_until", "created_at"]
        extra_kwargs = {"serial_number": {"validators": []}}  # uniqueness: the service answers

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        if user is not None:
            customers = selectors.customers_for(user)
            self.fields["customer"].queryset = customers
            self.fields["site"].queryset = Site.objects.filter(customer__in=customers)

    def to_representation(self, instance: Equipment) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["product_model"] = instance.product_model.code
        return data


class ContractSerializer(serializers.ModelSerializer):
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.none())
    equipment = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Equipment.objects.none(), required=False
    )
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = MaintenanceContract
        fields = [
            "id",
            "number",
            "customer",
            "level",
            "starts_on",
            "ends_on",
            "equipment",
            "visits_per_year",
            "annual_fee",
            "notes",
            "is_current",
        ]
        extra_kwargs = {"number": {"validators": []}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user = user_or_none(self.context.get("request"))
        if user is not None:
            self.fields["customer"].queryset = selectors.customers_for(user)
            self.fields["equipment"].child_relation.queryset = selectors.equipment_for(user)


class ProductModelSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductModel
        fields = [
            "id",
            "code",
            "name",
            "brand",
            "category",
            "default_warranty_months",
            "default_maintenance_months",
            "is_active",
        ]


# --- filters -------------------------------------------------------------------------


class CustomerFilter(FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = Customer
        fields = ["region", "is_key_customer", "sales_owner", "is_active"]

    def search(self, queryset: QuerySet[Customer], name: str, value: str) -> QuerySet[Customer]:
        return queryset.filter(
            pk__in=selectors.customer_list(acting_user(self.request), q=value).values("pk")
        )


class EquipmentFilter(FilterSet):
    warranty_status = django_filters.ChoiceFilter(
        choices=WarrantyStatus.choices, method="by_status", label=_("Warranty status")
    )
    serial_number = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Equipment
        fields = ["customer", "product_model", "batch_number", "serial_number"]

    def by_status(
        self, queryset: QuerySet[Equipment], name: str, value: str
    ) -> QuerySet[Equipment]:
        from django.utils import timezone

        return selectors.filter_by_warranty_status(queryset, value, timezone.localdate())


# --- views ----------------------------------------------------------------------------


class _Base(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [RolePermissions]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _respond(self, instance: Any, status: int = 200) -> Response:
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status)


class CustomerViewSet(_Base):
    """Customers (R-CUS-1). A customer contact sees only their own company."""

    serializer_class = CustomerSerializer
    filterset_class = CustomerFilter
    queryset = Customer.objects.none()

    def get_queryset(self) -> QuerySet[Customer]:
        return (
            selectors.customers_for(user_or_none(self.request))
            .select_related("sales_owner")
            .prefetch_related("sites", "contacts")
            .order_by("name")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = services.customer_create(actor=acting_user(request), **serializer.validated_data)
        return self._respond(customer, 201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        customer = self.get_object()
        serializer = self.get_serializer(customer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.customer_update(
            actor=acting_user(request), customer=customer, **serializer.validated_data
        )
        return self._respond(customer)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class EquipmentViewSet(_Base):
    """Installed equipment with its computed warranty status (R-CUS-3, R-CUS-5)."""

    serializer_class = EquipmentSerializer
    filterset_class = EquipmentFilter
    queryset = Equipment.objects.none()

    def get_queryset(self) -> QuerySet[Equipment]:
        return selectors.equipment_for(user_or_none(self.request)).order_by("serial_number")

    def _fields(self, data: dict[str, Any]) -> dict[str, Any]:
        if "product_model" in data:
            data["product_model"] = services.product_model_for_text(
                actor=acting_user(self.request), text=data["product_model"]
            )
        return data

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        equipment = services.equipment_create(
            actor=acting_user(request), **self._fields(dict(serializer.validated_data))
        )
        return self._respond(equipment, 201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        equipment = self.get_object()
        serializer = self.get_serializer(equipment, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.equipment_update(
            actor=acting_user(request),
            equipment=equipment,
            **self._fields(dict(serializer.validated_data)),
        )
        return self._respond(equipment)

    @extend_schema(exclude=True)
    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


class ContractViewSet(_Base):
    """Maintenance contracts (维保协议) with level and period."""

    serializer_class = ContractSerializer
    queryset = MaintenanceContract.objects.none()
    filterset_fields = ["customer", "level"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[MaintenanceContract]:
        return (
            MaintenanceContract.objects.filter(
                customer__in=selectors.customers_for(user_or_none(self.request))
            )
            .prefetch_related("equipment")
            .order_by("-starts_on", "number")
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contract = services.contract_create(actor=acting_user(request), **serializer.validated_data)
        return self._respond(contract, 201)


class ProductModelViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The product catalogue (R-CUS-2)."""

    serializer_class = ProductModelSerializer
    permission_classes = [RolePermissions]
    queryset = ProductModel.objects.order_by("code")
    filterset_fields = ["is_active", "category", "brand"]
