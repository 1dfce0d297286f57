"""Who may use which route: every route is classified here, and each role gets exactly
what its classification says (anonymous visitors are sent to sign in, a role without the
permission gets 403, a role with it gets past the door). Campaigns are scoped to
workgroups: a member of another workgroup gets 404 on every address of the campaign."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from engage.models import (
    AnalysisRun,
    BoardLink,
    BoardTheme,
    ExportFile,
    ListeningSession,
    Opportunity,
    Sprint,
    SprintItem,
    Theme,
    ThemeLink,
    VoteRound,
    Workgroup,
)
from engage.permissions import PERMISSION_ATTRIBUTE, PUBLIC, Permission, Role, role_can
from engage.responses.services import submit_response
from engage.rounds.services import PrototypeFields, RoundFields, create_round, save_prototype
from tests.factories import PASSWORD, make_campaign, make_survey, make_user, make_workgroup

SIGNED_IN = "signed_in"
# Routes that end the session that uses them: requested last.
SESSION_ENDING = frozenset({"accounts.sign_out_everywhere"})

# Every route and the permission it needs ("public": anyone; "signed_in": any signed-in
# user). A new route fails
# ``test_every_route_is_classified`` until it is added here.
ACCESS = {
    "accounts.account": SIGNED_IN,
    "accounts.login": PUBLIC,
    "accounts.logout": PUBLIC,
    "accounts.reset": PUBLIC,
    "accounts.signup": PUBLIC,
    "accounts.sign_out_everywhere": SIGNED_IN,
    "admin.change_role": Permission.MANAGE_USERS,
    "admin.deactivate": Permission.MANAGE_USERS,
    "admin.invite": Permission.MANAGE_USERS,
    "admin.reactivate": Permission.MANAGE_USERS,
    "admin.reset_link": Permission.MANAGE_USERS,
    "admin.sign_out_everywhere": Permission.MANAGE_USERS,
    "admin.user_list": Permission.MANAGE_USERS,
    "api.get_survey": PUBLIC,
    "audit.audit_log": Permission.MANAGE_USERS,
    "api.post_response": PUBLIC,
    "backlog.backlog": Permission.REVIEW_FEEDBACK,
    "backlog.backlog_export": Permission.REVIEW_FEEDBACK,
    "backlog.decision_log": Permission.REVIEW_FEEDBACK,
    "backlog.decisions_export": Permission.REVIEW_FEEDBACK,
    "backlog.impact_effort": Permission.REVIEW_FEEDBACK,
    "backlog.meeting": Permission.REVIEW_FEEDBACK,
    "backlog.opportunity_detail": Permission.REVIEW_FEEDBACK,
    "backlog.opportunity_edit": Permission.REVIEW_FEEDBACK,
    "backlog.opportunity_new": Permission.REVIEW_FEEDBACK,
    "backlog.opportunity_status": Permission.REVIEW_FEEDBACK,
    "backlog.round_close": Permission.REVIEW_FEEDBACK,
    "backlog.round_vote": Permission.REVIEW_FEEDBACK,
    "backlog.rounds": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_board": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_decision": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_export": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_item_add": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_item_move": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_list": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_review": Permission.REVIEW_FEEDBACK,
    "backlog.sprint_state": Permission.REVIEW_FEEDBACK,
    "builder.page_add": Permission.MANAGE_CAMPAIGNS,
    "builder.page_delete": Permission.MANAGE_CAMPAIGNS,
    "builder.page_edit": Permission.MANAGE_CAMPAIGNS,
    "builder.page_move": Permission.MANAGE_CAMPAIGNS,
    "builder.question_create": Permission.MANAGE_CAMPAIGNS,
    "builder.question_delete": Permission.MANAGE_CAMPAIGNS,
    "builder.question_edit": Permission.MANAGE_CAMPAIGNS,
    "builder.question_move": Permission.MANAGE_CAMPAIGNS,
    "builder.question_new": Permission.MANAGE_CAMPAIGNS,
    "builder.question_preset": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_builder": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_close": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_delete": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_export": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_import_confirm": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_new": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_preview": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_publish": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_reopen": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_settings": Permission.MANAGE_CAMPAIGNS,
    "builder.survey_wave_new": Permission.MANAGE_CAMPAIGNS,
    "campaigns.campaign_edit": Permission.MANAGE_CAMPAIGNS,
    "campaigns.campaign_new": Permission.MANAGE_CAMPAIGNS,
    "campaigns.home": Permission.USE_STAFF_AREA,
    "dashboard.baseline": Permission.MANAGE_CAMPAIGNS,
    "dashboard.breakdowns": Permission.REVIEW_FEEDBACK,
    "dashboard.dashboard": Permission.REVIEW_FEEDBACK,
    "contacts.contact_export": Permission.MANAGE_CAMPAIGNS,
    "contacts.contact_list": Permission.MANAGE_CAMPAIGNS,
    "exports.export_download": Permission.MANAGE_CAMPAIGNS,
    "exports.export_file": Permission.MANAGE_CAMPAIGNS,
    "exports.export_responses": Permission.MANAGE_CAMPAIGNS,
    "health.healthz": PUBLIC,
    "imports.import_responses_page": Permission.MANAGE_CAMPAIGNS,
    "interviews.interview_home": Permission.ENTER_RESPONSES,
    "interviews.interview_offline": Permission.ENTER_RESPONSES,
    "interviews.interview_sync": Permission.ENTER_RESPONSES,
    "interviews.interview_sync_token": Permission.ENTER_RESPONSES,
    "interviews.offline_worker": PUBLIC,
    "interviews.interview_start": Permission.ENTER_RESPONSES,
    "invitations.survey_invites": Permission.MANAGE_CAMPAIGNS,
    "listening.session_edit": Permission.ENTER_RESPONSES,
    "listening.session_list": Permission.ENTER_RESPONSES,
    "listening.session_new": Permission.ENTER_RESPONSES,
    "listening.session_note_delete": Permission.ENTER_RESPONSES,
    "listening.session_notes": Permission.ENTER_RESPONSES,
    "outreach.link_delete": Permission.MANAGE_CAMPAIGNS,
    "outreach.link_flyer": Permission.MANAGE_CAMPAIGNS,
    "outreach.link_qr": Permission.MANAGE_CAMPAIGNS,
    "outreach.links": Permission.MANAGE_CAMPAIGNS,
    "paper.paper_survey": Permission.ENTER_RESPONSES,
    "privacy.resident_data": Permission.MANAGE_CAMPAIGNS,
    "privacy.resident_data_delete": Permission.MANAGE_CAMPAIGNS,
    "reportback.approval": Permission.MANAGE_CAMPAIGNS,
    "reportback.approval_entry": Permission.MANAGE_CAMPAIGNS,
    "reportback.approval_update": Permission.MANAGE_CAMPAIGNS,
    "reportback.public_page": PUBLIC,
    "resident.index": PUBLIC,
    "resident.intro": PUBLIC,
    "resident.invite": PUBLIC,
    "resident.page": PUBLIC,
    "resident.resume": PUBLIC,
    "resident.start": PUBLIC,
    "resident.thanks": PUBLIC,
    "responses.response_detail": Permission.MANAGE_CAMPAIGNS,
    "rounds.prototype_edit": Permission.MANAGE_CAMPAIGNS,
    "rounds.prototype_image": PUBLIC,
    "rounds.prototype_new": Permission.MANAGE_CAMPAIGNS,
    "rounds.prototype_remove": Permission.MANAGE_CAMPAIGNS,
    "rounds.round_close": Permission.MANAGE_CAMPAIGNS,
    "rounds.round_edit": Permission.MANAGE_CAMPAIGNS,
    "rounds.round_list": Permission.REVIEW_FEEDBACK,
    "rounds.round_new": Permission.MANAGE_CAMPAIGNS,
    "rounds.round_open": Permission.MANAGE_CAMPAIGNS,
    "rounds.round_results": Permission.REVIEW_FEEDBACK,
    "responses.response_exclude": Permission.MANAGE_CAMPAIGNS,
    "quotes.quote_explorer": Permission.REVIEW_FEEDBACK,
    "responses.response_list": Permission.MANAGE_CAMPAIGNS,
    "responses.response_restore": Permission.MANAGE_CAMPAIGNS,
    "scorecard.partnership": Permission.REVIEW_FEEDBACK,
    "scorecard.partnership_export": Permission.REVIEW_FEEDBACK,
    "scorecard.scorecard": Permission.REVIEW_FEEDBACK,
    "scorecard.scorecard_export": Permission.REVIEW_FEEDBACK,
    "survey_translation.survey_translation_edit": Permission.MANAGE_CAMPAIGNS,
    "survey_translation.survey_translation_export": Permission.MANAGE_CAMPAIGNS,
    "survey_translation.survey_translation_import": Permission.MANAGE_CAMPAIGNS,
    "survey_translation.survey_translations": Permission.MANAGE_CAMPAIGNS,
    "themes.board_comment": Permission.REVIEW_FEEDBACK,
    "themes.board_job_statement": Permission.REVIEW_FEEDBACK,
    "themes.board_merge": Permission.REVIEW_FEEDBACK,
    "themes.board_move_quote": Permission.REVIEW_FEEDBACK,
    "themes.board_rename": Permission.REVIEW_FEEDBACK,
    "themes.board_split": Permission.REVIEW_FEEDBACK,
    "themes.board_state": Permission.REVIEW_FEEDBACK,
    "themes.board_unmerge": Permission.REVIEW_FEEDBACK,
    "themes.link_theme": Permission.REVIEW_FEEDBACK,
    "themes.run_detail": Permission.REVIEW_FEEDBACK,
    "themes.runs": Permission.REVIEW_FEEDBACK,
    "themes.start_run": Permission.REVIEW_FEEDBACK,
    "themes.theme_detail": Permission.REVIEW_FEEDBACK,
    "themes.themes": Permission.REVIEW_FEEDBACK,
    "themes.unlink_theme": Permission.REVIEW_FEEDBACK,
    "workgroups.add_member": Permission.MANAGE_USERS,
    "workgroups.assign_campaign": Permission.MANAGE_USERS,
    "workgroups.remove_member": Permission.MANAGE_USERS,
    "workgroups.unassign_campaign": Permission.MANAGE_USERS,
    "workgroups.workgroup_edit": Permission.MANAGE_USERS,
    "workgroups.workgroup_list": Permission.MANAGE_USERS,
    "workgroups.workgroup_new": Permission.MANAGE_USERS,
}


def test_every_route_is_classified(app):
    declared = {
        rule.endpoint: getattr(app.view_functions[rule.endpoint], PERMISSION_ATTRIBUTE, None)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
    }
    assert declared == {endpoint: str(access) for endpoint, access in ACCESS.items()}


@pytest.fixture
def objects(session):
    """One of everything a staff address can name, in a campaign assigned to workgroup A."""
    campaign = make_campaign(session, title="Buses in Riverside")
    workgroup = make_workgroup(session, name="Workgroup A", campaigns=[campaign])
    make_workgroup(session, name="Workgroup B", campaigns=[make_campaign(session)])
    survey = make_survey(session, campaign=campaign)
    draft = make_survey(session, campaign=campaign, published=False, slug="draft-one")
    target = make_user(session, email="target@example.org", role="member")
    run = AnalysisRun(campaign=campaign, status="done")
    session.add(run)
    session.flush()
    en = Theme(run=run, key=0, parent_key=None, language="en", label="Buses")
    es = Theme(run=run, key=1, parent_key=None, language="es", label="Autobuses")
    session.add_all([en, es])
    session.flush()
    link = ThemeLink(run_id=run.id, theme_id=en.id, linked_theme_id=es.id, origin="workgroup")
    session.add(link)
    board_theme = BoardTheme(campaign_id=campaign.id, language="en", label="Buses", theme_id=en.id)
    board_es = BoardTheme(campaign_id=campaign.id, language="es", label="Autobuses", theme_id=es.id)
    session.add_all([board_theme, board_es])
    session.flush()
    board_link = BoardLink(
        campaign_id=campaign.id, board_theme_id=board_theme.id, linked_board_theme_id=board_es.id
    )
    session.add(board_link)
    listening = ListeningSession(campaign=campaign, held_on=date(2026, 11, 2), languages=["en"])
    session.add(listening)
    response = submit_response(
        session, version=survey.versions[0], answers={"obstacle": "Late buses"}, language="en"
    ).response
    opportunity = Opportunity(campaign_id=campaign.id, title="Reliable buses")
    sprint = Sprint(
        campaign_id=campaign.id, name="Sprint 1", starts_on=date(2026, 12, 1),
        ends_on=date(2026, 12, 14),
    )  # fmt: skip
    vote_round = VoteRound(campaign_id=campaign.id, title="December", dots=3)
    export = ExportFile(survey_id=survey.id, download_name="survey-responses.csv")
    session.add_all([opportunity, sprint, vote_round, export])
    session.flush()
    sprint_item = SprintItem(sprint_id=sprint.id, opportunity_id=opportunity.id)
    session.add(sprint_item)
    found = create_round(
        session, campaign, RoundFields({"en": "Shelters"}, {}, None, None, has_ranking=False)
    )
    prototype = save_prototype(
        session, found, None, PrototypeFields({"en": "Shelter"}, {}, previous_id=None)
    )
    session.commit()
    page = draft.draft_definition["pages"][0]
    return {
        "campaign_id": campaign.id,
        "workgroup_id": workgroup.id,
        "survey_id": draft.id,
        "user_id": target.id,
        "theme_id": en.id,
        "link_id": link.id,
        "board_theme_id": board_theme.id,
        "board_link_id": board_link.id,
        "run_id": run.id,
        "response_id": response.id,
        "session_id": listening.id,
        "round_id": found.id,
        "prototype_id": prototype.id,
        "item_id": 1,
        "opportunity_id": opportunity.id,
        "sprint_id": sprint.id,
        "sprint_item_id": sprint_item.id,
        "vote_round_id": vote_round.id,
        "export_id": export.id,
        "key": page["key"],
        "code": page["questions"][0]["code"],
        "slug": survey.slug,
        "lang": "es",
        "fmt": "json",
        "token": "not-a-token",
    }


# Arguments naming something that belongs to the objects' campaign.
CAMPAIGN_SCOPED = {
    "campaign_id",
    "survey_id",
    "theme_id",
    "link_id",
    "board_theme_id",
    "board_link_id",
    "run_id",
    "key",
    "code",
    "lang",
    "response_id",
    "session_id",
    "opportunity_id",
    "sprint_id",
    "round_id",
    "vote_round_id",
    "prototype_id",
    "export_id",
}


def _requests(app, objects):
    """(endpoint, method, path) for every staff route and method."""
    found = []
    with app.test_request_context():
        from flask import url_for

        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or ACCESS[rule.endpoint] == PUBLIC:
                continue
            values = {name: objects[name] for name in rule.arguments}
            if rule.endpoint.startswith("survey_translation.survey_translation_export"):
                values["fmt"] = "po"
            path = url_for(rule.endpoint, **values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, path))
    return sorted(found, key=lambda request: request[0] in SESSION_ENDING)


@pytest.fixture
def without_csrf(app):
    """Requests reach the permission check without a form token."""
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def _signed_in(app, role: str):
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"email": f"{role}@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302, role
    return client


def test_anonymous_visitors_are_sent_to_sign_in_everywhere_but_public_routes(
    app, objects, without_csrf
):
    client = app.test_client()
    for endpoint, method, path in _requests(app, objects):
        response = client.open(path, method=method)
        assert response.status_code == 302, (endpoint, method, response.status_code)
        assert response.headers["Location"].startswith("/auth/login"), endpoint


def _join(session, user, workgroup_name: str) -> None:
    workgroup = session.scalar(sa.select(Workgroup).where(Workgroup.name == workgroup_name))
    workgroup.members.append(user)
    session.commit()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_each_role_gets_exactly_its_permissions(app, session, objects, without_csrf, role):
    """A user in workgroup A (whose campaign the objects are) gets past every door the
    role opens; a member or interviewer is not even told 404 (staff requests delete pages
    and questions on the way, so later addresses of theirs may be 404)."""
    _join(session, make_user(session, email=f"{role}@example.org", role=role), "Workgroup A")
    client = _signed_in(app, role)
    scoped = not role_can(role, Permission.MANAGE_CAMPAIGNS)
    wrong = []
    for endpoint, method, path in _requests(app, objects):
        access = ACCESS[endpoint]
        allowed = access == SIGNED_IN or role_can(role, Permission(access))
        status = client.open(path, method=method).status_code
        refused = status == 403
        if allowed == refused or (scoped and allowed and status == 404) or status >= 500:
            wrong.append((endpoint, method, status))
    assert wrong == []


@pytest.mark.parametrize("role", [Role.MEMBER.value, Role.INTERVIEWER.value])
def test_a_member_of_another_workgroup_gets_404_on_every_address_of_the_campaign(
    app, session, objects, without_csrf, role
):
    _join(session, make_user(session, email=f"{role}@example.org", role=role), "Workgroup B")
    client = _signed_in(app, role)
    wrong, scoped = [], 0
    for endpoint, method, path in _requests(app, objects):
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        access = ACCESS[endpoint]
        allowed = access == SIGNED_IN or role_can(role, Permission(access))
        status = client.open(path, method=method).status_code
        if not allowed:
            expected = 403
        elif rule.arguments & CAMPAIGN_SCOPED:
            expected, scoped = 404, scoped + 1
        else:
            expected = status if status < 400 else "below 400"
        if status != expected:
            wrong.append((endpoint, method, status, expected))
    assert wrong == []
    # The themes page, link, unlink and the board's seven edits.
    assert scoped >= (10 if role == Role.MEMBER else 0)
    client = _signed_in(app, role)  # the walk ended with "sign out everywhere"
    home = client.get("/staff/").get_data(as_text=True)
    assert "Campaigns" in home and "Buses in Riverside" not in home


def test_public_routes_need_no_account(client, objects):
    slug = objects["slug"]
    for path in ["/", f"/s/{slug}", f"/s/{slug}/resume", f"/api/v1/surveys/{slug}", "/healthz",
                 "/auth/login"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
