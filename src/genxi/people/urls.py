from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("pioneers/", views.pioneers, name="pioneers"),
    path("pioneers/<int:pk>/", views.pioneer_detail, name="pioneer"),
    path("residents/", views.residents, name="residents"),
    path("residents/<int:pk>/", views.resident_detail, name="resident"),
    path("residents/<int:pk>/reveal/", views.resident_reveal, name="resident_reveal"),
    path(
        "residents/<int:pk>/sms-consent/", views.resident_sms_consent, name="resident_sms_consent"
    ),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("imports/template/<str:kind>.xlsx", views.import_template, name="import_template"),
]
