from django.urls import path

from . import views

app_name = "transparency"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.place, name="place"),
    path("<str:code>/data.csv", views.data_csv, name="data_csv"),
    path("<str:code>/data.json", views.data_json, name="data_json"),
]
