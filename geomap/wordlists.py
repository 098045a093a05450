"""The word lists recognition uses, in one place so they can be read and changed.

Each set answers one question about a word next to a candidate place name.
All entries are lower case, without a trailing period.
"""

from __future__ import annotations

import csv
import importlib.util
from functools import cache, lru_cache
from pathlib import Path

from geomap.errors import ConfigurationError

__all__ = ["CONNECTORS", "TITLES", "PLACE_WORDS", "INSTITUTIONS", "TIME_WORDS", "MODIFIERS",
           "STOPWORDS", "SPEECH_VERBS", "DISEASE_WORDS", "PLACE_SUFFIXES", "ROUTE_WORDS",
           "SAINTS", "DEDICATIONS", "ORG_HEADS", "ARMY_HEADS", "GROUP_WORDS", "SHIP_PREFIXES",
           "LOCATIVES", "FEATURE_GENERICS", "DISEASE_ADJECTIVES", "BACK_REFERENCES",
           "ARTICLE_WORDS", "FUNCTION_WORDS", "NAME_LINKS", "PROMINENT_CODES",
           "COUNTRY_LIKE_CODES", "ORGANISATIONS_CSV", "organisations",
           "MIN_FIRST_NAME_SHARE", "first_names"]

#: Lower-case words allowed inside a multi-word name ("Isle of Man", "Rio de Janeiro").
CONNECTORS = frozenset({
    "of", "de", "del", "la", "le", "les", "du", "des", "di", "da", "do", "dos", "and", "y",
    "upon", "on", "the", "al", "el", "am", "an", "der", "van", "von", "sur", "en", "au", "aux",
    "bin", "ibn"})

#: Titles and offices: before a name they make it a person ("President Lincoln"); after
#: a place they make the place the office's seat ("Texas Comptroller", "Dublin Mayor").
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "president", "gen", "general", "sen", "senator", "rep",
    "representative", "gov", "governor", "judge", "justice", "minister", "premier", "king",
    "queen", "prince", "princess", "pope", "lt", "col", "colonel", "capt", "captain", "sgt",
    "sergeant", "officer", "coach", "chairman", "chancellor", "mayor", "secretary", "ambassador",
    "sheikh", "emir", "lord", "lady", "sir", "dame", "rev", "reverend", "father", "brother",
    "sister", "bishop", "prof", "professor", "detective", "deputy", "sheriff", "chief",
    "commander", "spokesman", "spokeswoman", "agent", "attorney", "councilman", "councilwoman",
    "superintendent", "principal", "dean", "comptroller", "treasurer", "clerk", "commissioner",
    "trooper", "patrolman", "firefighter", "firefighters", "policemen", "police", "officials",
    "lawmakers", "legislators", "residents", "voters", "senators", "delegation", "auditor",
    "manager", "administrator", "director", "coordinator", "supervisor"})

#: Geographic type words: "Tigray Region", "Cook County", "Gaza Strip".
PLACE_WORDS = frozenset({
    "county", "city", "province", "region", "oblast", "state", "district", "river", "valley",
    "mountains", "mountain", "island", "islands", "lake", "bay", "sea", "township", "parish",
    "borough", "village", "town", "area", "metro", "coast", "peninsula", "governorate",
    "republic", "territory", "prefecture", "municipality", "krai", "raion", "rayon", "canton",
    "department", "strip", "desert", "basin", "heights", "highlands", "plain", "gulf", "straits",
    "strait", "conflict", "zone", "border", "war", "crisis",
    "front", "metropolitan", "downtown", "suburbs", "countryside"})

