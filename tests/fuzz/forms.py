"""The forms of an HTML page, read as a browser would: action, method, and each field's
name with the values its options, radios and checkboxes offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class PageForm:
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    has_file: bool = False


class _Parser(HTMLParser):
    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = PageForm(a.get("action") or self.url)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        if tag in ("input", "textarea", "button") and name:
            values = self._form.fields.setdefault(name, [])
            if a.get("value") and a.get("type") != "hidden":
                values.append(a["value"])
            if a.get("type") == "file":
                self._form.has_file = True
        elif tag == "select" and name:
            self._form.fields.setdefault(name, [])
            self._select = name
        elif tag == "option" and self._select and "value" in a:
            self._form.fields[self._select].append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str, url: str) -> list[PageForm]:
    """The POST forms of ``html`` (served at ``url``)."""
    parser = _Parser(url)
    parser.feed(html)
    return parser.forms
