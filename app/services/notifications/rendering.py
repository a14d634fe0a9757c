"""Rendering messages from templates a merchant may have written: sandboxed, branded, inlined, with a text part.

Merchant templates run in Jinja's immutable sandbox, and the context they get holds only plain dicts, lists and
strings (never a model, a session or the app), so a template can format what it is given and reach nothing else:
`{{ ''.__class__ }}`-style walks are refused with `TemplateRefused`, when the template is saved and when it is
rendered. Our own layout (trusted) wraps the merchant's body with the shop's branding; css-inline then moves the
styles onto the elements, because most mail clients drop `<style>` blocks.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import css_inline
from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    Undefined,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from app.services.notifications import locales

MAX_SOURCE = 20_000
MAX_OUTPUT = 200_000
TEMPLATE_DIR = Path(__file__).parent / "templates"


class TemplateRefused(ValueError):
    """A template that does not compile, reaches for what the sandbox forbids, or renders something unusable."""


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str


def _sandbox(*, html: bool, strict: bool) -> ImmutableSandboxedEnvironment:
    return ImmutableSandboxedEnvironment(
        autoescape=html, undefined=StrictUndefined if strict else Undefined, trim_blocks=True, lstrip_blocks=True
    )


# Lenient when sending (a missing detail renders empty), strict when checking a merchant's draft (typos show).
_ENVIRONMENTS = {
    (html, strict): _sandbox(html=html, strict=strict) for html in (True, False) for strict in (True, False)
}
# Our own layouts: HTML escaped, the plain-text part not (an "&" in a shop's name stays an "&").
_LAYOUT = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True
)
_INLINER = css_inline.CSSInliner(keep_style_tags=False)


@functools.lru_cache(maxsize=2048)
def _compile(source: str, html: bool, strict: bool) -> Template:
    if len(source) > MAX_SOURCE:
        raise TemplateRefused(f"template is longer than {MAX_SOURCE} characters")
    try:
        return _ENVIRONMENTS[(html, strict)].from_string(source)
    except TemplateError as exc:
        raise TemplateRefused(f"does not compile: {exc}") from exc


def _render(source: str, context: Mapping[str, Any], *, html: bool, strict: bool = False) -> str:
    try:
        output = _compile(source, html, strict).render(context)
    except SecurityError as exc:
        raise TemplateRefused(f"refused by the sandbox: {exc}") from exc
    except TemplateError as exc:
        raise TemplateRefused(f"cannot be rendered: {exc}") from exc
    except (TypeError, ValueError, ArithmeticError, LookupError, OverflowError) as exc:
        raise TemplateRefused(f"cannot be rendered: {type(exc).__name__}: {exc}") from exc
    if len(output) > MAX_OUTPUT:
        raise TemplateRefused(f"renders more than {MAX_OUTPUT} characters")
    return output


def template_for(settings: Mapping[str, Any], *, journey: str, channel: str, locale: str) -> dict[str, str]:
    """The merchant's template for this journey, channel and language if there is one, else ours."""
    edited = (((settings.get("templates") or {}).get(journey) or {}).get(channel) or {}).get(locale)
    if edited:
        return dict(edited)
    default = locales.catalog(locale)["journeys"][journey]
    return {"subject": default["subject"], "body": default["body"]} if channel == "email" else {"body": default["sms"]}


def render_email(
    *, journey: str, locale: str, context: Mapping[str, Any], settings: Mapping[str, Any], strict: bool = False
) -> RenderedEmail:
    template = template_for(settings, journey=journey, channel="email", locale=locale)
    subject = " ".join(_render(template.get("subject") or "", context, html=False, strict=strict).split())
    if not subject:
        raise TemplateRefused("the subject renders empty")
    body = _render(template.get("body") or "", context, html=True, strict=strict)
    wording = locales.catalog(locale)["layout"]
    brand = context["brand"]
    button_label, button_url = (
        (wording["survey"], context.get("survey_url")) if journey == "survey_request"
        else (wording["track"], context.get("tracking_url"))
    )  # fmt: skip
    layout = {
        "locale": locale, "subject": subject, "brand": brand, "body": Markup(body),  # noqa: S704 - sandboxed, escaped
        "button_url": button_url, "button_label": button_label,
        "footer": wording["footer"].format(shop=brand["name"]), "unsubscribe_url": context.get("unsubscribe_url"),
        "unsubscribe_label": wording["unsubscribe"],
    }  # fmt: skip
    html = _INLINER.inline(_LAYOUT.get_template("layout.html").render(layout))
    text = _LAYOUT.get_template("layout.txt").render({**layout, "body": html_to_text(body)})
    return RenderedEmail(subject=subject, html=html, text=_tidy(text))


def render_sms(
    *, journey: str, locale: str, context: Mapping[str, Any], settings: Mapping[str, Any], strict: bool = False
) -> str:
    template = template_for(settings, journey=journey, channel="sms", locale=locale)
    body = " ".join(_render(template.get("body") or "", context, html=False, strict=strict).split())
    if not body:
        raise TemplateRefused("the message renders empty")
    return f"{body} {locales.catalog(locale)['layout']['sms_stop']}"


def check_template(*, journey: str, channel: str, locale: str, template: Mapping[str, Any]) -> None:
    """Refuse a merchant's draft that would not render: render it strictly against sample data."""
    from app.services.notifications.context import sample_context

    if not isinstance(template, Mapping) or not all(isinstance(v, str) for v in template.values()):
        raise TemplateRefused("a template is an object of strings: subject and body for email, body for SMS")
    wanted = {"subject", "body"} if channel == "email" else {"body"}
    if set(template) != wanted:
        raise TemplateRefused(f"needs exactly {', '.join(sorted(wanted))}")
    settings = {"templates": {journey: {channel: {locale: dict(template)}}}}
    context = sample_context(journey=journey, locale=locale)
    if channel == "email":
        render_email(journey=journey, locale=locale, context=context, settings=settings, strict=True)
    else:
        render_sms(journey=journey, locale=locale, context=context, settings=settings, strict=True)


class _TextExtractor(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "table", "ul", "ol"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCKS:
            self.parts.append("\n\n" if tag != "br" else "\n")
        if tag == "li":
            self.parts.append("- ")
        if tag == "a":
            self._links.append(dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href = self._links.pop()
            if href and not href.startswith("mailto:"):
                self.parts.append(f" ({href})")
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    return _tidy("".join(extractor.parts))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"