#: Local institutions named after the place they serve: "Dublin City Council",
#: "Gainesville Police Department", "Vancouver International Airport". A place
#: followed by one of these is still a mention of the place; followed by any
#: other capitalised word it is taken as part of another name ("Minsk Group",
#: "Vladimir Putin", "Jordan Peterson").
INSTITUTIONS = frozenset({
    "council", "police", "pd", "fire", "sheriff", "sheriffs", "school", "schools", "elementary",
    "middle", "high", "university", "college", "library", "hospital", "medical", "health",
    "center", "centre", "airport", "international", "civic", "community", "commission",
    "commissioners", "board", "chamber", "public", "utilities", "historical", "recreation",
    "veterans", "visitors", "bureau", "division", "office", "court", "courthouse", "jail",
    "prison", "zoo", "museum", "park", "parks", "water", "transit", "housing", "regional",
    "national", "municipal", "memorial", "cemetery", "church", "cathedral", "mosque",
    "station", "port", "harbor", "harbour", "bridge", "dam", "square", "market", "mall",
    "stadium", "arena", "fairgrounds", "township", "planning", "zoning", "development",
    "economic", "emergency", "ems", "rescue", "volunteer", "animal", "humane", "branch",
    "authority", "agency", "administration", "government", "legislature", "assembly",
    "parliament", "senate", "house", "army", "military", "forces", "guard", "airbase", "base",
    "garrison", "refugee", "refugees", "camp", "camps", "residents", "officials", "area",
    "metropolitan", "unified", "independent", "consolidated", "superior", "circuit", "district",
    "environmental", "county", "highway", "patrol", "democratic", "republican", "party",
    "democrats", "republicans", "chapter", "post", "lodge", "club", "league", "association",
    "society", "foundation", "hall", "headquarters", "campus"})

#: Months, weekdays: capitalised, never places here ("Turkey Sunday" keeps Turkey).
TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "today", "tonight", "yesterday", "tomorrow"})

#: Modifiers that may stand before a place ("Northern Syria", "Downtown Denver"); alone
#: they are never a place.
MODIFIERS = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "downtown", "greater", "metro", "upper", "lower", "new", "old", "northeast", "northwest",
    "southeast", "southwest", "northeastern", "northwestern", "southeastern", "southwestern",
    "inner", "outer", "occupied", "rural", "suburban", "midwest", "mid"})

#: Function words that may stand capitalised before a place at the start of a
#: sentence ("In Denver", "From Moscow") without being part of its name.
STOPWORDS = frozenset({
    "a", "an", "the", "in", "at", "from", "to", "of", "for", "on", "near", "by", "with", "and",
    "but", "or", "as", "since", "when", "while", "after", "before", "during", "across",
    "outside", "inside", "throughout", "around", "into", "about", "like", "unlike", "despite",
    "between", "within", "without", "toward", "towards", "via", "per", "both", "neither",
    "either", "all", "some", "many", "most", "this", "that", "these", "those", "his", "her",
    "its", "their", "our", "my", "your", "if", "so", "because", "although", "though",
    "meanwhile", "also", "however", "then", "now", "here", "there", "where", "why", "how",
    "what", "which", "who", "whom", "whose", "said", "says", "visit", "visiting", "leaving",
    "back", "only", "even", "just", "including", "besides", "beyond", "along", "against",
    "over", "under", "above", "below", "through", "until", "till", "upon", "amid", "among",
    "wherever", "unless", "whether", "each", "every", "no", "not", "yes", "than", "once",
    "off", "out", "up", "down", "i", "we", "you", "he", "she", "it", "they"})

#: Verbs of saying: a small place that "said" something is a person ("Adkins said").
SPEECH_VERBS = frozenset({
    "said", "says", "told", "added", "asked", "noted", "explained", "stated", "wrote",
    "recalled", "acknowledged", "admitted", "argued", "claimed", "insisted", "replied",
    "testified", "declined", "agreed", "announced", "warned"})

#: Lower-case words after a place that make it the name of a disease, not a
#: mention of the place ("Marburg virus", "Lassa fever", "Spanish flu").
DISEASE_WORDS = frozenset({
    "virus", "viruses", "fever", "disease", "flu", "influenza", "strain", "syndrome",
    "ebolavirus", "encephalitis", "pox", "variant"})

#: Suffixes after a hyphen that keep a place a place ("Texas-based", "Moscow-born").
PLACE_SUFFIXES = frozenset({
    "based", "born", "bred", "raised", "area", "bound", "wide", "made", "owned", "run", "led",
    "backed", "style", "era", "centred", "centered", "headquartered", "registered", "flagged",
    "controlled", "held", "occupied", "brokered", "allied", "aligned", "linked"})

