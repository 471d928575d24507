from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import TemplateView

from genxi.core import media
from genxi.core.views import offline as views_offline
from genxi.core.views import saved_filters as views_saved_filters
from genxi.core.views import site as core_views
from genxi.core.views import tokens as views_tokens
from genxi.regions import views as regions_views

from .api import api

urlpatterns = [
    path("", regions_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", core_views.PasswordChange.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        TemplateView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    path("accounts/2fa/", core_views.two_factor, name="two_factor"),
    path("accounts/tokens/", views_tokens.tokens, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="api_token_revoke"),
    path("filters/", views_saved_filters.saved_filter_new, name="saved_filter_new"),
    path(
        "filters/<int:pk>/delete/",
        views_saved_filters.saved_filter_delete,
        name="saved_filter_delete",
    ),
    path("inbox/", core_views.inbox, name="inbox"),
    path("sw.js", views_offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", views_offline.manifest, name="manifest"),
    path("offline/", views_offline.offline, name="offline"),
    path("audit/", core_views.audit_list, name="audit"),
    path("photos/<str:kind>/<int:pk>/<str:variant>/", media.photo, name="photo"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("regions/", include("genxi.regions.urls")),
    path("people/", include("genxi.people.urls")),
    path("orgs/", include("genxi.orgs.urls")),
    path("api/v1/", api.urls),
    path("open311/v2/", include("genxi.cases.open311.urls")),
    path("cases/", include("genxi.cases.urls")),
    path("s/", include("genxi.cases.public_urls")),
    path("cobuild/", include("genxi.cobuild.urls")),
    path("stations/", include("genxi.stations.urls")),
    path("cadres/", include("genxi.cadres.urls")),
    path("dashboards/", include("genxi.dashboards.urls")),
    path("reports/", include("genxi.reports.urls")),
    path("fieldwork/", include("genxi.fieldwork.urls")),
    path("events/", include("genxi.events.urls")),
    path("notices/", include("genxi.notices.urls")),
    path("alerts/", include("genxi.alerts.urls")),
    path("inspections/", include("genxi.inspections.urls")),
    path("open/", include("genxi.transparency.urls")),
    path("campaigns/", include("genxi.campaigns.urls")),
    path("volunteering/", include("genxi.volunteering.urls")),
    path("partylife/", include("genxi.partylife.urls")),
    path("admin/", admin.site.urls),
]
# Uploaded files are never served by path, not even under DEBUG: see core/media.py.

handler400 = "genxi.core.views.site.bad_request"
