from django.urls import path

from .views import lists, meetings, projects, public

app_name = "cobuild"
urlpatterns = [
    path("needs/", lists.needs, name="needs"),
    path("needs/new/", lists.need_new, name="need_new"),
    path("resources/", lists.resources, name="resources"),
    path("resources/new/", lists.resource_new, name="resource_new"),
    path("needs/<int:pk>/", lists.need_detail, name="need"),
    path("needs/<int:pk>/claim/", lists.claim_new, name="claim_new"),
    path("claims/<int:pk>/<str:action>/", lists.claim_act, name="claim_act"),
    path("matches/", lists.matches, name="matches"),
    path("units/<int:pk>/", lists.unit_contributions, name="unit"),
    path("communities/<int:pk>/", lists.community_received, name="community"),
    path("matches/<str:decision>/", lists.match_decide, name="match_decide"),
    path("proposals/<int:pk>/<str:action>/", lists.proposal_act, name="proposal_act"),
    path("projects/", projects.projects, name="projects"),
    path("projects/new/", projects.project_new, name="project_new"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/act/", projects.project_act, name="project_act"),
    path("projects/<int:pk>/do/<str:action>/", projects.project_do, name="project_do"),
    path("projects/propose/", projects.project_propose, name="project_propose"),
    path("propose/", public.propose, name="propose"),
    path("propose/done/", public.proposed, name="proposed"),
    path("services/", projects.service_list, name="services"),
    path("services/new/", projects.service_new, name="service_new"),
    path("services/<int:pk>/", projects.service_detail, name="service"),
    path("slots/<int:pk>/", projects.slot_act, name="slot_act"),
    path("meetings/", meetings.meetings, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/<str:action>/", meetings.meeting_act, name="meeting_act"),
]
