from django.db import models


class Heartbeat(models.Model):
    """The last time each kind of process said it was alive. No personal data."""

    name = models.CharField(max_length=64, unique=True)
    beat_at = models.DateTimeField()
    hostname = models.CharField(max_length=128, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
