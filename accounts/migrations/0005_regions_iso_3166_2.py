"""Regions become ISO 3166-2 subdivisions of the country.

A region typed earlier that names one (by code or name) is stored as its code; any other is
cleared, and the account is flagged so that the profile tells its owner.
"""

from django.db import migrations


def to_subdivisions(apps, schema_editor):
    from accounts.regions import region_code

    User = apps.get_model("accounts", "User")
    rows = User.objects.exclude(region="").only("pk", "country", "region")
    for user in rows.iterator(chunk_size=2000):
        code = region_code(str(user.country or ""), user.region)
        if code == user.region:
            continue
        if code is None:
            User.objects.filter(pk=user.pk).update(region="", region_was_cleared=True)
        else:
            User.objects.filter(pk=user.pk).update(region=code)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_region_was_cleared")]

    operations = [migrations.RunPython(to_subdivisions, migrations.RunPython.noop)]
