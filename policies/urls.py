from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.current, name="current"),
    path("versions/", views.versions, name="versions"),
    path("versions/<int:number>/", views.version, name="version"),
    path("versions/<int:number>/publish/", views.publish, name="publish"),
    path("versions/<int:number>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("versions/<int:number>/quiz/", views.quiz_editor, name="quiz-editor"),
    path("diff/", views.diff, name="diff"),
    path("quiz/", views.quiz, name="quiz"),
    path("report/", views.report, name="report"),
    path("report.csv", views.report_csv, name="report-csv"),
    path("representatives/", views.representatives, name="representatives"),
    path(
        "representatives/<str:username>/revoke/",
        views.revoke_certification,
        name="revoke-certification",
    ),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/<int:account_id>/", views.account, name="account"),
    path("accounts/<int:account_id>/authorize/", views.authorize, name="authorize"),
    path(
        "accounts/<int:account_id>/revoke/<str:username>/",
        views.revoke_authorization,
        name="revoke-authorization",
    ),
    path("accounts/<int:account_id>/handover/", views.handover, name="handover"),
    path("settings/", views.settings_page, name="settings"),
    path("offboard/", views.offboard, name="offboard"),
    path("audit/", views.audit, name="audit"),
]
