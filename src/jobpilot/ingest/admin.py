"""Operators manage sources in Django admin (where the admin site is mounted) and with the `ingest_*` commands."""

from django.contrib import admin

from jobpilot.ingest.models import ImportedJob, Source, SourceRun


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "url",
        "enabled",
        "healthy",
        "every",
        "last_success_at",
        "consecutive_failures",
    )
    list_filter = ("kind", "enabled", "healthy")
    search_fields = ("name", "url")
    readonly_fields = (
        "last_run_at",
        "last_success_at",
        "last_complete_at",
        "last_error",
        "consecutive_failures",
        "healthy",
        "last_counts",
        "etag",
        "last_modified",
    )


@admin.register(SourceRun)
class SourceRunAdmin(admin.ModelAdmin):
    list_display = ("source", "status", "started_at", "finished_at")
    list_filter = ("status",)
    readonly_fields = ("source", "status", "started_at", "finished_at", "counts", "rejections", "error")


@admin.register(ImportedJob)
class ImportedJobAdmin(admin.ModelAdmin):
    list_display = ("title", "company_name", "source", "status", "first_seen", "last_verified_live")
    list_filter = ("status", "source__kind")
    search_fields = ("title", "company_name", "external_id")
    readonly_fields = [field.name for field in ImportedJob._meta.fields]
