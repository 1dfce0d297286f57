"""Co-design rounds: staff make a round of prototypes, residents react on the ordinary
survey pages (no JavaScript here), staff read the results by group, with comments as
feedback items and the change from a prototype's earlier version."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image

from engage.models import CodesignRound, FeedbackItem, Prototype, PrototypeImage, SurveyStatus
from engage.responses.services import submit_response
from engage.rounds import services as rounds
from engage.rounds.results import build_results
from tests.factories import make_campaign
from tests.web.test_survey_pages import Resident


def _png(width=800, height=600, *, exif=True) -> bytes:
    image = Image.new("RGB", (width, height), (30, 120, 200))
    for x in range(0, width, 7):
        for y in range(0, height, 11):
            image.putpixel((x, y), (x % 255, y % 255, 90))
    out = io.BytesIO()
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCamera"  # Make
        data[0x0131] = "GPS-tagging app"  # Software
        image.save(out, format="JPEG", exif=data.tobytes(), quality=95)
    else:
        image.save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def campaign(session):
    return make_campaign(
        session,
        languages=["en", "es"],
        baseline={"language": {"en": 50, "es": 50}},
        suppression_threshold=2,
    )


def _new_round(staff, campaign, **overrides):
    data = {
        "title_en": "Bus stop ideas",
        "title_es": "Ideas para las paradas",
        "description_en": "Two ideas from the sprint.",
        "description_es": "Dos ideas del sprint.",
        "opens_on": "2026-12-01",
        "closes_on": "2027-01-15",
        "has_ranking": "y",
        **overrides,
    }
    return staff.submit(f"/staff/campaigns/{campaign.id}/rounds/new", data)


def _add_prototype(staff, round_id, title_en, title_es, **extra):
    url = f"/staff/rounds/{round_id}/prototypes/new"
    data = {
        "title_en": title_en,
        "title_es": title_es,
        "description_en": f"{title_en}.",
        "description_es": f"{title_es}.",
        **extra,
    }
    return staff.submit(url, data, content_type="multipart/form-data")


def _open(staff, round_id):
    return staff.submit(f"/staff/rounds/{round_id}/open", {}, form_page=f"/staff/rounds/{round_id}")


def _round(session) -> CodesignRound:
    return session.scalars(sa.select(CodesignRound).order_by(CodesignRound.id.desc())).first()


def test_a_full_round_from_prototypes_to_results(staff, client, app, session, campaign):
    made = _new_round(staff, campaign)
    assert made.status_code == 303
    found = _round(session)
    assert found.survey.kind == "codesign" and found.status == SurveyStatus.DRAFT
    picture = (io.BytesIO(_png()), "bench.jpg")
    assert _add_prototype(staff, found.id, "Shelter", "Refugio", image=picture).status_code == 303
    assert _add_prototype(staff, found.id, "Live times", "Horarios").status_code == 303
    assert _open(staff, found.id).status_code == 303
    assert "The round is open" in staff.get(f"/staff/rounds/{found.id}").get_data(as_text=True)
    from engage.models import AuditEvent

    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "published"))
    assert event.subject_type == "survey" and event.detail["codesign_round"] == found.id
    session.refresh(found)
    shelter, times = found.prototypes
    assert found.status == SurveyStatus.PUBLISHED
    # The picture: small WebP, no metadata, served to anyone once the round is public.
    image = session.get(PrototypeImage, shelter.image_id)
    assert image.media_type == "image/webp" and len(image.data) <= 15 * 1024
    assert b"SecretCamera" not in image.data and b"Exif" not in image.data
    assert max(image.width, image.height) <= 480
    served = client.get(f"/rounds/images/{image.id}")
    assert served.status_code == 200 and served.data == image.data

    # Residents react in English and in Spanish, with plain forms (no JavaScript).
    for lang, reaction, comment in [
        ("en", "works", "Add a bench please"),
        ("es", "mostly_works", "Más luz por la noche, llamar al 555-123-4567"),
        ("es", "works", "Un techo más grande"),
    ]:
        resident = Resident(app.test_client(), found.survey.slug)
        resident.start(lang)
        html = resident.page_html
        assert f'src="/rounds/images/{image.id}?v=' in html and 'loading="lazy"' in html
        assert 'width="' in html and 'alt="' in html
        if lang == "es":
            assert "Refugio" in html and "Esto me funcionaría" in html
        assert resident.post({shelter.key + "_reaction": reaction,
                              shelter.key + "_better": comment}).status_code == 302  # fmt: skip
        assert resident.post({times.key + "_reaction": "not_sure"}).status_code == 302
        ranks = {f"ranking__{shelter.key}": "1", f"ranking__{times.key}": "2"}
        assert resident.post(ranks).status_code == 302
        assert "/thanks" in resident.location or "thank" in resident.page_html.lower()

    items = session.scalars(
        sa.select(FeedbackItem).where(FeedbackItem.question_code == f"{shelter.key}_better")
    ).all()
    assert len(items) == 3 and {i.language for i in items} == {"en", "es"}
    assert all(i.analysis_role == "open_feedback" for i in items)

    results = build_results(session, found, threshold=2)
    first = results.prototypes[0]
    assert first.counts == {"works": 2, "mostly_works": 1}
    assert first.comment_count == 3 and first.mean_rank == 1.0
    by_language = next(t for t in first.tables if t.dimensions == ("language",))
    # Only one English respondent: below the threshold of 2, so hidden (with a complement).
    assert by_language.table.hidden.any()

    page = staff.get(f"/staff/rounds/{found.id}/results")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Shelter" in html and "Live times" in html and "Add a bench please" in html
    assert "555-123-4567" not in html  # comments are shown masked
    assert "Who haven" in html

    closed = staff.submit(
        f"/staff/rounds/{found.id}/close", {}, form_page=f"/staff/rounds/{found.id}"
    )
    assert closed.status_code == 303
    session.refresh(found.survey)
    assert found.status == SurveyStatus.CLOSED


def _reactions(session, found, values, key_of):
    for i, value in enumerate(values):
        submit_response(
            session,
            version=found.survey.current_version,
            answers={f"{key_of}_reaction": value},
            language="en" if i % 2 else "es",
        )
    session.commit()


def test_a_second_version_shows_round_over_round_change(staff, session, campaign):
    _new_round(staff, campaign, has_ranking="")
    first = _round(session)
    _add_prototype(staff, first.id, "Shelter", "Refugio")
    _open(staff, first.id)
    session.refresh(first)
    v1 = first.prototypes[0]
    _reactions(session, first, ["works", "does_not_work", "does_not_work", "not_sure"], v1.key)

    _new_round(staff, campaign, title_en="Round two", has_ranking="")
    second = _round(session)
    assert second.id != first.id
    form = staff.get(f"/staff/rounds/{second.id}/prototypes/new").get_data(as_text=True)
    assert f'value="{v1.id}"' in form
    _add_prototype(staff, second.id, "Shelter", "Refugio", previous=str(v1.id))
    _open(staff, second.id)
    session.refresh(second)
    v2 = second.prototypes[0]
    assert (v2.previous_id, v2.version_number) == (v1.id, 2)
    _reactions(session, second, ["works", "works", "mostly_works", "does_not_work"], v2.key)

    change = build_results(session, second, threshold=2).prototypes[0].change
    assert (change.before_share, change.now_share) == (0.25, 0.75)
    assert change.points == pytest.approx(50.0)
    assert build_results(session, second, threshold=5).prototypes[0].change.points is None
    html = staff.get(f"/staff/rounds/{second.id}/results").get_data(as_text=True)
    assert "+50 points" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title_en": ""}, "Enter a title in English"),
        ({"title_en": "Bad\x00title"}, "cannot be saved"),
        ({"opens_on": "2026-13-45"}, "Not a valid date value"),
        ({"opens_on": "2027-02-01", "closes_on": "2027-01-01"}, "on or after the opening date"),
    ],
)
def test_bad_round_input_is_refused_with_a_message(staff, session, campaign, data, message):
    refused = _new_round(staff, campaign, **data)
    assert refused.status_code == 400
    assert message in refused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(CodesignRound.id))) == 0


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not a picture at all", "could not be read as a picture"),
        (b"", "The picture file is empty"),
        (b"GIF89a" + b"\x00" * 10, "could not be read as a picture"),
        ("tiny", "at least 32 pixels"),
        ("bomb", "too big"),
    ],
)
def test_bad_pictures_are_refused_with_a_message(staff, session, campaign, payload, message):
    _new_round(staff, campaign)
    found = _round(session)
    if payload == "tiny":
        payload = _png(10, 10, exif=False)
    elif payload == "bomb":
        out = io.BytesIO()
        Image.new("1", (13_000, 100)).save(out, format="PNG")
        payload = out.getvalue()
    answer = _add_prototype(
        staff, found.id, "Shelter", "Refugio", image=(io.BytesIO(payload), "x.png")
    )
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Prototype.id))) == 0


def test_addresses_that_name_nothing_are_404(staff, session, campaign, client):
    _new_round(staff, campaign)
    found = _round(session)
    for path in [
        f"/staff/rounds/{2**31}",
        f"/staff/rounds/{2**40}/results",
        f"/staff/rounds/{found.id}/prototypes/{2**31}",
        f"/rounds/images/{2**31}",
        "/rounds/images/0",
    ]:
        assert staff.get(path).status_code == 404, path


def test_pictures_of_a_draft_round_are_not_public(staff, session, campaign, app):
    _new_round(staff, campaign)
    found = _round(session)
    _add_prototype(staff, found.id, "Shelter", "Refugio", image=(io.BytesIO(_png()), "a.jpg"))
    image_id = session.scalar(sa.select(PrototypeImage.id))
    assert staff.get(f"/rounds/images/{image_id}").status_code == 200  # staff preview
    assert app.test_client().get(f"/rounds/images/{image_id}").status_code == 404


def test_opening_needs_a_prototype_and_a_future_closing_date(staff, session, campaign):
    _new_round(staff, campaign, closes_on="2020-01-01", opens_on="2019-12-01")
    found = _round(session)
    page = staff.get(f"/staff/rounds/{found.id}")
    _open(staff, found.id)
    html = staff.get(f"/staff/rounds/{found.id}").get_data(as_text=True)
    assert page.status_code == 200 and "Add at least one prototype" in html
    _add_prototype(staff, found.id, "Shelter", "Refugio")
    _open(staff, found.id)
    html = staff.get(f"/staff/rounds/{found.id}").get_data(as_text=True)
    assert "closing date has passed" in html
    session.refresh(found)
    assert found.status == SurveyStatus.DRAFT


def test_the_rounds_own_questions_survive_regeneration(session, campaign):
    found = rounds.create_round(
        session,
        campaign,
        rounds.RoundFields({"en": "R"}, {}, None, None, has_ranking=False),
    )
    postcode = {"code": "postcode", "type": "short_text", "label": {"en": "Postcode"}}
    own = {"key": "about", "questions": [postcode]}
    found.survey.draft_definition = {**found.survey.draft_definition, "pages": [own]}
    rounds.save_prototype(
        session, found, None, rounds.PrototypeFields({"en": "Shelter"}, {}, previous_id=None)
    )
    keys = [p["key"] for p in found.survey.draft_definition["pages"]]
    assert keys == [f"prototype_{found.prototypes[0].key}", "about"]
    assert re.fullmatch(r"round-[0-9a-f]{8}", found.survey.slug)


def test_a_round_reaches_residents_through_every_channel_of_a_survey(staff, app, session, campaign):
    """Interviewer mode, paper and tracked links come with the survey the round is; its
    comments are clustered with the campaign's other feedback."""
    from engage.models import Response
    from engage.themes.services import _clustered_items
    from tests.web.test_interviews import _start

    _new_round(staff, campaign)
    found = _round(session)
    _add_prototype(staff, found.id, "Shelter", "Refugio")
    _open(staff, found.id)
    session.refresh(found)
    key = found.prototypes[0].key
    survey_id = found.survey_id
    paper = staff.get(f"/staff/surveys/{survey_id}/paper/es").get_data(as_text=True)
    assert "Refugio" in paper and "Esto me funcionaría" in paper
    links = f"/staff/surveys/{survey_id}/links"
    made = staff.submit(links, {"label": "Library flyer", "tag": "library"})
    assert made.status_code in (302, 303)
    assert "?source=library" in staff.get(links).get_data(as_text=True)

    started = _start(staff, survey_id, language="es", place="Market")
    assert started.status_code == 303
    page = started.headers["Location"]
    html = staff.get(page).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    answers = {f"{key}_reaction": "works", f"{key}_better": "Más bancos", "csrf_token": token}
    assert staff.client.post(page, data={**answers, "action": "next"}).status_code == 302
    stored = session.scalar(sa.select(Response).order_by(Response.id.desc()))
    assert (stored.channel, stored.language, stored.place) == ("interviewer", "es", "Market")
    clustered = {i.text for i in _clustered_items(session, campaign.id)}
    assert "Más bancos" in clustered


