from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "education"
    verbose_name = "Education"

    def ready(self) -> None:
        from followups.events import course_started

        course_started.connect(_course_started, dispatch_uid="education.course_started")


def _course_started(sender, *, therapy, actor, **kwargs) -> None:
    from education.services import assign_starter_pack

    assign_starter_pack(patient=therapy.patient, actor=actor)
