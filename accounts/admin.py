from allauth.account.models import EmailAddress
from django.contrib import admin
from django.db.models import Exists, OuterRef

from accounts.models import KnownCountry, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Support finds users by email and sees state, location and verification; never the hash."""

    list_display = (
        "email",
        "is_verified",
        "country",
        "region",
        "location_source",
        "is_active",
        "date_joined",
        "last_login",
    )
    list_filter = ("location_source", "is_active", "is_staff", "country")
    search_fields = ("email",)
    ordering = ("-date_joined",)
    fields = (
        "email",
        "is_active",
        "is_staff",
        "is_superuser",
        "groups",
        "date_joined",
        "last_login",
        "adult_confirmed_at",
        "country",
        "region",
        "location_source",
        "location_updated_at",
        "processing_restricted_at",
    )
    readonly_fields = (
        "email",
        "date_joined",
        "last_login",
        "adult_confirmed_at",
        "country",
        "region",
        "location_source",
        "location_updated_at",
        "processing_restricted_at",
    )
    filter_horizontal = ("groups",)

    def get_queryset(self, request):
        verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
        return super().get_queryset(request).annotate(_verified=Exists(verified))

    @admin.display(boolean=True, description="verified", ordering="_verified")
    def is_verified(self, obj: User) -> bool:
        return obj._verified

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(KnownCountry)
class KnownCountryAdmin(admin.ModelAdmin):
    list_display = ("user", "country", "first_seen_at")
    list_select_related = ("user",)
    list_filter = ("country",)
    raw_id_fields = ("user",)
    readonly_fields = ("user", "country", "first_seen_at")