def test_results_add_up_the_answers_of_every_version_of_the_round(session, campaign):
    from datetime import date

    from engage.builder.publishing import publish_survey

    fields = rounds.RoundFields({"en": "R", "es": "R"}, {}, None, None, has_ranking=False)
    found = rounds.create_round(session, campaign, fields)
    postcode = {"code": "postcode", "type": "short_text", "label": {"en": "Postcode"}}
    found.survey.draft_definition = {"pages": [{"key": "about", "questions": [postcode]}]}
    shelter = rounds.save_prototype(
        session,
        found,
        None,
        rounds.PrototypeFields({"en": "Shelter", "es": "Refugio"}, {}, previous_id=None),
    )
    rounds.open_round(session, found, date(2026, 12, 1))
    code = f"{shelter.key}_reaction"
    first = found.survey.current_version
    submit_response(
        session, version=first, answers={code: "works", "postcode": "E1"}, language="en"
    )
    # Dropping the round's own question orphans an answer: version 2.
    draft = found.survey.draft_definition
    found.survey.draft_definition = {**draft, "pages": draft["pages"][:1]}
    second = publish_survey(session, found.survey)
    assert second.number == 2
    submit_response(session, version=second, answers={code: "not_sure"}, language="es")
    result = build_results(session, found, threshold=1).prototypes[0]
    assert result.counts == {"works": 1, "not_sure": 1}
    by_language = next(t for t in result.tables if t.dimensions == ("language",))
    assert by_language.table.total == 2


