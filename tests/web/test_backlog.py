"""The backlog (issue 13): opportunities with evidence, reach and score, statuses and the
"not now" list, the decision log, dot-voting, sprints, exports; on SQLite and PostgreSQL."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from engage.backlog import evidence, exports, services, sprints, voting
from engage.models import (
    BoardTheme,
    Decision,
    IllegalTransition,
    Opportunity,
    OpportunityStatus,
    Sprint,
    SprintItemState,
    Theme,
)
from engage.responses.services import submit_response
from engage.themes import services as analysis
from tests.factories import (
    PASSWORD,
    make_campaign,
    make_member,
    make_survey,
    make_user,
    small_definition,
)
from tests.support.feedback import ENGLISH, SPANISH

TODAY = date(2026, 12, 2)


def _definition(slug: str) -> dict:
    definition = copy.deepcopy(small_definition(slug))
    rating = copy.deepcopy(definition["pages"][0]["questions"][1])
    rating.update(
        code="bus_satisfaction",
        analysis_role="outcome_satisfaction",
        label={"en": "How satisfied are you with the bus?", "es": "¿Qué tan satisfecho?"},
    )
    definition["pages"][0]["questions"].append(rating)
    return definition


def _survey(session, *, rated: int = 12):
    survey = make_survey(session, definition=_definition("listen"))
    version = survey.current_version
    n = 0
    for round_ in range(2):
        for texts in ENGLISH.values():
            for text in texts:
                answers = {"obstacle": f"{text} ({round_})", "area": "north"}
                if n < rated:
                    answers |= {"bus_importance": 9, "bus_satisfaction": 3}
                n += 1
                submit_response(session, version=version, answers=answers, language="en")
    for texts in SPANISH.values():
        for text in texts:
            for round_ in range(2):
                answers = {"obstacle": f"{text} ({round_})", "area": "south"}
                submit_response(session, version=version, answers=answers, language="es")
    session.commit()
    return survey


def _run(session, survey):
    run = analysis.create_run(session, campaign=survey.campaign, created_by=None)
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    return run


def _top_themes(run) -> list[Theme]:
    return sorted((t for t in run.themes if t.parent_key is None), key=lambda t: -t.size)


def _on_board(session, theme: Theme) -> BoardTheme:
    """The board theme that shows the run theme ``theme``."""
    return session.scalar(sa.select(BoardTheme).where(BoardTheme.theme_id == theme.id))


# -- services ------------------------------------------------------------------------------


def test_an_opportunity_from_themes_has_evidence_reach_and_a_score(session):
    survey = _survey(session)
    run = _run(session, survey)
    campaign = survey.campaign
    themes = _top_themes(run)[:2]
    boards = [_on_board(session, t) for t in themes]
    quote = themes[0].representatives[0]["item_id"]
    user = make_member(session, campaign)
    found = services.create_opportunity(
        session,
        campaign,
        services.OpportunityFields(
            title="Reliable buses",
            job_statement="Get to work on time",
            outcome="bus",
            effort=2,
            owner_id=user.id,
            theme_ids=[b.id for b in boards],
            quote_ids=[quote],
        ),
        by=user,
    )
    session.commit()
    assert found.has_evidence
    assert [(t.name, t.theme) for t in evidence.evidence_themes(session, found)] == [
        (t.label, b) for t, b in zip(themes, boards, strict=True)
    ]
    reach = evidence.reach_of(session, found, threshold=5)
    # Every answer of the two themes, one resident per response.
    assert reach.residents == sum(t.size for t in themes)
    scores = evidence.outcome_scores(session, campaign, minimum=10)
    assert scores["bus"].score == pytest.approx(9 + 6) and scores["bus"].n_importance == 12
    assert evidence.outcome_scores(session, campaign, minimum=13)["bus"].enough is False
    small = evidence.reach_of(session, found, threshold=10_000)
    assert small.residents is None and all(n is None for _, n in small.languages)
    log = services.list_decisions(session, campaign)
    assert [(d.kind, d.subject, d.decided_by_name) for d in log] == [
        ("created", "Reliable buses", user.name)
    ]


def test_evidence_says_when_its_theme_is_hidden_or_no_longer_on_the_board(session, pages):
    survey = _survey(session)
    run = _run(session, survey)
    campaign = survey.campaign
    member = make_member(session, campaign, email="h@example.org")
    english, spanish = (
        _on_board(session, next(t for t in _top_themes(run) if t.language == lang))
        for lang in ("en", "es")
    )
    found = services.create_opportunity(
        session,
        campaign,
        services.OpportunityFields(title="Buses", theme_ids=[english.id, spanish.id]),
        by=member,
    )
    english.hide()
    session.commit()
    label = spanish.display_name
    # The board theme is gone (a database row removed by hand): its last name stays.
    session.execute(sa.delete(BoardTheme).where(BoardTheme.id == spanish.id))
    session.commit()
    session.expire_all()
    assert [
        (t.name, t.hidden, t.theme is None) for t in evidence.evidence_themes(session, found)
    ] == [
        (english.display_name, True, False),
        (label, False, True),
    ]
    pages.login(member.email, PASSWORD)
    html = _evidence_list(pages.get(f"/staff/opportunities/{found.id}").get_data(as_text=True))
    assert "hidden as noise on the theme board" in html and "no longer on the theme board" in html
    # Editing offers the hidden theme, still chosen, and keeps the one gone.
    edit = pages.get(f"/staff/opportunities/{found.id}/edit").get_data(as_text=True)
    assert _boxes(edit, "themes", checked=True) == {str(english.id)}
    saved = _form(
        pages, f"/staff/opportunities/{found.id}/edit",
        {"title": "Buses", "themes": [english.id]},
    )  # fmt: skip
    assert saved.status_code == 303
    session.expire_all()
    assert len(session.get(Opportunity, found.id).themes) == 2


def test_an_opportunity_by_hand_has_no_resident_evidence_yet(session):
    campaign = make_campaign(session)
    user = make_user(session)
    found = services.create_opportunity(
        session, campaign, services.OpportunityFields(title="A bench at the stop"), by=user
    )
    assert not found.has_evidence
    assert services.list_decisions(session, campaign)[0].reason == "no resident evidence yet"


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "  "}, "title_required"),
        ({"effort": 9}, "effort_invalid"),
        ({"outcome": "nothing"}, "unknown_outcome"),
        ({"theme_ids": [2**31 + 5]}, "unknown_theme"),
        ({"quote_ids": [2**31 + 5]}, "unknown_quote"),
        ({"owner_id": 2**40}, "unknown_owner"),
    ],
)
def test_bad_opportunity_fields_are_refused_with_a_code(session, fields, code):
    campaign = make_campaign(session)
    with pytest.raises(services.BacklogError) as refused:
        services.create_opportunity(
            session, campaign, services.OpportunityFields(**{"title": "x", **fields}), by=None
        )
    assert refused.value.code == code


def test_not_now_needs_a_reason_and_a_later_revisit_date_and_is_logged(session):
    campaign = make_campaign(session)
    user = make_user(session)
    found = services.create_opportunity(
        session, campaign, services.OpportunityFields(title="New bus line"), by=user
    )
    for reason, revisit, code in [
        ("", TODAY + timedelta(days=30), "not_now_needs_reason"),
        ("Too costly", None, "not_now_needs_revisit_date"),
        ("Too costly", TODAY, "revisit_date_not_future"),
    ]:
        with pytest.raises(IllegalTransition) as refused:
            services.change_status(
                session, found, "not_now", by=user, reason=reason, revisit_on=revisit, on=TODAY
            )
        assert refused.value.code == code
    assert found.status == OpportunityStatus.PROPOSED
    services.change_status(
        session, found, "not_now", by=user, reason="Too costly this year",
        revisit_on=date(2027, 6, 1), on=TODAY,
    )  # fmt: skip
    session.commit()
    assert (found.status, found.not_now_reason) == ("not_now", "Too costly this year")
    with pytest.raises(IllegalTransition):
        services.change_status(session, found, "done", by=user, on=TODAY)
    services.change_status(session, found, "next", by=user, reason="Funding came", on=TODAY)
    assert found.not_now_reason is None and found.revisit_on is None
    hits = services.list_decisions(session, campaign, query="COSTLY")
    assert [(d.kind, d.to_status, d.revisit_on) for d in hits] == [
        ("not_now", "not_now", date(2027, 6, 1))
    ]
    assert services.list_decisions(session, campaign, query="100%_") == []


def test_votes_are_secret_until_the_round_closes(session):
    campaign = make_campaign(session)
    alice, bob = make_member(session, campaign), make_member(session, campaign)
    a, b = (
        services.create_opportunity(
            session, campaign, services.OpportunityFields(title=t), by=alice
        )
        for t in ("A", "B")
    )
    round_ = voting.open_round(session, campaign, title="December", dots=3, by=alice)
    with pytest.raises(services.BacklogError, match="round_already_open"):
        voting.open_round(session, campaign, title="Again", dots=3, by=alice)
    voting.cast_votes(session, round_, alice, {a.id: 2, b.id: 1})
    voting.cast_votes(session, round_, bob, {a.id: 1})
    with pytest.raises(services.BacklogError, match="too_many_dots"):
        voting.cast_votes(session, round_, bob, {a.id: 3, b.id: 1})
    with pytest.raises(services.BacklogError, match="unknown_opportunity"):
        voting.cast_votes(session, round_, bob, {2**31 + 1: 1})
    assert services.vote_totals(session, round_) == {}
    assert voting.my_votes(session, round_, bob) == {a.id: 1}
    assert voting.close_round(session, round_, by=alice) == {a.id: 3, b.id: 1}
    with pytest.raises(services.BacklogError, match="round_closed"):
        voting.cast_votes(session, round_, bob, {b.id: 1})
    rows = services.backlog_rows(session, campaign, threshold=5, sort="votes")
    assert [(r.opportunity.title, r.votes) for r in rows] == [("A", 3), ("B", 1)]


def test_a_sprint_moves_its_items_and_logs_its_decisions(session):
    campaign = make_campaign(session)
    owner = make_member(session, campaign)
    found = services.create_opportunity(
        session, campaign, services.OpportunityFields(title="Shelter"), by=owner
    )
    with pytest.raises(services.BacklogError, match="sprint_ends_before_start"):
        sprints.create_sprint(
            session, campaign, name="S", goal="", starts_on=TODAY, ends_on=TODAY - timedelta(1),
            by=owner,
        )  # fmt: skip
    sprint = sprints.create_sprint(
        session, campaign, name="Sprint 1", goal="Try a shelter", starts_on=TODAY,
        ends_on=TODAY + timedelta(days=14), by=owner,
    )  # fmt: skip
    with pytest.raises(services.BacklogError, match="owner_required"):
        sprints.add_item(session, sprint, opportunity_id=found.id, owner_id=None, by=owner)
    item = sprints.add_item(session, sprint, opportunity_id=found.id, owner_id=owner.id, by=owner)
    assert found.status == OpportunityStatus.IN_SPRINT
    with pytest.raises(services.BacklogError, match="sprint_not_started"):
        sprints.save_review(session, sprint, {"delivered": "x"}, by=owner)
    sprints.change_sprint_state(session, sprint, "start", by=owner)
    sprints.move_item(session, sprint, item, "doing", by=owner)
    sprints.move_item(session, sprint, item, "done", by=owner)
    assert (item.state, found.status) == (SprintItemState.DONE, OpportunityStatus.DONE)
    sprints.change_sprint_state(session, sprint, "finish", by=owner)
    sprints.save_review(
        session, sprint, {"delivered": "A shelter", "went_well": "Residents came"}, by=owner
    )
    with pytest.raises(services.BacklogError, match="sprint_finished"):
        sprints.move_item(session, sprint, item, "todo", by=owner)
    sprints.record_sprint_decision(session, sprint, "Keep the shelter", by=owner)
    session.commit()
    kinds = [d.kind for d in services.list_decisions(session, campaign, sprint=sprint)]
    assert kinds.count("sprint") == 4 and kinds.count("status") == 2


def test_exports_are_formula_safe(session):
    campaign = make_campaign(session)
    user = make_user(session, name="=HYPERLINK(1)")
    services.create_opportunity(
        session, campaign, services.OpportunityFields(title="=1+1 | pipe\nline"), by=user
    )
    table = exports.backlog_table(session, campaign, threshold=5)
    assert "'=1+1" in exports.to_csv(table).decode()
    md = exports.to_markdown(table).decode()
    assert "'=1+1 \\| pipe<br>line" in md
    assert json.loads(exports.to_json(table))["rows"][0]["title"].startswith("=1+1")
    log = exports.to_csv(exports.decisions_table(session, campaign)).decode()
    assert "'=HYPERLINK(1)" in log


# -- the web, end to end ---------------------------------------------------------------------


def _form(pages, url, data, page=None):
    return pages.submit(url, data, form_page=page or url)


def _boxes(html: str, name: str, *, checked: bool = False) -> set[str]:
    """The values of the boxes ``name`` of a page (only the checked ones if ``checked``)."""
    boxes = re.findall(r"<input [^>]*>", html)
    return {
        re.search(r'value="([^"]*)"', box)[1]
        for box in boxes
        if f'name="{name}"' in box and (" checked" in box or not checked)
    }


def _evidence_list(html: str) -> str:
    """The themes listed as an opportunity's evidence."""
    return html[html.index('class="evidence-themes"') :].split("</ul>")[0]


