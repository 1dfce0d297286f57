"""XLSForm ``default`` and ``choice_filter`` on a resident's page, without JavaScript:
a default is filled in and can be changed or cleared; a cascading select offers only the
villages of the district chosen on the page before, refuses any other (also through the
API), and loses nothing already typed."""

from __future__ import annotations

import sqlalchemy as sa

from engage.models import Response
from surveys.xlsform import import_xlsform
from tests.factories import make_survey
from tests.surveys.helpers import definition_dict, opt, q
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_defaults_and_filters import CASCADE, PLACES
from tests.web.test_survey_pages import Resident


def _stored(session) -> dict:
    response = session.scalar(sa.select(Response))
    return {a.question_code: a.value for a in response.answers}


def _cascade(session):
    definition = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    data = {**definition.to_dict(), "slug": "places", "title": {"en": "Places", "ar": "الأماكن"}}
    return make_survey(session, definition=data)


def test_a_default_is_filled_in_and_the_resident_may_change_it(client, session):
    definition = definition_dict(
        [
            q("years", "number", default=5),
            q("uses", "multiple_choice", options=[opt("bus"), opt("walk")], default=["bus"]),
            q("note", "short_text", default="none"),
        ],
        [q("more", "short_text")],
        slug="defaults",
    )
    survey = make_survey(session, definition=definition)
    resident = Resident(client, survey.slug)
    resident.start()
    html = resident.page_html
    assert 'value="5"' in html and 'value="none"' in html
    assert 'value="bus" checked' in html and 'value="walk" checked' not in html
    # Changed, cleared, kept: each as the resident left it, also after going back.
    assert resident.post({"years": "7", "uses": ["bus", "walk"], "note": ""}).status_code == 302
    resident.post({"action": "back"})
    assert 'value="7"' in resident.page_html and 'value="none"' not in resident.page_html
    resident.post({"years": "7", "uses": ["walk"], "note": ""})
    assert resident.post({"more": "thanks"}).status_code == 302
    assert _stored(session) == {"years": 7, "uses": ["walk"], "more": "thanks"}


def test_a_cascading_select_offers_the_villages_of_the_district_chosen_before(client, session):
    survey = _cascade(session)
    resident = Resident(client, survey.slug)
    resident.start(lang="ar")
    assert "الشمال" in resident.page_html and 'value="north" checked' in resident.page_html
    assert resident.post({"district": "south"}).status_code == 302
    assert "/p/where_2" in resident.location
    assert "الميناء" in resident.page_html  # Port, in the south
    assert "التل" not in resident.page_html and "البحيرة" not in resident.page_html
    assert 'value="5"' in resident.page_html  # the default of the question beside it
    # A village of another district, posted by hand: refused, the years typed kept.
    refused = resident.post({"village": "hill", "years": "12"})
    assert refused.status_code == 400
    assert 'value="12"' in resident.page_html and 'role="alert"' in resident.page_html
    assert resident.post({"village": "port", "years": "12"}).status_code == 302
    assert resident.post({"uses": ["train", "walk"]}).status_code == 302
    assert "قطار" in resident.page_html and "المشي" in resident.page_html
    assert "حافلة" not in resident.page_html  # bus was not among the transport used
    assert resident.post({"most": "train"}).status_code == 302
    assert _stored(session) == {
        "district": "south",
        "village": "port",
        "years": 12,
        "uses": ["train", "walk"],
        "most": "train",
    }


def test_changing_the_district_drops_a_village_it_no_longer_offers(client, session):
    survey = _cascade(session)
    resident = Resident(client, survey.slug)
    resident.start()
    resident.post({"district": "north"})
    resident.post({"village": "hill", "years": "3"})
    resident.open(f"/s/{survey.slug}/p/where")
    resident.post({"district": "south"})
    assert "Port" in resident.page_html and "Hill" not in resident.page_html
    assert 'value="hill" checked' not in resident.page_html


