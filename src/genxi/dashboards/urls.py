from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/points.json", views.points, name="points"),
]
