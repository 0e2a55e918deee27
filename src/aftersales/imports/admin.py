from django.contrib import admin

from aftersales.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["run_at", "kind", "file_name", "outcome", "rows", "created", "updated"]
    list_filter = ["kind", "outcome"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
