from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.rounds, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("targets/", views.targets, name="targets"),
    path("targets/new/", views.target_new, name="target_new"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/answer/", views.inspection_answer, name="answer"),
    path("inspections/<int:pk>/finish/", views.inspection_finish, name="finish"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("checklists/", views.templates, name="templates"),
    path("checklists/<int:pk>/", views.template_detail, name="template"),
]
