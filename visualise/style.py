"""How each node type and edge relation is drawn: colour, shape, whether the edge has a label.

The known types have hand-picked styles (Okabe-Ito colours plus greys; shapes differ too, for print
and for readers who cannot tell the colours apart). A type or relation the code has never heard of
(a new class in ``extract/model.py``) still gets a style, from a fixed palette indexed by a checksum
of its name, so the same name always has the same colour and a new type needs no code here.
"""

from __future__ import annotations

import zlib

TYPE_STYLE = {
    "Force": {"color": "#0b3c8c", "shape": "star"},
    "Division": {"color": "#009e73", "shape": "hexagon"},
    "CDRP": {"color": "#56b4e9", "shape": "triangleDown"},
    "Unit": {"color": "#e69f00", "shape": "dot"},
    "System": {"color": "#d55e00", "shape": "square"},
    "Partner": {"color": "#cc79a7", "shape": "triangle"},
    "Initiative": {"color": "#c9b400", "shape": "diamond"},
    "Partnership": {"color": "#7b61a8", "shape": "triangleDown"},
    # People, like units (a dot), but a label-inside shape (ellipse) would ignore size and first-zoom labels.
    "RoleGroup": {"color": "#7b61ff", "shape": "dot"},
    "Framework": {"color": "#455a64", "shape": "dot"},
    "Finding": {"color": "#90a4ae", "shape": "dot"},
    "Report": {"color": "#263238", "shape": "star"},
}
# For types without a style of their own: distinct from the colours above and from each other.
PALETTE = ("#6a3d9a", "#1f78b4", "#b15928", "#33a02c", "#e31a1c", "#8c6d31", "#17becf", "#7b4173")
SHAPES = ("diamond", "triangle", "square", "hexagon", "triangleDown", "dot")

EDGE_STYLE = {
    "cites": {"color": "#b0bec5", "label": False},
    "grouped": {"color": "#dfe5e8", "label": False},
    "ofFramework": {"color": "#cfd8dc", "label": False},
    "broader": {"color": "#78909c", "label": False},
    "judged": {"color": "#607d8b", "label": True},
    "inspectedForce": {"color": "#607d8b", "label": True},
    "cited": {"color": "#9fb3bf", "label": False},  # aggregated: a force's (or report's) findings cite it
}
RELATION_COLOR = "#a11d33"  # entity-to-entity relations: the edges a reader came for
TRACE_COLOR = "#ff6f00"
FADED_COLOR = "#e3e8eb"  # focus view: edges off the trace paths


def type_style(name: str) -> dict[str, str]:
    """The colour and shape of a node type; unknown types get a deterministic palette entry.

    >>> type_style("System")
    {'color': '#d55e00', 'shape': 'square'}
    >>> type_style("Vessel") == type_style("Vessel") and type_style("Vessel")["color"] in PALETTE
    True
    """
    if name in TYPE_STYLE:
        return dict(TYPE_STYLE[name])
    code = zlib.crc32(name.encode("utf-8"))
    return {"color": PALETTE[code % len(PALETTE)], "shape": SHAPES[code // len(PALETTE) % len(SHAPES)]}


def edge_style(relation: str) -> dict:
    """Colour and label flag of an edge; any relation not listed is an entity-to-entity relation."""
    return EDGE_STYLE.get(relation, {"color": RELATION_COLOR, "label": True})