def test_editing_an_open_round_reaches_residents_at_once(staff, app, session, campaign):
    _new_round(staff, campaign)
    found = _round(session)
    _add_prototype(staff, found.id, "Shelter", "Refugio", image=(io.BytesIO(_png()), "a.jpg"))
    _open(staff, found.id)
    session.refresh(found)
    prototype = found.prototypes[0]
    old_image = prototype.image_id
    url = f"/staff/rounds/{found.id}/prototypes/{prototype.id}"
    data = {
        "title_en": "Shelter with light",
        "title_es": "Refugio con luz",
        "description_en": "Lit.",
        "description_es": "Con luz.",
        "remove_image": "y",
    }
    assert staff.submit(url, data, content_type="multipart/form-data").status_code == 303
    resident = Resident(app.test_client(), found.survey.slug)
    resident.start("es")
    assert "Refugio con luz" in resident.page_html and "page-image" not in resident.page_html
    assert session.get(PrototypeImage, old_image) is None
    session.refresh(found.survey)
    assert len(found.survey.versions) == 1  # nobody had answered: updated in place


def test_the_survey_pages_staff_already_know_work_for_a_round(staff, session, campaign, client):
    """The builder (for the round's own questions), its preview, the translations page,
    the export and the public API all take the round's survey like any other."""
    _new_round(staff, campaign)
    found = _round(session)
    _add_prototype(staff, found.id, "Shelter", "Refugio", image=(io.BytesIO(_png()), "a.jpg"))
    survey_id = found.survey_id
    for path in ["", "/preview", "/translations", "/export.json", "/responses/export"]:
        assert staff.get(f"/staff/surveys/{survey_id}{path}").status_code == 200, path
    _open(staff, found.id)
    session.refresh(found)
    api = client.get(f"/api/v1/surveys/{found.survey.slug}").get_json()
    codes = [q["code"] for q in api["questions"]] if "questions" in api else str(api)
    assert f"{found.prototypes[0].key}_reaction" in str(codes)


