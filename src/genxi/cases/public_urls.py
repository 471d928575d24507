from django.urls import path

from . import public

app_name = "public"
urlpatterns = [
    path("", public.find, name="find"),
    path("grids.geojson", public.grids_geojson, name="grids"),
    path("report/", public.report, name="report"),
    path("track/", public.track, name="track"),
    path("track/<str:code>/", public.track_case, name="track_case"),
]
