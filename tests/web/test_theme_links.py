"""Cross-language theme links: stored from a run, shown on the themes page, made by hand."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from analysis import ThemeFinder
from engage.models import BoardLink, BoardTheme, ThemeLink
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import PASSWORD, make_member, make_survey, make_user
from tests.support.feedback import ENGLISH, SPANISH, KeywordEncoder, bilingual_survey, theme_of


def _run(session, survey, *, backend="tfidf", encoder=None):
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings(backend)
    )
    session.commit()
    analysis.run_analysis(session, run.id, encoder=encoder)
    session.refresh(run)
    assert run.status == "done", run.error
    return run


def _links(session, run) -> set[tuple[int, int, str]]:
    return {
        (link.theme_id, link.linked_theme_id, link.origin)
        for link in session.scalars(sa.select(ThemeLink).where(ThemeLink.run_id == run.id))
    }


def _page(survey) -> str:
    return f"/staff/campaigns/{survey.campaign_id}/themes"


def _board(survey) -> str:
    return f"/staff/campaigns/{survey.campaign_id}/board"


def _on_board(session, theme) -> BoardTheme:
    """The board theme that shows the run theme ``theme``."""
    return session.scalar(sa.select(BoardTheme).where(BoardTheme.theme_id == theme.id))


def _board_links(session) -> set[tuple[int, int, str]]:
    return {
        (link.board_theme_id, link.linked_board_theme_id, link.origin)
        for link in session.scalars(sa.select(BoardLink))
    }


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_a_run_stores_the_analysis_libraries_cross_language_links(session):
    survey = bilingual_survey(session)
    run = _run(session, survey, backend="semantic", encoder=KeywordEncoder())
    en_bus = theme_of(session, run, ENGLISH["bus"][0])
    es_bus = theme_of(session, run, SPANISH["bus"][0])
    en_rent = theme_of(session, run, ENGLISH["rent"][0])
    es_rent = theme_of(session, run, SPANISH["rent"][0])
    assert (en_bus.language, es_bus.language) == ("en", "es")
    stored = _links(session, run)
    pair = lambda a, b: (min(a.id, b.id), max(a.id, b.id), "automatic")  # noqa: E731
    assert pair(en_bus, es_bus) in stored
    assert pair(en_rent, es_rent) in stored
    assert pair(en_bus, es_rent) not in stored and pair(en_rent, es_bus) not in stored
    # Exactly the finder's links, each pair once.
    finder = ThemeFinder.from_bytes(run.model, encoder=KeywordEncoder())
    ids = {t.key: t.id for t in run.themes}
    expected = {
        (min(ids[t.id], ids[o]), max(ids[t.id], ids[o]), "automatic")
        for t in finder.themes_
        for o in t.linked
    }
    assert stored == expected
    assert run.meta["engine"]["semantic_languages"] == ["en", "es"]
    assert run.meta["engine"]["model_name"] == "keyword test encoder"


def test_a_lexical_run_links_nothing_by_itself(session):
    run = _run(session, bilingual_survey(session), backend="tfidf")
    assert _links(session, run) == set()
    assert run.meta["engine"]["semantic_languages"] == []
    assert run.meta["engine"]["lexical_languages"] == ["en", "es"]


def test_members_see_automatic_links_and_the_concern_heard_in_both_languages(session, pages):
    survey = bilingual_survey(session)
    run = _run(session, survey, backend="semantic", encoder=KeywordEncoder())
    en_bus = _on_board(session, theme_of(session, run, ENGLISH["bus"][0]))
    es_bus = _on_board(session, theme_of(session, run, SPANISH["bus"][0]))
    # The run's automatic links are links between the board themes that show its themes.
    assert (min(en_bus.id, es_bus.id), max(en_bus.id, es_bus.id), "automatic") in _board_links(
        session
    )
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    page = _text(pages.get(_page(survey)))
    assert "Analysed with: sentence embeddings (keyword test encoder)." in page
    assert "Heard in more than one language" in page
    section = page.split(f'id="board-{en_bus.id}"', 1)[1].split("</section>", 1)[0]
    assert "Also heard in other languages" in section
    assert f'href="#board-{es_bus.id}"' in section
    assert "(Spanish, linked automatically)" in section
    summary = page.split("Heard in more than one language", 1)[1].split("</section>", 1)[0]
    bus_group = next(line for line in summary.split("<li>") if f"#board-{en_bus.id}" in line)
    # The group's size is both themes' answers together (more when a third theme joins).
    assert f"#board-{es_bus.id}" in bus_group
    total = int(re.search(r"Heard in English and Spanish: (\d+) answers in all\.", bus_group)[1])
    assert total >= en_bus.theme.size + es_bus.theme.size


def test_a_member_links_and_unlinks_themes_of_two_languages(session, pages):
    survey = bilingual_survey(session)
    run = _run(session, survey)
    en_bus = _on_board(session, theme_of(session, run, ENGLISH["bus"][0]))
    es_bus = _on_board(session, theme_of(session, run, SPANISH["bus"][0]))
    member = make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    page = _text(pages.get(_page(survey)))
    section = page.split(f'id="board-{en_bus.id}"', 1)[1].split("</section>", 1)[0]
    # The select offers the Spanish themes, grouped by language, never English ones.
    assert f'<label for="link-{en_bus.id}">Link to a theme in another language</label>' in section
    assert '<optgroup label="Spanish">' in section
    assert f'value="{es_bus.id}"' in section
    english_ids = set(session.scalars(sa.select(BoardTheme.id).where(BoardTheme.language == "en")))
    link_form = section.split('class="link-theme"', 1)[1].split("</form>", 1)[0]
    offered = {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', link_form)}
    assert offered and not offered & english_ids

    response = pages.submit(
        f"{_board(survey)}/{en_bus.id}/links",
        {"linked_theme_id": es_bus.id},
        form_page=_page(survey),
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{_page(survey)}#board-{en_bus.id}")
    link = session.scalar(sa.select(BoardLink))
    assert (link.board_theme_id, link.linked_board_theme_id) == tuple(
        sorted((en_bus.id, es_bus.id))
    )
    assert (link.origin, link.created_by_id) == ("workgroup", member.id)
    page = _text(pages.get(_page(survey)))
    assert f"“{en_bus.display_name}” is now linked to “{es_bus.display_name}”." in page
    assert "(Spanish, linked by a workgroup)" in page
    assert "(English, linked by a workgroup)" in page  # seen from the Spanish theme too
    section = page.split(f'id="board-{en_bus.id}"', 1)[1].split("</section>", 1)[0]
    link_form = section.split('class="link-theme"', 1)[-1].split("</form>", 1)[0]
    assert f'<option value="{es_bus.id}"' not in link_form  # no longer offered
    # One concern heard in both languages; the language with more answers comes first.
    en_size, es_size = en_bus.theme.size, es_bus.theme.size
    first, second = ("English", "Spanish") if en_size >= es_size else ("Spanish", "English")
    assert f"Heard in {first} and {second}: {en_size + es_size} answers in all." in page

    # Removed from the Spanish theme's side.
    response = pages.submit(
        f"{_board(survey)}/{es_bus.id}/links/{link.id}/delete", {}, form_page=_page(survey)
    )
    assert response.status_code == 302
    assert _board_links(session) == set()
    page = _text(pages.get(_page(survey)))
    assert "The link is removed." in page
    assert "linked by a workgroup" not in page


def test_refused_links_say_why_and_store_nothing(session, pages):
    survey = bilingual_survey(session)
    run = _run(session, survey)
    en_bus = _on_board(session, theme_of(session, run, ENGLISH["bus"][0]))
    en_rent = _on_board(session, theme_of(session, run, ENGLISH["rent"][0]))
    es_bus = _on_board(session, theme_of(session, run, SPANISH["bus"][0]))
    es_rent = _on_board(session, theme_of(session, run, SPANISH["rent"][0]))
    other = make_survey(session, slug="elsewhere")
    elsewhere = BoardTheme(campaign_id=other.campaign_id, language="es", label="Otro")
    session.add(elsewhere)
    session.commit()
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    url = f"{_board(survey)}/{en_bus.id}/links"

    def refused(value, message):
        response = pages.submit(
            url, {"linked_theme_id": value}, form_page=_page(survey), follow_redirects=True
        )
        assert response.status_code == 200
        assert message in _text(response)

    refused(en_bus.id, "A theme cannot be linked to itself.")
    refused(elsewhere.id, "Choose a theme to link to.")  # another campaign's board
    refused(en_rent.id, "Both themes are in English. Only themes in different languages")
    refused(999_999, "Choose a theme to link to.")
    refused("not a number", "Choose a theme to link to.")
    refused("", "Choose a theme to link to.")
    assert _board_links(session) == set()

    pages.submit(url, {"linked_theme_id": es_bus.id}, form_page=_page(survey))
    refused(es_bus.id, "These themes are already linked.")
    # The same pair from the other side is the same link.
    response = pages.submit(
        f"{_board(survey)}/{es_bus.id}/links",
        {"linked_theme_id": en_bus.id},
        form_page=_page(survey),
        follow_redirects=True,
    )
    assert "These themes are already linked." in _text(response)
    assert len(_board_links(session)) == 1
    # A theme merged into another cannot be linked; its links count for that theme.
    pages.submit(f"{_board(survey)}/{es_rent.id}/merge", {"into_id": es_bus.id},
                 form_page=_page(survey))  # fmt: skip
    refused(es_rent.id, "Choose a theme to link to.")
    assert len(_board_links(session)) == 1


def test_links_are_reached_only_through_their_own_campaign_and_theme(session, pages):
    survey = bilingual_survey(session)
    run = _run(session, survey)
    en_bus = _on_board(session, theme_of(session, run, ENGLISH["bus"][0]))
    en_rent = _on_board(session, theme_of(session, run, ENGLISH["rent"][0]))
    es_bus = _on_board(session, theme_of(session, run, SPANISH["bus"][0]))
    other = make_survey(session)
    # A member of both campaigns: the theme in the address is checked against the campaign.
    make_member(session, survey.campaign, other.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    page, board = _page(survey), _board(survey)
    pages.submit(f"{board}/{en_bus.id}/links", {"linked_theme_id": es_bus.id}, form_page=page)
    link_id = session.scalar(sa.select(BoardLink.id))
    wrong_campaign = f"/staff/campaigns/{other.campaign_id}/board/{en_bus.id}/links"
    assert (
        pages.submit(wrong_campaign, {"linked_theme_id": es_bus.id}, form_page=page).status_code
        == 404
    )
    assert pages.submit(f"{board}/424242/links", {}, form_page=page).status_code == 404
    # A link that does not touch the theme in the address is not this theme's to remove.
    assert (
        pages.submit(f"{board}/{en_rent.id}/links/{link_id}/delete", {}, form_page=page).status_code
        == 404
    )
    assert (
        pages.submit(f"{board}/{en_bus.id}/links/424242/delete", {}, form_page=page).status_code
        == 404
    )
    assert len(_board_links(session)) == 1


@pytest.mark.parametrize("action", ["link", "unlink"])
def test_interviewers_cannot_link_or_unlink_themes(session, pages, action):
    survey = bilingual_survey(session, rounds=1)
    run = _run(session, survey, backend="semantic", encoder=KeywordEncoder())
    en_bus = _on_board(session, theme_of(session, run, ENGLISH["bus"][0]))
    es_rent = _on_board(session, theme_of(session, run, SPANISH["rent"][0]))
    before = _board_links(session)
    link_id = session.scalar(sa.select(BoardLink.id))
    make_user(session, email="i@example.org", role="interviewer")
    pages.login("i@example.org", PASSWORD)
    if action == "link":
        url, data = f"{_board(survey)}/{en_bus.id}/links", {"linked_theme_id": es_rent.id}
    else:
        url, data = f"{_board(survey)}/{en_bus.id}/links/{link_id or 1}/delete", {}
    assert pages.submit(url, data, form_page="/staff/").status_code == 403
    assert _board_links(session) == before


def _top_level_languages(page: str) -> list[str]:
    return re.findall(r'<h2 id="board-\d+-title"><span lang="(\w+)"', page)


def test_themes_come_in_the_readers_language_first(session, pages):
    survey = bilingual_survey(session)
    _run(session, survey)
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    english = _top_level_languages(_text(pages.get(_page(survey))))
    assert set(english) == {"en", "es"}
    assert english == sorted(english, key=lambda code: code != "en")  # English ones first
    spanish = _top_level_languages(_text(pages.get(_page(survey) + "?lang=es")))
    assert spanish == sorted(spanish, key=lambda code: code != "es")
    assert spanish[0] == "es" and english[0] == "en"
