app_name = "logs_retention"

urlpatterns: list = []
