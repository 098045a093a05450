"""The word lists recognition uses, in one place so they can be read and changed.

Each set answers one question about a word next to a candidate place name.
All entries are lower case, without a trailing period.
"""

from __future__ import annotations

__all__ = ["CONNECTORS", "TITLES", "PLACE_WORDS", "INSTITUTIONS", "TIME_WORDS", "MODIFIERS",
           "STOPWORDS", "SPEECH_VERBS", "DISEASE_WORDS", "PLACE_SUFFIXES"]

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
