from django.urls import path

from articles import views

urlpatterns = [
    path("desk/", views.desk, name="desk"),
]
