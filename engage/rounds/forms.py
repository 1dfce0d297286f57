"""Forms of the co-design round pages.

Titles and descriptions are written in each language the campaign offers: the forms get
one field per language (``title_es``…), built for the campaign's languages; the main
language's title is required, the others fall back to it on the resident page.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from engage.models import Campaign, CodesignRound, Prototype, Sprint
from engage.rounds.images import MAX_UPLOAD_BYTES, CleanImage, ImageRefused, clean_image
from engage.templating import language_name
from engage.web.forms import Form
from engage.web.messages import image_problem_message

_TITLE_MISSING = _l("Enter a title in %(language)s, the campaign's main language.")


class _Translated(Form):
    """Per-language ``title_<lang>`` and ``description_<lang>`` fields, added by
    :func:`_with_languages`; ``languages`` lists them, main language first."""

    languages: tuple[str, ...] = ()
    main_language = ""

    def title_fields(self) -> list[tuple[str, Any, Any]]:
        return [
            (lang, self[f"title_{lang}"], self[f"description_{lang}"]) for lang in self.languages
        ]

    def texts(self, name: str) -> dict[str, str]:
        return {lang: self[f"{name}_{lang}"].data or "" for lang in self.languages}

    def fill(self, title: dict[str, str], description: dict[str, str]) -> None:
        for lang in self.languages:
            self[f"title_{lang}"].data = title.get(lang, "")
            self[f"description_{lang}"].data = description.get(lang, "")

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        main = self[f"title_{self.main_language}"]
        if not (main.data or "").strip():
            main.errors = [
                *main.errors,
                _TITLE_MISSING % {"language": language_name(self.main_language)},
            ]
            valid = False
        return valid


class RoundForm(_Translated):
    opens_on = DateField(
        _l("Opening date"),
        validators=[Optional()],
        description=_l("When residents can start answering (for your planning)."),
    )
    closes_on = DateField(_l("Closing date"), validators=[Optional()])
    has_ranking = BooleanField(_l("Also ask residents to put the prototypes in order"))
    sprint = SelectField(
        _l("Design sprint"),
        default="",
        description=_l(
            "The sprint whose prototypes this round tests: its review links the results."
        ),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        opens, closes = self.opens_on.data, self.closes_on.data
        if opens and closes and closes < opens:
            self.closes_on.errors = [
                *self.closes_on.errors,
                _l("The closing date must be on or after the opening date."),
            ]
            valid = False
        return valid


class PrototypeForm(_Translated):
    previous = SelectField(
        _l("New version of"),
        default="",
        description=_l("Choose the prototype of an earlier round that this one improves on."),
    )
    image = FileField(
        _l("Picture (optional)"),
        description=_l(
            "A JPEG, PNG, WebP or GIF file of up to 8 MB. It is made smaller for phones "
            "and everything but the picture itself is removed (such as where it was taken)."
        ),
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )
    remove_image = BooleanField(_l("Remove the picture"))
    cleaned: CleanImage | None = None

    def validate_image(self, field: FileField) -> None:
        upload = field.data
        if upload is None or not getattr(upload, "filename", ""):
            return
        raw = upload.stream.read(MAX_UPLOAD_BYTES + 1)
        try:
            self.cleaned = clean_image(raw)
        except ImageRefused as refused:
            field.errors.append(image_problem_message(refused.code))

    def previous_id(self) -> int | None:
        return int(self.previous.data) if (self.previous.data or "").isdigit() else None


def _with_languages(base: type[_Translated], campaign: Campaign, multiline: bool) -> type:
    languages = [campaign.default_language] + [
        code for code in campaign.languages if code != campaign.default_language
    ]
    fields: dict[str, Any] = {"languages": tuple(languages), "main_language": languages[0]}
    for lang in languages:
        name = language_name(lang)
        fields[f"title_{lang}"] = StringField(
            _l("Title in %(language)s", language=name),
            validators=[Length(max=200)],
            render_kw={"lang": lang, "dir": "auto"},
        )
        fields[f"description_{lang}"] = TextAreaField(
            _l("Description in %(language)s", language=name),
            validators=[Length(max=2000)],
            render_kw={"lang": lang, "dir": "auto", "rows": 4 if multiline else 3},
        )
    return type(base.__name__, (base,), fields)


def round_form(
    campaign: Campaign, found: CodesignRound | None = None, sprints: Sequence[Sprint] = ()
) -> RoundForm:
    form = _with_languages(RoundForm, campaign, False)(obj=found)
    form.sprint.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(s.id), s.name) for s in sprints
    ]
    if found is not None and not form.is_submitted():
        form.fill(found.title, found.description)
        form.sprint.data = str(found.sprint_id or "")
    return form


def prototype_form(
    campaign: Campaign, prototype: Prototype | None, earlier: list[Prototype], lang: str
) -> PrototypeForm:
    form = _with_languages(PrototypeForm, campaign, True)()
    form.previous.choices = [SelectChoice("", "—")] + [
        SelectChoice(str(p.id), _prototype_name(p, lang)) for p in earlier
    ]
    if prototype is not None and not form.is_submitted():
        form.fill(prototype.title, prototype.description)
        form.previous.data = str(prototype.previous_id or "")
    return form


def _prototype_name(prototype: Prototype, lang: str) -> str:
    title = prototype.title.get(lang) or next(iter(prototype.title.values()), "")
    return f"{title} (v{prototype.version_number})"
