"""A person's own tags on their jobs: made from a comma-separated field, unique per person
whatever the case, capped per person and per job with plain errors, shown on the board and the
list, used as filters there, renamed and deleted from "Your tags", exported and erased with the
account, and in the CSV export and import."""

import csv
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jobs import csvio, services, tags
from jobs.models import Job, JobTag, PersonalStage, Tag

pytestmark = pytest.mark.django_db


def _job(user, title="Data engineer", **data):
    return services.job_create(user=user, data={"title": title, **data})


def _tag_names(job) -> list[str]:
    return sorted(JobTag.objects.filter(job=job).values_list("tag__name", flat=True))


# Making tags -----------------------------------------------------------------------------------


def test_the_edit_form_sets_a_jobs_tags_from_a_comma_separated_field(client_logged_in, user):
    job = _job(user)
    response = client_logged_in.post(
        reverse("jobs:edit", args=[job.pk]),
        {"title": job.title, "workplace": "unknown", "tags": "remote,  Python , remote"},
    )
    assert response.status_code == 302
    assert _tag_names(job) == ["Python", "remote"]

    page = client_logged_in.get(reverse("jobs:edit", args=[job.pk])).content.decode()
    assert 'value="Python, remote"' in page

    client_logged_in.post(
        reverse("jobs:edit", args=[job.pk]),
        {"title": job.title, "workplace": "unknown", "tags": "python"},
    )
    assert _tag_names(job) == ["Python"]  # the same tag whatever the case; "remote" came off
    assert Tag.objects.filter(user=user).count() == 2  # and is still one of the person's tags


def test_a_new_job_can_be_tagged_as_it_is_added(client_logged_in, user):
    response = client_logged_in.post(
        reverse("jobs:new"), {"title": "Analyst", "workplace": "unknown", "tags": "referral"}
    )
    assert response.status_code == 302
    assert _tag_names(Job.objects.get(user=user)) == ["referral"]


def test_tags_are_added_and_removed_on_the_job_page(client_logged_in, user):
    job = _job(user)
    url = reverse("jobs:job_tags", args=[job.pk])
    client_logged_in.post(url, {"tags": "remote, dream job"})
    client_logged_in.post(url, {"tags": "Remote"})
    assert _tag_names(job) == ["dream job", "remote"]

    page = client_logged_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "dream job" in page and 'Remove<span class="visually-hidden"> tag remote' in page

    remote = Tag.objects.get(user=user, name="remote")
    client_logged_in.post(url, {"remove": str(remote.pk)})
    assert _tag_names(job) == ["dream job"]


def test_a_tag_name_over_forty_characters_is_refused_with_a_clear_error(client_logged_in, user):
    job = _job(user)
    response = client_logged_in.post(
        reverse("jobs:edit", args=[job.pk]),
        {"title": job.title, "workplace": "unknown", "tags": "x" * 41},
    )
    assert response.status_code == 400
    assert "at most 40 characters" in response.content.decode()
    assert not Tag.objects.exists()


def test_a_job_takes_at_most_twenty_tags(client_logged_in, user):
    job = _job(user)
    response = client_logged_in.post(
        reverse("jobs:edit", args=[job.pk]),
        {"title": job.title, "workplace": "unknown", "tags": ",".join(f"t{i}" for i in range(21))},
    )
    assert response.status_code == 400
    assert "at most 20 tags" in response.content.decode()

    tags.job_set_tags(job=job, names=[f"t{i}" for i in range(20)])
    other = _job(user, "Other", url="https://a.example/2")
    tags.job_set_tags(job=other, names=["extra"])
    with pytest.raises(ValidationError, match="at most 20 tags"):
        services.jobs_add_tag(user=user, job_ids=[job.pk, other.pk], name="extra")
    assert len(_tag_names(job)) == 20


def test_a_person_has_at_most_two_hundred_tags(user):
    Tag.objects.bulk_create(Tag(user=user, name=f"tag {i}") for i in range(tags.MAX_TAGS))
    job = _job(user)
    with pytest.raises(ValidationError, match="at most 200 tags"):
        tags.job_set_tags(job=job, names=["one too many"])
    tags.job_set_tags(job=job, names=["TAG 7"])  # an existing one is no new tag
    assert _tag_names(job) == ["tag 7"]


# Showing and filtering -------------------------------------------------------------------------


def test_tags_show_on_board_cards_and_filter_the_board_by_id_or_name(client_logged_in, user):
    remote = _job(user, "Remote role", url="https://a.example/1")
    office = _job(user, "Office role", url="https://a.example/2")
    tags.job_set_tags(job=remote, names=["remote"])
    tags.job_set_tags(job=office, names=["onsite"])
    tag = Tag.objects.get(name="remote")

    page = client_logged_in.get(reverse("jobs:board")).content.decode()
    assert f'href="/jobs/?tag={tag.pk}">remote</a>' in page
    assert "Office role" in page

    for value in (str(tag.pk), "REMOTE"):
        page = client_logged_in.get(reverse("jobs:board"), {"tag": value}).content.decode()
        assert "Remote role" in page and "Office role" not in page
        assert 'data-testid="board-tag-filter">remote<' in page


