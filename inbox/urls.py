from django.urls import path

from inbox import views
from inbox.webhooks import webhook

app_name = "inbox"

urlpatterns = [
    path("jobs/forward/", views.forward, name="forward"),
    path("jobs/from-email/", views.review, name="review"),
    path("jobs/from-email/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("jobs/from-email/<int:pk>/create/", views.create_job, name="create_job"),
    path("jobs/from-email/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    # Postmark's inbound webhook, with basic auth (INBOUND_WEBHOOK_SECRET is "user:password");
    # a 404 while no secret is set.
    path("inbound/postmark/", webhook, name="webhook"),
]
