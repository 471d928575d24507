from django.urls import path

from . import public
from .views import books, lists, medicine, roster, stations

app_name = "stations"
urlpatterns = [
    # Public: no login
    path("", public.station_map, name="map"),
    path("<int:pk>/", public.station, name="public"),
    path("<int:pk>/reflect/", public.reflect, name="reflect"),
    path("<int:pk>/photos/<int:photo_pk>/<str:variant>/", public.photo, name="photo"),
    # The staff's and the duty volunteers' pages
    path("manage/", stations.stations, name="stations"),
    path("manage/new/", stations.station_new, name="new"),
    path("manage/unstaffed/", lists.unstaffed, name="unstaffed"),
    path("manage/expiring/", lists.expiring, name="expiring"),
    path("manage/overdue/", lists.overdue, name="overdue"),
    path("manage/<int:pk>/", stations.station_detail, name="station"),
    path("manage/<int:pk>/edit/", stations.station_edit, name="edit"),
    path("manage/<int:pk>/visit/", stations.visit, name="visit"),
    path("manage/<int:pk>/roster/", roster.roster, name="roster"),
    path("manage/<int:pk>/roster/<str:action>/", roster.roster_act, name="roster_act"),
    path("manage/<int:pk>/medicine/", medicine.medicine, name="medicine"),
    path("manage/<int:pk>/medicine/<str:action>/", medicine.medicine_act, name="medicine_act"),
    path("manage/<int:pk>/books/", books.books, name="books"),
    path("manage/<int:pk>/books/<str:action>/", books.book_act, name="book_act"),
    path("manage/<int:pk>/<str:action>/", stations.station_act, name="act"),
    path("swaps/<int:pk>/<str:action>/", roster.swap_act, name="swap_act"),
    path("reflections/", stations.reflections, name="reflections"),
    path("reflections/<int:pk>/<str:action>/", stations.reflection_act, name="reflection_act"),
]
