#!/usr/bin/env python3
"""One-time generator of rules/entities/countries.yaml and rules/entities/calendar.yaml.

Country names in eight languages come from CLDR (via babel); a few common short forms and the
demonyms and adjectives of the most newsworthy countries are written below by hand. The build
never runs this script: the YAML it writes is committed and may be edited by hand afterwards.

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install babel pycountry
    /tmp/venv/bin/python tools/gen_countries.py
"""
import os
import re
import unicodedata

import pycountry
from babel import Locale
from babel.dates import get_day_names, get_month_names

LANGS = ["en", "nl", "nb", "de", "fr", "es", "it", "ru"]
ROOT = os.path.join(os.path.dirname(__file__), "..", "rules", "entities")

# Dependent territories and other ISO 3166 codes that are not states.
NOT_STATES = set(
    "AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY MF MO "
    "MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT".split()
)
EXTRA_STATES = ["XK"]

# Display names where CLDR's English name is not what news writes.
DISPLAY = {
    "TR": "Turkey", "CI": "Ivory Coast", "PS": "Palestine", "CD": "DR Congo",
    "CG": "Republic of the Congo", "MM": "Myanmar", "VA": "Vatican City",
    "FM": "Micronesia", "KP": "North Korea", "KR": "South Korea",
}

# Other names, per language, in use beside CLDR's.
EXTRA_NAMES = {
    "TR": {"en": ["Turkey", "Türkiye"], "de": ["Türkiye"]},
    "US": {"en": ["US", "U.S.", "USA", "United States of America", "America"],
           "nl": ["VS", "Amerika"], "nb": ["Amerika", "De forente stater"], "de": ["USA", "Amerika"],
           "fr": ["Amérique"], "es": ["EE. UU.", "EEUU"], "it": ["USA"], "ru": ["США"]},
    "GB": {"en": ["UK", "U.K.", "Britain", "Great Britain"], "nl": ["Groot-Brittannië", "VK"],
           "nb": ["Det forente kongerike"], "de": ["Großbritannien"], "fr": ["Grande-Bretagne"],
           "es": ["Gran Bretaña"], "it": ["Gran Bretagna"], "ru": ["Британия", "Соединённое Королевство"]},
    "AE": {"en": ["UAE", "Emirates"], "nl": ["VAE", "Emiraten"], "nb": ["Emiratene", "De forente arabiske emiratene"],
           "de": ["VAE", "Emirate"], "fr": ["EAU"], "es": ["EAU"], "it": ["EAU"],
           "ru": ["Объединённые Арабские Эмираты", "Объединенные Арабские Эмираты"]},
    "RU": {"en": ["Russian Federation"], "ru": ["Российская Федерация", "РФ"]},
    "CZ": {"en": ["Czech Republic"], "nl": ["Tsjechische Republiek"], "de": ["Tschechische Republik"]},
    "CI": {"en": ["Côte d'Ivoire", "Côte d’Ivoire"], "fr": ["Côte d'Ivoire"], "es": ["Costa de Marfil"]},
    "PS": {"en": ["Palestine", "Palestinian Territories"], "nl": ["Palestina"], "nb": ["Palestina"],
           "de": ["Palästina"], "fr": ["Palestine"], "es": ["Palestina"], "it": ["Palestina"], "ru": ["Палестина"]},
    "CD": {"en": ["DR Congo", "Democratic Republic of the Congo", "DRC"]},
    "CG": {"en": ["Republic of the Congo", "Congo-Brazzaville"]},
    "MM": {"en": ["Burma"]},
    "KP": {"en": ["North Korea"]},
    "KR": {"en": ["South Korea"]},
    "NL": {"en": ["Holland"], "nl": ["Holland"]},
    "SA": {"nb": ["Saudi-Arabia"]},
}

