"""The refusal check the tests rely on fails when the rule refuses for another reason."""

import pytest
from django.core.exceptions import ValidationError

from aftersales.common.exceptions import ConflictError
from tests import factories


def test_refused_passes_only_on_the_named_field_or_message():
    with factories.refused("amount"):
        raise ValidationError({"amount": "too much"})
    with factories.refused(conflict="已作废"):
        raise ConflictError("工单已作废。")
    with pytest.raises(AssertionError), factories.refused("amount"):
        raise ValidationError({"note": "missing"})
    with pytest.raises(AssertionError), factories.refused(conflict="已作废"):
        raise ConflictError("工单已完成。")
    with pytest.raises(AssertionError), factories.refused("amount"):
        pass
    with pytest.raises(ValidationError), factories.refused(conflict="已作废"):
        raise ValidationError({"note": "not a conflict"})
