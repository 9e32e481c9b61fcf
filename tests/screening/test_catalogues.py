import pytest

from screening.engine import medications, vaccines
from screening.engine.medications import DrugClass


@pytest.mark.parametrize(
    ("text", "generic", "drug_class"),
    [
        ("Humira 40 mg every other week", "adalimumab", DrugClass.TNF_BLOCKER),
        ("adalimumab-adaz", "adalimumab", DrugClass.TNF_BLOCKER),
        ("HYRIMOZ pen", "adalimumab", DrugClass.TNF_BLOCKER),
        ("Imraldi 40mg", "adalimumab", DrugClass.TNF_BLOCKER),
        ("etanercept-szzs (Erelzi)", "etanercept", DrugClass.TNF_BLOCKER),
        ("Benepali", "etanercept", DrugClass.TNF_BLOCKER),
        ("infliximab-dyyb 5 mg/kg", "infliximab", DrugClass.TNF_BLOCKER),
        ("Cimzia 200mg", "certolizumab pegol", DrugClass.TNF_BLOCKER),
        ("simponi aria", "golimumab", DrugClass.TNF_BLOCKER),
        ("Orencia", "abatacept", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("MabThera 1 g", "rituximab", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("RoActemra 162 mg", "tocilizumab", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("Kevzara", "sarilumab", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("tofacitinib 5 mg bd", "tofacitinib", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("Olumiant", "baricitinib", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("Jyseleca 200", "filgotinib", DrugClass.OTHER_BIOLOGIC_OR_JAK),
        ("Arcalyst", "rilonacept", DrugClass.OTHER_BIOLOGIC_OR_JAK),
    ],
)
def test_medicines_are_recognised_by_generic_brand_or_biosimilar(text, generic, drug_class):
    (drug,) = medications.recognise(text)
    assert (drug.generic, drug.drug_class) == (generic, drug_class)


@pytest.mark.parametrize(
    "text", ["Methotrexate 15 mg", "Hydroxychloroquine", "Kineret", "", "Humiradol"]
)
def test_other_medicines_are_not_matched(text):
    assert medications.recognise(text) == ()


@pytest.mark.parametrize(
    ("name", "live"),
    [
        ("MMR", True),
        ("Priorix", True),
        ("ProQuad", True),
        ("Varivax", True),
        ("Zostavax", True),
        ("zoster vaccine live", True),
        ("FluMist Quadrivalent", True),
        ("Fluenz Tetra", True),
        ("Stamaril", True),
        ("Yellow fever", True),
        ("Vivotif", True),
        ("oral typhoid", True),
        ("BCG", True),
        ("oral polio", True),
        ("Vaxchora", True),
        ("Rotarix", True),
        ("Dengvaxia", True),
        ("Qdenga", True),
        ("Ixchiq", True),
        ("ACAM2000", True),
        ("Fluad", False),
        ("flu jab", False),
        ("Shingrix", False),
        ("recombinant zoster", False),
        ("Prevenar 20", False),
        ("Pneumovax 23", False),
        ("Boostrix", False),
        ("Tdap", False),
        ("Havrix", False),
        ("Engerix-B", False),
        ("Gardasil 9", False),
        ("Comirnaty", False),
        ("COVID-19 booster", False),
        ("Arexvy", False),
        ("Bexsero", False),
        ("IPV", False),
        ("Typhim Vi", False),
        ("Rabipur", False),
        ("Ixiaro", False),
        ("Jynneos", False),
    ],
)
def test_vaccines_are_classified_live_or_not(name, live):
    vaccine = vaccines.recognise(name)
    assert vaccine is not None
    assert vaccine.live is live


@pytest.mark.parametrize(
    "name",
    [
        "flu vaccine",
        "influenza",
        "typhoid",
        "polio",
        "shingles vaccine",
        "travel jab",
        "smallpox",
        "chikungunya",
    ],
)
def test_ambiguous_or_unknown_names_are_not_recognised(name):
    assert vaccines.recognise(name) is None


def test_a_name_matching_live_and_non_live_is_treated_as_live():
    assert vaccines.recognise("MMR and Shingrix").live is True


def test_every_catalogue_entry_is_recognised_by_its_own_name():
    for vaccine in vaccines.CATALOGUE:
        assert vaccines.recognise(vaccine.name).live is vaccine.live, vaccine.name
