from django.urls import path

from spread import views

urlpatterns = [
    path("desk/claims/<int:pk>/spread.<str:kind>", views.spread_series, name="spread_series"),
]
