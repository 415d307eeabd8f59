"""Write a corpus of invented forces' inspection reports, for measuring policekg at national scale.

Every force, place, unit and local system is invented (``corpus_text.py``); the national systems,
partners and initiatives come from ``ontology/gazetteer.jsonl``. Each force differs in its divisions,
partnerships, units, systems, grades and the length of each section, and gets a series of reports
in every layout a parser reads (see ``LAYOUTS`` and the fixtures in ``tests/data``): Baseline
Assessments 2005/06 and 2006/07 (parser ``baseline``), PEEL pillar reports 2015-2017
(``peel-pillar``), PEEL 2018/19 printed or as web pages (``peel``), PEEL 2021/22 and 2023-25
(``peel-2021``). A ``generic`` layout (a thematic note no regime parser claims) is written only when
asked for with ``--layouts``, since ``policekg build`` reads it only with ``--kind generic``. The
output depends only on the arguments; at ``--length 1`` reports are about as long as real ones
(Baseline ~150 kB, PEEL 2018/19 ~100 kB).

    python benchmarks/corpus.py OUT_DIR --reports 100 [--seed 1] [--length 1.0] [--layouts NAME,...]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))  # its sibling modules
from corpus_peel import peel_2021, peel_2023, peel_pillar, peel_print, peel_web  # noqa: E402
from corpus_text import LOCAL_SYSTEMS, Force, bullets, make_force, paragraphs, sentence  # noqa: E402
from corpus_text import national as _national  # noqa: E402

__all__ = ["LAYOUTS", "Layout", "make_force", "write_corpus", "_national"]

BASELINE_FRAMEWORKS = (
    ("1", "Citizen Focus", "Domain A", (("1A", "Fairness and Equality"),
                                        ("1B", "Neighbourhood Policing and Problem Solving"),
                                        ("1C", "Customer Service and Accessibility"),
                                        ("1D", "Professional Standards"))),
    ("2", "Reducing Crime", "Domain 1", (("2A", "Reducing Hate Crime and Crimes against Vulnerable Victims"),
                                         ("2B", "Volume Crime Reduction"),
                                         ("2C", "Working with Partners to Reduce Crime"))),
    ("3", "Investigating Crime", "Domain 2", (("3A", "Managing Critical Incidents and Major Crime"),
                                              ("3B", "Tackling Serious and Organised Criminality"),
                                              ("3C", "Volume Crime Investigation"),
                                              ("3D", "Improving Forensic Performance"),
                                              ("3E", "Criminal Justice Processes"))),
    ("4", "Promoting Safety", "Domain 3", (("4A", "Reducing Anti-Social Behaviour"),
                                           ("4B", "Protecting Vulnerable People"))),
    ("5", "Providing Assistance", "Domain 4", (("5A", "Contact Management"),
                                               ("5B", "Providing Specialist Operational Support"),
                                               ("5C", "Strategic Roads Policing"))),
    ("6", "Resource Use", "Domain B", (("6A", "Human Resource Management"),
                                       ("6B", "Training, Development and Organisational Learning"),
                                       ("6C", "Race and Diversity"),
                                       ("6D", "Managing Financial and Physical Resources"),
                                       ("6E", "Information Management"),
                                       ("6F", "National Intelligence Model"))),
)
BASELINE_GRADES = ("Poor", "Fair", "Good", "Excellent")
DIRECTIONS = ("Improved", "Stable", "Declined")


def baseline(force: Force, rng: random.Random, length: float = 1.0, *, year: str = "2005/06") -> str:
    """A Baseline Assessment for ``year`` ("2005/06" or "2006/07") in the layout of HMIC's reports."""
    published = f"{rng.choice(('January', 'March', 'October'))} 20{year[-2:]}"
    out = [force.name, "Baseline Assessment", published,
           f"ISBN-13: 978-1-84726-{rng.randint(100, 999)}-{rng.randint(0, 9)}",
           "CROWN COPYRIGHT", f"FIRST PUBLISHED 20{year[-2:]}", "Introduction to Baseline Assessment",
           "Since March 2004, Her Majesty's Inspectorate of Constabulary (HMIC) has conducted a periodic, "
           "strategic-level performance review of each Home Office police force in England and Wales. "
           f"The process is known as baseline assessment (BA) and this report covers the assessment for the "
           f"financial year {year}; performance outside this period is not taken into account in "
           "determining grades.",
           "Force Overview and Context", "Geographical Description of Force Area"]
    total = sum(p for cs in force.cdrps.values() for _, p, _ in cs)
    out.append(f"{force.short} is a mixed urban and rural area. It has a population of around {total:,} people.")
    out.append(f"The force delivers its services from {len(force.divisions)} basic command units (BCUs), "
               "each known as a division.")
    for d in force.divisions:
        names = " and ".join(c for c, _, _ in force.cdrps[d])
        out += [f"{d} Division", f"{d} division covers {names}. It is home to around "
                f"{sum(p for _, p, _ in force.cdrps[d]):,} people."]
    for label, col in (("population", 1), ("households", 2)):
        out.append(f"The following table contains a breakdown of the {label} of {force.short}.")
        rows = [f"CDRP\t{label.title()}\tDivision\t{label.title()}"]
        for d in force.divisions:
            for i, c in enumerate(force.cdrps[d]):
                rows.append(f"{c[0]}\t{c[col]:,}\t" + (f"{d}\t{sum(x[col] for x in force.cdrps[d]):,}"
                                                         if i == 0 else "\t"))
        rows.append(f"Force\t\t{sum(x[col] for cs in force.cdrps.values() for x in cs):,}")
        out.append("\n".join(rows))
    out += ["Major Challenges for the Future", *paragraphs(rng, length, 1, 3, force)]
    chosen = [(n, t, dom, [fw for fw in fws if rng.random() < 0.8] or [fws[0]])
              for n, t, dom, fws in BASELINE_FRAMEWORKS]
    grades = {code: (rng.choice(BASELINE_GRADES), rng.choice(DIRECTIONS))
              for *_, fws in chosen for code, _ in fws}
    summary = ["Summary of Judgements\tGrade\tDirection of Travel"]
    for _, title, _, fws in chosen:
        summary.append(f"{title}\t\t")
        summary += [f"{t}\t{grades[c][0]}\t{grades[c][1]}" for c, t in fws]
    out.append("\n".join(summary))
    for number, title, domain, fws in chosen:
        out.append(f"{number} {title}" + (f" ({domain})" if domain else ""))
        for code, fw_title in fws:
            grade, direction = grades[code]
            counts = [rng.randint(0, 12) for _ in BASELINE_GRADES]
            out += [f"{code} {fw_title}", f"Grade\tDirection of Travel\n{grade}\t{direction}",
                    "National Grade Distribution",
                    "\t".join(BASELINE_GRADES) + "\n" + "\t".join(str(c) for c in counts),
                    "Contextual Factors", *paragraphs(rng, length, 1, 4, force),
                    "Strengths", "\n".join(bullets(force, rng, True, length, 2, 8)),
                    "Areas for Improvement", "\n".join(bullets(force, rng, False, length, 1, 4))]
            if rng.random() < 0.3:
                out += ["Work in Progress", "\n".join(bullets(force, rng, True, length, 1, 2))]
            if rng.random() < 0.25:
                unit, abbr = rng.choice(force.units)
                out += ["GOOD PRACTICE", f"TITLE: {rng.choice(force.divisions)} {rng.choice(LOCAL_SYSTEMS)} Scheme\n"
                        f"PROBLEM: {sentence(force, rng, False)}\n"
                        f"SOLUTION: The {unit} ({abbr}) worked with partners. {sentence(force, rng, True)}\n"
                        f"OUTCOME(S): Repeat incidents fell by {rng.randint(5, 45)}%."]
    out += ["Appendix 1: Glossary of Terms and Abbreviations",
            "\n".join(f"{abbr}\t{unit.lower()}" for unit, abbr in sorted(force.units, key=lambda u: u[1]))]
    return "\n\n".join(out) + "\n"


