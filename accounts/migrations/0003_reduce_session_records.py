"""Session records written before they were reduced: truncate their addresses and replace
their User-Agent strings by the parsed browser, OS and device type (see accounts.sessions)."""

from django.db import migrations


def reduce_existing(apps, schema_editor):
    from accounts.sessions import describe_user_agent
    from jobtrax.net import truncate_ip

    UserSession = apps.get_model("usersessions", "UserSession")
    for session in UserSession.objects.only("pk", "ip", "user_agent").iterator(chunk_size=2000):
        ip = truncate_ip(session.ip) or session.ip
        user_agent = describe_user_agent(session.user_agent)
        if (ip, user_agent) != (session.ip, session.user_agent):
            UserSession.objects.filter(pk=session.pk).update(ip=ip, user_agent=user_agent)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_staff_roles"),
        ("usersessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(reduce_existing, migrations.RunPython.noop)]
