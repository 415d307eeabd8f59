"""Small readers of a test store's dataset, shared by the tests of queries at scale."""

from __future__ import annotations


def inspected_forces(ds) -> dict[str, str]:
    """Report IRI -> the IRI of the force it inspects."""
    rows = ds.query("""PREFIX pol: <https://w3id.org/policekg/ontology#>
        SELECT ?r ?f WHERE { ?r a pol:InspectionReport ; pol:inspectedForce ?f }""")
    return {str(r): str(f) for r, f in rows}
