"""How central each policing entity is, across the findings and frameworks that connect them.

Centrality is computed on the undirected simple graph behind the typed network: an entity cited by
many findings has a high degree; one whose findings sit under many frameworks, or that links
systems and units otherwise apart, lies on many shortest paths (betweenness). Reports are left
out: every finding belongs to one, so they would sit on nearly every path and say nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import networkx as nx

from policekg.extract.model import ENTITY_TYPES
from policekg.visualise.network import REPORT

# Exact betweenness is O(nodes x edges); above this size it is estimated from a fixed sample of
# source nodes (with a fixed seed, so the ranking is repeatable).
EXACT_LIMIT = 3000
SAMPLE = 500


@dataclass
class Centrality:
    """One entity's centrality figures."""

    iri: str
    type: str
    label: str
    findings: int  # findings that cite it
    degree: float  # normalised degree centrality
    betweenness: float  # normalised betweenness centrality

    def as_dict(self) -> dict:
        return asdict(self)


def centrality(g: nx.MultiDiGraph, limit: int | None = None) -> list[Centrality]:
    """Rank the entities of a typed network by betweenness, then degree.

    Args:
        g: a graph from ``policekg.visualise.network.to_networkx``.
        limit: keep only the first ``limit`` entities.

    Returns:
        Entities, most central first (ties broken by label, then IRI).
    """
    keep = [n for n, t in g.nodes(data="type") if t != REPORT]
    simple = nx.Graph(g.subgraph(keep))  # undirected, one edge per pair whatever the relations
    if simple.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(simple) if simple.number_of_nodes() > 1 else dict.fromkeys(simple, 0.0)
    k = None if simple.number_of_nodes() <= EXACT_LIMIT else SAMPLE
    between = nx.betweenness_centrality(simple, k=k, seed=0 if k else None)
    rows = [
        Centrality(iri=n, type=a["type"], label=a["label"], findings=a.get("findings", 0),
                   degree=round(degree[n], 6), betweenness=round(between[n], 6))
        for n, a in g.nodes(data=True) if a["type"] in ENTITY_TYPES
    ]
    rows.sort(key=lambda c: (-c.betweenness, -c.degree, c.label.lower(), c.iri))
    return rows[:limit] if limit else rows
