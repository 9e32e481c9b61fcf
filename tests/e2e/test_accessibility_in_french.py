"""axe-core on the pages a French-speaking patient uses, in French (lang attributes included):
home, my treatment, the report forms and a sent report, an education page; none of them wider
than the screen."""

from __future__ import annotations

from clinic_portal.core.clock import clinic_today
from portal.concerns import report_concern
from tests.e2e.helpers import log_in
from tests.e2e.test_accessibility import audited_page, violations  # noqa: F401  (fixture)


def test_french_patient_pages_have_no_serious_accessibility_problems(audited_page, therapy):  # noqa: F811
    patient = therapy.patient
    patient.preferred_language = "fr"
    patient.save()
    concern = report_concern(
        patient=patient,
        author=patient.user,
        category="side_effects",
        details={"symptom": "headache", "severity": "mild", "fever": "no"},
        message="",
        today=clinic_today(),
    )
    log_in(audited_page, patient.user)
    assert audited_page.locator("html").get_attribute("lang") == "fr"
    # The words on the home page are the French ones, not the English.
    assert audited_page.get_by_role("heading", name="Mes prochains contrôles").is_visible()
    found = []
    for path, french in [
        ("/", "Dire quelque chose à l'équipe soignante"),
        ("/my/treatment/", "Mon carnet d'injections"),
        ("/my/treatment/other-doctor/", "Quoi dire"),
        ("/my/materials/", "Mes lectures"),
        ("/my/materials/when-to-call/", "Appelez-nous le jour même"),
        ("/my/concerns/new/", "De quoi voulez-vous nous parler ?"),
        ("/my/concerns/new/fever/", "Envoyer à mon équipe soignante"),
        ("/my/concerns/new/side_effects/", "Mal de tête"),
        (f"/my/concerns/{concern.uuid}/", "Pas encore de messages."),
        ("/my/profile/", "Mes coordonnées"),
        ("/my/access-log/", "Qui a consulté mon dossier"),
    ]:
        found += violations(audited_page, path)
        assert audited_page.locator("html").get_attribute("lang") == "fr", path
        assert french in audited_page.content(), path
        # The longer French words fold the menu onto two lines rather than off the screen.
        overflow = audited_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
    assert not found, "\n".join(found)
