from django.urls import path

from . import views

app_name = "alerts"
urlpatterns = [
    path("", views.warnings, name="warnings"),
    path("<int:pk>/", views.warning, name="warning"),
    path("<int:pk>/act/", views.warning_act, name="act"),
    path("<int:pk>/dismiss/", views.warning_dismiss, name="dismiss"),
    path("focus/", views.focus_list, name="focus_list"),
    path("focus/<int:pk>/", views.focus, name="focus"),
    path("focus/<int:pk>/confirm/", views.focus_confirm, name="focus_confirm"),
]
