"""Sizes, durations and percentages written as the page's language writes them: « 38,3 Mo »
and « 42 % » on a French page, « 38.3 MB » and « 42% » on an English one (French pages once
mixed both)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale


def _render(template: str, **values) -> str:
    return render_template_string(template, **values)


def test_sizes_and_percentages_follow_the_language(app):
    size = int(38.3 * 1024 * 1024)
    with app.test_request_context():
        with force_locale("fr"):
            assert _render("{{ s|filesize }}", s=size) == "38,3\u00a0Mo"
            assert _render("{{ s|filesize }}", s=512) == "512\u00a0o"
            assert _render("{{ p|percent }}", p=0.42) == "42\u00a0%"
        with force_locale("en"):
            assert _render("{{ s|filesize }}", s=size) == "38.3\u00a0MB"
            assert _render("{{ s|filesize }}", s=3 * 1024**3) == "3\u00a0GB"
            assert _render("{{ p|percent }}", p=0.42) == "42%"
            assert _render("{{ d|duration }}", d=300.4) == "5 min 00.4 s"
        with force_locale("fr"):
            assert _render("{{ d|duration }}", d=300.4) == "5 min 00,4 s"
