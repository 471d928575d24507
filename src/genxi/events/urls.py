from django.urls import path

from . import public, views

app_name = "events"
urlpatterns = [
    # Public: no login
    path("c/<str:code>/", public.public_calendar, name="public_calendar"),
    path("c/<str:code>/calendar.ics", public.feed, name="feed"),
    path("e/<int:pk>/", public.public_event, name="public_event"),
    path("r/<str:code>/", public.ticket, name="ticket"),
    path("r/<str:code>/qr.svg", public.ticket_qr, name="ticket_qr"),
    path("r/<str:code>/cancel/", public.ticket_cancel, name="ticket_cancel"),
    # The staff's, organisers' and pioneers' pages
    path("", views.calendar, name="calendar"),
    path("summaries/", views.summaries, name="summaries"),
    path("new/", views.event_new, name="new"),
    path("plan/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plan/<str:code>/<str:month>/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/<str:action>/", views.event_act, name="act"),
]
