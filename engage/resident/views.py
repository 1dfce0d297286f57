"""Residents' pages: the front page, and the survey at ``/s/<slug>``, one page at a time."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.campaigns.services import list_open_surveys
from engage.extensions import db, limiter
from engage.interviews import services as interviews
from engage.interviews.services import InterviewSetting
from engage.invitations.services import InviteError, get_invite_by_token
from engage.permissions import Permission, public, user_can
from engage.reportback.services import report_back_link
from engage.resident import drafts
from engage.resident.contact_details import contact_purpose
from engage.resident.flow import (
    SurveyContext,
    current_draft,
    load_survey,
    page_index_for_key,
    resume_page_key,
    set_draft_cookie,
)
from engage.resident.forms import ContactOptInForm, ResumeForm
from engage.resident.page_model import (
    build_question_views,
    localized,
    localized_optional,
    values_from_answers,
)
from engage.responses.services import InvalidAnswers, clean_source_tag
from engage.web.rate_limits import setting, survey_answers
from engage.web.unit_of_work import keep_changes
from surveys import (
    AnswerError,
    displayed_questions,
    next_page_index,
    page_defaults,
    previous_page_index,
    validate_form_page,
    visible_pages,
)

bp = Blueprint("resident", __name__)
HONEYPOT_FIELD = "website"


def _closed(ctx: SurveyContext) -> ResponseReturnValue:
    return render_template("resident/closed.html", ctx=ctx, title=_title(ctx)), 410


def load_open_survey(slug: str) -> SurveyContext:
    """The survey, if residents can answer it now; otherwise stop with the "closed" page."""
    ctx = load_survey(slug)
    if not ctx.is_open:
        abort(make_response(_closed(ctx)))
    return ctx


def _title(ctx: SurveyContext):  # type: ignore[no-untyped-def]
    return localized(ctx.definition.title, ctx.language, ctx.definition)


def _invite_refused(ctx: SurveyContext, code: str) -> ResponseReturnValue:
    """Why this resident cannot answer: no invitation, an unknown one, or a used one."""
    if code == "used":
        return render_template(
            "resident/invite_used.html",
            ctx=ctx,
            title=_title(ctx),
            report_back_url=report_back_link(db.session, ctx.survey.campaign),
        ), 403
    return render_template(
        "resident/invite_required.html", ctx=ctx, title=_title(ctx), invalid=code == "invalid"
    ), 403


def _in_progress(draft) -> bool:  # type: ignore[no-untyped-def]
    return draft is not None and draft.response_id is None


def _may_answer(ctx: SurveyContext, draft) -> bool:  # type: ignore[no-untyped-def]
    """Invite-only surveys are answered only in a draft started from an invitation."""
    return not ctx.survey.invite_only or (_in_progress(draft) and draft.invite_id is not None)


def _render_intro(ctx: SurveyContext, draft, invite_token: str | None = None) -> str:  # type: ignore[no-untyped-def]
    return render_template(
        "resident/intro.html",
        ctx=ctx,
        title=_title(ctx),
        description=localized_optional(ctx.definition.description, ctx.language, ctx.definition),
        in_progress=_in_progress(draft) and bool(draft.answers),
        invite_token=invite_token,
    )


@bp.get("/")
@public
def index() -> ResponseReturnValue:
    """The front page: the surveys open now."""
    return render_template("resident/index.html", surveys=list_open_surveys(db.session))


@bp.get("/s/<slug>")
@public
def intro(slug: str) -> ResponseReturnValue:
    ctx = load_open_survey(slug)
    draft = current_draft(ctx)
    if not _may_answer(ctx, draft):
        return _invite_refused(ctx, "required")
    return _render_intro(ctx, draft)


@bp.get("/s/<slug>/i/<token>")
@public
def invite(slug: str, token: str) -> ResponseReturnValue:
    """A personal invitation link: the intro page, whose start button carries the token.

    Nothing is stored on GET, so a link checker opening the link changes nothing.
    """
    ctx = load_open_survey(slug)
    found = get_invite_by_token(db.session, ctx.survey, token)
    if found is None:
        return _invite_refused(ctx, "invalid")
    if found.used_at is not None:
        return _invite_refused(ctx, "used")
    draft = current_draft(ctx)
    if draft is not None and draft.invite_id not in (None, found.id):
        draft = None  # someone else's invitation on this phone: theirs stays as it is
    return _render_intro(ctx, draft, invite_token=token)


@bp.post("/s/<slug>/start")
@survey_answers()
@public
def start(slug: str) -> ResponseReturnValue:
    ctx = load_open_survey(slug)
    draft = current_draft(ctx)
    token = request.form.get("invite")
    found = get_invite_by_token(db.session, ctx.survey, token) if token else None
    if token and found is None:
        return _invite_refused(ctx, "invalid")
    if found is not None and found.used_at is not None:
        return _invite_refused(ctx, "used")
    if found is not None and _in_progress(draft) and draft.invite_id not in (None, found.id):
        draft = None
    if _in_progress(draft) and request.form.get("continue") == "1":
        return _continue(ctx, draft, found)
    if ctx.survey.invite_only and found is None:
        return _invite_refused(ctx, "required")
    return _start_new(ctx, found)


def _continue(ctx: SurveyContext, draft, found) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    """Back to where this phone's answers stopped (with the invitation now opened)."""
    if found is not None and draft.invite_id is None:
        drafts.attach_invite(db.session, draft, found)
    if not _may_answer(ctx, draft):
        return _invite_refused(ctx, "required")
    key = resume_page_key(ctx, draft)
    return redirect(url_for("resident.page", slug=ctx.survey.slug, key=key))


