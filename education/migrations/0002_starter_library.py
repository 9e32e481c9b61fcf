"""Load the clinic's eight starting patient pages, published as version 1 (idempotent by slug)."""

from django.db import migrations


def load(apps, schema_editor):
    from education.content import starter_pages
    from education.rendering import reading_minutes, render_markdown

    Page = apps.get_model("education", "Page")
    PageVersion = apps.get_model("education", "PageVersion")
    for spec in starter_pages():
        if Page.objects.filter(slug=spec.slug).exists():
            continue
        page = Page.objects.create(
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            tags=spec.tags,
            essential=spec.essential,
            in_starter_pack=spec.starter,
        )
        version = PageVersion.objects.create(
            page=page,
            number=1,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            body_html=render_markdown(spec.body),
            tags=spec.tags,
            reading_minutes=reading_minutes(spec.body),
        )
        page.current_version = version
        page.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
