"""The project's own exceptions. The CLI turns each into a one-line message and exit code 2."""


class PoliceKGError(Exception):
    """Base class: a problem the user can fix; the message says how."""


class InputError(PoliceKGError):
    """A report file that cannot be read: missing, empty, binary or not UTF-8."""


class UnknownReportKind(PoliceKGError):
    """A report whose kind is not recognised."""


class StoreError(PoliceKGError):
    """The graph store cannot be opened or written."""


class QueryError(PoliceKGError):
    """A SPARQL query that is malformed, unknown or not allowed."""


class UnknownEntity(PoliceKGError):
    """A name that matches no entity in the graph."""
