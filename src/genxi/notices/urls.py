from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    # Public: no login
    path("n/<str:code>/", views.public_notice, name="public"),
    path("n/<str:code>/images/<int:pk>/<str:variant>/", views.public_image, name="public_image"),
    path("screen/<str:code>/", views.screen, name="screen"),
    path("screen/<str:code>/feed.json", views.screen_json, name="screen_json"),
    # The staff's pages
    path("", views.notice_list, name="notices"),
    path("new/<str:code>/", views.notice_new, name="new"),
    path("<int:pk>/", views.notice_detail, name="notice"),
    path("<int:pk>/edit/", views.notice_edit, name="edit"),
    path("<int:pk>/act/", views.notice_act, name="act"),
    path("<int:pk>/poster/", views.notice_poster, name="poster"),
    path("<int:pk>/images/", views.notice_image_add, name="image_add"),
    path("<int:pk>/images/<int:image>/remove/", views.notice_image_remove, name="image_remove"),
]
