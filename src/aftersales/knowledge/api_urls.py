from rest_framework.routers import SimpleRouter

from aftersales.knowledge import api

router = SimpleRouter()
router.register("knowledge/articles", api.ArticleViewSet, basename="knowledge-article")
urlpatterns = router.urls
