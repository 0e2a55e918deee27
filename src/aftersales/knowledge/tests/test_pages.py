"""The knowledge base on its pages: written, reviewed (never by its writer), published
as numbered versions; searched by staff with highlights; suggested at intake; drafted
from a resolved request; public articles in the portal with "did this help?"; the API's
search; and who is refused what."""

import pytest
from django.core.exceptions import PermissionDenied
from tests import factories

from aftersales.knowledge import services
from aftersales.knowledge.models import Article, Vote

pytestmark = pytest.mark.django_db


def test_an_engineer_writes_a_reviewer_publishes_and_readers_keep_the_published_version(
    page, users
):
    model = factories.make_product_model("HX-NVR-6400")
    factories.make_part("P-SATA", name="SATA 数据线")
    writer = page(users.tech)
    posted = {
        "title": "硬盘无法识别",
        "symptom": "录像机提示硬盘错误",
        "cause": "SATA 线松动",
        "steps": "重新插好 SATA 线",
        "product_models": [model.pk],
        "parts": "P-SATA, P-NONE",
        "public": "on",
    }
    refused = writer.post("/knowledge/new/", posted)
    assert refused.status_code == 400 and "P-NONE" in refused.content.decode()
    answer = writer.post("/knowledge/new/", posted | {"parts": "p-sata", "submit": "1"})
    article = Article.objects.get()
    assert answer.url == f"/knowledge/{article.pk}/" and article.status == "in_review"
    assert [p.code for p in article.parts.all()] == ["P-SATA"]
    # the writer (a technician) may not publish; the technical department may
    assert b'id="publish"' not in writer.get(f"/knowledge/{article.pk}/").content
    assert writer.post(f"/knowledge/{article.pk}/publish/").status_code == 403
    reviewer = page(users.techdept)  # the one client, logged in as each user in turn
    assert b'id="publish"' in reviewer.get(f"/knowledge/{article.pk}/").content
    reviewer.post(f"/knowledge/{article.pk}/publish/")
    article.refresh_from_db()
    assert (article.status, article.version) == ("published", 1)
    # revised: back to draft, readers still read version 1
    page(users.tech).post(
        f"/knowledge/{article.pk}/edit/",
        posted | {"parts": "", "steps": "更换硬盘", "submit": "1"},
    )
    article.refresh_from_db()
    assert article.status == "in_review" and article.steps == "更换硬盘"
    reader = page(users.agent).get(f"/knowledge/{article.pk}/").content.decode()
    assert "重新插好 SATA 线" in reader and "更换硬盘" not in reader
    page(users.techdept).post(f"/knowledge/{article.pk}/return/", {"note": "写明硬盘型号"})
    article.refresh_from_db()
    assert (article.status, article.review_note) == ("draft", "写明硬盘型号")
    assert "写明硬盘型号" in page(users.tech).get(f"/knowledge/{article.pk}/edit/").content.decode()


def test_the_writer_may_not_publish_their_own_article(users):
    article = services.article_create(actor=users.techdept, title="甲", symptom="乙", steps="丙")
    services.article_submit(actor=users.techdept, article=article)
    with factories.refused("article"):
        services.article_publish(actor=users.techdept, article=article)
    with pytest.raises(PermissionDenied):
        services.article_publish(actor=users.agent, article=article)  # no right to publish
    assert Article.objects.get().version == 0


def test_staff_search_highlights_and_pages(page, users, knowledge):
    found = page(users.agent).get("/knowledge/", {"q": "黑屏"}).content.decode()
    assert "<mark>黑屏</mark>" in found and f'data-article="{knowledge.black.pk}"' in found
    assert page(users.nobody).get("/knowledge/").status_code == 403


def test_suggestions_at_intake_put_the_callers_model_first(page, users, knowledge, company_a):
    client = page(users.agent)
    intake = client.get("/service-requests/new/").content.decode()
    assert 'id="suggestions"' in intake and "/knowledge/suggest/" in intake
    shown = client.get("/knowledge/suggest/", {"description": "录像机回放卡顿，偶尔黑屏"}).content
    assert f'data-article="{knowledge.playback.pk}"'.encode() in shown
    unit = factories.make_equipment(
        company_a.customer, serial_number="NVR-64", product_model=knowledge.models["HX-NVR-6400"]
    )
    mine = client.get(
        "/knowledge/suggest/",
        {"description": "录像机回放卡顿，偶尔黑屏", "serial_number": unit.serial_number},
    ).content.decode()
    assert mine.index(f'data-article="{knowledge.black.pk}"') < mine.index(
        f'data-article="{knowledge.playback.pk}"'
    )
    assert b"suggested-none" in client.get("/knowledge/suggest/", {"description": "冰箱"}).content


