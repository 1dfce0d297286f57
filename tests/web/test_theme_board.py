"""The theme board: workgroup edits on a campaign's themes, and how they survive a re-run."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from engage.models import (
    AuditEvent,
    BoardComment,
    BoardEdit,
    BoardLink,
    BoardPlacement,
    BoardTheme,
    FeedbackItem,
    IllegalTransition,
    ThemeLink,
)
from engage.responses.services import submit_response
from engage.themes import board
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import (
    PASSWORD,
    make_campaign,
    make_member,
    make_survey,
    make_user,
    small_definition,
)
from tests.support.client import PageClient
from tests.support.feedback import ENGLISH, SPANISH, KeywordEncoder, bilingual_survey


def _run(session, survey):
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    assert run.status == "done", run.error
    return run


def _page(survey) -> str:
    return f"/staff/campaigns/{survey.campaign_id}/themes"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _board_theme_of(session, survey, text: str) -> BoardTheme:
    return session.scalar(
        sa.select(BoardTheme)
        .join(BoardPlacement, BoardPlacement.board_theme_id == BoardTheme.id)
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(FeedbackItem.text == text, FeedbackItem.campaign_id == survey.campaign_id)
    )


def _item(session, text: str) -> FeedbackItem:
    return session.scalar(sa.select(FeedbackItem).where(FeedbackItem.text == text))


def _respond(session, survey, texts, language):
    for text in texts:
        submit_response(
            session, version=survey.current_version, answers={"obstacle": text}, language=language
        )
    session.commit()


def test_a_run_puts_every_placed_item_on_the_board(session):
    survey = bilingual_survey(session)
    run = _run(session, survey)
    themes = session.scalars(sa.select(BoardTheme)).all()
    assert {t.theme_id for t in themes} == {t.id for t in run.themes if t.parent_key is None}
    placed = session.scalar(sa.select(sa.func.count()).select_from(BoardPlacement))
    assigned = sum(c for k, c in analysis.count_items_by_theme(session, run).items() if k)
    assert placed == assigned
    en_bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    assert en_bus.language == "en" and en_bus.display_name == en_bus.theme.label


LIBRARY = [
    "The library closes too early for working people",
    "Library hours are too short in the evening",
    "Please open the library on Sunday",
    "The library should stay open later",
    "I cannot get to the library before it closes",
    "Longer library opening hours would help students",
]


def _post(pages, survey, theme, action, data):
    response = pages.submit(
        f"/staff/campaigns/{survey.campaign_id}/board/{theme.id}/{action}",
        data,
        form_page=_page(survey),
    )
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].endswith(f"{_page(survey)}#board-{theme.id}")
    return _text(pages.get(_page(survey)))


def test_workgroup_edits_survive_new_responses_and_a_re_run(session, pages):
    """Responses → run → rename, job statement, link, merge (across languages), move,
    split, hide, review, comment → new responses and "Analyse again" keeps every edit."""
    survey = bilingual_survey(session)
    first = _run(session, survey)
    member = make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    en_bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    es_bus = _board_theme_of(session, survey, SPANISH["bus"][0])
    es_rent = _board_theme_of(session, survey, SPANISH["rent"][0])
    # The workgroup first gathers the English bus answers the run spread over two themes.
    for text in ENGLISH["bus"]:
        other = _board_theme_of(session, survey, text)
        if other.id != en_bus.id:
            _post(pages, survey, other, "merge", {"into_id": en_bus.id})
    en_rent = _board_theme_of(session, survey, ENGLISH["rent"][0])
    en_park = next(
        theme
        for theme in (_board_theme_of(session, survey, t) for t in ENGLISH["park"])
        if theme.id not in (en_rent.id, en_bus.id)
    )
    assert len({en_bus.id, en_rent.id, en_park.id, es_bus.id, es_rent.id}) == 5
    assert first.status == "done"

    page = _post(pages, survey, en_bus, "name", {"name": "  Late buses  "})
    assert "The theme is now called “Late buses”." in page
    page = _post(
        pages, survey, en_bus, "job", {"statement": "When I go to work, I want a bus on time."}
    )
    assert "Job statement by the workgroup:" in page
    assert "When I go to work, I want a bus on time." in page
    _post(pages, survey, en_bus, "state", {"change": "review"})
    page = _post(pages, survey, en_bus, "comments", {"body": "Ask the transit agency."})
    assert "Ask the transit agency." in page and "Reviewed by the workgroup" in page
    assert f"Marked by {member.name} on " in page
    # A workgroup link between the two bus themes (a lexical run links nothing itself).
    _post(pages, survey, en_bus, "links", {"linked_theme_id": es_bus.id})
    # Merge across languages: the Spanish rent theme into the English one.
    page = _post(pages, survey, es_rent, "merge", {"into_id": en_rent.id})
    assert f"is merged into “{en_rent.display_name}”." in page
    # Move a park quote into the rent theme.
    moved = next(
        _item(session, t)
        for t in ENGLISH["park"]
        if _board_theme_of(session, survey, t).id == en_park.id
    )
    page = _post(pages, survey, en_park, "move", {"item_id": moved.id, "to_id": en_rent.id})
    assert f"The quote is moved to “{en_rent.display_name}”." in page
    # Merge park into bus, then split bus again: park comes out as a theme of its own.
    _post(pages, survey, en_park, "merge", {"into_id": en_bus.id})
    page = _post(pages, survey, en_bus, "split", {})
    assert "is split:" in page
    session.expire_all()
    split_off = session.scalars(
        sa.select(BoardTheme).where(BoardTheme.split_from_id == en_bus.id)
    ).all()
    assert split_off
    park_now = next(
        theme
        for theme in (_board_theme_of(session, survey, t) for t in ENGLISH["park"])
        if theme.split_from_id == en_bus.id
    )
    assert _board_theme_of(session, survey, ENGLISH["bus"][0]).id == en_bus.id
    # Pieces of the bus theme the split made go back into it.
    for piece in split_off:
        if piece.id != park_now.id:
            _post(pages, survey, piece, "merge", {"into_id": en_bus.id})
    # Hide the park theme as noise.
    page = _post(pages, survey, park_now, "state", {"change": "hide"})
    assert "is hidden as noise." in page and "Hidden as noise" in page

    # Every edit was recorded, with who did it.
    edits = session.scalars(sa.select(BoardEdit)).all()
    assert {e.action for e in edits} >= {
        "renamed",
        "job_statement",
        "reviewed",
        "commented",
        "merged",
        "moved",
        "split",
        "hidden",
    }
    assert {e.actor_id for e in edits} == {member.id}
    assert session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "theme_edited")
    ) == len(edits)

    # New responses arrive, and the campaign is analysed again.
    _respond(
        session, survey, ["The bus never comes on Sundays", "Bus drivers skip our stop"] * 2, "en"
    )
    _respond(session, survey, ["El alquiler sube cada año", "No puedo pagar el alquiler"], "es")
    _respond(session, survey, LIBRARY, "en")
    second = _run(session, survey)
    assert second.id != first.id
    session.expire_all()

    bus = session.get(BoardTheme, en_bus.id)
    assert bus.display_name == "Late buses"
    assert bus.job_statement == "When I go to work, I want a bus on time."
    assert bus.is_reviewed and not bus.hidden
    assert session.scalar(sa.select(BoardComment.body).where(BoardComment.board_theme_id == bus.id))
    assert bus.theme.run_id == second.id  # it shows the new run's description
    assert _board_theme_of(session, survey, "The bus never comes on Sundays").id == bus.id
    # The link survived: it is between the board themes, whatever run they show.
    spanish_bus = session.get(BoardTheme, es_bus.id)
    assert spanish_bus.theme.run_id == second.id
    link = session.scalar(sa.select(BoardLink))
    assert (link.board_theme_id, link.linked_board_theme_id) == tuple(sorted((bus.id, es_bus.id)))
    assert (link.origin, link.created_by_id) == ("workgroup", member.id)
    # The merge holds, and new Spanish rent answers land in the merged theme.
    assert session.get(BoardTheme, es_rent.id).merged_into_id == en_rent.id
    assert _board_theme_of(session, survey, "El alquiler sube cada año").id == en_rent.id
    # The moved quote stays where the workgroup put it.
    assert _board_theme_of(session, survey, moved.text).id == en_rent.id
    # The hidden split-off theme stays hidden, with its quotes.
    park = session.get(BoardTheme, park_now.id)
    assert park.hidden
    assert session.scalar(
        sa.select(sa.func.count())
        .select_from(BoardPlacement)
        .where(BoardPlacement.board_theme_id == park.id, BoardPlacement.pinned)
    )
    # A new concern is a new theme.
    library = _board_theme_of(session, survey, LIBRARY[0])
    assert library.created_run_id == second.id and library.id not in {
        en_bus.id,
        en_rent.id,
        en_park.id,
        es_bus.id,
        es_rent.id,
        park.id,
    }

    page = _text(pages.get(_page(survey)))
    section = page.split(f'id="board-{bus.id}"', 1)[1].split("</section>", 1)[0]
    assert "Late buses" in section and "+4 new since the last run" in section
    assert "(Spanish, linked by a workgroup)" in section
    library_section = page.split(f'id="board-{library.id}"', 1)[1].split("</section>", 1)[0]
    assert "New since the last run" in library_section


def _board_of(session, survey):
    return [
        t
        for t in session.scalars(
            sa.select(BoardTheme).where(BoardTheme.campaign_id == survey.campaign_id)
        )
    ]


def _flash_after(pages, survey, path, data) -> str:
    response = pages.submit(f"/staff/campaigns/{survey.campaign_id}/board/{path}", data,
                            form_page=_page(survey))  # fmt: skip
    assert response.status_code == 302, (path, data, response.status_code)
    page = _text(pages.get(_page(survey)))
    return page.split('class="flashes"', 1)[1].split("</div>", 1)[0] if "flashes" in page else ""


def test_bad_input_gets_a_clear_message_or_404_and_changes_nothing(session, pages):
    survey = bilingual_survey(session, rounds=2)
    _run(session, survey)
    other = make_survey(session, definition=small_definition("other"))
    _respond(session, other, ENGLISH["rent"] + ENGLISH["bus"], "en")
    _run(session, other)
    few = make_survey(session)
    _respond(session, few, ["The bus is late", "Late bus again", "Bus late today"], "en")
    _run(session, few)
    make_member(session, survey.campaign, few.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    theme = _board_theme_of(session, survey, ENGLISH["bus"][0])
    target = _board_theme_of(session, survey, ENGLISH["rent"][0])
    foreign = _board_theme_of(session, other, ENGLISH["rent"][0])
    base = f"/staff/campaigns/{survey.campaign_id}/board"
    for path in [f"{foreign.id}/name", "999999/name", f"{2**31}/name", f"{2**40}/merge",
                 "0/state", f"{theme.id}/nothing"]:  # fmt: skip
        response = pages.submit(f"{base}/{path}", {"name": "x"}, form_page=_page(survey))
        assert response.status_code == 404, path
    cases = [
        ("name", {"name": "   "}, "Write a name for the theme."),
        ("name", {"name": "x" * 201}, "Use at most 200 characters."),
        ("name", {"name": "bus\x00stop"}, "characters that cannot be saved"),
        ("job", {"statement": "x" * 2001}, "Use at most 2000 characters."),
        ("comments", {"body": ""}, "Write a comment."),
        ("comments", {"body": "a\x00b"}, "characters that cannot be saved"),
        ("merge", {"into_id": ""}, "Choose a theme of this board."),
        ("merge", {"into_id": "abc"}, "Choose a theme of this board."),
        ("merge", {"into_id": str(2**40)}, "Choose a theme of this board."),
        ("merge", {"into_id": str(foreign.id)}, "Choose a theme of this board."),
        ("merge", {"into_id": "999999"}, "Choose a theme of this board."),
        ("merge", {"into_id": str(theme.id)}, "a theme cannot be merged into itself"),
        ("move", {"item_id": "1", "to_id": str(theme.id)}, "Choose another theme"),
        ("move", {"item_id": "999999", "to_id": str(target.id)}, "Choose a quote of this theme."),
        ("move", {"item_id": str(2**40), "to_id": str(target.id)}, "Choose a quote of this theme."),
        ("move", {"item_id": "x", "to_id": str(target.id)}, "Choose a quote of this theme."),
        ("state", {"change": "explode"}, "That could not be done."),
        ("state", {"change": "unhide"}, "This theme is not hidden."),
        ("state", {"change": "reopen"}, "This theme is not marked as reviewed."),
    ]
    for action, data, expected in cases:
        flashes = _flash_after(pages, survey, f"{theme.id}/{action}", data)
        assert expected in flashes, (action, data, flashes)
    # A quote of another theme cannot be moved from this one.
    elsewhere = _item(session, ENGLISH["rent"][1])
    flashes = _flash_after(
        pages, survey, f"{theme.id}/move", {"item_id": elsewhere.id, "to_id": target.id}
    )
    assert "Choose a quote of this theme." in flashes
    session.expire_all()
    assert session.get(BoardTheme, theme.id).name is None
    assert session.scalar(sa.select(sa.func.count()).select_from(BoardEdit)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(BoardComment)) == 0
    # A merged theme refuses further edits, with a reason.
    _flash_after(pages, survey, f"{theme.id}/merge", {"into_id": target.id})
    flashes = _flash_after(pages, survey, f"{theme.id}/name", {"name": "Again"})
    assert "This theme was merged into another one." in flashes
    # Too few answers to split.
    small = _board_of(session, few)[0]
    response = pages.submit(
        f"/staff/campaigns/{few.campaign_id}/board/{small.id}/split", {},
        form_page=f"/staff/campaigns/{few.campaign_id}/themes",
    )  # fmt: skip
    page = _text(pages.get(f"/staff/campaigns/{few.campaign_id}/themes"))
    assert response.status_code == 302
    assert "This theme has too few answers to split. A theme needs at least 6 answers." in page


def test_other_workgroups_and_interviewers_cannot_edit_the_board(app, session, pages):
    survey = bilingual_survey(session, rounds=1)
    _run(session, survey)
    theme = _board_of(session, survey)[0]
    make_member(session, make_campaign(session), email="other@example.org")
    make_user(session, email="i@example.org", role="interviewer")
    path = f"/staff/campaigns/{survey.campaign_id}/board/{theme.id}/name"
    pages.login("other@example.org", PASSWORD)
    assert pages.client.post(path, data={"name": "Mine"}).status_code in (400, 404)
    pages = PageClient(app.test_client())
    pages.login("i@example.org", PASSWORD)
    assert pages.client.post(path, data={"name": "Mine"}).status_code in (400, 403)
    session.expire_all()
    assert session.get(BoardTheme, theme.id).name is None


def test_feedback_placed_between_runs_goes_on_the_board_and_counts_as_new(session):
    survey = bilingual_survey(session, rounds=2)
    run = _run(session, survey)
    bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    cards = board.load_board(session, survey.campaign_id, run, "en")
    assert not cards.since_previous_run
    assert all(card.new == 0 and not card.is_new for card in cards.cards)
    _respond(session, survey, [f"{ENGLISH['bus'][0]} again"], "en")
    assert analysis.place_new_feedback(session, run) == 1
    session.commit()
    newcomer = _board_theme_of(session, survey, f"{ENGLISH['bus'][0]} again")
    assert newcomer.id == bus.id
    cards = board.load_board(session, survey.campaign_id, run, "en")
    card = next(c for c in cards.cards if c.theme.id == bus.id)
    assert card.new == 1 and not card.is_new


def test_state_changes_are_model_methods_that_refuse_what_the_state_does_not_allow(session):
    survey = bilingual_survey(session, rounds=1)
    _run(session, survey)
    theme, other = _board_of(session, survey)[:2]
    theme.hide()
    with pytest.raises(IllegalTransition):
        theme.hide()
    theme.unhide()
    user = make_user(session, email="r@example.org", role="member")
    theme.mark_reviewed(user)
    assert theme.is_reviewed and theme.reviewed_by_id == user.id
    with pytest.raises(IllegalTransition):
        theme.mark_reviewed(user)
    theme.reopen()
    with pytest.raises(IllegalTransition):
        theme.merge_into(theme)
    theme.merge_into(other)
    with pytest.raises(IllegalTransition):
        theme.rename("Too late")


def test_the_migration_gives_campaigns_analysed_before_a_board(session):
    import importlib.util
    from pathlib import Path

    import engage

    path = Path(engage.__file__).parent / "migrations" / "versions" / "0017_theme_board.py"
    spec = importlib.util.spec_from_file_location("migration_0017", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    survey = bilingual_survey(session, rounds=2)
    run = _run(session, survey)
    expected = {
        (p.feedback_item_id, session.get(BoardTheme, p.board_theme_id).theme_id)
        for p in session.scalars(sa.select(BoardPlacement))
    }
    session.execute(sa.delete(BoardPlacement))
    session.execute(sa.delete(BoardTheme))
    session.flush()
    migration.board_from_latest_runs(session.connection())
    session.expire_all()
    themes = session.scalars(sa.select(BoardTheme)).all()
    assert {t.theme_id for t in themes} == {t.id for t in run.themes if t.parent_key is None}
    assert {t.created_run_id for t in themes} == {run.id}
    rebuilt = {
        (p.feedback_item_id, session.get(BoardTheme, p.board_theme_id).theme_id)
        for p in session.scalars(sa.select(BoardPlacement))
    }
    assert rebuilt == expected


def test_the_audit_log_says_which_theme_was_edited_and_how(app):
    from engage.web.messages import audit_detail_text

    with app.test_request_context("/"):
        text = audit_detail_text("theme_edited", {"edit": "renamed", "theme": "Late buses"})
    assert text == "Theme “Late buses”: renamed."


def _semantic_run(session, survey):
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("semantic")
    )
    session.commit()
    analysis.run_analysis(session, run.id, encoder=KeywordEncoder())
    session.refresh(run)
    assert run.status == "done", run.error
    return run


def _pairs(session) -> set[tuple[int, int]]:
    return set(
        session.execute(sa.select(BoardLink.board_theme_id, BoardLink.linked_board_theme_id))
        .tuples()
        .all()
    )


def test_an_automatic_link_a_member_removed_is_not_made_again_by_a_re_run(session, pages):
    survey = bilingual_survey(session, rounds=2)
    first = _semantic_run(session, survey)
    en_bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    es_bus = _board_theme_of(session, survey, SPANISH["bus"][0])
    pair = tuple(sorted((en_bus.id, es_bus.id)))
    link = session.scalar(
        sa.select(BoardLink).where(
            BoardLink.board_theme_id == pair[0], BoardLink.linked_board_theme_id == pair[1]
        )
    )
    assert link.origin == "automatic"
    # The run keeps its own record of what it found.
    assert session.scalar(sa.select(sa.func.count()).where(ThemeLink.run_id == first.id))
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    _post(pages, survey, en_bus, f"links/{link.id}/delete", {})
    session.expire_all()
    assert session.get(BoardTheme, es_bus.id).unlinked == [en_bus.id]
    second = _semantic_run(session, survey)
    session.expire_all()
    en_bus, es_bus = session.get(BoardTheme, en_bus.id), session.get(BoardTheme, es_bus.id)
    assert en_bus.theme.run_id == es_bus.theme.run_id == second.id
    kept = _pairs(session)
    assert pair not in kept
    en_rent = _board_theme_of(session, survey, ENGLISH["rent"][0])
    es_rent = _board_theme_of(session, survey, SPANISH["rent"][0])
    assert tuple(sorted((en_rent.id, es_rent.id))) in kept  # the others stay
    # Linked again by hand, the pair is linked; nothing is linked twice by a third run.
    _post(pages, survey, en_bus, "links", {"linked_theme_id": es_bus.id})
    session.expire_all()
    assert session.get(BoardTheme, es_bus.id).unlinked == []
    _semantic_run(session, survey)
    assert session.scalar(sa.select(sa.func.count(BoardLink.id))) == len(_pairs(session))
    assert pair in _pairs(session)


def test_a_theme_just_made_by_a_split_can_be_linked_at_once(session, pages):
    survey = bilingual_survey(session)
    _run(session, survey)
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    en_bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    es_bus = _board_theme_of(session, survey, SPANISH["bus"][0])
    for text in ENGLISH["park"] + ENGLISH["bus"]:
        other = _board_theme_of(session, survey, text)
        if other.id != en_bus.id:
            _post(pages, survey, other, "merge", {"into_id": en_bus.id})
    _post(pages, survey, en_bus, "split", {})
    session.expire_all()
    made = session.scalars(sa.select(BoardTheme).where(BoardTheme.split_from_id == en_bus.id)).all()
    assert made and all(t.theme_id is None for t in made)  # no run theme behind it yet
    new = made[0]
    page = _text(pages.get(_page(survey)))
    section = page.split(f'id="board-{new.id}"', 1)[1].split("</section>", 1)[0]
    assert f'<label for="link-{new.id}">Link to a theme in another language</label>' in section
    page = _post(pages, survey, new, "links", {"linked_theme_id": es_bus.id})
    assert f"“{new.display_name}” is now linked to “{es_bus.display_name}”." in page
    section = page.split(f'id="board-{es_bus.id}"', 1)[1].split("</section>", 1)[0]
    assert f'href="#board-{new.id}"' in section and "(English, linked by a workgroup)" in section
    # It lasts across runs, whatever the run finds.
    _run(session, survey)
    assert tuple(sorted((new.id, es_bus.id))) in _pairs(session)


def test_undo_merge_gives_the_theme_back_its_own_answers_name_and_statement(session, pages):
    survey = bilingual_survey(session)
    _run(session, survey)
    member = make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    en_rent = _board_theme_of(session, survey, ENGLISH["rent"][0])
    es_rent = _board_theme_of(session, survey, SPANISH["rent"][0])
    es_bus = _board_theme_of(session, survey, SPANISH["bus"][0])
    _post(pages, survey, es_rent, "name", {"name": "Alquiler caro"})
    _post(pages, survey, es_rent, "job", {"statement": "Quiero pagar menos."})
    _post(pages, survey, es_rent, "comments", {"body": "Hablar con el ayuntamiento."})
    _post(pages, survey, es_rent, "links", {"linked_theme_id": en_rent.id})
    own = {
        i.id
        for i in session.scalars(
            sa.select(FeedbackItem)
            .join(BoardPlacement)
            .where(BoardPlacement.board_theme_id == es_rent.id)
        )
    }
    assert own
    page = _post(pages, survey, es_rent, "merge", {"into_id": en_rent.id})
    section = page.split(f'id="board-{en_rent.id}"', 1)[1].split("</section>", 1)[0]
    assert "Merged into this theme" in section and "Alquiler caro" in section
    assert "Undo merge" in section
    # A member moves one of the merged answers on to another theme before the undo.
    moved = min(own)
    _post(pages, survey, en_rent, "move", {"item_id": moved, "to_id": es_bus.id})
    response = pages.submit(
        f"/staff/campaigns/{survey.campaign_id}/board/{es_rent.id}/unmerge",
        {},
        form_page=_page(survey),
    )
    assert response.headers["Location"].endswith(f"#board-{es_rent.id}")
    page = _text(pages.get(_page(survey)))
    assert "“Alquiler caro” is back on the board, taken out of “" in page
    session.expire_all()
    back = session.get(BoardTheme, es_rent.id)
    assert not back.is_merged and back.name == "Alquiler caro"
    assert back.job_statement == "Quiero pagar menos."
    now = set(
        session.scalars(
            sa.select(BoardPlacement.feedback_item_id).where(
                BoardPlacement.board_theme_id == es_rent.id
            )
        )
    )
    assert now == own - {moved}  # the moved answer stays where the member put it
    assert session.scalar(sa.select(BoardComment.board_theme_id)) == es_rent.id
    edits = session.scalars(sa.select(BoardEdit).where(BoardEdit.action == "unmerged")).all()
    assert {e.board_theme_id for e in edits} == {es_rent.id, en_rent.id}
    assert {e.actor_id for e in edits} == {member.id}
    assert (
        session.scalar(
            sa.select(sa.func.count()).where(AuditEvent.detail["edit"].as_string() == "unmerged")
        )
        == 2
    )
    # The link it had before the merge is its own again.
    section = page.split(f'id="board-{es_rent.id}"', 1)[1].split("</section>", 1)[0]
    assert f'href="#board-{en_rent.id}"' in section and "Merge undone" in section
    # Undone twice: said why, nothing changes.
    page = _post(pages, survey, es_rent, "unmerge", {})
    assert "This theme is not merged into another one." in page


def test_a_merge_that_cannot_be_undone_says_why(session, pages):
    survey = bilingual_survey(session)
    _run(session, survey)
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    en_rent = _board_theme_of(session, survey, ENGLISH["rent"][0])
    es_rent = _board_theme_of(session, survey, SPANISH["rent"][0])
    es_bus = _board_theme_of(session, survey, SPANISH["bus"][0])
    own = [
        i.id
        for i in session.scalars(
            sa.select(FeedbackItem)
            .join(BoardPlacement)
            .where(BoardPlacement.board_theme_id == es_rent.id)
        )
    ]
    _post(pages, survey, es_rent, "merge", {"into_id": en_rent.id})
    for item_id in own:  # every answer it brought moved on
        _post(pages, survey, en_rent, "move", {"item_id": item_id, "to_id": es_bus.id})
    page = _post(pages, survey, es_rent, "unmerge", {})
    assert f"The merge of “{es_rent.display_name}” cannot be undone" in page
    session.expire_all()
    assert session.get(BoardTheme, es_rent.id).is_merged
    # A merge made before merges could be undone (no record of its answers).
    es_bus = session.get(BoardTheme, es_bus.id)
    board.merge(session, es_bus, session.get(BoardTheme, en_rent.id), by=None)
    edit = session.scalar(
        sa.select(BoardEdit)
        .where(BoardEdit.board_theme_id == es_bus.id)
        .order_by(BoardEdit.id.desc())
    )
    edit.detail = {"into": "x", "into_id": en_rent.id}
    session.commit()
    page = _post(pages, survey, es_bus, "unmerge", {})
    assert "was merged before merges could be undone" in page
    assert session.get(BoardTheme, es_bus.id).is_merged
    # A merged theme is not a model state to merge twice, nor to undo when not merged.
    with pytest.raises(IllegalTransition):
        session.get(BoardTheme, en_rent.id).unmerge()


def test_the_migration_moves_run_theme_links_to_the_board_themes_showing_them(session):
    import importlib.util
    from pathlib import Path

    import engage

    path = Path(engage.__file__).parent / "migrations" / "versions"
    spec = importlib.util.spec_from_file_location(
        "migration_0027", path / "0027_board_links_and_undo_merge.py"
    )
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    survey = bilingual_survey(session)
    old = _run(session, survey)
    run = _run(session, survey)
    member = make_member(session, survey.campaign, email="m@example.org")
    en_bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    es_bus = _board_theme_of(session, survey, SPANISH["bus"][0])
    en_rent = _board_theme_of(session, survey, ENGLISH["rent"][0])
    es_rent = _board_theme_of(session, survey, SPANISH["rent"][0])
    en_park = _board_theme_of(session, survey, ENGLISH["park"][0])
    board.merge(session, en_park, en_bus, by=member)  # park's links count for bus

    def link(a, b, origin, run_id=run.id):
        first, second = sorted((a, b))
        session.add(
            ThemeLink(
                run_id=run_id,
                theme_id=first,
                linked_theme_id=second,
                origin=origin,
                created_by_id=member.id,
            )
        )

    link(en_bus.theme_id, es_bus.theme_id, "workgroup")
    link(en_rent.theme_id, es_rent.theme_id, "automatic")
    link(en_park.theme_id, es_rent.theme_id, "workgroup")  # park is merged into bus
    old_en, old_es = (
        (t for t in old.themes if t.parent_key is None and t.language == "en"),
        (t for t in old.themes if t.parent_key is None and t.language == "es"),
    )
    link(next(old_en).id, next(old_es).id, "workgroup", old.id)  # no board theme shows them
    session.flush()
    migration.links_to_board(session.connection())
    session.expire_all()
    found = {
        (link.board_theme_id, link.linked_board_theme_id, link.origin, link.created_by_id)
        for link in session.scalars(sa.select(BoardLink))
    }
    pair = lambda a, b: tuple(sorted((a.id, b.id)))  # noqa: E731
    assert found == {
        (*pair(en_bus, es_bus), "workgroup", member.id),
        (*pair(en_rent, es_rent), "automatic", member.id),
        (*pair(en_bus, es_rent), "workgroup", member.id),
    }
    # The runs keep only what they found themselves.
    assert {link.origin for link in session.scalars(sa.select(ThemeLink))} == {"automatic"}


def test_chained_merges_are_undone_one_at_a_time_in_any_order(session):
    """C into A, then A into B: undoing A gives A its answers and C's (C is still in A);
    undoing C then gives C its own back, from wherever A's merge left them."""
    survey = bilingual_survey(session)
    _run(session, survey)
    a = _board_theme_of(session, survey, ENGLISH["bus"][0])
    b = _board_theme_of(session, survey, ENGLISH["rent"][0])
    c = _board_theme_of(session, survey, SPANISH["bus"][0])

    def items(theme):
        return set(
            session.scalars(
                sa.select(BoardPlacement.feedback_item_id).where(
                    BoardPlacement.board_theme_id == theme.id
                )
            )
        )

    own = {t.id: items(t) for t in (a, b, c)}
    board.merge(session, c, a, by=None)
    board.merge(session, a, b, by=None)
    assert items(b) == own[a.id] | own[b.id] | own[c.id]
    with pytest.raises(board.BoardError) as refused:
        board.merge(session, c, b, by=None)  # already merged
    assert refused.value.code == "theme_merged"
    board.unmerge(session, a, by=None)
    assert (items(a), items(b)) == (own[a.id] | own[c.id], own[b.id])
    board.unmerge(session, c, by=None)
    assert (items(a), items(b), items(c)) == (own[a.id], own[b.id], own[c.id])
    # Or C first, while A is still merged: C's answers come out of B, where they are.
    board.merge(session, c, a, by=None)
    board.merge(session, a, b, by=None)
    board.unmerge(session, c, by=None)
    assert (items(c), items(b)) == (own[c.id], own[a.id] | own[b.id])
    board.unmerge(session, a, by=None)
    assert (items(a), items(b), items(c)) == (own[a.id], own[b.id], own[c.id])
    session.commit()
    with pytest.raises(board.BoardError) as refused:
        board.unmerge(session, a, by=None)
    assert refused.value.code == "theme_not_merged"
