"""The 0–10 scale (importance, satisfaction, likelihood), labelled at its ends.

Stored as ``int``; written to XLSForm like a rating. A plain ``range`` row is a scale.
"""

from __future__ import annotations

from surveys.types.base import N_, register
from surveys.types.rating import Rating


@register
class Scale(Rating):
    name = "scale"
    label = N_("0–10 scale")
    description = N_("Choose a number from 0 to 10, for importance or satisfaction.")
    position = 90
    default_min = 0
    default_max = 10
    storage = "scale"
    xlsform_default_for = ("range",)
