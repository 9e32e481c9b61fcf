"""axe-core on the pages a French-speaking patient uses, in French (lang attributes included)."""

from __future__ import annotations

from tests.e2e.helpers import log_in
from tests.e2e.test_accessibility import audited_page, violations  # noqa: F401  (fixture)


def test_french_patient_pages_have_no_serious_accessibility_problems(audited_page, therapy):  # noqa: F811
    patient = therapy.patient
    patient.preferred_language = "fr"
    patient.save()
    log_in(audited_page, patient.user)
    assert audited_page.locator("html").get_attribute("lang") == "fr"
    found = []
    for path in [
        "/",
        "/my/materials/",
        "/my/materials/when-to-call/",
        "/my/concerns/new/",
        "/my/concerns/new/fever/",
        "/my/profile/",
    ]:
        found += violations(audited_page, path)
        if path == "/my/materials/when-to-call/":
            assert "Appelez-nous le jour même" in audited_page.content()
    assert not found, "\n".join(found)
