import pytest

from followups.models import FollowUp


@pytest.fixture
def month_one(therapy):
    """The first planned neutrophil count of the persona's therapy."""
    return (
        FollowUp.objects.filter(therapy=therapy, kind="neutrophil_count")
        .order_by("due_date")
        .first()
    )
