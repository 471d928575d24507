from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/export.xlsx", views.campaign_export, name="export"),
    path("<int:pk>/record/<str:code>/", views.part_record, name="record"),
    path("<int:pk>/<str:action>/", views.campaign_act, name="act"),
]
