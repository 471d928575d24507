from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("party/", views.party, name="party"),
]
