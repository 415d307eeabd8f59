"""Plain data classes passed between the reader, the parsers, the NLP pipeline and the graph builder.

Offsets (``start``/``end``) are always character offsets into ``Report.text``, the *normalised*
report text; ``Normalised.to_source`` maps them back to the original file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Report kinds.
BASELINE = "baseline"  # HMIC Baseline Assessment, 2005-2007
PEEL = "peel"  # HMICFRS PEEL, 2014 onward
GENERIC = "generic"  # anything else, read as headings and paragraphs
KINDS = (BASELINE, PEEL, GENERIC)

# Finding kinds (local names of pol:FindingKind individuals in ontology/policekg.ttl).
STRENGTH = "Strength"
WORK_IN_PROGRESS = "WorkInProgress"
AREA_FOR_IMPROVEMENT = "AreaForImprovement"
GOOD_PRACTICE = "GoodPractice"
CONTEXT = "Context"  # Contextual Factors / National Position paragraphs
CAUSE_OF_CONCERN = "CauseOfConcern"
RECOMMENDATION = "Recommendation"  # PEEL 2021 onward: what a cause of concern asks the force to do
INNOVATIVE_PRACTICE = "InnovativePractice"  # PEEL 2021 onward
PROMISING_PRACTICE = "PromisingPractice"  # PEEL 2021 onward
SUMMARY = "Summary"  # PEEL summary paragraphs
OBSERVATION = "Observation"  # PEEL narrative paragraphs; generic paragraphs
FINDING_KINDS = (
    STRENGTH, WORK_IN_PROGRESS, AREA_FOR_IMPROVEMENT, GOOD_PRACTICE,
    CONTEXT, CAUSE_OF_CONCERN, RECOMMENDATION, INNOVATIVE_PRACTICE, PROMISING_PRACTICE, SUMMARY, OBSERVATION,
)

# Entity types (local names of classes in ontology/policekg.ttl).
FORCE = "Force"
DIVISION = "Division"
CDRP = "CDRP"
UNIT = "Unit"
SYSTEM = "System"
PARTNER = "Partner"
INITIATIVE = "Initiative"
# A standing multi-agency arrangement (MAPPA, MARAC, a safeguarding board); pol:CDRP is a subclass.
PARTNERSHIP = "Partnership"
# People who hold one role in a force ("call handlers", "frontline officers"): the users of a system
# when the text names no unit. Found only as the end of a usage relation (extract/usage.py).
ROLE_GROUP = "RoleGroup"
ENTITY_TYPES = (FORCE, DIVISION, CDRP, UNIT, SYSTEM, PARTNER, INITIATIVE, PARTNERSHIP, ROLE_GROUP)

# Entity-to-entity relation predicates (local names of properties in ontology/policekg.ttl).
INTERFACES_WITH = "interfacesWith"
FEEDS = "feeds"
REPLACES = "replaces"
INTEGRATED_WITH = "integratedWith"
LIES_WITHIN = "liesWithin"
PART_OF = "partOf"
PILOTED_IN = "pilotedIn"
USED_IN = "usedIn"
USED_BY = "usedBy"  # a system is used by a unit, partner or role group
RELATION_PREDICATES = (
    INTERFACES_WITH, FEEDS, REPLACES, INTEGRATED_WITH, LIES_WITHIN, PART_OF, PILOTED_IN, USED_IN, USED_BY,
)


@dataclass
class Framework:
    """One graded area: a Baseline framework (``4B``), a PEEL pillar or a PEEL question/area.

    ``code`` is the report's own code where it has one (``4B``); PEEL areas have none, so
    their ``code`` is empty and ``parent`` names the pillar's title.
    """

    code: str
    title: str
    level: str = "framework"  # "domain" | "framework" | "pillar" | "question" | "area"
    parent: str | None = None  # code (baseline) or title (PEEL) of the enclosing domain/pillar
    grade: str | None = None  # Excellent/Good/Fair/Poor, Outstanding/Good/Requires improvement/...
    direction: str | None = None  # Improved/Stable/Declined/Not Graded (baseline)
    national_distribution: dict[str, int] = field(default_factory=dict)  # grade -> number of forces
    last_inspected: str | None = None  # PEEL: "2017", "2018/19"
    start: int = 0  # offset of its heading in Report.text
    end: int = 0


@dataclass
class Finding:
    """One finding: a bullet or paragraph, with its verbatim text and where it sits."""

    ordinal: int  # 1-based position in the report; part of its IRI
    kind: str  # one of FINDING_KINDS
    text: str  # verbatim: Report.text[start:end]
    start: int
    end: int
    framework: str | None = None  # Framework.code, or Framework.title for PEEL areas
    section: str | None = None  # sub-heading within the framework ("Domestic Violence")
    # Good Practice blocks only:
    title: str | None = None
    problem: str | None = None
    solution: str | None = None
    outcome: str | None = None
    page: int | None = None  # 1-based page of the source where it starts (PDF input); None otherwise


@dataclass
class DivisionInfo:
    """A division / BCU described in the force overview."""

    name: str  # as headed, without the trailing "Division": "Harbour"
    description: str = ""
    population: int | None = None
    households: int | None = None
    start: int = 0
    end: int = 0


@dataclass
class CDRPInfo:
    """A crime and disorder reduction partnership from the overview tables."""

    name: str
    division: str | None = None  # DivisionInfo.name
    population: int | None = None
    households: int | None = None
    start: int = 0
    end: int = 0


@dataclass
class GlossaryEntry:
    abbreviation: str
    expansion: str
    start: int = 0
    end: int = 0


@dataclass
class Report:
    """A parsed report: its structure, before entity extraction."""

    kind: str  # one of KINDS
    force: str  # "Wessex Constabulary"
    title: str
    year: str  # assessment year as the report gives it: "2005/06", "2018/19"
    published: str | None  # "October 2006", "February 2020"
    source_name: str  # file name, not path, so IRIs do not depend on where the file lives
    text: str  # normalised text
    sha256: str = ""  # of the original file's bytes
    identifier: str | None = None  # ISBN where given
    frameworks: list[Framework] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    divisions: list[DivisionInfo] = field(default_factory=list)
    cdrps: list[CDRPInfo] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    parser: str = ""  # name of the parser that read it (extract.parsers registry key)
    source_format: str = "text"  # "text" | "pdf" | "html": what the original file was


@dataclass
class Entity:
    """One resolved entity: all its mentions share it."""

    type: str  # one of ENTITY_TYPES
    label: str  # preferred label
    aliases: set[str] = field(default_factory=set)  # alternative labels (not including label)
    scope: str = "force"  # "national" (one IRI across forces) or "force" (scoped to its force)
    source: str = "discovered"  # "gazetteer" | "glossary" | "structure" | "discovered"
    note: str | None = None  # gazetteer note, or how it was discovered

    @property
    def key(self) -> tuple[str, str]:
        return (self.type, self.label)


@dataclass
class Mention:
    """A finding cites an entity: the provenance of one link."""

    entity: tuple[str, str]  # Entity.key
    surface: str  # exactly Report.text[start:end]
    start: int
    end: int
    method: str  # "gazetteer" | "abbreviation" | "glossary" | "pattern:<name>" | "structure" | "alias"
    finding: int | None = None  # Finding.ordinal; None outside any finding


@dataclass
class Relation:
    """An entity-to-entity relation read from one sentence."""

    subject: tuple[str, str]  # Entity.key
    predicate: str  # one of RELATION_PREDICATES
    object: tuple[str, str]  # Entity.key
    sentence: str  # verbatim sentence: Report.text[start:end]
    start: int
    end: int
    method: str  # "pattern:<name>" | "table" | "structure"
    finding: int | None = None


@dataclass
class Extraction:
    """What the NLP pipeline found in one report."""

    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
