from django.urls import path, register_converter

from . import views


class MonthConverter:
    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MonthConverter, "month")

app_name = "reports"

urlpatterns = [
    path("<str:code>/", views.region, name="region"),
    path("<str:code>/make/", views.make, name="make"),
    path("<str:code>/<month:month>.<str:kind>", views.download, name="download"),
]
