from django.urls import path

from . import views, views_meetings, views_projects

app_name = "cobuild"
urlpatterns = [
    path("needs/", views.needs, name="needs"),
    path("needs/new/", views.need_new, name="need_new"),
    path("resources/", views.resources, name="resources"),
    path("resources/new/", views.resource_new, name="resource_new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/claim/", views.claim_new, name="claim_new"),
    path("claims/<int:pk>/<str:action>/", views.claim_act, name="claim_act"),
    path("matches/", views.matches, name="matches"),
    path("units/<int:pk>/", views.unit_contributions, name="unit"),
    path("communities/<int:pk>/", views.community_received, name="community"),
    path("matches/<str:decision>/", views.match_decide, name="match_decide"),
    path("projects/", views_projects.projects, name="projects"),
    path("projects/new/", views_projects.project_new, name="project_new"),
    path("projects/<int:pk>/", views_projects.project_detail, name="project"),
    path("projects/<int:pk>/act/", views_projects.project_act, name="project_act"),
    path("services/", views_projects.service_list, name="services"),
    path("services/new/", views_projects.service_new, name="service_new"),
    path("services/<int:pk>/", views_projects.service_detail, name="service"),
    path("slots/<int:pk>/", views_projects.slot_act, name="slot_act"),
    path("meetings/", views_meetings.meetings, name="meetings"),
    path("meetings/new/", views_meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/<str:action>/", views_meetings.meeting_act, name="meeting_act"),
]