def generic(force: Force, rng: random.Random, length: float = 1.0) -> str:
    """A thematic note on one force's information systems: headings and paragraphs, no grades."""
    out = [f"{force.name}: a review of information systems", f"Published {rng.choice(('June', 'November'))} 2012",
           "Introduction", *paragraphs(rng, length, 2, 4, force)]
    for heading in ("Systems and data", "Who uses the systems", "Working with partners", "Conclusions"):
        out += [heading, *paragraphs(rng, length, 2, 5, force),
                " ".join(sentence(force, rng, rng.random() < 0.5) for _ in range(rng.randint(3, 6)))]
    return "\n\n".join(out) + "\n"


@dataclass(frozen=True)
class Layout:
    """One report layout: its name, the parser that should read it, and how to write it."""

    name: str
    stem: str  # file-name stem after the force's name
    parser: str  # ``Report.parser`` of the parsed text (``generic`` needs ``kind="generic"``)
    write: Callable[[Force, random.Random, float], str]
    # ``write``'s length that makes a report about as long as a real one of its layout (bundled
    # Baseline 2006/07: 182 kB, 405 findings; PEEL 2018/19: 97 kB; pillar reports are shorter).
    scale: float = 1.0


def _baseline(year: str) -> Callable[[Force, random.Random, float], str]:
    return lambda force, rng, length=1.0: baseline(force, rng, length, year=year)


