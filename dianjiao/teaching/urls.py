from django.urls import path

from . import views

app_name = "teaching"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("learning/", views.learning, name="learning"),
    path("feedback/", views.feedback, name="feedback"),
    path("guests/", views.guests, name="guests"),
    path("<uuid:pk>/", views.session_detail, name="detail"),
    path("<uuid:pk>/practice/", views.session_practice, name="practice"),
    path("<uuid:pk>/correct/", views.session_correct, name="correct"),
]