def test_a_board_filtered_by_a_tag_no_job_has_says_so_not_start_your_board(client_logged_in, user):
    _job(user)
    page = client_logged_in.get(reverse("jobs:board"), {"tag": "nowhere"}).content.decode()
    assert "No job on your board is tagged" in page
    assert 'data-testid="empty-board"' not in page


def test_the_list_shows_tags_and_filters_by_tag_with_a_select_of_ones_own(
    client_logged_in, user, other_user
):
    remote = _job(user, "Remote role", url="https://a.example/1")
    _job(user, "Office role", url="https://a.example/2")
    tags.job_set_tags(job=remote, names=["remote"])
    theirs = _job(other_user, "Their role")
    tags.job_set_tags(job=theirs, names=["secret label"])
    tag = Tag.objects.get(user=user)

    page = client_logged_in.get(reverse("jobs:list")).content.decode()
    assert f'<option value="{tag.pk}">remote</option>' in page
    assert "secret label" not in page

    for value in (str(tag.pk), "remote"):
        page = client_logged_in.get(reverse("jobs:list"), {"tag": value}).content.decode()
        assert "Remote role" in page and "Office role" not in page
    their_tag = Tag.objects.get(user=other_user)
    page = client_logged_in.get(reverse("jobs:list"), {"tag": their_tag.pk}).content.decode()
    assert "1 job" not in page and "0 jobs" in page


def test_the_list_filter_and_the_add_a_job_picker_offer_ones_own_stages(client_logged_in, user):
    from jobs.stages import stage_add

    own = stage_add(user=user, name="Take-home test", phase="interviewing")
    PersonalStage.objects.filter(user=user, key="applied").update(name="Sent off")

    page = client_logged_in.get(reverse("jobs:list")).content.decode()
    assert f'<option value="{own.key}">Take-home test</option>' in page
    assert '<option value="applied">Sent off</option>' in page

    form = client_logged_in.get(reverse("jobs:new")).content.decode()
    assert f'<option value="{own.key}">Take-home test</option>' in form

    response = client_logged_in.post(
        reverse("jobs:new"), {"title": "Backend dev", "workplace": "unknown", "stage": own.key}
    )
    assert response.status_code == 302
    job = Job.objects.get(user=user)
    assert job.stage == own.key
    page = client_logged_in.get(reverse("jobs:list"), {"stage": own.key}).content.decode()
    assert "Backend dev" in page


def test_another_persons_stage_key_is_not_a_stage_for_a_new_job(client_logged_in, other_user):
    from jobs.stages import stage_add

    theirs = stage_add(user=other_user, name="Theirs", phase="applied")
    response = client_logged_in.post(
        reverse("jobs:new"), {"title": "Backend dev", "workplace": "unknown", "stage": theirs.key}
    )
    assert response.status_code == 400
    assert not Job.objects.filter(title="Backend dev").exists()


# Your tags -------------------------------------------------------------------------------------


def test_your_tags_renames_and_deletes_a_tag_and_the_jobs_stay(client_logged_in, user):
    job = _job(user)
    tags.job_set_tags(job=job, names=["remote", "python"])
    remote = Tag.objects.get(name="remote")

    page = client_logged_in.get(reverse("jobs:tags")).content.decode()
    assert "remote" in page and "python" in page

    client_logged_in.post(reverse("jobs:tag_rename", args=[remote.pk]), {"name": "Python"})
    remote.refresh_from_db()
    assert remote.name == "remote"  # "Python" is taken, whatever the case

    client_logged_in.post(reverse("jobs:tag_rename", args=[remote.pk]), {"name": "fully remote"})
    assert _tag_names(job) == ["fully remote", "python"]

    client_logged_in.post(reverse("jobs:tag_delete", args=[remote.pk]))
    assert _tag_names(job) == ["python"]
    assert Job.objects.filter(pk=job.pk).exists()


def test_another_persons_tag_cannot_be_renamed_or_deleted(client_logged_in, other_user):
    job = _job(other_user)
    tags.job_set_tags(job=job, names=["theirs"])
    tag = Tag.objects.get()
    renamed = client_logged_in.post(reverse("jobs:tag_rename", args=[tag.pk]), {"name": "mine"})
    deleted = client_logged_in.post(reverse("jobs:tag_delete", args=[tag.pk]))
    assert renamed.status_code == deleted.status_code == 404
    tag.refresh_from_db()
    assert tag.name == "theirs"


