"""Sample places and mentions shared by the map, export and aggregation tests.

Real GeoNames ids and coordinates; one curated region without a GeoNames id.
Imported as ``from samples import ...`` (this folder is on ``sys.path`` under
pytest's default import mode, as for ``browser.py``).
"""

from gazetteer.place import Place
from geomap.mentions import Mention

MOSCOW = Place(id=524901, name="Moscow", lat=55.75222, lon=37.61556, country_code="RU",
               feature_class="P", feature_code="PPLC", geonameid=524901)
GENEVA = Place(id=2660646, name="Geneva", lat=46.20222, lon=6.14569, country_code="CH",
               feature_class="P", feature_code="PPLA", geonameid=2660646)
YEREVAN = Place(id=616052, name="Yerevan", lat=40.18111, lon=44.51361, country_code="AM",
                feature_class="P", feature_code="PPLC", geonameid=616052)
KARABAKH = Place(id=2_000_000_001, name="Nagorno-Karabakh", lat=39.8, lon=46.75,
                 country_code=None, feature_class="L", feature_code="RGN", geonameid=None)


def mention(doc, source, place, sentence, word, date=None, sentence_start=40, score=0.9):
    """A mention of ``word`` inside ``sentence``, which starts at ``sentence_start``."""
    i = sentence.index(word)
    return Mention(doc=doc, start=sentence_start + i, end=sentence_start + i + len(word),
                   text=word, place=place, score=score, source=source, date=date,
                   sentence=sentence, sentence_start=sentence_start)
