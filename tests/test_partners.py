"""Partner organisations, other forces and partnerships in open text (extract/partners.py, the gazetteer).

Every sentence here is invented (Northshire Police, Wessex Constabulary and their towns do not exist);
none comes from the development set.
"""

from __future__ import annotations

import pytest

from policekg.extract.model import CDRP, FORCE, PARTNER, PARTNERSHIP
from policekg.extract.nlp import extract_fragment
from policekg.extract.partners import (
    find_councils,
    find_forces,
    find_listed_partners,
    find_named_bodies,
    force_label,
    load_forces,
)


def found(fn, text):
    return [text[f.start:f.end] for f in fn(text)]


def typed(text: str) -> set[tuple[str, str]]:
    return {(e["type"], e["label"]) for e in extract_fragment(text)["entities"]}


def of_type(text: str, type_: str) -> set[str]:
    return {label for t, label in typed(text) if t == type_}


def test_councils_by_the_shape_of_their_names():
    text = ("The division covers Lowdale District council, Northby Borough Council and the City of "
            "Eastham Council, and works with the London Borough of Westmere.")
    assert found(find_councils, text) == [
        "Lowdale District council", "Northby Borough Council", "City of Eastham Council", "London Borough of Westmere"]
    assert found(find_councils, "The council agreed. Each Council met.") == []


def test_named_bodies_end_in_an_organisation_noun_and_may_go_on():
    text = ("The Northshire Licensing Authority and the Coastal Rescue Society for the Protection of Seals "
            "share data with the force.")
    assert found(find_named_bodies, text) == [
        "Northshire Licensing Authority", "Coastal Rescue Society for the Protection of Seals"]


def test_items_of_a_list_introduced_as_organisations():
    text = ("It inspected the following organisations:\n\n  - Harbour Ferries;\n"
            "  - Seaview Lifeboats (a charity); and\n  - Tidewater Trust.")
    assert set(of_type(text, PARTNER)) >= {"Harbour Ferries", "Seaview Lifeboats", "Tidewater Trust"}
    inline = "The force works with partner organisations such as Harbour Ferries, Seaview Lifeboats and the CPS."
    assert found(find_listed_partners, inline) == ["Harbour Ferries", "Seaview Lifeboats", "CPS"]


def test_generic_partners_alone_are_not_partners():
    text = ("The force works well with partners and partner organisations. Other agencies attend. "
            "It shares information with its partners.")
    assert of_type(text, PARTNER) == set()


def test_kinds_of_partner_agency_and_national_bodies():
    text = ("Officers work with social services, housing associations, local councils and charities. "
            "Detainees see mental health providers. The Independent Office for Police Conduct (IOPC) and the "
            "National Police Chiefs' Council issued guidance; the police and crime commissioner agreed.")
    got = of_type(text, PARTNER)
    assert {"social services", "housing associations", "Local Authority", "charities", "mental health services",
            "IOPC", "ACPO", "Police and Crime Commissioner"} <= got


def test_the_inspectorate_is_never_a_partner():
    text = ("Her Majesty's Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS) inspected the "
            "force. HMIC found that our inspectors were welcomed. HM Inspectorate of Constabulary (HMIC) agreed.")
    assert typed(text) == set()


def test_the_inspected_force_is_the_force_and_other_forces_are_partners():
    text = ("Kent Police works with Essex Police and with the Surrey and Sussex forces. "
            "Kent Police shares a dog unit with Essex police.")
    got = typed(text)
    assert (FORCE, "Kent Police") in got and (PARTNER, "Kent Police") not in got
    assert {"Essex Police", "Surrey Police", "Sussex Police"} <= of_type(text, PARTNER)
    assert sum(1 for t, label in got if label == "Essex Police") == 1  # "Essex police" is the same force


def test_forces_file_lists_the_43_territorial_forces_and_the_others():
    forces = load_forces()
    assert sum(1 for f in forces if f["place"]) == 43
    assert {"British Transport Police", "Police Scotland", "Police Service of Northern Ireland"} <= {
        f["label"] for f in forces}
    assert all(f["note"] for f in forces)
    assert force_label("PSNI") == "Police Service of Northern Ireland"
    assert force_label("Avon and Somerset") == "Avon and Somerset Constabulary"
    assert force_label("Northshire Police") is None  # an invented force is not in the national list


def test_forces_coordinated_before_a_plural():
    text = "It collaborates with the Norfolk and Suffolk constabularies."
    assert found(find_forces, text) == ["Norfolk", "Suffolk"]
    assert found(find_forces, "Avon and Somerset Constabulary agreed.") == ["Avon and Somerset Constabulary"]


@pytest.mark.parametrize("text, label", [
    ("High-risk cases go to the multi-agency risk assessment conference (MARAC) each month.", "MARAC"),
    ("Offenders are managed under multi-agency public protection arrangements.", "MAPPA"),
    ("The local safeguarding children board reviewed the case.", "local safeguarding children board"),
])
def test_multi_agency_partnerships_are_their_own_type(text, label):
    assert (PARTNERSHIP, label) in typed(text)


def test_community_safety_partnerships_are_cdrps_as_a_kind():
    text = "The force chairs two community safety partnerships."
    assert (CDRP, "community safety partnership") in typed(text)
    assert of_type(text, PARTNER) == set()
