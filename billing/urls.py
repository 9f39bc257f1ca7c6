"""Billing's plain routes. The webhook exists only on the public domain; the checkout return on every site."""

from django.urls import path

from billing import views

tenant_urlpatterns = [
    path("return/", views.checkout_return, name="billing-checkout-return"),
]
public_urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="billing-stripe-webhook"),
    *tenant_urlpatterns,
]