def test_the_api_refuses_a_village_the_district_does_not_offer(client, session):
    survey = _cascade(session)
    url = f"/api/v1/surveys/{survey.slug}/responses"
    refused = client.post(url, json={"answers": {"district": "south", "village": "hill"}})
    assert refused.status_code == 422
    errors = refused.get_json()["error"]["errors"]
    assert [(e["question"], e["code"]) for e in errors] == [("village", "invalid_choice")]
    accepted = client.post(url, json={"answers": {"district": "south", "village": "port"}})
    assert accepted.status_code == 201
    assert _stored(session) == {"district": "south", "village": "port"}


def test_staff_preview_fills_in_defaults_and_an_edit_keeps_default_and_filter(staff, session):
    from tests.web.test_survey_builder import draft

    survey = _cascade(session)
    base = f"/staff/surveys/{survey.id}"
    preview = staff.get(f"{base}/preview?page=2").get_data(as_text=True)
    assert 'name="years"' in preview and 'value="5"' in preview
    response = staff.submit(
        f"{base}/questions/village",
        {
            "type": "single_choice",
            "code": "village",
            "page": "where_2",
            "label": "Which village?",
            **{f"option-{i}-value": v for i, v in enumerate(["hill", "lake", "port"])},
            **{f"option-{i}-label": v for i, v in enumerate(["Hill", "Lake", "Port"])},
            "action": "save",
        },
    )
    assert response.status_code == 302
    village = draft(session, survey.id)["pages"][1]["questions"][0]
    assert village["label"] == {"en": "Which village?", "ar": "القرية"}
    assert village["choice_filter"] == [
        {"attribute": "district", "op": "equals", "question": "district"}
    ]
    assert [o.get("attributes") for o in village["options"]] == [
        {"district": "north"},
        {"district": "north"},
        {"district": "south"},
    ]


def _household(session):
    definition = definition_dict(
        [q("adults", "number"), q("kids", "number")],
        [{**q("thanks", "short_text"), "label": {"en": "Anything else for your ${people}?"}}],
        slug="household",
        calculations=[
            {"code": "people", "expression": "${adults} + ${kids}"},
            {"code": "size", "expression": "if(${people} > 4, 'large', 'small')"},
        ],
    )
    return make_survey(session, definition=definition)


def test_calculations_are_worked_out_on_the_server_shown_and_stored(client, staff, session):
    import csv
    import io

    survey = _household(session)
    resident = Resident(client, survey.slug)
    resident.start()
    assert resident.post({"adults": "2", "kids": "3"}).status_code == 302
    assert "Anything else for your 5?" in resident.page_html  # before it is sent
    assert resident.post({"thanks": "no"}).status_code == 302
    assert _stored(session) == {
        "adults": 2,
        "kids": 3,
        "thanks": "no",
        "people": 5,
        "size": "large",
    }
    sent = client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        json={"answers": {"adults": 1, "kids": 0, "people": 40}},
    )
    assert sent.status_code == 201  # a value sent for a calculation is worked out again
    first = session.scalar(sa.select(Response).order_by(Response.id))
    detail = staff.get(f"/staff/responses/{first.id}").get_data(as_text=True)
    assert '<code dir="ltr" class="tag">size</code>' in detail
    assert "if(${people} &gt; 4, &#39;large&#39;, &#39;small&#39;)" in detail
    assert '<span dir="auto">large</span>' in detail
    exported = staff.submit(f"/staff/surveys/{survey.id}/responses/export", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert sorted((r["people"], r["size"]) for r in rows) == [("1", "small"), ("5", "large")]


def test_the_import_preview_lists_calculations_defaults_and_filters(staff, session):
    import io

    from tests.factories import make_campaign

    campaign = make_campaign(session)
    survey_rows = [
        [*CASCADE[0], "calculation"],
        *CASCADE[1:],
        ["calculate", "two", None, None, None, None, "${years} * 2"],
    ]
    preview = staff.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(workbook_bytes(survey_rows, PLACES)), "places.xlsx")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "<dt>Calculations</dt><dd>1</dd>" in preview
    assert "two = ${years} * 2" in preview
    assert "Village</bdi> — Single choice (choices follow an earlier answer)" in preview
    assert "District</bdi> — Single choice (filled in beforehand; residents may" in preview
    assert "The question goes on a new page after district" in preview