def test_a_prototype_is_removed_but_an_open_round_keeps_one(staff, app, session, campaign):
    _new_round(staff, campaign, has_ranking="")
    found = _round(session)
    _add_prototype(staff, found.id, "Shelter", "Refugio", image=(io.BytesIO(_png()), "a.jpg"))
    _add_prototype(staff, found.id, "Live times", "Horarios")
    _open(staff, found.id)
    session.refresh(found)
    shelter, times = found.prototypes
    shelter_id, times_id = shelter.id, times.id
    edit = f"/staff/rounds/{found.id}"
    removed = staff.submit(f"{edit}/prototypes/{shelter_id}/remove", {}, form_page=edit)
    assert removed.status_code == 303
    assert "The prototype is removed" in staff.get(edit).get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(PrototypeImage.id))) == 0
    resident = Resident(app.test_client(), found.survey.slug)
    resident.start("en")
    assert "Live times" in resident.page_html and "Shelter" not in resident.page_html
    staff.submit(f"{edit}/prototypes/{times_id}/remove", {}, form_page=edit)
    assert "must show at least one prototype" in staff.get(edit).get_data(as_text=True)
    assert session.get(Prototype, times_id) is not None


def test_rounds_past_their_closing_date_are_closed_by_the_daily_command(app, session, campaign):
    from datetime import date

    from engage.cli import close_rounds_command

    def made(closes_on):
        fields = rounds.RoundFields({"en": "R", "es": "R"}, {}, None, closes_on, False)
        found = rounds.create_round(session, campaign, fields)
        prototype = rounds.PrototypeFields({"en": "S", "es": "S"}, {}, previous_id=None)
        rounds.save_prototype(session, found, None, prototype)
        rounds.open_round(session, found, date(2026, 1, 1))
        return found

    due, later, undated = made(date(2026, 2, 1)), made(date(2999, 1, 1)), made(None)
    session.commit()
    result = app.test_cli_runner().invoke(close_rounds_command)
    assert result.exit_code == 0 and "1 round(s) closed." in result.output
    for found in (due, later, undated):
        session.refresh(found.survey)
    assert [f.status for f in (due, later, undated)] == ["closed", "published", "published"]


