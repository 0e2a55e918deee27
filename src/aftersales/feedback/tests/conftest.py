import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from tests import factories

from aftersales.feedback.models import Visit


@pytest.fixture
def visit(users, company_a):
    """The return visit of a repair closed on Monday 12 October 2026 at 10:00."""
    when = dt.datetime(2026, 10, 12, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(when, tick=False):
        request = factories.make_request(company_a.customer, actor=users.agent)
        factories.close_request(request, users.agent)
    return Visit.objects.get(service_request=request)
