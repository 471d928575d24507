from django.urls import path

from . import views

app_name = "regions"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("map/", views.grid_map, name="map"),
    path("grids.geojson", views.grids_geojson, name="geojson"),
    path("basemap.geojson", views.basemap_geojson, name="basemap"),
    path("<int:pk>/", views.detail, name="detail"),
    path("addresses/", views.gazetteer_home, name="addresses"),
    path("<int:pk>/addresses/", views.gazetteer, name="gazetteer"),
    path("<int:pk>/addresses/sheet.xlsx", views.gazetteer_export, name="gazetteer_export"),
    path("<int:pk>/addresses/new/", views.estate_new, name="estate_new"),
    path("<int:pk>/addresses/import/", views.gazetteer_import, name="gazetteer_import"),
    path("<int:pk>/contact/", views.contact, name="contact"),
    path("estates/<int:pk>/edit/", views.estate_edit, name="estate_edit"),
    path("estates/<int:pk>/delete/", views.estate_delete, name="estate_delete"),
    path("estates/<int:pk>/buildings/", views.buildings_assign, name="buildings_assign"),
    path("estates/<int:pk>/buildings/remove/", views.buildings_remove, name="buildings_remove"),
]