def test_a_resolved_requests_fix_becomes_a_draft(page, users, company_a):
    request = factories.make_request(company_a.customer, description="开机黑屏，风扇狂转")
    client = page(users.techdept)
    early = client.post(f"/knowledge/from-request/{request.pk}/")
    assert early.status_code == 302 and not Article.objects.exists()
    factories.close_request(request, users.manager)
    detail = page(users.techdept).get(f"/service-requests/{request.pk}/").content.decode()
    assert 'id="write-article"' in detail
    answer = page(users.techdept).post(f"/knowledge/from-request/{request.pk}/")
    article = Article.objects.get()
    assert answer.url == f"/knowledge/{article.pk}/edit/"
    assert article.status == "draft" and article.source_request == request
    assert article.symptom == "开机黑屏，风扇狂转" and "已修复" in article.steps
    assert page(users.agent).post(f"/knowledge/from-request/{request.pk}/").status_code == 403


def test_the_portal_shows_public_articles_only_and_counts_answers(
    page, users, knowledge, company_a, company_b
):
    client = page(company_a.user)
    listed = client.get("/portal/help/", {"q": "硬盘 黑屏"}).content.decode()
    assert f'data-article="{knowledge.black.pk}"' in listed
    assert f'data-article="{knowledge.disk.pk}"' not in listed  # staff only
    assert client.get(f"/portal/help/{knowledge.disk.pk}/").status_code == 404
    article = client.get(f"/portal/help/{knowledge.black.pk}/").content.decode()
    assert "检查 HDMI 线" in article and "tech" not in article and "techdept" not in article
    client.post(f"/knowledge/{knowledge.black.pk}/vote/", {"helpful": "yes"})
    client.post(f"/knowledge/{knowledge.black.pk}/vote/", {"helpful": "yes"})  # counted once
    page(company_b.user).post(f"/knowledge/{knowledge.black.pk}/vote/", {"helpful": "no"})
    client = page(company_a.user)
    knowledge.black.refresh_from_db()
    assert (knowledge.black.helpful_yes, knowledge.black.helpful_no) == (1, 1)
    client.post(f"/knowledge/{knowledge.black.pk}/vote/", {"helpful": "no"})  # changed mind
    knowledge.black.refresh_from_db()
    assert (knowledge.black.helpful_yes, knowledge.black.helpful_no) == (0, 2)
    assert Vote.objects.count() == 2
    # staff pages are not the customer's; a customer's vote on a staff-only article is refused
    assert client.get("/knowledge/").url == "/portal/help/"
    assert client.get(f"/knowledge/{knowledge.disk.pk}/").status_code in (302, 404)
    assert (
        client.post(f"/knowledge/{knowledge.disk.pk}/vote/", {"helpful": "yes"}).status_code == 404
    )
    assert client.get(f"/knowledge/{knowledge.black.pk}/edit/").status_code in (403, 404)
    assert page(users.agent).get("/portal/help/").status_code == 403


def test_the_api_searches_best_first_and_a_customer_reads_public_ones(
    api, users, knowledge, company_a
):
    staff = api(users.agent).get("/api/v1/knowledge/articles/", {"q": "HX-NVR-6400"}).json()
    ids = [a["id"] for a in staff["results"]]
    assert set(ids[:2]) == {knowledge.black.pk, knowledge.disk.pk}
    first = staff["results"][0]
    assert set(first) >= {"id", "title", "product_models", "fault_codes", "public"}
    assert "HX-NVR-6400" in first["product_models"]
    black = next(a for a in staff["results"] if a["id"] == knowledge.black.pk)
    assert black["fault_codes"] == ["E-VID"] and black["public"] is True
    customer = api(company_a.user).get("/api/v1/knowledge/articles/", {"q": "硬盘"}).json()
    assert knowledge.disk.pk not in [a["id"] for a in customer["results"]]
    assert (
        api(company_a.user).get(f"/api/v1/knowledge/articles/{knowledge.disk.pk}/").status_code
        == 404
    )
    assert api(users.nobody).get("/api/v1/knowledge/articles/").status_code == 403
    second = (
        api(users.agent)
        .get("/api/v1/knowledge/articles/", {"q": "录像机", "page_size": 1, "page": 2})
        .json()
    )
    assert second["count"] >= 2 and len(second["results"]) == 1 and second["previous"]
    assert (
        api(users.agent)
        .get("/api/v1/knowledge/articles/", {"q": "录像机", "page": "x"})
        .status_code
        == 400
    )
    listed = api(users.agent).get("/api/v1/knowledge/articles/").json()
    assert listed["count"] == 10
    assert api(users.agent).get("/api/v1/knowledge/articles/", {"q": "黑" * 201}).status_code == 400


