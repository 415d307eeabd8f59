"""policekg: UK police inspection reports as a provenance-rich RDF knowledge graph."""

__version__ = "0.1.0"
