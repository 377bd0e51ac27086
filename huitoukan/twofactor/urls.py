from django.urls import path

from huitoukan.twofactor import views

urlpatterns = [
    path("accounts/otp/", views.otp_verify, name="otp-verify"),
    path("accounts/otp/setup/", views.otp_setup, name="otp-setup"),
    path("accounts/otp/devices/", views.otp_devices, name="otp-devices"),
    path("accounts/otp/recovery-codes/", views.otp_recovery_codes, name="otp-recovery-codes"),
    path("accounts/otp/reset/", views.otp_reset, name="otp-reset"),
]