LAYOUTS: dict[str, Layout] = {layout.name: layout for layout in (
    Layout("baseline-2005/06", "2006-baseline", "baseline", _baseline("2005/06"), 2.5),
    Layout("baseline-2006/07", "2007-baseline", "baseline", _baseline("2006/07"), 2.5),
    *(Layout(f"peel-{year}-{pillar}", f"{year}-peel-{pillar}", "peel-pillar", peel_pillar(pillar, year), 2.0)
      for year, pillar in ((2015, "effectiveness"), (2016, "legitimacy"), (2016, "effectiveness"),
                           (2017, "efficiency"), (2017, "legitimacy"))),
    Layout("peel-2018/19-print", "2019-peel", "peel", peel_print, 1.25),
    Layout("peel-2018/19-web", "2019-peel-web", "peel", peel_web, 1.6),
    Layout("peel-2021/22", "2022-peel", "peel-2021", peel_2021, 1.6),
    Layout("peel-2023-25", "2024-peel", "peel-2021", peel_2023, 1.4),
    Layout("generic", "2012-review", "generic", generic, 2.0),
)}
# Each force's reports, in this order until the corpus has enough: the first five cover every
# regime parser. One 2018/19 report per force (the printed and web layouts share its identity).
SERIES = ("baseline-2005/06", "peel-2018/19", "peel-2021/22", "peel-2016-legitimacy", "peel-2023-25",
          "baseline-2006/07", "peel-2015-effectiveness", "peel-2017-efficiency", "peel-2016-effectiveness",
          "peel-2017-legitimacy")
DEFAULT_LAYOUTS = tuple(n for n in LAYOUTS if n != "generic")
# Three reports per force, as the first version of this corpus wrote: for tests that want several
# forces from a few reports.
BASELINES_AND_PEEL_2019 = ("baseline-2005/06", "peel-2018/19-print", "baseline-2006/07")


def _series(index: int, layouts: tuple[str, ...]) -> list[Layout]:
    out = []
    for name in SERIES:
        if name == "peel-2018/19":  # printed for even forces, web pages for odd ones
            name += "-print" if index % 2 == 0 else "-web"
            if name not in layouts:
                name = next((n for n in layouts if n.startswith("peel-2018/19")), name)
        if name in layouts:
            out.append(LAYOUTS[name])
    out += [LAYOUTS[n] for n in layouts if not n.startswith("peel-2018/19") and n not in SERIES]
    return out


def write_corpus(out: str | Path, reports: int, *, seed: int = 1, length: float = 1.0,
                 layouts: tuple[str, ...] = DEFAULT_LAYOUTS) -> list[Path]:
    """Write ``reports`` invented reports into ``out``; the same arguments give the same files.

    Args:
        out: directory to write into (created).
        reports: how many reports.
        seed: changes every name, grade and length.
        length: scales the number of paragraphs and findings per section (1: as long as real reports).
        layouts: names from ``LAYOUTS`` to write (``generic`` is left out by default).

    Returns:
        The files written, in order.

    Raises:
        ValueError: an unknown layout name.
    """
    unknown = [n for n in layouts if n not in LAYOUTS]
    if unknown or not layouts:
        raise ValueError(f"unknown layout {unknown[0] if unknown else ''!r}; use some of: {', '.join(LAYOUTS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    gazetteer = _national()
    taken: set[str] = set()
    paths: list[Path] = []
    index = 0
    while len(paths) < reports:
        force = make_force(index, seed, gazetteer, taken)
        for layout in _series(index, tuple(layouts))[: reports - len(paths)]:
            rng = random.Random(f"{seed}:{index}:{layout.name}")
            path = out / f"{force.name.lower().replace(' ', '-')}-{layout.stem}.txt"
            path.write_text(layout.write(force, rng, length * layout.scale), encoding="utf-8")
            paths.append(path)
        index += 1
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--length", type=float, default=1.0, help="scale section lengths (1: as real reports)")
    parser.add_argument("--layouts", default=",".join(DEFAULT_LAYOUTS),
                        help=f"comma-separated, of: {', '.join(LAYOUTS)}")
    args = parser.parse_args(argv)
    try:
        paths = write_corpus(args.out, args.reports, seed=args.seed, length=args.length,
                             layouts=tuple(args.layouts.split(",")))
    except ValueError as exc:
        parser.exit(2, f"error: {exc}\n")
    size = sum(p.stat().st_size for p in paths)
    print(f"{len(paths)} reports, {size / 1e6:.1f} MB, in {args.out}")


if __name__ == "__main__":
    main()