def test_a_round_tests_a_sprints_prototypes_and_the_sprint_links_its_results(
    staff, session, campaign
):
    from datetime import date

    from engage.backlog.sprints import create_sprint

    def sprint(of, name):
        return create_sprint(
            session, of, name=name, goal="", starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 14), by=None,
        )  # fmt: skip

    ours, theirs = sprint(campaign, "Shelters"), sprint(make_campaign(session), "Elsewhere")
    session.commit()
    refused = _new_round(staff, campaign, sprint=str(theirs.id))
    assert refused.status_code == 400  # another campaign's sprint is not offered
    assert session.scalar(sa.select(sa.func.count()).select_from(CodesignRound)) == 0
    assert _new_round(staff, campaign, sprint=str(ours.id)).status_code == 303
    found = _round(session)
    assert found.sprint_id == ours.id
    page = staff.get(f"/staff/sprints/{ours.id}").text
    assert "Co-design rounds that tested this sprint" in page
    assert f'href="/staff/rounds/{found.id}/results"' in page
    assert f'<option selected value="{ours.id}">' in staff.get(f"/staff/rounds/{found.id}").text
    assert _new_round(staff, campaign).status_code == 303  # no sprint: fine
    assert _round(session).sprint_id is None


def test_round_comments_are_clustered_onto_the_theme_board(staff, session, campaign):
    """What residents said would make a prototype better lands on the campaign's theme
    board with the rest of its feedback, once the analysis runs."""
    from engage.models import BoardPlacement, BoardTheme
    from engage.themes import services as analysis
    from engage.themes.engine import EngineSettings

    _new_round(staff, campaign)
    found = _round(session)
    _add_prototype(staff, found.id, "Shelter", "Refugio")
    _open(staff, found.id)
    session.refresh(found)
    key = found.prototypes[0].key
    comments = {
        "en": [f"More benches to sit on while waiting {n}" for n in range(6)]
        + [f"Brighter lights at night near the stop {n}" for n in range(6)],
        "es": [f"Más bancos para sentarse mientras esperamos {n}" for n in range(6)]
        + [f"Luces más brillantes de noche en la parada {n}" for n in range(6)],
    }
    for language, texts in comments.items():
        for text in texts:
            submit_response(
                session,
                version=found.survey.current_version,
                answers={f"{key}_reaction": "works", f"{key}_better": text},
                language=language,
            )
    session.commit()
    run = analysis.create_run(
        session, campaign=campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    assert run.status == "done", run.error
    placed = session.execute(
        sa.select(FeedbackItem.text, BoardTheme.id)
        .join(BoardPlacement, BoardPlacement.feedback_item_id == FeedbackItem.id)
        .join(BoardTheme, BoardTheme.id == BoardPlacement.board_theme_id)
        .where(FeedbackItem.campaign_id == campaign.id)
    ).all()
    themes_of = {text: theme for text, theme in placed}
    assert set(themes_of) == {t for texts in comments.values() for t in texts}
    # Benches and lights are told apart, in each language.
    assert (
        themes_of["More benches to sit on while waiting 0"]
        != themes_of["Brighter lights at night near the stop 0"]
    )
    board = staff.get(f"/staff/campaigns/{campaign.id}/themes").get_data(as_text=True)
    assert "benches" in board.lower() and "bancos" in board.lower()
