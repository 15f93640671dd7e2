"""URLs of the ranking (issue 17), included into exams.urls (names prefixed ranking_)."""

from django.urls import path

from .views import ranking

urlpatterns = [
    path("ranking/", ranking.index, name="ranking_index"),
    path("ranking/<int:pk>/", ranking.versions, name="ranking_versions"),
    path("ranking/<int:pk>/run/", ranking.run, name="ranking_run"),
    path("ranking/jobs/<int:pk>/", ranking.job, name="ranking_job"),
    path("ranking/<int:pk>/v<int:number>/", ranking.version, name="ranking_version"),
    path(
        "ranking/<int:pk>/v<int:number>/positions/<int:position_pk>/",
        ranking.position,
        name="ranking_position",
    ),
    path("ranking/<int:pk>/v<int:number>/confirm/", ranking.confirm, name="ranking_confirm"),
    path("ranking/<int:pk>/v<int:number>/publish/", ranking.publish, name="ranking_publish"),
    path("ranking/<int:pk>/v<int:number>/extra-test/", ranking.extra_test, name="ranking_extra_test"),
    path("composite/<int:pk>/", ranking.public, name="ranking_public"),
    path("my-ranking/", ranking.mine, name="ranking_mine"),
]
