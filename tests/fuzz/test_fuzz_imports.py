"""Every file import with any file: XLSForm and JSON survey definitions, and translation
files (PO, CSV, XLSX). The readers either return or refuse with problems (never another
exception); through the web a refusal is a 400 page that says why, never a 500. A valid
workbook keeps every text it holds."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from surveys import DefinitionError, ImportFailed, load_definition
from surveys.limits import ImportLimits
from surveys.schema import SurveyDefinition
from surveys.translation_files import import_translations
from surveys.xlsform import export_xlsform, import_xlsform
from surveys.xlsform.rows import SurveyRows
from tests.factories import PASSWORD, full_definition, make_campaign, make_survey, make_user
from tests.fuzz.conftest import examples
from tests.fuzz.strategies import json_values, odd_text, short_odd_text, storable_text
from tests.support.client import csrf_token_from

FULL = SurveyDefinition.from_dict(full_definition("fuzz-import"))
XLSFORM = export_xlsform(FULL)
LIMITS = ImportLimits(max_rows=500, max_seconds=5, max_unzipped_bytes=5 * 1024 * 1024)


def _cell_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**60), max_value=2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=60).map(_cell_text),
    st.sampled_from(["text", "select_one yes_no", "begin group", "end group", "integer"]),
    st.sampled_from(["label::English (en)", "label::Klingon (tlh)", "relevant", "list_name"]),
)
COLUMNS = [*sorted(SurveyRows.KNOWN_COLUMNS), "label::Español (es)", "name", "list_name"]


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """An .xlsx made with openpyxl: survey, choices and settings sheets of odd cells."""
    book = Workbook()
    book.remove(book.active)
    for title in draw(st.lists(st.sampled_from(["survey", "choices", "settings", "x"]))):
        if title in book.sheetnames:
            continue
        sheet = book.create_sheet(title)
        header = draw(st.lists(st.sampled_from(COLUMNS) | cell_values, max_size=8))
        sheet.append(header)
        for row in draw(st.lists(st.lists(cell_values, max_size=8), max_size=10)):
            sheet.append(row)
    if not book.sheetnames:
        book.create_sheet("survey")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` cut short, or one of its zip entries replaced with other bytes."""
    if draw(st.booleans()):
        return data[: draw(st.integers(0, len(data)))]
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    victim = draw(st.sampled_from(names))
    garbage = draw(st.binary(max_size=200) | st.sampled_from([b"<", b"<x>", b"\x00" * 10]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            target.writestr(name, garbage if name == victim else source.read(name))
    return out.getvalue()


text_forms = (
    st.lists(
        st.lists(
            st.sampled_from(["survey", "choices", "", "type", "name", "label", "text a A"])
            | short_odd_text,
            max_size=5,
        ),
        max_size=6,
    )
    .flatmap(
        lambda rows: st.sampled_from(
            [
                "\n".join(",".join(r) for r in rows),
                "\n".join("| " + " | ".join(r) + " |" for r in rows),
            ]
        )
    )
    .map(lambda text: text.encode("utf-8", "surrogatepass"))
)

any_file = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=300).map(lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b),
    text_forms,
    st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    workbooks(),
    damaged(XLSFORM),
)


@given(data=any_file)
def test_the_xlsform_reader_refuses_only_with_problems(data):
    try:
        import_xlsform(data, LIMITS)
    except ImportFailed as failed:
        assert failed.problems


choice_files = st.one_of(
    st.binary(max_size=300),
    st.lists(st.lists(short_odd_text, min_size=0, max_size=4), max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in [["name", "label", "label::es"], *rows]).encode(
            "utf-8", "surrogatepass"
        )
    ),
)


@given(data=choice_files)
def test_a_choices_csv_beside_the_form_never_crashes_the_import(data):
    form = "| survey | | | |\n| | type | name | label |\n"
    form += "| | select_one_from_file c.csv | c | C |\n| | text | t | T |\n"
    result = import_xlsform(form.encode(), LIMITS, {"c.csv": data})
    question = next(q for q in result.definition.questions() if q.code == "t")
    assert question.type == "short_text"


deep_json = st.integers(1, 100_000).map(lambda depth: b"[" * depth + b"]" * depth)
json_files = st.one_of(
    st.binary(max_size=300),
    json_values(text=short_odd_text).map(lambda v: json.dumps(v).encode()),
    deep_json,
    st.builds(
        lambda d, label: json.dumps({**d, "title": {"en": label}}).encode(),
        st.just(FULL.to_dict()),
        odd_text,
    ),
)


