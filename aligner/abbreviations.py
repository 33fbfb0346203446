"""English word lists that decide whether a full stop ends a sentence.

Kept apart from the splitter's logic so the lists can grow without the rules
getting lost among them. All entries are lower case, without the final dot;
dotted abbreviations keep their inner dots ("e.g", "p.m").
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string, for readability."""
    return frozenset(text.split())


# Titles and Latin/reference abbreviations that are (nearly) never the last
# word of a sentence: "Mr. Smith", "Dr. Lee", "St. James", "e.g. apples".
NEVER_FINAL = _words(
    """mr mrs ms mx dr prof rev hon gen col capt lt sgt cpl maj adm gov sen rep supt
    messrs mme mlle msgr fr st e.g eg i.e ie cf vs viz approx fig figs vol vols pp ed eds
    dept est ref refs tel ph.d mt ft ave blvd incl excl esp assn intl natl univ govt
    atty pres reps sens cmdr det insp amb gens"""
)
# Personal titles, always followed by a name: "Gov. Newsom", "Sen. Lee". Never
# sentence-final, and a title opens a sentence as often as a pronoun does.
TITLES = _words(
    """mr mrs ms mx dr prof rev hon gen col capt lt sgt cpl maj adm gov sen rep supt messrs mme
    mlle msgr atty pres reps sens cmdr det insp amb gens"""
)
# Abbreviations that end a sentence only if a typical sentence opener follows.
AMBIGUOUS = _words(
    """etc inc ltd co corp jr sr bros plc llc
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    al ca"""
)
# Also ordinary words: abbreviations only when capitalised ("Gen. Lee", "Sun.")
# - "the ref. The game", "He sat. Nobody", "The answer was no." end sentences.
WORDLIKE = _words(
    "rev hon gen col rep reps ref refs fig figs est sen sens ed eds det sat sun wed mar"
)
# US state abbreviations (AP style): "in Springfield, Mass. Officials said".
# Capitalised only, and like AMBIGUOUS they end a sentence before an opener.
STATES = _words(
    """Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss
    Mo Mont Neb Nev Okla Ore Pa Tenn Tex Vt Va Wash Wis Wyo"""
)
# Before a number these never end a sentence ("No. 5", "Jan. 5", "p. 12").
BEFORE_NUMBER = _words(
    """no nos p pp vol vols fig figs art sec ch chap ca approx c v vs op ed
    jan feb mar apr jun jul aug sep sept oct nov dec"""
)
# Units written with a dot after a number ("5 in. of rain", "6 ft. tall"):
# a lower-case word after them continues the sentence.
UNITS = _words(
    """in ft yd yds mi lb lbs oz gal qt pt sq cu hr hrs min mins sec secs yr yrs wk wks mo mos
    km cm mm kg mg pct bn mn mln bln tn trn"""
)
# Street words, also in NEVER_FINAL ("St. Louis"): after a street name they may end one.
STREETS = _words("st ave blvd")
# Clock-time abbreviations. At a sentence end they are followed by an ordinary
# capitalised word; inside a sentence by a day, a date or a time zone.
TIME = _words("a.m p.m am pm")
# What follows a clock time inside a sentence: "at 3 p.m. Monday", "8 a.m. EST".
TIME_CONTINUATION = _words(
    """monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs
    fri sat sun today tomorrow tonight yesterday
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    eastern pacific central mountain atlantic local"""
)
# Time-zone codes: "ET", "EST", "GMT", "UTC", "HKT", "CEST".
TIME_ZONE = re.compile(r"^(?:[A-Z]{1,3}T|UTC|GMT|Z)$")

# Words that typically open an English sentence; used to resolve ambiguous
# abbreviations and initials ("in the U.S. The ..." vs "the U.S. Army").
SENTENCE_OPENERS = _words(
    """the a an this that these those it its he she they we i you his her their our my your
    there here but and or so yet however in on at for after before when while if as although
    though since because meanwhile also then now today yesterday tomorrow many some most all
    both each every one two three several what who why how where which according during
    following despite with without by from under other such last next earlier later still
    nevertheless moreover furthermore instead thus therefore indeed besides overall finally
    first second third once not no only even just another further similarly
    to until unlike like among amid against across along over through between within upon
    whether whatever whoever sometimes often never always perhaps maybe otherwise likewise
    consequently hence currently recently previously initially ultimately eventually
    additionally specifically separately elsewhere nonetheless regardless already
    officials police authorities experts analysts researchers scientists critics investors
    residents witnesses lawmakers prosecutors doctors"""
)
# Verbs of a reporting clause after a quotation: '"Why?" Smith asked.'
REPORTING_VERBS = _words(
    """said says asked asks added adds told tells wrote writes replied replies shouted shouts
    explained explains noted notes recalled recalls insisted insists continued continues
    exclaimed wondered answered answers yelled whispered declared declares admitted
    admits argued argues warned warns joked announced announces responded responds
    tweeted posted stated states remarked commented"""
)
# Names whose "!" is part of the name: "Yahoo! Inc.", "Jeopardy! host".
BANG_NAMES = _words("yahoo jeopardy")
# The pronoun "I" is capitalised everywhere, so a capital after an ellipsis
# tells nothing when it is "I": "the thing is . . . I didn't mean it."
PRONOUN_I = re.compile(r"^I(?:['’](?:m|d|ll|ve))?$")

# Clipped words that a lower-case word may follow inside a sentence ("the
# natl. assoc. of", "avg. price"): never taken for a sentence end before one.
CLIPPED = _words(
    "assoc asst mgr mfg mgmt div dist cont orig misc avg resp lit ibid abbr aka tbsp tsp pct"
)

ANY_ABBREVIATION = NEVER_FINAL | AMBIGUOUS | BEFORE_NUMBER | TIME | CLIPPED
