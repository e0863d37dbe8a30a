from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from safeguard.web.api_v1.main import api, no_such_endpoint
from safeguard.web.app import views_cases, views_interview, views_result, views_two_step

urlpatterns = [
    path("", views_cases.case_list, name="cases"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", views_two_step.verify, name="two_step_verify"),
    path("account/two-step/", views_two_step.overview, name="two_step"),
    path("account/two-step/enrol/", views_two_step.enrol, name="two_step_enrol"),
    path("account/two-step/remove/", views_two_step.remove, name="two_step_remove"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("cases/new/", views_cases.case_new, name="case_new"),
    path("cases/<int:case_id>/", views_cases.case_detail, name="case"),
    path("cases/<int:case_id>/delete/", views_cases.case_delete, name="case_delete"),
    path("cases/<int:case_id>/close/", views_cases.case_close, name="case_close"),
    path("cases/<int:case_id>/interview/", views_interview.interview, name="interview"),
    path("cases/<int:case_id>/answers/", views_interview.answers, name="answers"),
    path("cases/<int:case_id>/result/", views_result.result, name="result"),
    path("cases/<int:case_id>/summary/", views_result.summary, name="summary"),
    path("cases/<int:case_id>/summary.pdf", views_result.summary_pdf, name="summary_pdf"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    re_path(r"^api/", no_such_endpoint),  # problem+json, not the web app's HTML 404
]
