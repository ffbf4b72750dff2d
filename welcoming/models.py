from django.conf import settings
from django.db import models
from django.db.models import Q

from welcoming.roles import CAPABILITIES


class Capability(models.Model):
    """Holds the permissions of DESIGN.md section 1 that belong to no single model. It has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = CAPABILITIES

    def __str__(self):
        return "capability"


class ApiTokenQuerySet(models.QuerySet):
    def active(self, now):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def of_user(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash of the key is kept: the key is shown once, when issued."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. the program that uses it.")
    key_prefix = models.CharField(max_length=8, help_text="The first characters of the key, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="token_expires_after_issue"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    def status(self, now) -> str:
        if self.revoked_at:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"
