"""Would an edit orphan existing answers? Then it needs a new survey version.

Text edits, new questions, new options and reordering never orphan an answer. Removing a
question, an option or a matrix row, dropping "please specify", changing the points of a
rating or 0–10 scale, or changing a question's type to one that stores a different kind
of value does. Each type says which kind it stores (``storage``) and what an edit of one
of its questions removes (``orphaning_changes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from surveys.schema import SurveyDefinition
from surveys.types import get_type


@dataclass(frozen=True)
class DefinitionDiff:
    """What an edit removes or changes incompatibly, by question code."""

    removed_questions: tuple[str, ...] = ()
    type_changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    removed_options: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed_rows: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed_specify: tuple[str, ...] = ()
    scale_changes: tuple[str, ...] = ()

    @property
    def orphans_answers(self) -> bool:
        return bool(
            self.removed_questions
            or self.type_changes
            or self.removed_options
            or self.removed_rows
            or self.removed_specify
            or self.scale_changes
        )


def diff_definitions(old: SurveyDefinition, new: SurveyDefinition) -> DefinitionDiff:
    """The changes from ``old`` to ``new`` that could orphan stored answers."""
    new_questions = {q.code: q for q in new.questions()}
    removed: list[str] = []
    removed_specify: list[str] = []
    scale_changes: list[str] = []
    type_changes: dict[str, tuple[str, str]] = {}
    removed_options: dict[str, tuple[str, ...]] = {}
    removed_rows: dict[str, tuple[str, ...]] = {}
    for q in old.questions():
        qtype = get_type(q.type)
        if not qtype.answerable:
            continue
        n = new_questions.get(q.code)
        if n is None:
            removed.append(q.code)
            continue
        if qtype.storage != get_type(n.type).storage:
            type_changes[q.code] = (q.type, n.type)
            continue
        changes = qtype.orphaning_changes(q, n)
        if changes.points_changed:
            scale_changes.append(q.code)
        if changes.removed_options:
            removed_options[q.code] = changes.removed_options
        if changes.removed_rows:
            removed_rows[q.code] = changes.removed_rows
        if changes.removed_specify:
            removed_specify.append(q.code)
    return DefinitionDiff(
        tuple(removed),
        type_changes,
        removed_options,
        removed_rows,
        tuple(removed_specify),
        tuple(scale_changes),
    )


def would_orphan_answers(old: SurveyDefinition, new: SurveyDefinition) -> bool:
    """True when publishing ``new`` over ``old`` must create a new version."""
    return diff_definitions(old, new).orphans_answers