def test_from_responses_to_a_decision_log_through_the_pages(session, pages):
    survey = _survey(session)
    run = _run(session, survey)
    campaign = survey.campaign
    member = make_member(session, campaign, email="m@example.org")
    outsider = make_member(session, make_campaign(session), email="o@example.org")
    theme, other = [t for t in _top_themes(run) if t.language == "en"][:2]
    spanish = next(t for t in _top_themes(run) if t.language == "es")
    board_theme, other_board, spanish_board = (
        _on_board(session, t) for t in (theme, other, spanish)
    )
    pages.login(member.email, PASSWORD)
    base = f"/staff/campaigns/{campaign.id}"
    # Theme edits on the theme board: the Spanish theme says the same as the English one.
    themes_page = f"{base}/themes"
    on_board = {t.theme_id: t.id for t in session.scalars(sa.select(BoardTheme))}
    linked = _form(
        pages,
        f"{base}/board/{on_board[theme.id]}/links",
        {"linked_theme_id": on_board[spanish.id]},
        themes_page,
    )
    assert linked.status_code == 302
    # "Add to the backlog" on a board theme opens the form with that theme chosen.
    board_html = pages.get(themes_page).get_data(as_text=True)
    promote = f"{base}/backlog/new?theme={board_theme.id}"
    assert f'href="{promote}"' in board_html
    new = pages.get(promote).get_data(as_text=True)
    assert theme.label in new and 'value="bus"' in new
    assert _boxes(new, "themes", checked=True) == {str(board_theme.id)}
    response = _form(
        pages, f"{base}/backlog/new",
        {"title": "Reliable buses", "themes": [board_theme.id, other_board.id, spanish_board.id],
         "outcome": "bus", "effort": "2", "owner": str(member.id),
         "quotes": [theme.representatives[0]["item_id"], spanish.representatives[0]["item_id"]]},
    )  # fmt: skip
    assert response.status_code == 303, response.get_data(as_text=True)
    found = session.scalar(sa.select(Opportunity).where(Opportunity.title == "Reliable buses"))
    detail = f"/staff/opportunities/{found.id}"
    html = pages.get(detail).get_data(as_text=True)
    assert "<strong>15</strong>" in html and "How important is the bus?" in html
    assert {t.language for t in found.themes} == {"en", "es"} and "Spanish" in html
    reach_before = evidence.reach_of(session, found, threshold=1).residents
    # The workgroup renames a theme in its own words and merges another into it: the
    # evidence follows the board, and reaches the same residents.
    board = f"{base}/board"
    renamed = _form(
        pages, f"{board}/{board_theme.id}/name", {"name": "Buses we can count on"}, themes_page
    )
    assert renamed.status_code == 302
    assert (
        _form(
            pages,
            f"{board}/{spanish_board.id}/name",
            {"name": "Autobuses que sí llegan"},
            themes_page,
        ).status_code
        == 302
    )
    merged = _form(
        pages, f"{board}/{other_board.id}/merge", {"into_id": board_theme.id}, themes_page
    )
    assert merged.status_code == 302
    html = pages.get(detail).get_data(as_text=True)
    evidence_list = _evidence_list(html)
    assert "Buses we can count on" in evidence_list and "Autobuses que sí llegan" in evidence_list
    assert evidence_list.count("<li>") == 2 and theme.label not in evidence_list
    assert f"merged into it on the theme board: <bdi>{other.label}</bdi>" in evidence_list
    assert f'/board/{board_theme.id}"' in evidence_list
    session.expire_all()
    assert evidence.reach_of(session, found, threshold=1).residents == reach_before
    # Editing keeps the evidence as it is on the board (the merged theme counts once).
    edit = pages.get(f"{detail}/edit").get_data(as_text=True)
    assert _boxes(edit, "themes", checked=True) == {str(board_theme.id), str(spanish_board.id)}
    assert str(other_board.id) not in _boxes(edit, "themes")
    assert "Buses we can count on" in edit
    # Not now without a reason: a translated error, nothing changes.
    bad = _form(pages, f"{detail}/status", {"status": "not_now", "reason": ""}, detail)
    assert bad.status_code == 400 and "Say why the workgroup decided" in bad.get_data(as_text=True)
    assert (
        _form(pages, f"{detail}/status", {"status": "next", "reason": "Top"}, detail).status_code
        == 303
    )
    # Votes.
    rounds = f"{base}/voting"
    assert _form(pages, rounds, {"title": "December", "dots": "3"}).status_code == 303
    round_id = session.scalar(sa.text("select max(id) from vote_rounds"))
    vote = f"/staff/voting/{round_id}"
    assert _form(pages, vote, {f"dots-{found.id}": "9"}).status_code == 400
    assert _form(pages, vote, {f"dots-{found.id}": "2\x00"}).status_code == 400
    assert _form(pages, vote, {f"dots-{found.id}": "2"}).status_code == 303
    assert _form(pages, f"{vote}/close", {}, vote).status_code == 303
    # A sprint, its board, review and retrospective.
    sprints_url = f"{base}/sprints"
    bad = _form(
        pages, sprints_url, {"name": "S1", "starts_on": "2026-12-10", "ends_on": "2026-12-01"}
    )
    assert bad.status_code == 400
    bad = _form(pages, sprints_url, {"name": "S1", "starts_on": "31/12/2026", "ends_on": ""})
    assert bad.status_code == 400 and "Enter a date like" in bad.get_data(as_text=True)
    ok = _form(
        pages,
        sprints_url,
        {"name": "S1", "goal": "Try", "starts_on": "2026-12-01", "ends_on": "2026-12-14"},
    )
    assert ok.status_code == 303
    sprint = session.scalar(sa.select(Sprint).where(Sprint.name == "S1"))
    board = f"/staff/sprints/{sprint.id}"
    assert (
        _form(
            pages, f"{board}/items", {"opportunity": str(2**40), "owner": str(member.id)}, board
        ).status_code
        == 400
    )
    assert (
        _form(
            pages, f"{board}/items", {"opportunity": str(found.id), "owner": str(member.id)}, board
        ).status_code
        == 303
    )
    assert _form(pages, f"{board}/state", {"action": "start"}, board).status_code == 303
    item_id = (
        sprint.items[0].id
        if sprint.items
        else session.scalar(sa.text("select max(id) from sprint_items"))
    )
    assert (
        _form(pages, f"{board}/items/{item_id}/move", {"state": "done"}, board).status_code == 303
    )
    assert _form(pages, f"{board}/decisions", {"text": ""}, board).status_code == 400
    assert _form(pages, f"{board}/decisions", {"text": "Keep going"}, board).status_code == 303
    review = {
        "delivered": "Timetables at stops",
        "went_well": "Residents helped",
        "lessons": "Ask early",
    }
    assert _form(pages, f"{board}/review", review).status_code == 303
    assert "Residents helped" in pages.get(board).get_data(as_text=True)
    # The decision log remembers, and is searchable; exports download.
    log = pages.get(f"{base}/decisions?q=keep").get_data(as_text=True)
    assert "Keep going" in log and "December" not in log
    assert session.scalar(sa.select(sa.func.count(Decision.id))) >= 6
    for fmt in ("csv", "json", "md"):
        assert pages.get(f"{base}/backlog/export.{fmt}").status_code == 200
        assert pages.get(f"{base}/decisions/export.{fmt}").status_code == 200
        assert pages.get(f"{board}/export.{fmt}").status_code == 200
    assert pages.get(f"{base}/backlog/export.xls").status_code == 404
    for url in (
        f"{base}/backlog",
        f"{base}/backlog/impact-effort",
        f"{base}/meeting",
        rounds,
        vote,
    ):
        assert pages.get(url).status_code == 200, url
    # "Analyse again": the new run lands on the same board, and the evidence still names
    # the workgroup's themes and reaches the same residents.
    again = _run(session, survey)
    assert again.id != run.id and again.status == "done"
    assert _on_board(session, next(t for t in again.themes if t.label == theme.label)).id == (
        board_theme.id
    )
    assert _evidence_list(pages.get(detail).get_data(as_text=True)) == evidence_list
    session.expire_all()
    assert evidence.reach_of(session, found, threshold=1).residents == reach_before
    export = pages.get(f"{base}/backlog/export.csv").get_data(as_text=True)
    assert "Buses we can count on (en); Autobuses que sí llegan (es)" in export
    # A member of another workgroup sees nothing of it.
    pages.submit("/auth/logout", {}, form_page="/staff/")
    pages.login(outsider.email, PASSWORD)
    for url in (f"{base}/backlog", detail, board, vote, f"{base}/decisions", f"{base}/meeting"):
        assert pages.get(url).status_code == 404, url


