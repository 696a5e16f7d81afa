from django.urls import path, register_converter

from jobs import note_views, schedule_views, views, worksearch_views
from jobs.converters import JobIdConverter

register_converter(JobIdConverter, "job")

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.board, name="board"),
    path("jobs/list/", views.job_list, name="list"),
    path("jobs/deletion-dates/", views.deletion_dates, name="deletion_dates"),
    path("jobs/new/", views.job_new, name="new"),
    path("jobs/export.csv", views.export_csv, name="export_csv"),
    path("jobs/list/selected/", views.job_bulk, name="bulk"),
    path("jobs/tags/", views.tag_page, name="tags"),
    path("jobs/tags/<int:tag_id>/rename/", views.tag_rename, name="tag_rename"),
    path("jobs/tags/<int:tag_id>/delete/", views.tag_delete, name="tag_delete"),
    path("jobs/calendar.ics", views.calendar, name="calendar"),
    path("jobs/csv-import/", views.csv_import, name="csv_import"),
    path("jobs/csv-import/<uuid:token>/", views.csv_import_confirm, name="csv_import_confirm"),
    path("jobs/reminders/", views.reminder_settings, name="reminder_settings"),
    path("jobs/<job:pk>/", views.job_detail, name="detail"),
    path("jobs/<job:pk>/edit/", views.job_edit, name="edit"),
    path("jobs/<job:pk>/move/", views.job_move, name="move"),
    path("jobs/<job:pk>/tracking/", views.job_tracking, name="tracking"),
    path("jobs/<job:pk>/tags/", views.job_tags, name="job_tags"),
    path("jobs/<job:pk>/archive/", views.job_archive, name="archive"),
    path("jobs/<job:pk>/unarchive/", views.job_unarchive, name="unarchive"),
    path("jobs/<job:pk>/delete/", views.job_delete, name="delete"),
    path("jobs/<job:pk>/calendar.ics", views.job_calendar, name="job_calendar"),
    path("jobs/<job:pk>/assistant/", views.job_assistant, name="assistant"),
    # Dated notes.
    path("jobs/<job:pk>/notes/new/", note_views.note_add, name="note_add"),
    path("jobs/notes/<int:note_id>/edit/", note_views.note_edit, name="note_edit"),
    path("jobs/notes/<int:note_id>/delete/", note_views.note_delete, name="note_delete"),
    # Interviews, the week ahead and the private calendar feed.
    path("jobs/<job:pk>/interviews/new/", schedule_views.interview_new, name="interview_new"),
    path(
        "jobs/interviews/<int:interview_id>/edit/",
        schedule_views.interview_edit,
        name="interview_edit",
    ),
    path(
        "jobs/interviews/<int:interview_id>/delete/",
        schedule_views.interview_delete,
        name="interview_delete",
    ),
    path("jobs/week/", schedule_views.this_week, name="week"),
    path("jobs/analytics/", schedule_views.analytics_page, name="analytics"),
    path("jobs/<job:pk>/contacts/new/", schedule_views.contact_add, name="contact_add"),
    path(
        "jobs/contacts/<int:contact_id>/delete/",
        schedule_views.contact_delete,
        name="contact_delete",
    ),
    path(
        "jobs/<job:pk>/ghosting/dismiss/", schedule_views.ghosting_dismiss, name="ghosting_dismiss"
    ),
    path("jobs/stages/", schedule_views.stages_page, name="stages"),
    path("jobs/schedule-settings/", schedule_views.schedule_settings, name="schedule_settings"),
    path("jobs/calendar-feed/", schedule_views.feed_page, name="feed_page"),
    path("jobs/calendar-feed/new/", schedule_views.feed_create, name="feed_create"),
    path("jobs/calendar-feed/update/", schedule_views.feed_update, name="feed_update"),
    path("jobs/calendar-feed/revoke/", schedule_views.feed_revoke, name="feed_revoke"),
    path("calendar/<str:token>.ics", schedule_views.feed, name="calendar_feed"),
    # The work-search record.
    path("jobs/work-search/", worksearch_views.work_search, name="work_search"),
    path(
        "jobs/work-search/add/",
        worksearch_views.outside_application,
        name="work_search_add",
    ),
]
