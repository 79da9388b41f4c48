"""Search: the page and the API (included at the site root by config/urls.py)."""

from django.urls import path

from . import search_views

urlpatterns = [
    path("search/", search_views.search_page, name="search"),
    path("api/v1/search/", search_views.SearchApi.as_view(), name="search-api"),
]