def test_odd_input_gets_a_translated_answer_never_a_500(session, pages):
    campaign = make_campaign(session)
    member = make_member(session, campaign, email="odd@example.org")
    found = services.create_opportunity(
        session, campaign, services.OpportunityFields(title="Lights"), by=member
    )
    session.commit()
    pages.login(member.email, PASSWORD)
    base = f"/staff/campaigns/{campaign.id}"
    detail = f"/staff/opportunities/{found.id}"
    for url in (f"/staff/opportunities/{2**31}", f"/staff/sprints/{2**40}", "/staff/voting/0"):
        assert pages.get(url).status_code == 404
    for url in (
        f"{base}/backlog?sort=%00",
        f"{base}/decisions?q=%00%25_&kind=nope",
        f"{base}/backlog/new?show=1&themes=abc&themes={2**40}",
        f"{base}/decisions/export.csv?q=%00",
    ):
        assert pages.get(url).status_code in (200, 400), url
    nul = _form(pages, f"{base}/backlog/new", {"title": "Bus\x00"})
    assert nul.status_code == 400 and "cannot be saved" in nul.get_data(as_text=True)
    big = _form(pages, f"{base}/backlog/new", {"title": "Bus", "themes": [str(2**40)]})
    assert big.status_code == 400 and "not a theme of this campaign" in big.get_data(as_text=True)
    for data in (
        {"status": "not_now", "reason": "Later", "revisit_on": "2026-13-45"},
        {"status": "not_now", "reason": "Later"},
        {"status": "nonsense"},
        {"status": "not_now", "reason": "x\x00", "revisit_on": "2099-01-01"},
    ):
        assert _form(pages, f"{detail}/status", data, detail).status_code == 400, data
    session.refresh(found)
    assert found.status == OpportunityStatus.PROPOSED