def test_a_pattern_refuses_an_answer_in_the_question_own_words(client, session):
    definition = definition_dict(
        [
            {
                **q("phone", "short_text", pattern="^[0-9]{10}$"),
                "constraint_message": {"en": "Ten digits, like 0612345678"},
            },
            q(
                "mobile",
                "short_text",
                show_if={"question": "phone", "op": "matches", "value": "^06"},
            ),
        ],
        slug="phones",
    )
    survey = make_survey(session, definition=definition)
    resident = Resident(client, survey.slug)
    resident.start()
    # The condition on the same page is decided on the server: said in words, not scripted.
    assert "Answer this only if it applies to you, given your answers above." in resident.page_html
    assert "data-show-if" not in resident.page_html
    assert resident.post({"phone": "0612", "mobile": "yes"}).status_code == 400
    assert "Ten digits, like 0612345678" in resident.page_html
    assert 'value="yes"' in resident.page_html  # nothing typed is lost
    assert resident.post({"phone": "0712345678", "mobile": "yes"}).status_code == 302
    assert _stored(session) == {"phone": "0712345678"}  # not a mobile: not asked


def test_deleting_a_question_takes_the_calculations_that_used_it(staff, session):
    from tests.web.test_survey_builder import draft

    survey = _household(session)
    base = f"/staff/surveys/{survey.id}"
    response = staff.submit(f"{base}/questions/kids/delete", {}, form_page=base)
    assert response.status_code == 302
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "The question is deleted, with the calculations that used it: people, size." in page
    assert "calculations" not in draft(session, survey.id)


def test_the_command_reports_what_it_does_with_filters_defaults_and_calculations(
    app, session, tmp_path
):
    from engage.cli import cli
    from tests.factories import make_campaign

    make_campaign(session, slug="villages")
    survey_rows = [
        [*CASCADE[0], "calculation"],
        *CASCADE[1:],
        ["date", "when", "When", None, None, "today()"],
        ["calculate", "stamp", None, None, None, None, "now()"],
    ]
    form = tmp_path / "places.xlsx"
    form.write_bytes(workbook_bytes(survey_rows, PLACES))
    runner = app.test_cli_runner()
    dry = runner.invoke(cli, ["import", "survey", str(form), "--campaign", "villages", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert (
        "Changed: Sheet survey, row 4, column choice_filter: The question goes on a new page "
        "after district" in dry.output
    )
    assert "row 9, column default: The default “today()” is a formula" in dry.output
    assert "row 10, column calculation: The calculation uses now(), which Engage does not" in (
        dry.output
    )


def test_an_edit_the_default_no_longer_fits_removes_it_and_says_so(staff, session):
    from tests.web.test_survey_builder import draft

    survey = _cascade(session)
    base = f"/staff/surveys/{survey.id}"
    response = staff.submit(
        f"{base}/questions/district",
        {
            "type": "single_choice",
            "code": "district",
            "page": "where",
            "label": "District",
            "option-0-value": "south",
            "option-0-label": "South",
            "action": "save",
        },
    )
    assert response.status_code == 302
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Its default answer no longer fits, so it starts blank." in page
    district = draft(session, survey.id)["pages"][0]["questions"][0]
    assert "default" not in district and [o["value"] for o in district["options"]] == ["south"]


def test_renaming_or_deleting_what_a_filter_looks_at_keeps_the_survey_whole(staff, session):
    from tests.web.test_survey_builder import draft

    survey = _cascade(session)
    base = f"/staff/surveys/{survey.id}"
    renamed = staff.submit(
        f"{base}/questions/district",
        {
            "type": "single_choice",
            "code": "area",
            "page": "where",
            "label": "District",
            **{f"option-{i}-value": v for i, v in enumerate(["north", "south"])},
            **{f"option-{i}-label": v for i, v in enumerate(["North", "South"])},
            "action": "save",
        },
    )
    assert renamed.status_code == 302
    village = draft(session, survey.id)["pages"][1]["questions"][0]
    assert village["choice_filter"][0]["question"] == "area"
    deleted = staff.submit(f"{base}/questions/area/delete", {}, form_page=base)
    page = staff.get(deleted.headers["Location"]).get_data(as_text=True)
    assert "These questions now offer all their choices: village." in page
    village = draft(session, survey.id)["pages"][1]["questions"][0]
    assert "choice_filter" not in village
