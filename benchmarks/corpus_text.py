"""The invented forces of the benchmark corpus and the prose their reports are written in.

Every force, place, unit and local system is invented (names are made from place-name syllables and
bird names); the national systems, partners and initiatives come from ``ontology/gazetteer.jsonl``,
as they would appear in any force's report, and GUARDIAN, a public protection database that many
forces run, is one of each force's systems more often than not. Finding sentences state the
relations the extractor reads: a system feeding or interfacing with another, a unit or a role group
using a system ("the Public Protection Unit uses the GUARDIAN public protection database",
"frontline officers are trained in the use of PNC"), a unit based in a division, an initiative
piloted in one. Used by ``corpus.py`` (Baseline layouts) and ``corpus_peel.py`` (PEEL layouts).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from importlib.resources import files

_HEADS = ("Ash", "Bram", "Cal", "Dun", "Elm", "Fen", "Gar", "Hal", "Ivel", "Kel", "Lor", "Mar", "Nor", "Ox",
          "Pen", "Quen", "Rav", "Sel", "Thorn", "Ul", "Ver", "Wyn", "Yar", "Brack", "Cran", "Dray", "Eld",
          "Frith", "Glen", "Holm", "Kirk", "Lang", "Mere", "Nant", "Orm", "Pol", "Rye", "Stan", "Tarn", "Wold")
_TAILS = ("bury", "ford", "ham", "ley", "mouth", "stead", "wick", "ton", "dale", "moor", "field", "by",
          "thorpe", "combe", "minster", "bridge", "haven", "gate", "well", "worth")
_FORCE_FORMS = ("{} Constabulary", "{} Police", "{}shire Constabulary", "{}shire Police")
_UNITS = ("Public Protection Unit", "Roads Policing Unit", "Economic Crime Unit", "Major Crime Unit",
          "Child Abuse Investigation Unit", "Dog Support Unit", "Hate Crime Unit", "Criminal Justice Unit",
          "Tactical Support Unit", "Force Intelligence Bureau", "Professional Standards Department",
          "Serious Collision Investigation Unit", "Domestic Abuse Unit", "Cyber Crime Unit")
LOCAL_SYSTEMS = ("Beacon", "Harrier", "Lantern", "Osprey", "Compass", "Sentinel", "Kestrel", "Falcon",
                 "Merlin", "Anchor", "Tern", "Linnet")
_LOCAL_KINDS = ("crime recording system", "command and control system", "custody system",
                "duty management system", "intelligence system", "case file system")
# A regional public protection database, not in the gazetteer: found by its "database" head.
GUARDIAN = ("GUARDIAN", "public protection database")
_ROLES = ("frontline officers", "call handlers", "analysts", "custody staff", "neighbourhood officers")
_GOOD = ("is well led", "has improved since the last inspection", "is supported by clear policies",
         "is understood by staff at every level", "is monitored at the monthly performance meeting")
_WEAK = ("is not always recorded", "varies between divisions", "is not yet evaluated",
         "lacks a clear owner", "is not consistently supervised")
_FILLER = ("Staff we spoke to described the arrangements in detail and gave examples of recent cases.",
           "The force has set out its priorities in a published plan agreed with the police authority.",
           "Performance is reviewed each month and the results are shared with partners.",
           "Supervisors check a sample of records every week and feed back to the officers concerned.",
           "The arrangements were revised during the year after a review by the force's own auditors.",
           "Training has been given to frontline officers and refresher sessions are planned.",
           "Inspectors examined a sample of case files and spoke to victims about their experience.",
           "The chief officer team meets weekly to review risk, demand and the use of resources.",
           "Leaders know where the pressures are and have moved staff to meet them.",
           "The force has clear plans to improve this, and we will monitor its progress.")


@dataclass
class Force:
    """An invented force and the places, units and systems its reports mention."""

    name: str
    short: str
    divisions: list[str]
    cdrps: dict[str, list[tuple[str, int, int]]]  # division -> (name, population, households)
    units: list[tuple[str, str]]  # (name, abbreviation)
    systems: list[tuple[str, str]]  # (name, what it is): local and national
    partners: list[str]
    initiatives: list[str]


def national() -> dict[str, list[str]]:
    """The gazetteer's labels by entity type (``System``, ``Partner``, ``Initiative``...)."""
    out: dict[str, list[str]] = {}
    text = files("policekg.ontology").joinpath("gazetteer.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip():
            entry = json.loads(line)
            out.setdefault(entry["type"], []).append(entry["label"])
    return out


def _place(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(_HEADS) + rng.choice(_TAILS)
        if name not in used:
            used.add(name)
            return name


def _abbreviation(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def make_force(index: int, seed: int, gazetteer: dict[str, list[str]], taken: set[str]) -> Force:
    """The ``index``-th invented force of a corpus (names unique across ``taken``)."""
    rng = random.Random(f"{seed}:{index}")
    used: set[str] = set()
    while True:
        short = _place(rng, used)
        name = rng.choice(_FORCE_FORMS).format(short)
        if name not in taken:
            taken.add(name)
            break
    divisions = [_place(rng, used) for _ in range(rng.randint(2, 6))]
    cdrps = {}
    for d in divisions:
        cdrps[d] = []
        for _ in range(rng.randint(1, 3)):
            pop = rng.randint(40, 160) * 1000 + rng.randint(0, 9) * 100
            cdrps[d].append((_place(rng, used), pop, pop * rng.randint(38, 46) // 100))
    units = [(u, _abbreviation(u)) for u in rng.sample(_UNITS, rng.randint(3, 8))]
    local = [(n.upper(), rng.choice(_LOCAL_KINDS)) for n in rng.sample(LOCAL_SYSTEMS, rng.randint(1, 3))]
    if rng.random() < 0.7:
        local.append(GUARDIAN)
    systems = local + [(s, "national system") for s in rng.sample(gazetteer["System"], rng.randint(2, 5))]
    return Force(
        name=name, short=short, divisions=divisions, cdrps=cdrps, units=units, systems=systems,
        partners=rng.sample(gazetteer["Partner"], rng.randint(3, 7)),
        initiatives=rng.sample(gazetteer["Initiative"], rng.randint(1, len(gazetteer["Initiative"]))),
    )


def _named(system: tuple[str, str]) -> str:
    # A local system is written with what it is ("the KESTREL custody system"), as reports introduce
    # a force's own systems; a national one by its name alone.
    name, what = system
    return name if what == "national system" else f"the {name} {what}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def sentence(force: Force, rng: random.Random, good: bool) -> str:
    """One finding sentence citing some of the force's entities (systems, units, places) and, more
    often than not, stating a relation between two of them."""
    div = rng.choice(force.divisions)
    a, b = (_named(s) for s in rng.sample(force.systems, 2))
    unit, abbr = rng.choice(force.units)
    home = force.divisions[force.units.index((unit, abbr)) % len(force.divisions)]  # each unit has one
    quality = rng.choice(_GOOD if good else _WEAK)
    options = [
        f"The use of {a} in {div} Division {quality}.",
        f"{_cap(a)} feeds {b}, and the link {quality}.",
        f"{_cap(a)} interfaces with {b}; the process {quality}.",
        f"The {unit} ({abbr}) {quality}.",
        f"The {unit} is based in {home} Division, and its work {quality}.",
        f"The {unit} uses {a}, and the practice {quality}.",
        f"The {unit} has officers trained in the use of {a}, and this {quality}.",
        f"{_cap(rng.choice(_ROLES))} are trained in the use of {a}; the training {quality}.",
        f"{_cap(a)} is used by the {unit}, and its use {quality}.",
        f"Work with the {rng.choice(force.partners)} in {div} Division {quality}.",
        f"{rng.choice(force.initiatives)} was piloted in {div} Division and {quality}.",
        f"Officers in {div} Division check {a} before each arrest, and the practice {quality}.",
    ]
    return rng.choice(options)


def paragraphs(rng: random.Random, length: float, low: int, high: int, force: Force | None = None) -> list[str]:
    """``low``..``high`` (times ``length``) prose paragraphs of 4 to 14 filler sentences and up to two
    finding sentences: most of a real report is prose, few of its words name entities."""
    n = max(1, round(rng.randint(low, high) * length)) if high else 0
    out = []
    for _ in range(n):
        sentences = [rng.choice(_FILLER) for _ in range(rng.randint(4, 14))]
        if force is not None:
            sentences += [sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(0, 2))]
            rng.shuffle(sentences)
        out.append(" ".join(sentences))
    return out


def plain(rng: random.Random, good: bool) -> str:
    """A finding that names nothing."""
    subject = rng.choice(("The force's approach", "Supervision of this work", "The quality of recording",
                          "Communication with victims", "Partnership working", "The use of data"))
    return f"{subject} {rng.choice(_GOOD if good else _WEAK)}."


def bullets(force: Force, rng: random.Random, good: bool, length: float, low: int, high: int) -> list[str]:
    """``- `` bullets; as in the real reports, most name no system, unit or place (1 in 3 does here)."""
    n = max(1, round(rng.randint(low, high) * length))
    return [f"- {sentence(force, rng, good) if rng.random() < 0.35 else plain(rng, good)}" for _ in range(n)]


def should(force: Force, rng: random.Random) -> str:
    """An area for improvement: "The force should ensure that ..."."""
    text = sentence(force, rng, False)[:-1]
    # Lower-case only the first letter: system names keep their capitals ("PNC", "the GUARDIAN ...").
    return f"The force should ensure that {text[:1].lower() + text[1:] if text[1:2].islower() else text}."
