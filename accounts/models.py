from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import connections, models, transaction
from django.utils import timezone
from django_countries.fields import CountryField

# The statement reading one account by its key, per model class and database.
_BY_PK_SQL: dict[tuple[type, str], tuple[str, list[str]]] = {}


class UserQuerySet(models.QuerySet):
    """Writes that send no signal end the cached copies of the accounts they change."""

    def update(self, **kwargs):
        if not settings.ACCOUNT_CACHE:
            return super().update(**kwargs)
        pks = list(self.values_list("pk", flat=True))
        changed = super().update(**kwargs)
        _forget_on_commit(pks, self.db)
        return changed

    update.alters_data = True

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        changed = super().bulk_update(objs, fields, batch_size=batch_size)
        if settings.ACCOUNT_CACHE:
            _forget_on_commit([obj.pk for obj in objs], self.db)
        return changed

    bulk_update.alters_data = True


def _forget_on_commit(pks: list, alias: str) -> None:
    from accounts import snapshots

    if pks:
        transaction.on_commit(lambda: snapshots.forget(pks), using=alias)


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        """`get(pk=...)`, the way the authentication backends load the signed-in account on
        every request: outside a transaction and with Redis configured, from the account's
        kept copy when it is current (accounts.snapshots); on PostgreSQL, with one prepared
        statement, since building the query each time costs more than running it. Anything
        else is the ORM's."""
        if args or len(kwargs) != 1 or "pk" not in kwargs:
            return super().get(*args, **kwargs)
        alias = self.db
        connection = connections[alias]
        if not settings.ACCOUNT_CACHE or connection.in_atomic_block:
            return self._get_by_pk(alias, kwargs["pk"])
        from accounts import snapshots

        pk = self.model._meta.pk.get_prep_value(kwargs["pk"])  # malformed: fails as the ORM
        user, generation = snapshots.read(self.model, alias, pk)
        if user is None:
            user = self._get_by_pk(alias, pk)
            snapshots.keep(user, generation)
        return user

    def _get_by_pk(self, alias: str, pk):
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return super().get(pk=pk)
        meta = self.model._meta
        pk = meta.pk.get_prep_value(pk)  # a malformed key fails as in the ORM
        key = (self.model, alias)
        if key not in _BY_PK_SQL:
            quote = connection.ops.quote_name
            fields = meta.concrete_fields
            columns = ", ".join(quote(f.column) for f in fields)
            sql = (
                f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608 - quoted names
                f"WHERE {quote(meta.pk.column)} = %s"
            )
            _BY_PK_SQL[key] = (sql, [f.attname for f in fields])
        sql, names = _BY_PK_SQL[key]
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            raise self.model.DoesNotExist(f"{meta.object_name} matching query does not exist.")
        return self.model.from_db(alias, names, row)

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class LocationSource(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    CHOSEN = "chosen", "Chosen by you"
    INFERRED = "inferred", "Inferred from your IP address"


# The same sources as staff read them about someone else.
LOCATION_SOURCE_FOR_STAFF = {
    LocationSource.UNKNOWN: "Unknown",
    LocationSource.CHOSEN: "Chosen by the user",
    LocationSource.INFERRED: "Inferred from their IP address",
}


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Email is the only identifier; location is a country and a region at most."""

    email = models.EmailField("email address", max_length=254, unique=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Only the moment the user confirmed being an adult: never a birth date.
    adult_confirmed_at = models.DateTimeField(null=True, blank=True)
    country = CountryField(blank=True)
    # An ISO 3166-2 subdivision of the country, without the country prefix (see accounts.regions).
    region = models.CharField(max_length=64, blank=True)
    # Set when a region typed before regions had to be official subdivisions was removed, so the
    # profile can say so; cleared when the user saves a location again.
    region_was_cleared = models.BooleanField(default=False)
    location_source = models.CharField(
        max_length=16, choices=LocationSource.choices, default=LocationSource.UNKNOWN
    )
    location_updated_at = models.DateTimeField(null=True, blank=True)
    # Set while the user has restricted processing (GDPR Art. 18). Read it only through
    # `processing_restricted`, which owns the decision.
    processing_restricted_at = models.DateTimeField(null=True, blank=True)
    # Set once the user objected (GDPR Art. 21) to processing on legitimate interests. Read it
    # only through `processing_objected`, which owns the decision.
    processing_objected_at = models.DateTimeField(null=True, blank=True)
    # Raised with every change of the account's personal data, so cached parts of its pages
    # are rendered afresh (jobtrax.pagecache). Written only by pagecache.bump, never by save().
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "user"
        verbose_name_plural = "users"

    def __str__(self) -> str:
        return f"User #{self.pk}"

    def save(self, *args, **kwargs) -> None:
        # An account loaded before a change of its data must not set data_version back, and
        # one read from its cached copy (accounts.snapshots) leaves its password hash alone.
        if not self._state.adding and kwargs.get("update_fields") is None:
            deferred = self.get_deferred_fields()
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "data_version" and f.attname not in deferred
            ]
        super().save(*args, **kwargs)

    def get_session_auth_hash(self) -> str:
        # An account read from its cached copy carries the hash, not the password hash.
        kept = self.__dict__.get("_kept_session_hash")
        if kept is not None and "password" not in self.__dict__:
            return kept
        return super().get_session_auth_hash()

    @property
    def location_source_for_staff(self) -> str:
        return LOCATION_SOURCE_FOR_STAFF.get(self.location_source, self.location_source)

    @property
    def processing_restricted(self) -> bool:
        """Whether processing beyond the service itself is off for this account.

        Analytics, marketing, location inference and the AI features all ask this. A deactivated
        account (for example one waiting for deletion) is never processed for those purposes
        either.
        """
        return not self.is_active or self.processing_restricted_at is not None

    @property
    def processing_objected(self) -> bool:
        """Whether the processing on legitimate interests that an objection stops is off.

        It stops: the link between this account and its request-log entries (usage trends),
        the account in the "where users are" dashboard, location inference from the IP
        address, marketing and analytics. It does not stop what security or the law needs:
        security events and new-country alerts, the request log's address for 90 days, the
        audit trail and the records of requests. A restriction stops all of it too.
        """
        return self.processing_restricted or self.processing_objected_at is not None

    @property
    def location_display(self) -> str:
        if not self.country:
            return "Unknown"
        if not self.region:
            return self.country.name
        from accounts.regions import region_name

        return f"{self.country.name}, {region_name(self.country.code, self.region)}"


class KnownCountry(models.Model):
    """Countries an account has signed in from, to spot a sign-in from a new one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_countries")
    country = CountryField()
    first_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "known country"
        verbose_name_plural = "known countries"
        constraints = [
            models.UniqueConstraint(fields=["user", "country"], name="known_country_once")
        ]

    def __str__(self) -> str:
        return f"{self.country.code} for user #{self.user_id}"
