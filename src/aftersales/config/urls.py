from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from aftersales.common import views as common_views
from aftersales.common.attachments_api import AttachmentFileView
from aftersales.home import views as home_views
from aftersales.portal import scan

api_v1: list[URLPattern | URLResolver] = [
    path("", include("aftersales.accounts.api_urls")),
    path("", include("aftersales.customers.api_urls")),
    path("", include("aftersales.calendars.api_urls")),
    path("", include("aftersales.obligations.api_urls")),
    path("", include("aftersales.service.api_urls")),
    path("", include("aftersales.depot.api_urls")),
    path("", include("aftersales.returns.api_urls")),
    path("", include("aftersales.parts.api_urls")),
    path("", include("aftersales.complaints.api_urls")),
    path("", include("aftersales.feedback.api_urls")),
    path("", include("aftersales.maintenance.api_urls")),
    path("", include("aftersales.sales.api_urls")),
    path("", include("aftersales.knowledge.api_urls")),
    path("", include("aftersales.operations.api_urls")),
    path("attachments/<int:pk>/file/", AttachmentFileView.as_view(), name="attachment-file"),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("areas/<slug:area>/", common_views.area_not_yet, name="area"),
    path("attachments/<int:pk>/", common_views.attachment_download, name="attachment"),
    path("q/<str:token>/", scan.scan, name="scan"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("aftersales.accounts.urls")),
    path("", include("aftersales.customers.urls")),
    path("calendars/", include("aftersales.calendars.urls")),
    path("", include("aftersales.obligations.urls")),
    path("", include("aftersales.service.urls")),
    path("", include("aftersales.depot.urls")),
    path("", include("aftersales.returns.urls")),
    path("", include("aftersales.parts.urls")),
    path("", include("aftersales.complaints.urls")),
    path("", include("aftersales.portal.urls")),
    path("", include("aftersales.feedback.urls")),
    path("", include("aftersales.maintenance.urls")),
    path("", include("aftersales.sales.urls")),
    path("", include("aftersales.knowledge.urls")),
    path("", include("aftersales.operations.urls")),
    path("", include("aftersales.delivery.urls")),
    path("", include("aftersales.imports.urls")),
    path("", include("aftersales.inbox.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

admin.site.site_header = "售后服务管理系统"
admin.site.site_title = "aftersales"

# No public /media/: attachments are evidence and are served only through the
# view above, which checks that the user may see the record they belong to.

handler400 = "aftersales.common.views.bad_request"
handler403 = "aftersales.common.views.permission_denied"
handler404 = "aftersales.common.views.page_not_found"
handler500 = "aftersales.common.views.server_error"
