from django.urls import path

from . import views

app_name = "routing"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.new_question, name="new"),
    path("import/", views.import_csv, name="import"),
    path("insights/", views.insights, name="insights"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/retrain/", views.retrain, name="retrain"),
    path("queue/", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("experts/", views.experts, name="experts"),
    path("queue/<int:question_id>/assign/", views.queue_assign, name="queue-assign"),
    path("<int:question_id>/", views.question, name="question"),
    path("<int:question_id>/assign/", views.assign, name="assign"),
    path("<int:question_id>/route/", views.route, name="route"),
    path("<int:question_id>/reroute/", views.reroute, name="reroute"),
    path("<int:question_id>/decline/", views.decline, name="decline"),
    path("<int:question_id>/answer/", views.answer, name="answer"),
    path("<int:question_id>/notes/", views.note, name="note"),
    path("<int:question_id>/reply/", views.reply, name="reply"),
    path("<int:question_id>/close/", views.close, name="close"),
    path("<int:question_id>/tags/", views.tag, name="tag"),
]
