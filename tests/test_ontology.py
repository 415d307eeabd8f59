"""The vocabulary: the Python namespace and the Turtle file agree, and typos raise."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS

from policekg.extract.model import ENTITY_TYPES, FINDING_KINDS, RELATION_PREDICATES
from policekg.ontology import POL, ontology_graph


def test_namespace_and_turtle_define_the_same_terms():
    g = ontology_graph()
    defined = {str(s)[len(str(POL._NS)):] for s in g.subjects() if str(s).startswith(str(POL._NS))}
    declared = set(POL.__annotations__)
    assert defined == declared


def test_a_typo_raises_instead_of_minting_a_bad_iri():
    with pytest.raises(AttributeError):
        POL.Forse  # noqa: B018


def test_every_class_and_property_has_a_label_and_a_comment():
    g = ontology_graph()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in g.subjects(RDF.type, kind):
            assert g.value(term, RDFS.label) is not None, term
            assert g.value(term, RDFS.comment) is not None, term


def test_model_names_are_ontology_terms():
    g = ontology_graph()
    for name in ENTITY_TYPES:
        assert (POL[name], RDFS.subClassOf, POL.PolicingEntity) in g
    for name in FINDING_KINDS:
        assert (POL[name], RDF.type, POL.FindingKind) in g
    for name in RELATION_PREDICATES:
        assert (POL[name], RDF.type, OWL.ObjectProperty) in g