def _start_new(ctx: SurveyContext, found) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    new = drafts.start_draft(
        db.session,
        version=ctx.version,
        language=ctx.language,
        source_tag=clean_source_tag(request.form.get("source") or request.args.get("source")),
        invite=found,
    )
    key = resume_page_key(ctx, new.draft)
    new.draft.page_key = key
    response = redirect(url_for("resident.page", slug=ctx.survey.slug, key=key))
    set_draft_cookie(response, ctx, new.token)
    return response


def _render_page(ctx, draft, index, values, errors=(), status=200) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    definition = ctx.definition
    page = definition.pages[index]
    questions = displayed_questions(definition, index, draft.answers)
    shown = visible_pages(definition, draft.answers)
    position = shown.index(index) + 1 if index in shown else 1
    is_last = next_page_index(definition, index, draft.answers) is None
    return render_template(
        "resident/page.html",
        ctx=ctx,
        title=_title(ctx),
        page_title=localized_optional(page.title, ctx.language, definition),
        page_description=localized_optional(page.description, ctx.language, definition),
        page_image=page.image,
        image_alt=localized_optional(page.image.alt, ctx.language, definition)
        if page.image
        else None,
        page_key=page.key,
        questions=build_question_views(
            definition, questions, ctx.language, values, errors, answers=draft.answers
        ),
        position=position,
        total=len(shown),
        is_first=previous_page_index(definition, index, draft.answers) is None,
        is_last=is_last,
        has_errors=bool(errors),
        honeypot=HONEYPOT_FIELD,
    ), status


@bp.route("/s/<slug>/p/<key>", methods=["GET", "POST"])
@survey_answers(methods=["POST"])
@public
def page(slug: str, key: str) -> ResponseReturnValue:
    ctx = load_open_survey(slug)
    draft = current_draft(ctx)
    if draft is None:
        return redirect(url_for("resident.intro", slug=slug))
    if draft.response_id is not None:
        return redirect(url_for("resident.thanks", slug=slug))
    if not _may_answer(ctx, draft):
        return _invite_refused(ctx, "required")
    index = page_index_for_key(ctx.definition, key)
    if request.method == "GET":
        # A page not answered yet shows each question's default, which the resident may change.
        answers = {**page_defaults(ctx.definition, index, draft.answers), **draft.answers}
        return _render_page(ctx, draft, index, values_from_answers(ctx.definition, answers))
    if request.form.get(HONEYPOT_FIELD):
        # Only a bot fills the hidden field: thank it and store nothing.
        return redirect(url_for("resident.thanks", slug=slug))
    return _handle_page_post(ctx, draft, index)


