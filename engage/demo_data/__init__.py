"""Demo content: the ``/s/demo`` listening survey and generated demo responses.

Pure Python and JSON (no Flask imports), so it can be used by ``engage demo``, by tests
and by benchmarks alike.
"""

from engage.demo_data.responses import (
    generate_demo_responses,
    load_demo_survey,
    load_phrases,
)

__all__ = ["generate_demo_responses", "load_demo_survey", "load_phrases"]
