"""Moved: the generic parser is :mod:`policekg.extract.parsers.generic` and the block model
:mod:`policekg.extract.parsers.blocks`. Re-exported here so existing imports keep working."""

from policekg.extract.parsers.blocks import Block, find_force, find_year, heading_indices, is_short, split_blocks
from policekg.extract.parsers.generic import parse_generic

__all__ = ["Block", "find_force", "find_year", "heading_indices", "is_short", "parse_generic", "split_blocks"]
