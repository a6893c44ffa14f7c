"""A person's browser without the rendering: a cookie session that reads a page's forms (their
hidden fields and CSRF token included) and sends them back with the fields it changes."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    choices: dict[str, list[str]] = field(default_factory=dict)  # radios and selects


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append(Form(a.get("action") or "", (a.get("method") or "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                form.choices.setdefault(name, []).append(a.get("value", "y"))
                if "checked" in a:
                    form.fields[name] = a.get("value", "y")
            elif kind not in ("submit", "button", "file"):
                form.fields[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            form.fields.setdefault(name, "")
        elif tag == "option" and self._select:
            form.choices.setdefault(self._select, []).append(a.get("value", ""))
            if "selected" in a or not form.fields.get(self._select):
                form.fields[self._select] = a.get("value", "")
        elif tag == "textarea" and name:
            form.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Visitor:
    """One person on one device. Every request's time is kept by the phase it belongs to."""

    def __init__(self, base: str, timings: list[float] | None = None, timeout: float = 60):
        self.base, self.timeout = base, timeout
        self.http = requests.Session()
        self.timings = timings if timings is not None else []

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        began = time.monotonic()
        response = self.http.request(method, self.url(path), timeout=self.timeout, **kwargs)
        self.timings.append(time.monotonic() - began)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def form(
        self, path: str, action: str | None = None, having: str | None = None
    ) -> tuple[Form, str]:
        """The page's form sent to `action` (or its first), with a field named `having` when
        several go there; and the page's URL."""
        page = self.get(path)
        page.raise_for_status()
        forms = [
            f
            for f in forms_of(page.text)
            if having is None or having in f.fields or having in f.choices
        ]
        paths = [urlsplit(urljoin(page.url, f.action or page.url)).path for f in forms]
        for form, target in zip(forms, paths, strict=True):  # the form sent to that address
            if action is None or target == action:
                return form, page.url
        for form, target in zip(forms, paths, strict=True):  # else one whose address holds it
            if action in target:
                return form, page.url
        raise AssertionError(f"no form {action!r} on {path} (forms: {paths})")

    def submit(
        self,
        path: str,
        values: dict,
        *,
        action: str | None = None,
        having: str | None = None,
        files=None,
        unset=(),
    ) -> requests.Response:
        """Fill the form in as a person would: its own fields, these values, then send it."""
        form, page_url = self.form(path, action, having)
        data = {**form.fields, **{k: v for k, v in values.items() if v is not None}}
        for name in unset:
            data.pop(name, None)
        target = urljoin(page_url, form.action or page_url)
        return self.request(form.method.upper(), target, data=data, files=files)

    def sign_in(self, login: str, password: str) -> None:
        answer = self.submit(
            "/connexion", {"login": login, "password": password}, action="/connexion"
        )
        if "/connexion" in urlsplit(answer.url).path:
            raise AssertionError(f"{login} could not sign in")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    if not match:
        raise AssertionError("no CSRF token on the page")
    return match.group(1)