def test_another_persons_tag_cannot_be_taken_off_a_job_of_theirs_through_ones_own(
    client_logged_in, user, other_user
):
    mine = _job(user)
    theirs = _job(other_user)
    tags.job_set_tags(job=theirs, names=["theirs"])
    tag = Tag.objects.get()
    client_logged_in.post(reverse("jobs:job_tags", args=[mine.pk]), {"remove": str(tag.pk)})
    assert _tag_names(theirs) == ["theirs"]
    response = client_logged_in.post(reverse("jobs:job_tags", args=[theirs.pk]), {"tags": "x"})
    assert response.status_code == 404


# Privacy: the data export, erasure, the CSV, Your data ------------------------------------------


def test_the_data_export_holds_ones_tags_and_which_job_each_is_on(user, other_user):
    from rights.export import write_zip

    job = _job(user)
    tags.job_set_tags(job=job, names=["remote"])
    tags.job_set_tags(job=_job(other_user), names=["not yours"])
    target = io.BytesIO()
    write_zip(user_id=user.pk, target=target)
    records = json.loads(zipfile.ZipFile(target).read("data.json"))["records"]
    tag = Tag.objects.get(user=user)
    assert [(r["id"], r["name"]) for r in records["job_tags"]] == [(tag.pk, "remote")]
    assert [(r["job_id"], r["tag_id"]) for r in records["job_tag_links"]] == [(job.pk, tag.pk)]
    with zipfile.ZipFile(target) as archive:
        assert "remote" in archive.read("job_tags.csv").decode()


def test_erasing_the_account_erases_its_tags_and_their_links(user, other_user):
    from rights.erasure import erase_account

    tags.job_set_tags(job=_job(user), names=["remote"])
    tags.job_set_tags(job=_job(other_user), names=["kept"])
    erase_account(user_id=user.pk, reason="user_request")
    assert list(Tag.objects.values_list("name", flat=True)) == ["kept"]
    assert JobTag.objects.count() == 1


def test_deleting_a_job_deletes_its_tag_links_and_keeps_the_tag(user):
    job = _job(user)
    tags.job_set_tags(job=job, names=["remote"])
    services.job_delete(job=job)
    assert not JobTag.objects.exists()
    assert Tag.objects.filter(user=user).count() == 1


def test_the_csv_export_has_a_tags_column_and_the_import_reads_it_back(user, other_user):
    job = _job(user, url="https://a.example/1")
    tags.job_set_tags(job=job, names=["remote", "Python"])
    out = io.StringIO()
    csvio.write_export(user=user, out=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert rows[0]["tags"] == "Python, remote"

    upload = SimpleUploadedFile("jobs.csv", out.getvalue().encode(), content_type="text/csv")
    preview = csvio.import_preview(user=other_user, upload=upload)
    assert len(preview.ready) == 1
    csvio.import_confirm(user=other_user, token=preview.token)
    imported = Job.objects.get(user=other_user)
    assert _tag_names(imported) == ["Python", "remote"]


def test_another_trackers_csv_with_a_tags_column_brings_the_tags(user):
    text = 'Title,Company,Tags\nAnalyst,Acme,"remote, referral"\n'
    upload = SimpleUploadedFile("jobs.csv", text.encode(), content_type="text/csv")
    preview = csvio.import_preview(user=user, upload=upload)
    csvio.import_confirm(user=user, token=preview.token)
    assert _tag_names(Job.objects.get(user=user)) == ["referral", "remote"]


def test_a_csv_tag_over_forty_characters_is_a_row_error(user):
    text = f"Title,Tags\nAnalyst,{'y' * 41}\n"
    upload = SimpleUploadedFile("jobs.csv", text.encode(), content_type="text/csv")
    preview = csvio.import_preview(user=user, upload=upload)
    assert not preview.ready
    assert "40 characters" in " ".join(preview.rows[0].errors)


def test_your_data_counts_ones_tags(client_logged_in, user):
    tags.job_set_tags(job=_job(user), names=["remote", "python"])
    page = client_logged_in.get(reverse("rights:your_data")).content.decode()
    assert 'data-testid="tags-kept">2' in page


def test_staff_see_that_tags_exist_never_their_names(user):
    from django.contrib import admin

    tags.job_set_tags(job=_job(user), names=["remote"])
    for model in (Tag, JobTag):
        model_admin = admin.site._registry[model]
        shown = set(model_admin.fields) | set(model_admin.list_display)
        assert "name" not in shown
        assert not model_admin.has_change_permission(request=None)


def test_tags_are_declared_personal_data():
    from jobtrax import datamap

    declared = {kind.model: kind for kind in datamap.kinds()}
    assert declared["jobs.Tag"].erase == datamap.DELETE
    assert declared["jobs.JobTag"].retention == "archived_jobs"
    assert json.dumps(declared["jobs.Tag"].purpose)
