"""One rule for every ``--report`` option (``trace``, ``visualise``): which reports a user's words pick.

A report matches its IRI, its year, or words of its title or IRI:

* the whole IRI (``https://w3id.org/policekg/id/report/wessex-constabulary/2018-19-peel``);
* its year, as a calendar year (``2019`` picks the 2018/19 report, ``2006`` the 2005/06 one);
* otherwise, every word of the words given, found in its IRI or title, in any case and with
  accents folded (``peel``, ``baseline``, ``legitimacy 2018``, ``2018-19-peel``).
"""

from __future__ import annotations

import re
import unicodedata


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def report_matches(wanted: str, iri: str, *, year: str | None = None, title: str | None = None) -> bool:
    """Whether the words ``wanted`` pick this report (see the module docstring for the rule).

    >>> iri = "https://w3id.org/policekg/id/report/wessex-constabulary/2018-19-peel"
    >>> [report_matches(w, iri, year="2018/19", title="PEEL: Police effectiveness 2018/19")
    ...  for w in (iri, "2019", "2018", "peel", "Effectiveness 2018", "baseline", "2006")]
    [True, True, True, True, True, False, False]
    """
    from policekg.graph.build import calendar_year

    wanted = wanted.strip()
    if not wanted:
        return False
    if wanted == iri or (year and wanted in (year, calendar_year(year))):
        return True
    words = re.findall(r"\w+", _fold(wanted))
    hay = _fold(f"{iri} {title or ''}")
    return bool(words) and all(w in hay for w in words)