# Adjectives (inflected by the language's rules) | demonyms (as written), per language.
D = {
    "TR": {"en": "Turkish|Turk,Turks", "nl": "Turks|Turk,Turken", "nb": "tyrkisk|tyrker,tyrkere",
           "de": "türkisch|Türke,Türken", "fr": "turc,turque,turques|Turc,Turcs", "es": "turco|turcos",
           "it": "turco,turchi,turche|", "ru": "турецкий|турок,турки"},
    "RU": {"en": "Russian|Russians", "nl": "Russisch|Rus,Russen", "nb": "russisk|russer,russere",
           "de": "russisch|Russe,Russen", "fr": "russe|Russe,Russes", "es": "ruso|", "it": "russo|",
           "ru": "российский,русский|россиянин,россияне"},
    "LY": {"en": "Libyan|Libyans", "nl": "Libisch|Libiër,Libiërs", "nb": "libysk|libyer,libyere",
           "de": "libysch|Libyer", "fr": "libyen|Libyen,Libyens", "es": "libio|", "it": "libico,libici,libiche|",
           "ru": "ливийский|ливиец,ливийцы"},
    "AE": {"en": "Emirati|Emiratis", "nl": "Emiraats|", "nb": "emiratisk|", "de": "emiratisch|",
           "fr": "émirien|", "es": "emiratí|", "it": "emiratino|", "ru": "эмиратский|"},
    "JO": {"en": "Jordanian|Jordanians", "nl": "Jordaans|Jordaniërs", "nb": "jordansk|", "de": "jordanisch|",
           "fr": "jordanien|", "es": "jordano|", "it": "giordano|", "ru": "иорданский|"},
    "EG": {"en": "Egyptian|Egyptians", "nl": "Egyptisch|Egyptenaren", "nb": "egyptisk|egyptere",
           "de": "ägyptisch|Ägypter", "fr": "égyptien|Égyptiens", "es": "egipcio|", "it": "egiziano|",
           "ru": "египетский|египтяне"},
    "FR": {"en": "French|Frenchman", "nl": "Frans|Fransen", "nb": "fransk|franskmenn",
           "de": "französisch|Franzose,Franzosen", "fr": "français|Français", "es": "francés,francesa,franceses,francesas|",
           "it": "francese|", "ru": "французский|французы"},
    "IT": {"en": "Italian|Italians", "nl": "Italiaans|Italianen", "nb": "italiensk|italienere",
           "de": "italienisch|Italiener", "fr": "italien|Italiens", "es": "italiano|", "it": "italiano|",
           "ru": "итальянский|итальянцы"},
    "QA": {"en": "Qatari|Qataris", "nl": "Qatarees|", "nb": "qatarsk|", "de": "katarisch|",
           "fr": "qatari|", "es": "catarí|", "it": "qatariota|", "ru": "катарский|"},
    "SA": {"en": "Saudi|Saudis", "nl": "Saoedisch|Saoediërs", "nb": "saudiarabisk,saudisk|",
           "de": "saudi-arabisch|", "fr": "saoudien|", "es": "saudí|", "it": "saudita|", "ru": "саудовский|"},
    "TN": {"en": "Tunisian|Tunisians", "nl": "Tunesisch|", "nb": "tunisisk|", "de": "tunesisch|",
           "fr": "tunisien|", "es": "tunecino|", "it": "tunisino|", "ru": "тунисский|"},
    "DE": {"en": "German|Germans", "nl": "Duits|Duitsers", "nb": "tysk|tyskere",
           "de": "deutsch|Deutsche,Deutschen", "fr": "allemand|Allemands", "es": "alemán,alemana,alemanes,alemanas|",
           "it": "tedesco,tedeschi,tedesche|", "ru": "немецкий,германский|немцы"},
    "GB": {"en": "British|Briton,Britons", "nl": "Brits|Britten", "nb": "britisk|briter",
           "de": "britisch|Brite,Briten", "fr": "britannique|Britanniques", "es": "británico|",
           "it": "britannico,britannici,britanniche|", "ru": "британский|британцы"},
    "US": {"en": "American|Americans", "nl": "Amerikaans|Amerikanen", "nb": "amerikansk|amerikanere",
           "de": "amerikanisch,US-amerikanisch|Amerikaner", "fr": "américain|Américains",
           "es": "estadounidense,norteamericano|", "it": "americano,statunitense|", "ru": "американский|американцы"},
    "GR": {"en": "Greek|Greeks", "nl": "Grieks|Grieken", "nb": "gresk|grekere", "de": "griechisch|Grieche,Griechen",
           "fr": "grec,grecque,grecques|Grecs", "es": "griego|", "it": "greco,greci,greche|", "ru": "греческий|греки"},
    "CY": {"en": "Cypriot|Cypriots", "nl": "Cypriotisch|", "nb": "kypriotisk|", "de": "zyprisch|",
           "fr": "chypriote|", "es": "chipriota|", "it": "cipriota|", "ru": "кипрский|"},
    "SY": {"en": "Syrian|Syrians", "nl": "Syrisch|Syriërs", "nb": "syrisk|syrere", "de": "syrisch|Syrer",
           "fr": "syrien|Syriens", "es": "sirio|", "it": "siriano|", "ru": "сирийский|сирийцы"},
    "IR": {"en": "Iranian|Iranians", "nl": "Iraans|Iraniërs", "nb": "iransk|iranere", "de": "iranisch|Iraner",
           "fr": "iranien|Iraniens", "es": "iraní|", "it": "iraniano|", "ru": "иранский|"},
    "IQ": {"en": "Iraqi|Iraqis", "nl": "Iraaks|Irakezen", "nb": "irakisk|irakere", "de": "irakisch|Iraker",
           "fr": "irakien|Irakiens", "es": "iraquí|", "it": "iracheno|", "ru": "иракский|"},
    "NO": {"en": "Norwegian|Norwegians", "nl": "Noors|Noren", "nb": "norsk|nordmenn", "de": "norwegisch|Norweger",
           "fr": "norvégien|", "es": "noruego|", "it": "norvegese|", "ru": "норвежский|"},
    "NL": {"en": "Dutch|Dutchman", "nl": "Nederlands|Nederlanders", "nb": "nederlandsk|nederlendere",
           "de": "niederländisch|Niederländer", "fr": "néerlandais|", "es": "neerlandés,neerlandesa|",
           "it": "olandese|", "ru": "нидерландский|"},
    "BE": {"en": "Belgian|Belgians", "nl": "Belgisch|Belgen", "nb": "belgisk|", "de": "belgisch|",
           "fr": "belge|Belges", "es": "belga|", "it": "belga,belgi|", "ru": "бельгийский|"},
    "CN": {"en": "Chinese|", "nl": "Chinees|Chinezen", "nb": "kinesisk|kinesere", "de": "chinesisch|Chinese,Chinesen",
           "fr": "chinois|Chinois", "es": "chino|", "it": "cinese|", "ru": "китайский|"},
    "UA": {"en": "Ukrainian|Ukrainians", "nl": "Oekraïens|Oekraïners", "nb": "ukrainsk|ukrainere",
           "de": "ukrainisch|Ukrainer", "fr": "ukrainien|Ukrainiens", "es": "ucraniano|", "it": "ucraino|",
           "ru": "украинский|украинцы"},
    "IL": {"en": "Israeli|Israelis", "nl": "Israëlisch|Israëliërs", "nb": "israelsk|israelere",
           "de": "israelisch|Israeli", "fr": "israélien|Israéliens", "es": "israelí|", "it": "israeliano|",
           "ru": "израильский|израильтяне"},
    "PS": {"en": "Palestinian|Palestinians", "nl": "Palestijns|Palestijnen", "nb": "palestinsk|palestinere",
           "de": "palästinensisch|Palästinenser", "fr": "palestinien|Palestiniens", "es": "palestino|",
           "it": "palestinese|", "ru": "палестинский|палестинцы"},
    "AF": {"en": "Afghan|Afghans", "nl": "Afghaans|", "nb": "afghansk|", "de": "afghanisch|",
           "fr": "afghan|", "es": "afgano|", "it": "afghano|", "ru": "афганский|"},
    "PK": {"en": "Pakistani|Pakistanis", "nl": "Pakistaans|", "nb": "pakistansk|", "de": "pakistanisch|",
           "fr": "pakistanais|", "es": "pakistaní|", "it": "pakistano|", "ru": "пакистанский|"},
    "IN": {"en": "Indian|Indians", "nl": "Indiaas|", "nb": "indisk|", "de": "indisch|", "fr": "indien|",
           "es": "indio|", "it": "indiano|", "ru": "индийский|"},
    "JP": {"en": "Japanese|", "nl": "Japans|", "nb": "japansk|", "de": "japanisch|", "fr": "japonais|",
           "es": "japonés,japonesa|", "it": "giapponese|", "ru": "японский|"},
    "KP": {"en": "North Korean|North Koreans", "nl": "Noord-Koreaans|", "nb": "nordkoreansk|",
           "de": "nordkoreanisch|", "fr": "nord-coréen|", "es": "norcoreano|", "it": "nordcoreano|",
           "ru": "северокорейский|"},
    "KR": {"en": "South Korean|South Koreans", "nl": "Zuid-Koreaans|", "nb": "sørkoreansk|",
           "de": "südkoreanisch|", "fr": "sud-coréen|", "es": "surcoreano|", "it": "sudcoreano|",
           "ru": "южнокорейский|"},
    "SD": {"en": "Sudanese|", "nl": "Soedanees|", "nb": "sudansk|", "de": "sudanesisch|", "fr": "soudanais|",
           "es": "sudanés,sudanesa|", "it": "sudanese|", "ru": "суданский|"},
    "YE": {"en": "Yemeni|Yemenis", "nl": "Jemenitisch|", "nb": "jemenittisk|", "de": "jemenitisch|",
           "fr": "yéménite|", "es": "yemení|", "it": "yemenita|", "ru": "йеменский|"},
    "LB": {"en": "Lebanese|", "nl": "Libanees|", "nb": "libanesisk|", "de": "libanesisch|", "fr": "libanais|",
           "es": "libanés,libanesa|", "it": "libanese|", "ru": "ливанский|"},
    "ES": {"en": "Spanish|Spaniards", "nl": "Spaans|Spanjaarden", "nb": "spansk|", "de": "spanisch|Spanier",
           "fr": "espagnol|", "es": "español,española,españoles,españolas|", "it": "spagnolo|", "ru": "испанский|"},
    "PL": {"en": "Polish|Poles", "nl": "Pools|Polen", "nb": "polsk|", "de": "polnisch|", "fr": "polonais|",
           "es": "polaco|", "it": "polacco,polacchi,polacche|", "ru": "польский|"},
    "SE": {"en": "Swedish|Swedes", "nl": "Zweeds|Zweden", "nb": "svensk|svensker", "de": "schwedisch|",
           "fr": "suédois|", "es": "sueco|", "it": "svedese|", "ru": "шведский|"},
    "DK": {"en": "Danish|Danes", "nl": "Deens|Denen", "nb": "dansk|dansker", "de": "dänisch|",
           "fr": "danois|", "es": "danés,danesa|", "it": "danese|", "ru": "датский|"},
    "AT": {"en": "Austrian|Austrians", "nl": "Oostenrijks|Oostenrijkers", "nb": "østerriksk|", "de": "österreichisch|",
           "fr": "autrichien|", "es": "austriaco|", "it": "austriaco,austriaci,austriache|", "ru": "австрийский|"},
    "AU": {"en": "Australian|Australians", "nl": "Australisch|", "nb": "australsk|", "de": "australisch|",
           "fr": "australien|", "es": "australiano|", "it": "australiano|", "ru": "австралийский|"},
    "CA": {"en": "Canadian|Canadians", "nl": "Canadees|", "nb": "kanadisk|", "de": "kanadisch|",
           "fr": "canadien|", "es": "canadiense|", "it": "canadese|", "ru": "канадский|"},
    "BR": {"en": "Brazilian|Brazilians", "nl": "Braziliaans|", "nb": "brasiliansk|", "de": "brasilianisch|",
           "fr": "brésilien|", "es": "brasileño|", "it": "brasiliano|", "ru": "бразильский|"},
    "VE": {"en": "Venezuelan|Venezuelans", "nl": "Venezolaans|", "nb": "venezuelansk|", "de": "venezolanisch|",
           "fr": "vénézuélien|", "es": "venezolano|", "it": "venezuelano|", "ru": "венесуэльский|"},
    "NG": {"en": "Nigerian|Nigerians", "nl": "Nigeriaans|", "nb": "nigeriansk|", "de": "nigerianisch|",
           "fr": "nigérian|", "es": "nigeriano|", "it": "nigeriano|", "ru": "нигерийский|"},
    "ML": {"en": "Malian|Malians", "nl": "Malinees|", "nb": "malisk|", "de": "malisch|", "fr": "malien|",
           "es": "maliense|", "it": "maliano|", "ru": "малийский|"},
    "DZ": {"en": "Algerian|Algerians", "nl": "Algerijns|", "nb": "algerisk|", "de": "algerisch|",
           "fr": "algérien|", "es": "argelino|", "it": "algerino|", "ru": "алжирский|"},
    "MA": {"en": "Moroccan|Moroccans", "nl": "Marokkaans|Marokkanen", "nb": "marokkansk|", "de": "marokkanisch|",
           "fr": "marocain|", "es": "marroquí|", "it": "marocchino,marocchini,marocchine|", "ru": "марокканский|"},
    "BY": {"en": "Belarusian|Belarusians", "nl": "Wit-Russisch|", "nb": "belarusisk|", "de": "belarussisch|",
           "fr": "biélorusse|", "es": "bielorruso|", "it": "bielorusso|", "ru": "белорусский|"},
    "HU": {"en": "Hungarian|Hungarians", "nl": "Hongaars|", "nb": "ungarsk|", "de": "ungarisch|",
           "fr": "hongrois|", "es": "húngaro|", "it": "ungherese|", "ru": "венгерский|"},
    "CH": {"en": "Swiss|", "nl": "Zwitsers|", "nb": "sveitsisk|", "de": "schweizerisch|", "fr": "suisse|",
           "es": "suizo|", "it": "svizzero|", "ru": "швейцарский|"},
    "MX": {"en": "Mexican|Mexicans", "nl": "Mexicaans|", "nb": "meksikansk|", "de": "mexikanisch|",
           "fr": "mexicain|", "es": "mexicano|", "it": "messicano|", "ru": "мексиканский|"},
}


