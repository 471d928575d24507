from django.urls import path

from . import views

app_name = "cobuild"
urlpatterns = [
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/claim/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/<str:action>/", views.claim_act, name="claim_act"),
    path("matches/", views.matches, name="matches"),
    path("units/<int:pk>/", views.unit_contributions, name="unit"),
    path("communities/<int:pk>/", views.community_received, name="community"),
    path("matches/<str:decision>/", views.match_decide, name="match_decide"),
]
