"""Languages: the page's own words in gettext catalogs, which language a page uses, and its direction.

A worksheet's own text is translated beside its file (``coachkit.exercises.translations``); this
package holds what coachkit itself says.
"""

from coachkit.i18n.languages import DEFAULT, LANGUAGES, Language, direction, negotiate, resolve, served
from coachkit.i18n.words import ENGLISH, N_, Words, fill, words_for

__all__ = [
    "DEFAULT",
    "ENGLISH",
    "LANGUAGES",
    "N_",
    "Language",
    "Words",
    "direction",
    "fill",
    "negotiate",
    "resolve",
    "served",
    "words_for",
]
