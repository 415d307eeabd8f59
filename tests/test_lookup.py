"""The one name look-up: the store (trace, show, query parameters) and the network (visualise
--focus) follow the same ranking rule, so a name means the same node everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from policekg import api
from policekg.errors import UnknownEntity
from policekg.graph.store import open_store
from policekg.queries.lookup import Candidate, choose, find_node, resolve
from policekg.visualise.network import to_networkx

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def wessex(tmp_path_factory):
    where = tmp_path_factory.mktemp("lookup") / "kg"
    api.build([DATA / "wessex-2006-baseline.txt", DATA / "wessex-2019-peel.md"], store=where)
    with open_store(where) as gs:
        yield gs.dataset, to_networkx(gs.dataset)


def test_the_rule_ranks_label_then_alias_then_abbreviation_then_partial():
    cands = [Candidate("urn:c", "partial"), Candidate("urn:b", "alias"), Candidate("urn:a", "abbreviation")]
    assert choose("x", cands) == "urn:b"
    assert choose("x", [*cands, Candidate("urn:d", "label")]) == "urn:d"
    # A policing entity wins over a framework, report or finding, whatever the rank.
    assert choose("x", [Candidate("urn:r", "label", entity=False), Candidate("urn:e", "partial")]) == "urn:e"
    assert choose("x", []) is None
    with pytest.raises(UnknownEntity, match="names 2 entities"):
        choose("x", [Candidate("urn:a", "alias"), Candidate("urn:b", "alias")])


def test_every_entity_name_means_the_same_node_in_the_store_and_the_network(wessex):
    ds, g = wessex
    checked = 0
    for _node, attrs in g.nodes(data=True):
        if attrs["type"] in ("Framework", "Finding", "Report"):
            continue
        for name in (attrs["label"], *attrs.get("aliases", ())):
            try:
                in_store = resolve(ds, name).iri
            except UnknownEntity as exc:
                with pytest.raises(UnknownEntity):
                    find_node(g, name)
                assert "names" in str(exc)  # only an ambiguous name may fail
                continue
            assert find_node(g, name) == in_store, name
            assert find_node(g, name.upper()) == resolve(ds, name.upper()).iri
            checked += 1
    assert checked > 10


def test_a_unique_part_of_a_name_finds_it_in_both(wessex):
    ds, g = wessex
    iri = resolve(ds, "Harbour Watch Unit").iri
    assert resolve(ds, "harbour watch").iri == iri == find_node(g, "harbour watch")
    # "Harbour" is a division's label: an exact label outranks the part of another name.
    assert resolve(ds, "harbour").iri == find_node(g, "harbour") != iri


def test_an_unknown_name_is_an_error_in_both(wessex):
    ds, g = wessex
    with pytest.raises(UnknownEntity):
        resolve(ds, "Chalk Downs Omnibus")
    with pytest.raises(UnknownEntity):
        find_node(g, "Chalk Downs Omnibus")


def test_a_name_two_forces_share_is_ambiguous_unless_a_force_is_given():
    """Each force has its own GUARDIAN-like system: nationally the name is ambiguous, and within
    a force (``trace NAME --force F``) it is that force's."""
    id_ = "https://w3id.org/policekg/id/"
    north, south = id_ + "force/northshire-police", id_ + "force/southmoor-police"
    cands = [Candidate(north + "/system/keeper", "label"), Candidate(south + "/system/keeper", "label")]
    with pytest.raises(UnknownEntity, match="names 2 entities"):
        choose("Keeper", cands)
    assert choose("Keeper", cands, within=north) == north + "/system/keeper"
    assert choose("Keeper", cands, within=south + "/") == south + "/system/keeper"
    with pytest.raises(UnknownEntity):  # a force with none of them does not pick one
        choose("Keeper", cands, within=id_ + "force/eastmoor-police")


def test_trace_with_a_force_traces_that_forces_entity_of_a_shared_name(turtle_dataset):
    from policekg.queries.trace import trace

    ttl = """@prefix pol: <https://w3id.org/policekg/ontology#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    pol:Force rdfs:subClassOf pol:PolicingEntity . pol:System rdfs:subClassOf pol:PolicingEntity .
    <https://w3id.org/policekg/id/force/northshire-police> a pol:Force ; skos:prefLabel "Northshire Police" .
    <https://w3id.org/policekg/id/force/southmoor-police> a pol:Force ; skos:prefLabel "Southmoor Police" .
    <https://w3id.org/policekg/id/force/northshire-police/system/keeper> a pol:System ; skos:prefLabel "Keeper" .
    <https://w3id.org/policekg/id/force/southmoor-police/system/keeper> a pol:System ; skos:prefLabel "Keeper" .
    """
    ds = turtle_dataset(ttl)
    with pytest.raises(UnknownEntity, match="names 2 entities"):
        trace(ds, "Keeper")
    result = trace(ds, "Keeper", force="Southmoor Police")
    assert result.entity.iri.endswith("/southmoor-police/system/keeper")
