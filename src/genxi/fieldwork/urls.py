from django.urls import path

from . import views

app_name = "fieldwork"
urlpatterns = [
    path("", views.home, name="home"),
    path("cycle/<str:code>/", views.cycle, name="cycle"),
    path("households/", views.households, name="households"),
    path("households/rebuild/<str:code>/", views.rebuild, name="rebuild"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/visit/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit, name="visit"),
    path("visits/<int:pk>/case/", views.visit_case, name="visit_case"),
    path("plan/", views.plan, name="plan"),
    path("plan/<str:code>/generate/", views.plan_generate, name="plan_generate"),
    path("plan/items/<int:pk>/", views.plan_assign, name="plan_assign"),
    path("care/", views.care, name="care"),
    path("care/rules/<str:code>/", views.care_rule, name="care_rule"),
    path("care/<int:pk>/", views.care_resident, name="care_resident"),
    path("care/<int:pk>/round/", views.care_new, name="care_new"),
    path("today/", views.today, name="today"),
    path("weekly/", views.weekly, name="weekly"),
]
