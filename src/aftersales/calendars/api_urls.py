from rest_framework.routers import SimpleRouter

from aftersales.calendars import api

router = SimpleRouter()
router.register("calendars", api.CalendarViewSet, basename="calendar")
urlpatterns = router.urls
