"""URLs of written results, included into exams.urls (names prefixed written_)."""

from django.urls import path

from .views import written

urlpatterns = [
    # First: on results day every candidate opens these within the hour (URLs are tried in order).
    path("scores/", written.my_scores, name="written_my_scores"),
    path("scores/<int:application_pk>/", written.my_score, name="written_my_score"),
    path("scores/<int:application_pk>/bonus/", written.bonus_claim, name="written_bonus_claim"),
    path("written/", written.index, name="written_index"),
    path("written/<int:pk>/", written.results, name="written_results"),
    path("written/<int:pk>/template.xlsx", written.template, name="written_template"),
    path("written/<int:pk>/import/", written.import_start, name="written_import"),
    path("written/jobs/<int:pk>/", written.job, name="written_job"),
    path("written/<int:pk>/rooms/<int:room_pk>/entry/", written.room_entry, name="written_room_entry"),
    path("written/<int:pk>/tickets/<int:ticket_pk>/resolve/", written.resolve, name="written_resolve"),
    path("written/<int:pk>/scores/<int:score_pk>/correct/", written.correct, name="written_correct"),
    path("written/<int:pk>/lookup/", written.lookup, name="written_lookup"),
    path("written/<int:pk>/positions/<int:position_pk>/line/", written.pass_line, name="written_pass_line"),
    path("written/<int:pk>/compute/", written.compute, name="written_compute"),
    path("written/<int:pk>/publish/", written.publish, name="written_publish"),
    path("written/<int:pk>/bonus/", written.bonus_review, name="written_bonus_review"),
    path("written/<int:pk>/reviews/", written.reviews, name="written_reviews"),
    path("results/<int:pk>/", written.public_results, name="written_public"),
    path("results/<int:pk>/<int:position_pk>.xlsx", written.public_results_xlsx, name="written_public_xlsx"),
    path("results/<int:pk>/bonus/", written.public_bonus, name="written_public_bonus"),
]
