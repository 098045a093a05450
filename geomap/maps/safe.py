"""Untrusted text in a map page: never template source, never markup.

folium draws each element through branca, whose ``MacroElement.render`` runs
the element's ``header``/``html``/``script`` macros and then wraps their
*output* in ``branca.element.Element(...)``: the output is compiled as a new
Jinja2 template and rendered a second time. Any article text, file name,
source, date, URL or category inside that output would be evaluated as
Jinja2 (``{{ ... }}`` runs, ``{{citation needed}}`` is a syntax error).

The mechanism here keeps every string of ours and the user's out of template
source:

* :class:`Literal` is a page part whose text is written as it is.
* :class:`LiteralMacro` renders an element's macros once and puts their
  output in the page as :class:`Literal` parts (no second pass). Every element
  of a geomap map that carries user text uses it, including
  :class:`LayerControl` (the layer names).
* :func:`script_json` writes data for a ``<script>``: besides ``</`` and
  ``<!--`` it escapes the Jinja2 openers ``{{``, ``{%`` and ``{#`` inside
  strings (``\\u007b``), which means the same to JavaScript; a second line of
  defence should the JSON ever pass through a template.

Markup: Leaflet writes layer names, tooltips and popups with ``innerHTML``,
so user text is :func:`html.escape`-d before it becomes any of them, and
:func:`link_url` lets only ``http``/``https`` URLs become links.
"""

from __future__ import annotations

import json
import re

import folium
from branca.element import Element, Figure, MacroElement

__all__ = ["Literal", "LiteralMacro", "LayerControl", "root_figure", "script_json", "link_url"]

_JINJA_OPENER = re.compile(r"\{(?=[{%#])")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SCRIPT_BREAKERS = (("</", "<\\/"), ("<!--", "\\u003c!--"),
                    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))
#: Characters a browser drops from a URL (anywhere) or strips from its ends.
_URL_DROPPED = re.compile(r"[\t\n\r]")
_URL_STRIPPED = "".join(map(chr, range(0x21))) + "\x7f"
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


class Literal(Element):
    """A page part written exactly as given: never compiled as a template.

    Examples
    --------
    >>> Literal("{{ 1 + 1 }}").render()
    '{{ 1 + 1 }}'
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "Literal"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


def root_figure(element: Element) -> Figure:
    """The branca :class:`~branca.element.Figure` at the root of ``element``'s tree
    (a :class:`folium.Map`'s page), whose ``header``, ``html`` and ``script`` parts
    take the page's literal parts.

    Raises
    ------
    TypeError
        If the root is not a Figure (the element is not in a page).

    Examples
    --------
    >>> import folium
    >>> type(root_figure(folium.Map(tiles=None))).__name__
    'Figure'
    >>> root_figure(Literal("x"))
    Traceback (most recent call last):
    TypeError: Expected Literal inside a branca Figure, instead its root is: Literal
    """
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"Expected {type(element).__name__} inside a branca Figure, instead "
                        f"its root is: {type(figure).__name__}")
    return figure


class LiteralMacro(MacroElement):
    """A :class:`branca.element.MacroElement` whose macro output is not re-templated.

    Put it after the folium base class (``class X(folium.GeoJson,
    LiteralMacro)``) so that the base's own ``render`` work runs first and its
    final ``MacroElement.render`` is this one.

    Examples
    --------
    >>> import folium
    >>> from folium.template import Template
    >>> class Note(LiteralMacro):
    ...     _template = Template("{% macro html(this, kwargs) %}{{ this.text }}{% endmacro %}")
    ...     def __init__(self, text):
    ...         super().__init__()
    ...         self.text = text
    >>> m = folium.Map(tiles=None)
    >>> _ = m.add_child(Note("{{citation needed}}"))
    >>> "{{citation needed}}" in m.get_root().render()
    True
    """

    # branca annotates Element.render as returning str, but MacroElement.render, which
    # this replaces, returns None: it writes the macros' output into the Figure
    def render(self, **kwargs) -> None:  # type: ignore[override]
        figure = root_figure(self)
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = macros.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Literal(str(macro(self, kwargs))),
                                                name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class LayerControl(folium.LayerControl, LiteralMacro):
    """folium's layer control, its layer names never re-templated.

    The names are still written by Leaflet as HTML: layers give them
    escaped (see :func:`html.escape`).
    """


def script_json(value) -> str:
    """JSON that is safe to put inside a ``<script>`` element and inert to Jinja2.

    ``</`` is written ``<\\/`` and ``<!--`` as ``\\u003c!--`` (both mean the
    same to JSON), so text such as ``</script>`` in an article can neither
    end the script nor open a comment in it; U+2028/U+2029 are escaped for
    older JavaScript, and lone surrogates (text decoded with
    ``surrogateescape``) as ``\\udXXX`` so that the page can be written as
    UTF-8. A ``{`` that would open a Jinja2 tag (before ``{``,
    ``%`` or ``#``) is written ``\\u007b``: in compact JSON such a ``{`` can
    only stand inside a string, so the value is unchanged. Other ``<`` stay
    as they are, which keeps popup HTML compact.

    Examples
    --------
    >>> print(script_json(["</script><!--", "{{x}} {%y%} {#z#}"]))
    ["<\\/script>\\u003c!--","\\u007b{x}} \\u007b%y%} \\u007b#z#}"]
    >>> json.loads(script_json({"a": ["{{x}}", "\\udc80"]}))
    {'a': ['{{x}}', '\\udc80']}
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for bad, good in _SCRIPT_BREAKERS:
        text = text.replace(bad, good)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return _JINJA_OPENER.sub(r"\\u007b", text)


def link_url(url) -> str | None:
    """``url`` as a browser would read it when it is ``http(s)``, else None.

    Tabs and line breaks are dropped and control characters and spaces
    stripped from the ends (as browsers do) before the scheme is read, case
    ignored; ``javascript:``, ``data:``, ``vbscript:``, relative and
    scheme-less URLs are never linked. The result still needs
    :func:`html.escape` in an attribute.

    Examples
    --------
    >>> link_url(" HTTPS://example.org/a?b=1 ")
    'HTTPS://example.org/a?b=1'
    >>> link_url("java\\tscript:alert(1)"), link_url("\\x01javascript:x"), link_url("example.org")
    (None, None, None)
    """
    if not isinstance(url, str):
        return None
    cleaned = _URL_DROPPED.sub("", url).strip(_URL_STRIPPED)
    scheme = _SCHEME.match(cleaned)
    if scheme is None or scheme.group(1).lower() not in ("http", "https"):
        return None
    return cleaned