def test_the_demo_has_a_scored_item_a_not_now_item_and_two_sprints(session):
    from engage.demo_data.loader import DEMO_CAMPAIGN_SLUG, load_demo

    load_demo(session)
    session.commit()
    from engage.models import Campaign

    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == DEMO_CAMPAIGN_SLUG))
    rows = services.backlog_rows(session, campaign, threshold=10, statuses=None)
    assert any(r.score is not None and r.score.enough for r in rows)
    not_now = [r.opportunity for r in rows if r.opportunity.status == "not_now"]
    assert not_now and not_now[0].not_now_reason and not_now[0].revisit_on
    found = {s.status: s for s in sprints.list_sprints(session, campaign)}
    assert set(found) == {"running", "finished"}
    assert found["finished"].has_review and found["finished"].has_retrospective
    assert len(services.list_decisions(session, campaign)) >= 10


def test_the_demo_has_an_analysed_reviewed_board_behind_its_backlog(session, pages):
    from engage.demo_data.loader import DEMO_CAMPAIGN_SLUG, load_demo
    from engage.models import Campaign

    load_demo(session)
    session.commit()
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == DEMO_CAMPAIGN_SLUG))
    run = analysis.get_latest_finished_run(session, campaign.id)
    assert run.parameters["backend"] == "tfidf" and run.item_count > 600
    board = list(
        session.scalars(sa.select(BoardTheme).where(BoardTheme.campaign_id == campaign.id))
    )
    named = {t.name: t for t in board if t.name}
    assert set(named) == {
        "Buses we can count on",
        "Childcare we can afford, near home",
        "Información y atención en español",
    }
    bus = named["Buses we can count on"]
    # The same themes on every database: one merge, of the other English bus theme.
    assert [(t.label, t.merged_into_id) for t in board if t.is_merged] == [
        ("bus was so full it drove", bus.id)
    ]
    assert bus.job_statement and all(t.is_reviewed for t in named.values())
    assert sum(t.is_reviewed for t in board) == 5
    by_title = {o.title: o for o in services.list_opportunities(session, campaign)}
    bus_evidence = evidence.evidence_themes(session, by_title["Buses residents can count on"])
    assert (bus_evidence[0].name, bus_evidence[0].language) == ("Buses we can count on", "en")
    assert {t.language for t in bus_evidence} == {"en", "ar"}
    childcare = by_title["Childcare during evening classes"]
    childcare_evidence = evidence.evidence_themes(session, childcare)
    assert childcare_evidence[0].name == "Childcare we can afford, near home"
    # What a member sees: the board in the workgroup's words, reviewed, and the evidence.
    pages.login("member@example.org", "engage-demo")
    themes = pages.get(f"/staff/campaigns/{campaign.id}/themes").get_data(as_text=True)
    assert "Buses we can count on" in themes and "Reviewed by the workgroup" in themes
    found = by_title["Buses residents can count on"]
    page = pages.get(f"/staff/opportunities/{found.id}").get_data(as_text=True)
    assert "Buses we can count on" in _evidence_list(page)


