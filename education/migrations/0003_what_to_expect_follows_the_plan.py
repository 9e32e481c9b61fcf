"""Publish a new version of "What to expect" that no longer says "every day" to everyone: the
reading page now shows each patient's own dosing interval from their course."""

from django.db import migrations

OLD_HEADING = "## One injection every day"


def publish(apps, schema_editor):
    from education.content import starter_pages
    from education.rendering import reading_minutes, render_markdown

    Page = apps.get_model("education", "Page")
    PageVersion = apps.get_model("education", "PageVersion")
    spec = next((s for s in starter_pages() if s.slug == "what-to-expect"), None)
    page = Page.objects.filter(slug="what-to-expect").select_related("current_version").first()
    if spec is None or page is None or page.current_version is None:
        return
    if OLD_HEADING not in page.current_version.body:
        return  # already updated, or edited by the clinic: leave their words alone
    version = PageVersion.objects.create(
        page=page,
        number=page.current_version.number + 1,
        title=spec.title,
        summary=spec.summary,
        body=spec.body,
        body_html=render_markdown(spec.body),
        tags=spec.tags,
        reading_minutes=reading_minutes(spec.body),
    )
    page.title, page.summary, page.body = spec.title, spec.summary, spec.body
    page.current_version = version
    page.save(update_fields=["title", "summary", "body", "current_version"])


class Migration(migrations.Migration):
    dependencies = [("education", "0002_starter_library")]

    operations = [migrations.RunPython(publish, migrations.RunPython.noop)]
