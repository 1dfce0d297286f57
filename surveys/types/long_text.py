"""Long text: room to write freely; ``text`` with ``multiline`` in XLSForm."""

from __future__ import annotations

from surveys.schema import Question
from surveys.types.base import N_, register
from surveys.types.short_text import ShortText
from surveys.types.xlsform_io import Cells, XLSFormWriting


@register
class LongText(ShortText):
    name = "long_text"
    label = N_("Long text")
    description = N_("Room to write freely, for stories and open feedback.")
    position = 20
    default_max_length = 10_000
    xlsform_default_for = ()
    xlsform_appearances = frozenset({"multiline"})
    xlsform_engage_type = True

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "text", "appearance": "multiline"}
