"""Maps that open without network: Leaflet and plugins inlined in the HTML.

The JavaScript and CSS come from the ``folium-offline`` package (PyPI),
which ships the files of folium's CDN links; install it with
``pip install 'geomap[offline]'``. Background tiles still need the network:
use ``tiles=None`` (and country shapes as a base map) when fully offline.
"""

from __future__ import annotations

from branca.element import CssLink, Figure, JavascriptLink

from geomap.errors import MissingExtraError
from geomap.maps.safe import Literal

__all__ = ["OfflineFigure", "assets", "make_offline"]


def assets() -> dict[str, str]:
    """The inlinable files, by the CDN URL folium links them from."""
    try:
        from offlinefolium.elements import _res
    except ImportError as exc:
        raise MissingExtraError(
            "offline maps need the folium-offline package: pip install 'geomap[offline]'"
        ) from exc
    return _res


class OfflineFigure(Figure):
    """A :class:`branca.element.Figure` whose script and style links are inlined.

    Links whose file is not known are left as they are. The files are
    written as they are (:class:`~geomap.maps.safe.Literal`), never compiled
    as templates.
    """

    def render(self, **kwargs) -> str:
        for child in list(self._children.values()):
            child.render(**kwargs)
        files = assets()
        header = self.header._children
        for key, child in list(header.items()):
            url = getattr(child, "url", None)
            if url not in files:
                continue
            body = files[url]
            if isinstance(child, JavascriptLink):
                inline = Literal("<script>" + body.replace("</script", "<\\/script") + "</script>")
            elif isinstance(child, CssLink):
                inline = Literal("<style>" + body.replace("</style", "<\\/style") + "</style>")
            else:
                continue
            inline._parent = self.header
            header[key] = inline
        return self._template.render(this=self, kwargs=kwargs)


def make_offline(m) -> None:
    """Make ``m`` (a :class:`folium.Map`) render with inlined assets."""
    assets()  # fail early when the extra is missing
    if m._parent is None:
        OfflineFigure().add_child(m)
    elif not isinstance(m.get_root(), OfflineFigure):
        m.get_root().__class__ = OfflineFigure
