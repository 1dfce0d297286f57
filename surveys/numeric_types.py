"""Kept for imports from before :mod:`surveys.types`; use that package instead."""

from surveys.types.date import Date
from surveys.types.number import Number
from surveys.types.rating import Rating
from surveys.types.scale import Scale

__all__ = ["Date", "Number", "Rating", "Scale"]
