"""Publish the French and Spanish versions of the eight starting pages (education/content/fr and
es), each as version 1 of its language, translating the English page's current version.

A page the clinic has removed, or a translation already there, is left alone."""

from django.db import migrations


def load(apps, schema_editor):
    from education.content import starter_translations
    from education.rendering import reading_minutes, render_markdown

    Page = apps.get_model("education", "Page")
    PageTranslation = apps.get_model("education", "PageTranslation")
    PageVersion = apps.get_model("education", "PageVersion")
    for spec in starter_translations():
        page = Page.objects.filter(slug=spec.slug, current_version__isnull=False).first()
        if (
            page is None
            or PageTranslation.objects.filter(page=page, language=spec.language).exists()
        ):
            continue
        translation = PageTranslation.objects.create(
            page=page,
            language=spec.language,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
        )
        version = PageVersion.objects.create(
            page=page,
            language=spec.language,
            source_version_id=page.current_version_id,
            number=1,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            body_html=render_markdown(spec.body),
            tags=page.tags,
            reading_minutes=reading_minutes(spec.body),
        )
        translation.current_version = version
        translation.save(update_fields=["current_version"])


class Migration(migrations.Migration):
    dependencies = [("education", "0005_page_translations")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
