from django.urls import path

from . import views

app_name = "infoitems"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("export.xlsx", views.item_export, name="export"),
    path("published/", views.published_list, name="published"),
    path("new/", views.item_send, name="send"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/resend/", views.item_resend, name="resend"),
    path("<int:pk>/adopt/", views.item_adopt, name="adopt"),
    path("<int:pk>/return/", views.item_return, name="return"),
    path("<int:pk>/publish/", views.item_publish, name="publish"),
    path("photos/<int:pk>/", views.photo, name="photo"),
]