def _handle_page_post(ctx, draft, index) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    definition = ctx.definition
    form = request.form.to_dict(flat=False)
    action = request.form.get("action", "next")
    result = validate_form_page(definition, index, form, draft.answers)
    slug = ctx.survey.slug
    here = definition.pages[index].key

    def save(next_key: str | None) -> None:
        drafts.save_page(
            db.session, draft, definition, index, result.answers, next_page_key=next_key or here
        )

    if action == "back":
        # Keep whatever was valid; an unfinished answer is not a reason to be stuck.
        previous = previous_page_index(definition, index, draft.answers)
        target = definition.pages[previous].key if previous is not None else None
        save(target)
        if target is None:
            return redirect(url_for("resident.intro", slug=slug))
        return redirect(url_for("resident.page", slug=slug, key=target))

    if action == "save":
        save(here)
        code = drafts.issue_resume_code(db.session, draft)
        return render_template("resident/saved.html", ctx=ctx, title=_title(ctx), code=code)

    if not result.ok:
        return _render_page(ctx, draft, index, form, result.errors, status=400)

    following = next_page_index(definition, index, {**draft.answers, **result.answers})
    next_key = definition.pages[following].key if following is not None else None
    save(next_key)
    # Kept whatever happens next: a refused submission loses nothing already entered.
    keep_changes()
    if next_key is not None:
        return redirect(url_for("resident.page", slug=slug, key=next_key))
    try:
        drafts.submit_draft(db.session, draft)
    except InvalidAnswers as error:
        return _show_first_error(ctx, draft, error.errors)
    except InviteError as error:
        return _invite_refused(ctx, error.code)
    return redirect(url_for("resident.thanks", slug=slug))


def _show_first_error(ctx, draft, errors: tuple[AnswerError, ...]) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    """An earlier page turned out incomplete: show it with its errors."""
    index = ctx.definition.page_index_of(errors[0].question)
    on_page = [e for e in errors if ctx.definition.page_index_of(e.question) == index]
    values = values_from_answers(ctx.definition, draft.answers)
    return _render_page(ctx, draft, index, values, on_page, status=400)


@bp.route("/s/<slug>/resume", methods=["GET", "POST"])
@limiter.limit(setting("RATELIMIT_RESUME"), methods=["POST"])
@public
def resume(slug: str) -> ResponseReturnValue:
    ctx = load_open_survey(slug)
    form = ResumeForm()
    if form.validate_on_submit():
        draft = drafts.get_draft_by_resume_code(db.session, ctx.survey, form.code.data or "")
        if draft is not None:
            token = drafts.rotate_token(db.session, draft)
            response = redirect(
                url_for("resident.page", slug=slug, key=resume_page_key(ctx, draft))
            )
            set_draft_cookie(response, ctx, token)
            return response
        form.code.errors = [_("We could not find answers with that code. Check it and try again.")]
    status = 400 if form.errors else 200
    return render_template(
        "resident/resume.html", ctx=ctx, title=_title(ctx), form=form, has_errors=bool(form.errors)
    ), status


def _next_interview(ctx: SurveyContext) -> InterviewSetting | None:
    """For an interviewer: the language and place to start the next interview with."""
    if not user_can(current_user, Permission.ENTER_RESPONSES):
        return None
    return interviews.last_setting(ctx.survey)


@bp.route("/s/<slug>/thanks", methods=["GET", "POST"])
@survey_answers(methods=["POST"])
@public
def thanks(slug: str) -> ResponseReturnValue:
    ctx = load_survey(slug)
    draft = current_draft(ctx)
    if draft is None or draft.response_id is None:  # nothing was sent from this browser
        return redirect(url_for("resident.intro", slug=slug))
    form = ContactOptInForm()
    saved = False
    if form.validate_on_submit():
        if not request.form.get(HONEYPOT_FIELD):
            drafts.add_contact_opt_in(
                db.session,
                survey=ctx.survey,
                name=form.name.data or "",
                contact=form.contact(),
                language=ctx.language,
                purpose=contact_purpose(ctx.survey.campaign, ctx.language),
            )
        saved = True
    return _thanks_page(ctx, form, saved)


def _thanks_page(ctx: SurveyContext, form: ContactOptInForm, saved: bool) -> ResponseReturnValue:
    return render_template(
        "resident/thanks.html",
        ctx=ctx,
        title=_title(ctx),
        thank_you=localized_optional(ctx.definition.thank_you, ctx.language, ctx.definition),
        form=form,
        saved=saved,
        has_errors=bool(form.errors),
        honeypot=HONEYPOT_FIELD,
        report_back_url=report_back_link(db.session, ctx.survey.campaign),
        retained_until=ctx.survey.campaign.contacts_retained_until,
        contact_purpose=contact_purpose(ctx.survey.campaign, ctx.language),
        next_interview=_next_interview(ctx),
    ), (400 if form.errors else 200)