#: Words for "saint" before a name: "St. Patrick's Day", "Saint George's
#: Church", "Ste. Anne" name a saint, not the place that shares the name.
SAINTS = frozenset({"st", "saint", "ste", "sainte", "sts", "saints"})

#: Words after a saint's name and a possessive that make it a feast or a
#: dedication ("St. George's Day", "Saint Andrew's Church"), not the town
#: named for the saint.
DEDICATIONS = frozenset({
    "day", "eve", "feast", "church", "cathedral", "basilica", "chapel", "abbey", "monastery",
    "priory", "hospital", "school", "college", "academy"})

#: Words after two places joined by a hyphen or dash that make the pair the
#: ends of a route or a line between them ("the Maiduguri-Bama Road", "the
#: Lagos-Ibadan Expressway", "the Kramatorsk-Sloviansk road"): both ends are
#: places, not a hyphenated name ("Agence France-Presse").
ROUTE_WORDS = frozenset({
    "road", "roads", "highway", "highways", "expressway", "motorway", "freeway", "turnpike",
    "railway", "railroad", "rail", "pipeline", "corridor", "axis", "border", "frontier",
    "front", "frontline", "route", "routes", "bypass", "canal", "ferry"})

#: Capitalised words that end an organisation's own name: a place or demonym
#: at the head of a run of capitalised words that ends in one is part of the
#: name ("Kachin Independence Army", "Sinaloa Cartel"), not a mention of the
#: place; a run that goes on is another name ("Blue Grass Army Depot").
ORG_HEADS = frozenset({
    "front", "movement", "brigade", "brigades", "militia",
    "militias", "alliance", "battalion", "battalions", "regiment", "cartel", "corporation",
    "mobilization", "mobilisation", "liberation", "resistance"})

#: The armed forces' words: after a country, division or demonym they may name
#: its own army ("Syrian Army"), unless another word stands between ("Somalia
#: National Army", "Syrian Democratic Forces"); after any other place they end
#: an organisation's name ("Arakan Army").
ARMY_HEADS = frozenset({"army", "armies", "forces", "corps"})

#: Lower-case words after a name that make it an armed group's or faction's name
#: ("Hamas militants", "Fano fighters", "Wagner mercenaries").
GROUP_WORDS = frozenset({
    "militants", "militant", "militia", "militias", "fighters", "rebels", "insurgents",
    "jihadists", "gunmen", "group", "movement", "brigade", "brigades", "faction", "factions",
    "cartel", "mercenaries", "commander", "commanders", "leader", "leaders", "members",
    "operatives", "loyalists"})

#: Ship prefixes, written in capitals: what follows is a ship's name ("USS Carney").
SHIP_PREFIXES = frozenset({
    "USS", "USNS", "HMS", "HMAS", "HMCS", "HMNZS", "INS", "RFS", "ROKS", "JS", "MV", "FS",
    "TCG", "NRP"})

#: Prepositions that put the next word in place: "in X" is a place here,
#: whatever "X said" or "Dan X" elsewhere made of the word.
LOCATIVES = frozenset({
    "in", "at", "near", "outside", "around", "inside", "across", "within", "into", "from",
    "towards", "toward", "nearby", "outskirts"})

#: Generic words of geographic names: "Mount Hermon", "Lake Chad", "Wadi Gaza",
#: "Deir Hanna". The word after one is part of a place's name, never a surname.
FEATURE_GENERICS = frozenset({
    "mount", "mt", "mountt", "lake", "fort", "ft", "cape", "port", "camp", "wadi", "jebel",
    "jabal", "jabel", "jbel", "tell", "tel", "ras", "bir", "ain", "ein", "kafr", "kfar", "deir",
    "dayr", "beit", "bayt", "khan", "nahr", "saint", "st", "san", "santa", "sainte", "gulf",
    "bay", "isle", "point", "loch", "glen", "cerro", "sierra", "rio", "bahr", "jazirat",
    "kibbutz", "moshav", "nahal", "har", "gebel", "djebel", "oued"})

