from django.urls import path

from . import views

app_name = "partylife"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/<int:pk>/", views.org_detail, name="org"),
    path("orgs/<int:pk>/plans/new/", views.plan_new, name="plan_new"),
    path("orgs/<int:pk>/study/new/", views.study_new, name="study_new"),
    path("orgs/<int:pk>/contact-days/new/", views.contact_day_new, name="contact_day_new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("sessions/<int:pk>/practice/", views.practice, name="practice"),
    path("sessions/<int:pk>/books/", views.books, name="books"),
    path("sessions/<int:pk>/reflections/new/", views.reflection_new, name="reflection_new"),
    path("reflections/<int:pk>/moderate/", views.reflection_act, name="reflection_act"),
    path("contact-days/<int:pk>/", views.contact_day, name="contact_day"),
    path("contact-days/<int:pk>/notes/new/", views.contact_note, name="contact_note"),
]
