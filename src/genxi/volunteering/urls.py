from django.urls import path

from . import views

app_name = "volunteering"
urlpatterns = [
    path("", views.home, name="home"),
    path("collect/", views.collect, name="collect"),
    path("new/", views.manual, name="new"),
    path("board/", views.board, name="board"),
    path("rules/", views.rules, name="rules"),
    path("records/<int:pk>/<str:action>/", views.record_act, name="act"),
    path("pioneers/<int:pk>/", views.pioneer, name="pioneer"),
    path("pioneers/<int:pk>/certificate/<int:year>.pdf", views.certificate, name="certificate"),
]
