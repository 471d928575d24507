from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("tasks/", views.tasks, name="tasks"),
    path("metrics/", views.metrics, name="metrics"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/contact/", views.contact, name="contact"),
    path("<str:code>/split/", views.split, name="split"),
    path("<str:code>/<str:action>/", views.act, name="act"),
]
