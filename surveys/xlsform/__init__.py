"""XLSForm import and export (``survey``, ``choices`` and ``settings`` sheets).

See :mod:`surveys.xlsform.reader` for what is imported and how problems are reported,
and :mod:`surveys.xlsform.writer` for how Engage-only features are written.
"""

from surveys.xlsform.reader import XLSFormImport, import_xlsform
from surveys.xlsform.relevant import RelevantError, parse_relevant, to_relevant
from surveys.xlsform.writer import export_xlsform

__all__ = [
    "RelevantError",
    "XLSFormImport",
    "export_xlsform",
    "import_xlsform",
    "parse_relevant",
    "to_relevant",
]
