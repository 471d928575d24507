from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.cadres, name="cadres"),
    path("new/", views.cadre_new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.cadre_detail, name="cadre"),
    path("<int:pk>/edit/", views.cadre_edit, name="edit"),
    path("<int:pk>/<str:action>/", views.cadre_act, name="act"),
    path("certificates/<int:pk>/", views.certificate_file, name="certificate"),
    path("training/", views.programmes, name="programmes"),
    path("training/new/", views.programme_new, name="programme_new"),
    path("training/<int:pk>/", views.programme_detail, name="programme"),
    path("training/<int:pk>/<str:action>/", views.programme_act, name="programme_act"),
    path("assessment/scheme/", views.scheme, name="scheme"),
    path("assessment/", views.rounds, name="rounds"),
    path("assessment/new/", views.round_new, name="round_new"),
    path("assessment/<int:pk>/", views.round_detail, name="round"),
    path("assessment/<int:pk>/scores/<int:cadre>/", views.round_scores, name="scores"),
    path("assessment/<int:pk>/<str:action>/", views.round_act, name="round_act"),
]
