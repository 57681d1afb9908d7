from django.urls import path

from . import views

app_name = "logbook"
urlpatterns = [
    path("", views.book, name="book"),
    path("new/", views.entry_create, name="create"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("<int:village_pk>/print/", views.book_print, name="print"),
    path("<uuid:pk>/", views.entry_detail, name="detail"),
    path("<uuid:pk>/correct/", views.entry_correct, name="correct"),
    path("<uuid:pk>/review-capture/", views.entry_review_capture, name="review_capture"),
]
