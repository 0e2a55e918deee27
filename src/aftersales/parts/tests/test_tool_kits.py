"""Tool kits (R-SP-5): on record per technician, losses and replacements recorded."""

import pytest
from tests import factories

from aftersales.parts import toolkits
from aftersales.parts.models import Tool, ToolKit

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(users):
    return toolkits.tool_kit_create(
        actor=users.warehouse,
        code="TK-01",
        holder=users.tech,
        tools=[("万用表", "GJ-1001"), ("压线钳", ""), ("笔记本电脑", "IT-2033")],
    )


def test_a_kit_is_issued_to_an_active_technician_with_its_tools(users, kit):
    assert [t.name for t in kit.tools.all()] == ["万用表", "压线钳", "笔记本电脑"]
    with factories.refused("holder"):  # not a technician
        toolkits.tool_kit_create(actor=users.warehouse, code="TK-02", holder=users.agent)
    with factories.refused("code"):  # the code is taken
        toolkits.tool_kit_create(actor=users.warehouse, code="TK-01", holder=users.tech)
    assert ToolKit.objects.count() == 1


def test_a_loss_is_recorded_with_how_and_the_replacement_names_what_it_replaces(users, kit):
    meter = kit.tools.get(name="万用表")
    with factories.refused("reason"):
        toolkits.tool_lost(actor=users.tech, tool=meter, reason=" ")
    toolkits.tool_lost(actor=users.tech, tool=meter, reason="现场遗失")
    meter.refresh_from_db()
    assert (meter.status, meter.note) == ("lost", "现场遗失")
    with factories.refused(conflict="不在工具包中"):
        toolkits.tool_lost(actor=users.tech, tool=meter, reason="again")
    with factories.refused("tool"):  # the technician does not replace it himself
        toolkits.tool_replace(actor=users.tech, tool=meter, asset_number="GJ-1002")
    new = toolkits.tool_replace(actor=users.warehouse, tool=meter, asset_number="GJ-1002")
    meter.refresh_from_db()
    assert meter.status == "replaced" and new.replaces == meter and new.status == "in_kit"
    with factories.refused(conflict="只有遗失的工具才能补发"):
        toolkits.tool_replace(actor=users.warehouse, tool=meter)
    assert meter.history.count() == 3  # added, lost, replaced: each with who and when


def test_a_technician_reports_only_on_their_own_kit(users, kit):
    other = factories.make_user("tech8", "technician")
    with factories.refused("tool"):
        toolkits.tool_lost(actor=other, tool=kit.tools.first(), reason="?")


def test_pages_and_api_show_each_technician_only_their_kit(page, api, users, kit, company_a):
    other = factories.make_user("tech8", "technician")
    toolkits.tool_kit_create(
        actor=users.warehouse, code="TK-08", holder=other, tools=[("梯子", "")]
    )
    html = page(users.tech).get("/parts/tool-kits/").content.decode()
    assert 'data-kit="TK-01"' in html and 'data-kit="TK-08"' not in html
    html = page(users.warehouse).get("/parts/tool-kits/").content.decode()
    assert 'data-kit="TK-01"' in html and 'data-kit="TK-08"' in html
    assert page(company_a.user).get("/parts/tool-kits/").status_code == 403
    assert page(users.nobody).get("/parts/tool-kits/").status_code == 403
    codes = [k["code"] for k in api(users.tech).get("/api/v1/tool-kits/").json()["results"]]
    assert codes == ["TK-01"]
    ladder = Tool.objects.get(name="梯子")
    assert (
        api(users.tech).post(f"/api/v1/tools/{ladder.pk}/lost/", {"reason": "x"}).status_code == 404
    )
    meter = kit.tools.get(name="万用表")
    lost = api(users.tech).post(f"/api/v1/tools/{meter.pk}/lost/", {"reason": "掉落损坏"})
    assert lost.status_code == 200 and lost.json()["status"] == "lost"
    assert api(users.tech).post(f"/api/v1/tools/{meter.pk}/replace/", {}).status_code == 400
    new = api(users.warehouse).post(f"/api/v1/tools/{meter.pk}/replace/", {"asset_number": "N-1"})
    assert new.status_code == 200 and new.json()["replaces"] == meter.pk
    made = api(users.warehouse).post(
        "/api/v1/tool-kits/",
        {"code": "TK-09", "holder": users.tech.pk, "tools": [{"name": "扳手"}]},
    )
    assert made.status_code == 201 and made.json()["tools"][0]["name"] == "扳手"
    assert (
        api(users.tech)
        .post("/api/v1/tool-kits/", {"code": "X", "holder": users.tech.pk})
        .status_code
        == 403
    )


def test_issuing_and_reporting_on_the_page(page, users, kit):
    client = page(users.warehouse)
    client.post(
        "/parts/tool-kits/", {"code": "TK-05", "holder": users.tech.pk, "tools": "扳手, GJ-9\n梯子"}
    )
    made = ToolKit.objects.get(code="TK-05")
    assert [(t.name, t.asset_number) for t in made.tools.all()] == [("扳手", "GJ-9"), ("梯子", "")]
    tool = made.tools.first()
    page(users.tech).post(f"/parts/tools/{tool.pk}/lost/", {"reason": "遗失"})
    tool.refresh_from_db()
    assert tool.status == "lost"
