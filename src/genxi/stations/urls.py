from django.urls import path

from . import public, views

app_name = "stations"
urlpatterns = [
    # Public: no login
    path("", public.station_map, name="map"),
    path("<int:pk>/", public.station, name="public"),
    path("<int:pk>/reflect/", public.reflect, name="reflect"),
    # The staff's and the duty volunteers' pages
    path("manage/", views.stations, name="stations"),
    path("manage/new/", views.station_new, name="new"),
    path("manage/<int:pk>/", views.station_detail, name="station"),
    path("manage/<int:pk>/edit/", views.station_edit, name="edit"),
    path("manage/<int:pk>/visit/", views.visit, name="visit"),
    path("manage/<int:pk>/<str:action>/", views.station_act, name="act"),
    path("reflections/", views.reflections, name="reflections"),
    path("reflections/<int:pk>/<str:action>/", views.reflection_act, name="reflection_act"),
]
