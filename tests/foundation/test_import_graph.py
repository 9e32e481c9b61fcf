"""No package cycle: between the children of any package of ours, imports run one way.

`make lint` checks the same with import-linter's acyclic_siblings contract; this test reads the
graph with grimp (import-linter's own dependency) and shows that the check finds a cycle when one
is added, so it can fail.
"""

import grimp

OUR_PACKAGES = (
    "care",
    "clinic_portal",
    "patients",
    "screening",
    "followups",
    "education",
    "portal",
    "treatment",
    "interop",
)


def package_cycles(graph: grimp.ImportGraph) -> dict[str, set[tuple[str, str]]]:
    """For each package whose children import one another in a circle, the imports that would
    have to go to break every circle."""
    packages = [name for name in graph.modules if len(graph.find_children(name)) >= 2]
    found = {name: graph.nominate_cycle_breakers(name) for name in sorted(packages)}
    return {name: breakers for name, breakers in found.items() if breakers}


def our_graph() -> grimp.ImportGraph:
    return grimp.build_graph(*OUR_PACKAGES, cache_dir=None)


def test_no_package_imports_its_siblings_in_a_circle():
    assert package_cycles(our_graph()) == {}


def test_an_import_against_the_direction_is_found_as_a_cycle():
    graph = our_graph()

    graph.add_import(
        importer="clinic_portal.audit.models", imported="clinic_portal.accounts.models"
    )

    assert set(package_cycles(graph)) == {"clinic_portal"}
