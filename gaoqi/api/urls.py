from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from gaoqi.api import views

app_name = "api"
urlpatterns = [
    path("assess", views.AssessView.as_view(), name="assess"),
    path("enterprises", views.EnterpriseList.as_view(), name="enterprises"),
    path("enterprises/<int:pk>", views.EnterpriseDetail.as_view(), name="enterprise"),
    path("enterprises/<int:pk>/years", views.YearlyFiguresList.as_view(), name="years"),
    path("enterprises/<int:pk>/years/<int:year>", views.YearlyFiguresDetail.as_view(), name="year"),
    path("token", views.TokenView.as_view(), name="token"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