@given(data=json_files)
def test_the_json_definition_reader_refuses_only_with_problems(data):
    try:
        load_definition(data)
    except (ImportFailed, DefinitionError) as failed:
        assert failed.problems


# Files stay under MAX_CONTENT_LENGTH: Werkzeug's test client spools a larger body to a
# temporary file that a 413 leaves unclosed (a ResourceWarning, in the test client only).
translation_files = st.one_of(
    st.tuples(any_file, st.just("xlsx")),
    st.tuples(st.binary(max_size=300), st.sampled_from(["po", "csv"])),
    st.tuples(
        st.lists(st.lists(short_odd_text, max_size=4), max_size=6).map(
            lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
        ),
        st.just("csv"),
    ),
    st.tuples(
        st.lists(st.tuples(*[short_odd_text] * 3), max_size=4).map(
            lambda entries: "\n\n".join(
                f"msgctxt {json.dumps(c)}\nmsgid {json.dumps(i)}\nmsgstr {json.dumps(s)}"
                for c, i, s in entries
            ).encode("utf-8", "surrogatepass")
        ),
        st.just("po"),
    ),
)


@given(file=translation_files)
def test_the_translation_readers_refuse_only_with_problems(file):
    data, fmt = file
    try:
        import_translations(FULL, "es", data, fmt, LIMITS)
    except ImportFailed as failed:
        assert failed.problems


# A text starting with "=" would be written as a formula, whose value is not in the file.
cell_labels = storable_text.map(_cell_text).filter(lambda text: text.strip()[:1] not in ("", "="))


@given(labels=st.lists(cell_labels, min_size=1, max_size=8))
def test_a_valid_xlsform_keeps_every_label(labels):
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for n, label in enumerate(labels):
        sheet.append(["text", f"q{n}", label])
    buffer = io.BytesIO()
    book.save(buffer)
    definition = import_xlsform(buffer.getvalue(), LIMITS).definition
    questions = [q for page in definition.pages for q in page.questions]
    assert [q.label for q in questions] == [{"en": label.strip()} for label in labels]


# -- through the web ---------------------------------------------------------------------


@pytest.fixture
def staff(client, session):
    user = make_user(session, role="staff")
    token_page = client.get("/auth/login").get_data(as_text=True)
    login = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token_from(token_page)},
    )
    assert login.status_code == 302
    return client


@pytest.fixture
def campaign(session):
    return make_campaign(session)


@given(
    data=any_file | json_files,
    name=odd_text,
)
@examples(0.5)
def test_survey_imports_answer_400_with_reasons(staff, campaign, no_csrf, data, name):
    filename = (name.encode("utf-8", "replace").decode("utf-8")[:40] or "x") + ".xlsx"
    response = staff.post(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        data={"definition_file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code in (200, 400), response.status_code
    page = response.get_data(as_text=True)
    if response.status_code == 400:  # the file's problems, or the form's when no file came
        assert 'class="error-summary"' in page
    else:  # the preview of what would be imported, or the form again when no file came
        assert "Check the import" in page or "definition_file" in page


@given(
    token=odd_text | st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF0123456789-_.", max_size=400)
)
@examples(0.5)
def test_import_confirmations_with_any_token_create_nothing(staff, campaign, no_csrf, token):
    response = staff.post(
        f"/staff/campaigns/{campaign.id}/surveys/import",
        data={"token": token.encode("utf-8", "replace").decode("utf-8")},
    )
    assert response.status_code == 400, response.status_code
    assert "could not be confirmed" in response.get_data(as_text=True)


@pytest.fixture
def translated(session):
    return make_survey(session, definition=full_definition("fuzz-tr"))


@given(file=translation_files)
@examples(0.5)
def test_translation_imports_answer_400_with_reasons(staff, translated, no_csrf, file):
    data, fmt = file
    survey = translated
    response = staff.post(
        f"/staff/surveys/{survey.id}/translations/es/import",
        data={"es-file": (io.BytesIO(data), f"es.{fmt}")},
        content_type="multipart/form-data",
    )
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert "nothing has changed" in response.get_data(as_text=True)
    else:  # what was stored can be shown again
        assert staff.get(f"/staff/surveys/{survey.id}/translations/es").status_code == 200