#: Words between a disease word's place and the word itself ("Rift Valley fever",
#: "Crimean-Congo hemorrhagic fever").
DISEASE_ADJECTIVES = frozenset({"hemorrhagic", "haemorrhagic", "spotted", "virus", "valley",
                                "river"})

#: Words that, after "the", name the latest place mentioned whose name ends
#: with them ("the Strip" after "Gaza Strip").
BACK_REFERENCES = frozenset({"strip"})

#: Lower-case words inside a transliterated name ("Deir ez-Zor", "Ras al-Ain").
#: (Not "an", "as", "at": English words too.)
ARTICLE_WORDS = frozenset({"al", "el", "ad", "ed", "ar", "er", "az", "ez", "ash", "ath", "adh",
                           "ul"})

#: The only lower-case words of a headline ("Fighting Flares in Northern Syria").
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "with", "by",
    "from", "as", "vs", "via", "into", "over", "after", "amid"})

#: Words after a place that make it the head of a longer name when a
#: capitalised word follows ("Bank of America", "Commonwealth of Independent States").
NAME_LINKS = frozenset({"of", "de", "for"})

#: GeoNames feature codes of prominent places: countries, territories,
#: first-level divisions, continents, regions and capitals.
PROMINENT_CODES = frozenset({
    "PCLI", "PCLD", "PCLS", "PCLF", "PCLIX", "PCL", "PCLH", "TERR", "ADM1", "CONT", "RGN",
    "RGNH", "ZN", "ADMD", "AREA", "PPLC"})

#: Feature codes that, besides the countries' ``PCL*``, are country-like
#: (continents, regions, territories).
COUNTRY_LIKE_CODES = frozenset({"CONT", "RGN", "TERR"})

#: The list of organisations named like places, with a source for each entry.
ORGANISATIONS_CSV = Path(__file__).parent / "data" / "organisations.csv"


@lru_cache(maxsize=1)
def organisations() -> frozenset[str]:
    """The names of :data:`ORGANISATIONS_CSV`, folded: armed groups, agencies,
    news outlets and companies whose names are also places' names ("Hamas",
    an alternate name of Hamm; "Fano", a town in Italy; "Xinhua").

    Examples
    --------
    >>> "hamas" in organisations(), "boko haram" in organisations()
    (True, True)
    """
    from gazetteer.names import fold

    with ORGANISATIONS_CSV.open(encoding="utf-8", newline="") as f:
        return frozenset(fold(row["name"]) for row in csv.DictReader(f))


#: The least share of people (per cent, in the US Census Bureau's 1990 first
#: names) a first name needs to count for :func:`first_names`: about 1,100
#: names, from James (3.3) to the likes of Abraham and Doris.
MIN_FIRST_NAME_SHARE = 0.02


@cache
def first_names() -> frozenset[str]:
    """Common first names, lower-case: the US Census Bureau's 1990 male and
    female first names (public domain, as the ``names`` package ships them:
    ``dist.male.first``, ``dist.female.first``) given to at least
    :data:`MIN_FIRST_NAME_SHARE` per cent of people.

    A first name before a capitalised word is a person's ("George Bush",
    "George Washington High School"), even when that word names a prominent
    place (the ``longer-name`` rule).

    Examples
    --------
    >>> "george" in first_names(), "doris" in first_names(), "kyiv" in first_names()
    (True, True, False)
    """
    spec = importlib.util.find_spec("names")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError("geomap needs the 'names' package (its first names): "
                                 "pip install names")
    folder = Path(spec.submodule_search_locations[0])
    out: set[str] = set()
    for file in ("dist.male.first", "dist.female.first"):
        with (folder / file).open(encoding="ascii") as f:
            for line in f:     # most frequent first: stop at the first rarer name
                parts = line.split()
                if len(parts) != 4 or float(parts[1]) < MIN_FIRST_NAME_SHARE:
                    break
                out.add(parts[0].lower())
    return frozenset(out)