def snake(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def states():
    codes = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in NOT_STATES]
    return sorted(codes + EXTRA_STATES)


def quoted(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def flow(items):
    return "[" + ", ".join(quoted(i) for i in items) + "]"


def unique(items):
    seen = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen


def country_yaml(code):
    names = {}
    for lang in LANGS:
        cldr = Locale(lang).territories.get(code, "")
        names[lang] = unique([cldr] + EXTRA_NAMES.get(code, {}).get(lang, []))
    display = DISPLAY.get(code, Locale("en").territories.get(code))
    lines = [f"  - id: {snake(display)}", "    kind: country", f"    name: {quoted(display)}", "    names:"]
    lines += [f"      {lang}: {flow(names[lang])}" for lang in LANGS]
    demonyms = D.get(code)
    if demonyms:
        adjective_lines, demonym_lines = [], []
        for lang in LANGS:
            adjectives, _, people = demonyms.get(lang, "|").partition("|")
            if adjectives:
                adjective_lines.append(f"      {lang}: {flow(adjectives.split(','))}")
            if people:
                demonym_lines.append(f"      {lang}: {flow(people.split(','))}")
        if adjective_lines:
            lines += ["    adjectives:"] + adjective_lines
        if demonym_lines:
            lines += ["    demonyms:"] + demonym_lines
    return "\n".join(lines)


def write_countries():
    body = "\n".join(country_yaml(code) for code in states())
    header = (
        "# The states of the world: names in eight languages (CLDR, through babel), common short\n"
        "# forms, and adjectives and demonyms of the most newsworthy states.\n"
        "# Generated once by tools/gen_countries.py; edit by hand from here on.\n"
        "# Adjectives are inflected by the language's rules in inflections.yaml (russisk → russiske),\n"
        "# names get their genitives there too (Tyrkia → Tyrkias).\n"
        "entities:\n"
    )
    with open(os.path.join(ROOT, "countries.yaml"), "w") as out:
        out.write(header + body + "\n")


def write_calendar():
    lines = [
        "# Month and weekday names: capitalised in some languages, never names of entities.",
        "# Generated once by tools/gen_countries.py from CLDR (through babel).",
        "name_words:",
    ]
    for lang in LANGS:
        words = []
        for width in ("wide", "abbreviated"):
            words += [w.strip(".") for w in get_month_names(width, locale=lang).values()]
            words += [w.strip(".") for w in get_day_names(width, locale=lang).values()]
        words = unique([w[:1].upper() + w[1:] for w in words])
        lines += [f"  {lang}:", f"    common_words: {flow(words)}"]
    with open(os.path.join(ROOT, "calendar.yaml"), "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    write_countries()
    write_calendar()
