"""Page weight of the resident survey: every page, with everything it loads, gzipped.

The campaign's public report-back page (``/r/<campaign-slug>``) is measured with them.

Budget (DESIGN.md): ≤ 30 KB transferred per page (HTML + CSS + JS, compressed), no
third-party requests, no web fonts. Every ``<link href>``, ``<script src>`` and
``<img src>`` a page names is counted with it (survey pages load ``js/survey.js``).

Usage: python bench/page_weight.py [--slug demo] [--lang en]
       python bench/page_weight.py --slug demo-round-2 --lang ar   (the demo's open
       co-design round: its prototype page counts the prototype's picture too)
Builds a throwaway SQLite database with the demo data, opens the survey as a phone
would and prints each page's compressed size.
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BUDGET = 30 * 1024
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slug", default="demo")
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()

    from flask_migrate import upgrade

    from engage import create_app
    from engage.builder.publishing import get_survey_by_slug
    from engage.demo_data.loader import load_demo
    from engage.extensions import db
    from engage.responses.services import definition_of

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "ENGAGE_ENV": "testing",
                "SECRET_KEY": "bench",
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
                "RATELIMIT_SURVEY": "10000 per minute",
            }
        )
        with app.app_context():
            upgrade()
            load_demo(db.session)
            db.session.commit()
            survey = get_survey_by_slug(db.session, args.slug)
            if survey is None:
                print(f"no survey {args.slug!r} in the demo data")
                return 2
            keys = [page.key for page in definition_of(survey.current_version).pages]
            survey_id = survey.id
            campaign_slug = survey.campaign.slug
        client = app.test_client()
        intro = client.get(f"/s/{args.slug}?lang={args.lang}")
        token = CSRF.search(intro.get_data(as_text=True)).group(1)
        client.post(f"/s/{args.slug}/start", data={"csrf_token": token})
        paths = [
            f"/s/{args.slug}",
            *(f"/s/{args.slug}/p/{k}" for k in keys),
            f"/s/{args.slug}/resume",
            f"/s/{args.slug}/thanks",
            # The campaign's public "you said, we did" page (the demo's is published).
            f"/r/{campaign_slug}",
        ]
        worst = 0
        third_party = []
        seen_assets: dict[str, tuple[int, int]] = {}
        print(f"{'page':<40} {'html':>8} {'assets':>8} {'total':>8}  (gzip bytes)")
        for path in paths:
            html = client.get(path).get_data()
            assets = ASSET.findall(html.decode())
            third_party += [a for a in assets if a.startswith(("http:", "https:", "//"))]
            for asset in assets:
                if asset.startswith("/") and asset not in seen_assets:
                    data = client.get(asset).get_data()
                    seen_assets[asset] = (len(data), gz(data))
            asset_bytes = sum(seen_assets[a][1] for a in assets if a.startswith("/"))
            total = gz(html) + asset_bytes
            worst = max(worst, total)
            print(f"{path:<40} {gz(html):>8} {asset_bytes:>8} {total:>8}")
        # The interviewer's offline page: the whole survey on one page, with its script.
        staff = app.test_client()
        login = staff.get("/auth/login").get_data(as_text=True)
        staff.post(
            "/auth/login",
            data={
                "csrf_token": CSRF.search(login).group(1),
                "email": "interviewer@example.org",
                "password": "engage-demo",
            },
        )
        path = f"/staff/interviews/{survey_id}/offline?lang={args.lang}"
        html = staff.get(path).get_data()
        assets = [a for a in ASSET.findall(html.decode()) if a.startswith("/")]
        for asset in assets:
            data = staff.get(asset).get_data()
            seen_assets.setdefault(asset, (len(data), gz(data)))
        asset_bytes = sum(seen_assets[a][1] for a in assets)
        total = gz(html) + asset_bytes
        print(f"{'offline interviews page':<40} {gz(html):>8} {asset_bytes:>8} {total:>8}")
        for asset, (raw, packed) in seen_assets.items():
            print(f"asset {asset}: {raw} bytes, {packed} gzip")
        verdict = "within" if worst <= BUDGET and not third_party else "OVER"
        print(
            f"heaviest page: {worst} bytes = {worst / 1024:.1f} KB "
            f"({verdict} the {BUDGET // 1024} KB budget); third-party requests: "
            f"{len(third_party)}"
        )
        return 0 if verdict == "within" else 1


if __name__ == "__main__":
    raise SystemExit(main())
