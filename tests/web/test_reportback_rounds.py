"""Co-design round results on the public report-back page (issue 14): nothing shows until
staff publish the round, each prototype's reactions are shown with small groups hidden,
a new version shows its change since the last one, and every publication and withdrawal
is audited under a label of its own; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from engage.models import AuditEvent
from engage.reportback import services
from engage.responses.services import submit_response
from engage.rounds.results import public_results
from engage.rounds.services import (
    PrototypeFields,
    RoundFields,
    close_round,
    create_round,
    open_round,
    save_prototype,
)
from engage.web.messages import audit_action_label
from tests.factories import PASSWORD, make_campaign, make_user

TODAY = date(2026, 12, 2)


def _round(session, campaign, title, prototypes, *, previous=None):
    """A round with ``prototypes`` ({title: [reaction, …]}), opened and answered."""
    found = create_round(
        session, campaign, RoundFields({"en": title, "ar": f"{title} (ar)"}, {}, None, None, False)
    )
    made = []
    for name in prototypes:
        made.append(
            save_prototype(
                session, found, None,
                PrototypeFields({"en": name, "ar": f"فكرة {name}"}, {}, previous),
            )
        )  # fmt: skip
    open_round(session, found, TODAY)
    longest = max(len(values) for values in prototypes.values())
    for i in range(longest):
        answers = {}
        for prototype, values in zip(made, prototypes.values(), strict=True):
            if i < len(values):
                answers[f"{prototype.key}_reaction"] = values[i]
        submit_response(
            session, version=found.survey.current_version, answers=answers,
            language="ar" if i % 3 == 0 else "en",
        )  # fmt: skip
    session.flush()
    return found, made


@pytest.fixture
def rounds(session):
    """Round 1 (closed): a shelter heard by 10, a screen heard by 3; round 2 (open): the
    shelter's version 2, heard by 20; a draft round 3. Threshold 5."""
    campaign = make_campaign(
        session, slug="stops", title="Bus stops", languages=["en", "ar"], suppression_threshold=5
    )
    staff = make_user(session, role="staff", email="staff-rounds@example.org")
    shelter_v1 = ["works"] * 2 + ["mostly_works"] * 1 + ["does_not_work"] * 7
    first, (shelter, _screen) = _round(
        session, campaign, "First ideas",
        {"Shelter": shelter_v1, "Screen": ["works", "works", "mostly_not"]},
    )  # fmt: skip
    close_round(session, first)
    shelter_v2 = ["works"] * 10 + ["mostly_works"] * 5 + ["not_sure"] * 5
    second, _ = _round(session, campaign, "Second try", {"Lit shelter": shelter_v2},
                       previous=shelter.id)  # fmt: skip
    draft = create_round(session, campaign, RoundFields({"en": "Draft"}, {}, None, None, False))
    session.commit()
    return {"campaign": campaign, "staff": staff, "first": first, "second": second,
            "draft": draft}  # fmt: skip


def test_nothing_shows_until_a_round_is_published(client, session, rounds):
    campaign, staff = rounds["campaign"], rounds["staff"]
    html = client.get("/r/stops?lang=en").get_data(as_text=True)
    assert "What changed because of you" not in html and "Shelter" not in html
    services.publish(session, campaign, "round", rounds["first"].id, by=staff)
    session.commit()
    html = client.get("/r/stops?lang=en").get_data(as_text=True)
    assert "What changed because of you" in html
    assert "First ideas" in html and "10 residents took part." in html
    assert "Second try" not in html and "Lit shelter" not in html
    assert "<script" not in html


def test_an_open_round_invites_residents_only_while_its_campaign_takes_answers(
    client, session, rounds
):
    from engage.models import CampaignStatus

    campaign, staff = rounds["campaign"], rounds["staff"]
    services.publish(session, campaign, "round", rounds["second"].id, by=staff)
    session.commit()
    assert "You can still give your view" in client.get("/r/stops?lang=en").get_data(True)
    campaign.status = CampaignStatus.CLOSED
    session.commit()
    assert "You can still give your view" not in client.get("/r/stops?lang=en").get_data(True)


def test_reactions_are_shown_with_small_groups_hidden(client, session, rounds):
    campaign, staff = rounds["campaign"], rounds["staff"]
    services.publish(session, campaign, "round", rounds["first"].id, by=staff)
    session.commit()
    html = client.get("/r/stops?lang=en").get_data(as_text=True)
    shelter = html[html.index("Shelter") : html.index("Screen")]
    assert "10 residents reacted" in shelter
    # 7 of 10 would not work: shown with its share; 2 and 1 are below 5: hidden; none
    # said the others (a zero is not a small group of people).
    assert "This would not work for me" in shelter and ">7<" in shelter and "70%" in shelter
    assert shelter.count("<abbr") == 2 and ">2<" not in shelter and ">0<" in shelter
    assert "— hidden: a group of fewer than 5 people" in html
    # Three residents reacted to the screen: no figure of it at all.
    screen = html[html.index("Screen") :]
    assert "Fewer than 5 residents reacted to this idea" in screen
    assert "rb-reactions" not in screen.split("</article>")[0]


def test_figures_follow_the_dashboards_suppression_rule(session, rounds):
    results = public_results(session, rounds["first"], threshold=5)
    shelter, screen = results.prototypes
    shown = {r.value: (r.count, r.share) for r in shelter.reactions}
    assert shown == {
        "works": (None, None), "mostly_works": (None, None), "not_sure": (0, 0.0),
        "mostly_not": (0, 0.0), "does_not_work": (7, 0.7),
    }  # fmt: skip
    assert shelter.answered == 10 and shelter.hidden == 2
    # Both hidden cells are positive: their sum is the total less the cells shown.
    assert shelter.positive_share == pytest.approx(0.3)
    assert screen.answered is None and all(r.count is None for r in screen.reactions)
    assert public_results(session, rounds["first"], threshold=1).prototypes[0].hidden == 0
    assert results.respondents == 10