def test_a_reviser_may_not_publish_their_revision_nor_show_it_early(page, users, knowledge):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.common.tests.test_attachments import png

    article = knowledge.black  # written by tech, published by techdept
    services.article_update(
        actor=users.techdept,
        article=article,
        title="录像机开机黑屏（新）",
        symptom="黑屏",
        steps="新方法",
    )
    page(users.techdept).post(
        f"/knowledge/{article.pk}/picture/",
        {
            "file": SimpleUploadedFile("fix.png", png(), content_type="image/png"),
            "caption": "接线图",
        },
    )
    services.article_submit(actor=users.techdept, article=article)
    with factories.refused("article"):
        services.article_publish(actor=users.techdept, article=article)  # they revised it
    reviewing = page(users.manager).get(f"/knowledge/{article.pk}/").content.decode()
    assert 'id="publish"' in reviewing and "HX-NVR-6400" in reviewing and "接线图" in reviewing
    reader = page(users.agent).get(f"/knowledge/{article.pk}/").content.decode()
    assert "接线图" not in reader and 'id="status"' not in reader  # the revision's picture
    portal = page(knowledge_customer(users)).get(f"/portal/help/{article.pk}/").content.decode()
    assert "接线图" not in portal
    services.article_publish(actor=users.manager, article=article)
    assert "接线图" in page(users.agent).get(f"/knowledge/{article.pk}/").content.decode()


def knowledge_customer(users):
    customer = factories.make_customer("丙公司")
    return factories.make_portal_user(customer, "customer_c")


def test_no_writer_of_a_revision_publishes_it_and_readers_see_only_the_published_one(
    page, users, knowledge, company_a
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aftersales.common.models import Attachment
    from aftersales.common.tests.test_attachments import png

    article = knowledge.blur
    services.article_update(
        actor=users.techdept,
        article=article,
        title="摄像机画面模糊（内部草稿）",
        symptom="模糊",
        steps="新",
    )
    page(users.techdept).post(
        f"/knowledge/{article.pk}/picture/",
        {"file": SimpleUploadedFile("a.png", png(), content_type="image/png")},
    )
    services.article_submit(actor=users.techdept, article=article)
    # the manager edits it in review: now both wrote it, so neither publishes it
    services.article_update(
        actor=users.manager,
        article=article,
        title="摄像机画面模糊（内部草稿）",
        symptom="模糊",
        steps="新 +1",
    )
    services.article_submit(actor=users.manager, article=article)
    for writer in (users.techdept, users.manager):
        with factories.refused("article"):
            services.article_publish(actor=writer, article=article)
        assert article not in page(writer).get("/knowledge/").context["to_review"]
    picture = Attachment.objects.get()
    assert page(users.agent).get(f"/attachments/{picture.pk}/").status_code == 404
    assert page(company_a.user).get(f"/attachments/{picture.pk}/").status_code == 404
    assert page(users.techdept).get(f"/attachments/{picture.pk}/").status_code == 200
    recent = page(users.agent).get("/knowledge/").content.decode()
    assert "内部草稿" not in recent and "摄像机画面模糊" in recent
    assert "内部草稿" not in page(company_a.user).get("/portal/help/").content.decode()
    reviewing = page(users.techdept).get(f"/knowledge/{article.pk}/").content.decode()
    said = reviewing.split("本次修订：")[1].split("。")[0]
    assert "摄像机画面模糊（内部草稿）" in reviewing and set(said.split("、")) == {
        "techdept",
        "manager",
    }
    assert "发布前，读者看到的标题仍是“摄像机画面模糊”" in reviewing