def test_staff_outside_the_workgroups_read_the_backlog_but_do_not_edit_it(session, pages):
    campaign = make_campaign(session)
    member = make_member(session, campaign)
    found = services.create_opportunity(
        session, campaign, services.OpportunityFields(title="Benches"), by=member
    )
    sprint = sprints.create_sprint(
        session, campaign, name="S", goal="", starts_on=TODAY, ends_on=TODAY, by=member
    )
    session.commit()
    staff = make_user(session, email="reader@example.org", role="staff")
    pages.login(staff.email, PASSWORD)
    base = f"/staff/campaigns/{campaign.id}"
    detail = f"/staff/opportunities/{found.id}"
    page = pages.get(f"{base}/backlog").get_data(as_text=True)
    assert "Benches" in page and "Add an opportunity" not in page
    assert "Record the decision" not in pages.get(detail).get_data(as_text=True)
    assert "Commit an opportunity" not in pages.get(f"/staff/sprints/{sprint.id}").get_data(
        as_text=True
    )
    token_page = f"{base}/meeting"
    for url, data in [
        (f"{detail}/status", {"status": "next"}),
        (f"{base}/sprints", {"name": "T", "starts_on": "2026-12-01", "ends_on": "2026-12-02"}),
        (f"{base}/voting", {"title": "R", "dots": "3"}),
        (f"/staff/sprints/{sprint.id}/decisions", {"text": "No"}),
    ]:
        assert pages.submit(url, data, form_page=token_page).status_code == 403, url
    assert pages.get(f"{base}/backlog/new").status_code == 403
    assert pages.get(token_page).status_code == 200
    session.refresh(found)
    assert found.status == OpportunityStatus.PROPOSED


def test_the_decision_log_comes_in_pages(session, pages):
    campaign = make_campaign(session)
    member = make_member(session, campaign, email="pager@example.org")
    sprint = sprints.create_sprint(
        session, campaign, name="S", goal="", starts_on=TODAY, ends_on=TODAY, by=member
    )
    for n in range(60):
        sprints.record_sprint_decision(session, sprint, f"Decision number {n:02d}", by=member)
    session.commit()
    pages.login(member.email, PASSWORD)
    log = f"/staff/campaigns/{campaign.id}/decisions"
    first = pages.get(log).get_data(as_text=True)
    assert "Decision number 59" in first and "Decision number 00" not in first
    assert "Page 1 of 2" in first
    second = pages.get(f"{log}?page=2&q=number").get_data(as_text=True)
    assert "Decision number 00" in second
    assert pages.get(f"{log}?page=%00").status_code == 200
