from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = "Therapy and follow-ups"

    def ready(self) -> None:
        from screening.events import screening_signed

        screening_signed.connect(_screening_signed, dispatch_uid="followups.screening_signed")


def _screening_signed(sender, *, screening, today, **kwargs) -> None:
    from followups.courses import review_course_after_screening

    review_course_after_screening(screening=screening, today=today)