def test_a_new_version_shows_its_change_since_the_last(client, session, rounds):
    campaign, staff = rounds["campaign"], rounds["staff"]
    services.publish(session, campaign, "round", rounds["second"].id, by=staff)
    session.commit()
    html = client.get("/r/stops?lang=en").get_data(as_text=True)
    assert "Lit shelter" in html and "version 2" in html
    # Version 1 hid "works" and "mostly works" (2 and 1): their sum, 30%, is the total
    # less the cells shown, so the comparison reveals nothing: 75% now (+45 points).
    assert "Too few residents" not in html and "without revealing" not in html
    assert "for 75% of residents, against 30% for version 1 (+45 points)" in html
    change = public_results(session, rounds["second"], threshold=5).prototypes[0].change
    assert change.points == pytest.approx(45.0)
    # With a threshold above the residents who saw version 1, no comparison is made.
    higher = public_results(session, rounds["second"], threshold=11).prototypes[0]
    assert higher.change.points is None and higher.answered == 20
    # An open round invites residents to take part.
    assert f'href="/s/{rounds["second"].survey.slug}"' in html


def test_a_change_that_would_reveal_a_hidden_group_is_not_shown(session, rounds):
    """Version 1's 'works' hidden with 'not sure' (not both positive): its share of
    'works or mostly works' would give the hidden 'works' away."""
    campaign = rounds["campaign"]
    values = ["works"] * 2 + ["mostly_works"] * 6 + ["not_sure"] * 1 + ["does_not_work"] * 6
    first, (v1,) = _round(session, campaign, "Third", {"Bench": values})
    close_round(session, first)
    second, _ = _round(session, campaign, "Fourth", {"Bench 2": ["works"] * 10}, previous=v1.id)
    hidden = {r.value for r in public_results(session, first, threshold=5).prototypes[0].reactions
              if r.count is None}  # fmt: skip
    assert hidden == {"works", "not_sure"}
    change = public_results(session, second, threshold=5).prototypes[0].change
    assert change.before_n == 15 and change.now_n == 10 and change.points is None


def test_the_page_speaks_arabic_right_to_left(client, session, rounds):
    services.publish(session, rounds["campaign"], "round", rounds["first"].id, by=rounds["staff"])
    session.commit()
    html = client.get("/r/stops?lang=ar").get_data(as_text=True)
    assert 'dir="rtl"' in html and "فكرة Shelter" in html and "First ideas (ar)" in html
    assert "هذا لن يناسبني" in html  # the scale as residents read it on the round's page


def test_a_draft_round_cannot_be_published_and_a_withdrawn_one_leaves(client, session, rounds):
    campaign, staff = rounds["campaign"], rounds["staff"]
    with pytest.raises(services.ReportBackError) as refused:
        services.publish(session, campaign, "round", rounds["draft"].id, by=staff)
    assert refused.value.code == "round_not_publishable"
    other = make_campaign(session)
    with pytest.raises(services.ReportBackError) as refused:
        services.publish(session, other, "round", rounds["first"].id, by=staff)
    assert refused.value.code == "unknown_item"
    services.publish(session, campaign, "round", rounds["first"].id, by=staff)
    services.withdraw(session, campaign, "round", rounds["first"].id, by=staff)
    session.commit()
    html = client.get("/r/stops").get_data(as_text=True)
    assert "First ideas" not in html and "What changed because of you" not in html


def test_publishing_through_the_approval_page_is_audited_under_its_own_label(
    pages, session, rounds
):
    campaign, first = rounds["campaign"], rounds["first"]
    user = make_user(session, role="staff")
    assert pages.login(user.email, PASSWORD).status_code == 302
    url = f"/staff/campaigns/{campaign.id}/report-back"
    page = pages.get(url).get_data(as_text=True)
    assert "First ideas" in page and "Second try" in page
    assert "Open the round first: it has no results yet." in page  # the draft
    assert f'<input type="hidden" name="target" value="{rounds["draft"].id}">' not in page
    for action in ("publish", "withdraw"):
        data = {"kind": "round", "target": str(first.id), "action": action}
        assert pages.submit(f"{url}/entries", data, form_page=url).status_code == 303
    events = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
    ).all()
    actions = [e.action for e in events][-2:]
    assert actions == ["round_results_published", "round_results_withdrawn"]
    assert events[-1].detail == {"kind": "round", "id": first.id}
    labels = {str(audit_action_label(a)) for a in actions}
    assert "Co-design round results published on the report-back page" in labels
    draft = {"kind": "round", "target": str(rounds["draft"].id), "action": "publish"}
    refused = pages.submit(f"{url}/entries", draft, form_page=url)
    assert refused.status_code == 400
    assert "has not been opened to residents yet" in refused.get_data(as_text=True)


def test_the_demo_page_shows_the_closed_round(client, session):
    from engage.demo_data.loader import DEMO_CAMPAIGN_SLUG, load_demo

    load_demo(session)
    session.commit()
    english = client.get(f"/r/{DEMO_CAMPAIGN_SLUG}?lang=en").get_data(as_text=True)
    assert "What changed because of you" in english
    assert "Bus stops: first ideas" in english and "60 residents took part." in english
    assert "A shelter with a bench" in english and "Live bus times on a screen" in english
    assert "the shelter, version 2" not in english  # round 2 is open and not published
    arabic = client.get(f"/r/{DEMO_CAMPAIGN_SLUG}?lang=ar").get_data(as_text=True)
    assert "محطات الحافلات: أفكار أولى" in arabic and "مظلة مع مقعد" in arabic
