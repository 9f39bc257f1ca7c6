from django.urls import path

from jobpilot.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("employers/signup/", views.employer_signup, name="employer-signup"),
    path("employers/signup/address/", views.employer_address_check, name="employer-address-check"),
    path("employers/<slug:slug>/console/", views.employer_console_open, name="employer-console-open"),
    path("media/<path:path>", views.media_file, name="media"),
]
