"""The claim radar's matching engine: which sentences of a text carry which known claims.

Pure: no database. ``compile_wording`` turns a claim's wording into a ``Pattern`` (its
words that count, each with a role); ``Index`` holds the patterns of every known claim;
``scan`` reads a body sentence by sentence and returns a ``Match`` per (sentence, claim)
that passes (README, "Claim radar"). How it decides:

1. **Words.** A word counts by its Snowball stem (English for Latin script, Russian for
   Cyrillic, as factcheck.search does); Cyrillic stems also match when one is a prefix of the
   other (at least ``CYRILLIC_PREFIX`` letters: Ukrainian "привітав"/"привітання"), since
   Snowball has no Ukrainian. Stop words never count.
2. **Roles.** In a wording, capitalised words are *names* (the last of a run of them is
   required: "Donald Trump" needs "Trump"); the first other word after the first name is the
   *predicate* (the verb: "congratulated"); the rest are *details*. A sentence is a candidate
   only when it has every required name, written with a capital, and the predicate, **in
   the wording's order** (who did what to whom: "Trump congratulated Putin" is not "Putin
   congratulated Trump"), or in the passive form ("Trump was congratulated by Putin").
3. **Score.** The weight of the wording's words found in order (names and predicate 1,
   details ``DETAIL_WEIGHT``) over the weight of all of them, lowered by ``SPREAD_PENALTY``
   when the words are strewn across a long sentence. A claim's score is its best wording's.
4. **Hypotheses are not claims.** "Putin could still congratulate Trump", "plans to
   congratulate": a modal word just before the predicate without a negation drops the
   sentence; so does a question ("Did Putin congratulate Trump?"). A name after the
   predicate that is a possessive is not the one the act was done to ("Putin congratulated
   Trump's rival").
5. **Stance**, from cue words of the sentence: a denial ("denied", "fabrication",
   "спростував") or a negation near the claim's words ("did not", "won't", "не") → disputes;
   else a report ("according to", "allegedly", "said", "reported", "нібито") → attributes;
   else asserts.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

import simplemma
import snowballstemmer

from articles.text import soft_breaks
from claims.sentences import sentence_bounds, sentence_spans
from factcheck.search import STOP_WORDS

# Words: letters and digits, with an apostrophe or hyphen inside ("won't", "Ростов-на-Дону").
_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s\Z", re.IGNORECASE)
_SINGLE_NEWLINE = re.compile(r"[^\n]\n[^\n]")

# The desk shows a suggestion at or above this score (chosen by the sweep of
# bench/radar_quality.py: README, "Claim radar").
THRESHOLD = 0.6
DETAIL_WEIGHT = 0.5
NAME_WEIGHT = 1.0
PREDICATE_WEIGHT = 1.0
CYRILLIC_PREFIX = 5
LATIN_PREFIX = 7
MIN_WORDS_WITHOUT_NAMES = 3  # a wording without names needs this many words that count
# The claim's words spread over more than this many words (plus 2 per word) lower the score.
SPREAD_SLACK = 12
SPREAD_PENALTY = 0.85
# Cue windows, in words: before the first of the claim's words found, and after the last.
CUE_BEFORE = 8
# An index of at most this many patterns (the archive scan of one claim) reads only the
# sentences around its clues (``Pattern.clues``), found as substrings, not every sentence.
FEW_PATTERNS = 50
MODAL_BEFORE = 3

UKRAINIAN_STOP_WORDS = frozenset(
    """
    і й та але або що як це у в на з із зі до від по за про для при під над без через не ні
    його її їх він вона вони ми ви я ти був була було були буде є також вже ще лише тільки
    цей ця ці той та те який яка яке які свій своє свою своїх бо якщо щоб коли де там тут
    via also amid
    """.split()  # noqa: SIM905
)
_STOP = STOP_WORDS | UKRAINIAN_STOP_WORDS

NEGATIONS = frozenset(
    """
    not no never nothing none neither nor unaware cannot без не ні ни нет немає ніколи никогда
    ніяких никаких жодних
    """.split()  # noqa: SIM905
)
DENIAL_PREFIXES = (
    "deni",
    "deny",
    "dismiss",
    "reject",
    "refut",
    "false",
    "fake",
    "fabricat",
    "fiction",
    "untrue",
    "debunk",
    "inaccura",
    "заперечу",
    "заперечи",
    "заперечл",
    "спросту",
    "неправд",
    "фейк",
    "вигад",
    "брехн",
    "брешу",
    "отрица",
    "опроверг",
    "опровер",
    "выдум",
    "ложн",
    "ложь",
)
DENIAL_WORDS = frozenset({"lie", "lies", "lied", "lying", "hoax", "myth", "брехня", "ложь"})
REPORT_WORDS = frozenset(
    """
    according reportedly allegedly alleged reported reports report claimed claims claiming said
    says say told accused accusations confirmed concluded sources source cited citing suggesting
    suggested quoted writes wrote claim asserted asserts stated states announced insisted insists
    argued alleges supposedly purportedly
    повідомляє повідомляють повідомили повідомило повідомив повідомила нібито стверджує стверджують
    стверджував заявив заявила заявили джерела джерело пише пишуть даними
    сообщает сообщают сообщили сообщило сообщил сообщила якобы утверждает утверждают заявил заявила
    заявили источники источник пишет пишут данным словам заключили
    """.split()  # noqa: SIM905
)
MODALS = frozenset(
    """
    could may might will would should can plans plan planning intends intend expected likely
    going може можуть міг могла планує планують збирається буде будуть мабуть
    может могут мог могла планирует планируют собирается будет будут
    """.split()  # noqa: SIM905
)
PREPOSITIONS = frozenset(
    """
    of in from at for with by to on about into over under the a an у в з із зі від для до на
    про по під над из с со от для к о об при
    """.split()  # noqa: SIM905
)
PASSIVE_AGENT = frozenset({"by", "від", "со", "стороны"})

_STEMMERS = {
    "latin": snowballstemmer.stemmer("english"),
    "cyrillic": snowballstemmer.stemmer("russian"),
}


def _is_cyrillic(word: str) -> bool:
    return "\u0400" <= word[0] <= "\u04ff"


_UKRAINIAN = frozenset("іїєґ")
_RUSSIAN = frozenset("ыэъё")


def _lemma_languages(word: str) -> tuple[str, ...]:
    if not _is_cyrillic(word):
        return ("en",)
    letters = set(word)
    if letters & _UKRAINIAN:
        return ("uk",)
    if letters & _RUSSIAN:
        return ("ru",)
    return ("ru", "uk")


@lru_cache(maxsize=200_000)
def stem(word: str, capital: bool = False) -> str:
    """A word's stem: lower-cased, without a possessive ending, its dictionary form
    (simplemma: "spoke" → "speak", "привітав" → "привітати"; not for a capitalised Latin
    word, a name: "US" is not "we"), then Snowball's stem."""
    word = _POSSESSIVE.sub("", word.casefold()).replace("’", "'")
    if capital and word.isascii():
        lemma = word
    else:
        lemma = simplemma.lemmatize(word, lang=_lemma_languages(word)).casefold()
    return _STEMMERS["cyrillic" if _is_cyrillic(lemma) else "latin"].stemWord(lemma)


def key_of(stemmed: str) -> str:
    """What the index files a stem under: its first ``CYRILLIC_PREFIX`` letters (Cyrillic)
    or ``LATIN_PREFIX`` letters (Latin), compared further by ``same_word``."""
    return stemmed[: CYRILLIC_PREFIX if _is_cyrillic(stemmed) else LATIN_PREFIX]


def same_word(a: str, b: str) -> bool:
    """Two stems are the same word: equal, or one begins the other and the shorter is long
    enough to be a word's root: Cyrillic from ``CYRILLIC_PREFIX`` letters (its last letter
    may differ: "привіта"/"привітан"), Latin from ``LATIN_PREFIX`` ("congratul" /
    "congratulatori")."""
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    if not _is_cyrillic(a):
        return len(short) >= LATIN_PREFIX and long_.startswith(short)
    if len(short) < CYRILLIC_PREFIX:
        return False
    if len(short) > CYRILLIC_PREFIX:
        return long_.startswith(short[:-1])
    return long_.startswith(short)


class Token(NamedTuple):
    stem: str
    key: str
    start: int
    end: int
    lower: str
    capital: bool
    possessive: bool = False


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[Token]:
    hi = len(text) if hi is None else hi
    found = []
    for match in _WORD.finditer(text, lo, hi):
        word = match.group()
        stemmed = stem(word, word[0].isupper())
        found.append(
            Token(
                stemmed,
                key_of(stemmed),
                match.start(),
                match.end(),
                word.casefold().replace("’", "'"),
                word[0].isupper(),
                _POSSESSIVE.search(word) is not None,
            )
        )
    return found


NAME, PREDICATE, DETAIL = "name", "predicate", "detail"


@dataclass(frozen=True)
class Term:
    stem: str
    key: str
    role: str
    required: bool
    weight: float
    surface: str = ""  # the word as written in the wording, lower-cased


@dataclass(frozen=True)
class Pattern:
    claim_id: int
    wording: str
    terms: tuple[Term, ...]
    # The wording's numbers: a sentence with other numbers and none of these is about
    # something else ("in the 2020 bid" is not "in the 2016 election").
    numbers: frozenset[str] = frozenset()
    # The wording's own modal words: "will" of "Ukraine will join NATO" is no hypothesis.
    modals: frozenset[str] = frozenset()

    @property
    def required(self) -> tuple[int, ...]:
        return tuple(i for i, term in enumerate(self.terms) if term.required)

    @property
    def total(self) -> float:
        return sum(term.weight for term in self.terms)

    def clues(self) -> list[str]:
        """Letters every sentence it matches contains, whatever the case and the word's
        ending: the second to fifth letters of each required name's stem (lower-case in any
        script, and before any ending), else of the wording's first word."""
        names = [t for i, t in enumerate(self.terms) if i in self.required and t.role == NAME]
        words = names or self.terms[:1]  # without names: the first word (a subject noun)
        return [t.stem[1:5] if len(t.stem) >= 4 else t.stem for t in words]


def compile_wording(claim_id: int, wording: str) -> Pattern | None:
    """The pattern of one wording of a claim (``_without_names`` when it has no name to read
    roles by), or None when too few of its words count to be matched."""
    words = [t for t in tokens(wording) if t.lower not in _STOP and not t.lower.isdigit()]
    numbers = frozenset(t.lower for t in tokens(wording) if t.lower.isdigit())
    modals = frozenset(t.lower for t in tokens(wording) if t.lower in MODALS)
    roles: list[str] = []
    seen_name = False
    predicate_done = False
    for t in words:
        if t.capital:
            roles.append(NAME)
            seen_name = True
        elif seen_name and not predicate_done and not _adverb(t.lower):
            roles.append(PREDICATE)
            predicate_done = True
        else:
            roles.append(DETAIL)
    if not predicate_done:
        # No verb after a name: the first lower-case word is the predicate.
        for i, role in enumerate(roles):
            if role != NAME:
                roles[i], predicate_done = PREDICATE, True
                break
    if NAME not in roles or not predicate_done:
        return _without_names(claim_id, wording, words, numbers, modals)
    required = _required(roles)
    terms = []
    for i, (t, role) in enumerate(zip(words, roles, strict=True)):
        weight = {NAME: NAME_WEIGHT, PREDICATE: PREDICATE_WEIGHT}.get(role, DETAIL_WEIGHT)
        terms.append(Term(t.stem, t.key, role, i in required, weight, t.lower))
    return Pattern(claim_id, wording, tuple(terms), numbers, modals)


def _without_names(claim_id, wording, words, numbers, modals) -> Pattern | None:
    """A wording with no name to anchor roles ("inflation reached 9 percent", or one in
    capitals only): every word it has is required, in its order, the second standing for
    the predicate; None when it has fewer than two words that count."""
    if len(words) < MIN_WORDS_WITHOUT_NAMES:
        return None
    terms = tuple(
        Term(t.stem, t.key, PREDICATE if i == 1 else DETAIL, True, 1.0, t.lower)
        for i, t in enumerate(words)
    )
    return Pattern(claim_id, wording, terms, numbers, modals)


def _adverb(word: str) -> bool:
    return word.endswith("ly") and not _is_cyrillic(word)


def _required(roles: list[str]) -> set[int]:
    """The terms a sentence must have: the predicate, the last word of each run of names
    before it (who: "Donald Trump" needs "Trump"), and the last word of the run of names
    right after it (to whom), when nothing but stop words parts them."""
    p = roles.index(PREDICATE)
    required = {p}
    for i in range(p):
        if roles[i] == NAME and roles[i + 1] != NAME:
            required.add(i)
    i = p + 1
    while i < len(roles) and roles[i] == NAME:
        i += 1
    if i > p + 1:
        required.add(i - 1)
    return required


@dataclass
class Index:
    """The patterns of the known claims, filed by the *anchor* of each: its required word
    that the fewest patterns share, so a sentence is compared only with the patterns whose
    anchor it contains."""

    patterns: list[Pattern] = field(default_factory=list)
    by_anchor: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, wordings) -> "Index":
        """``wordings``: (claim id, text) pairs."""
        index = cls()
        for claim_id, text in wordings:
            pattern = compile_wording(claim_id, text)
            if pattern is not None:
                index.patterns.append(pattern)
        frequency: dict[str, int] = defaultdict(int)
        for pattern in index.patterns:
            for key in {pattern.terms[i].key for i in pattern.required}:
                frequency[key] += 1
        for n, pattern in enumerate(index.patterns):
            anchor = min(
                (pattern.terms[i].key for i in pattern.required), key=lambda k: frequency[k]
            )
            index.by_anchor[anchor].append(n)
        return index


@dataclass(frozen=True)
class Match:
    claim_id: int
    start: int
    end: int
    stance: str
    score: float
    reason: str


def _positions(pattern: Pattern, sentence: list[Token], by_key) -> list[list[int]] | None:
    """For each term, the positions of the sentence's words that are it (None: a required
    term is missing)."""
    found = []
    predicate = [t.role for t in pattern.terms].index(PREDICATE)
    for n, term in enumerate(pattern.terms):
        # A name after the predicate (to whom) is never a possessive: "congratulated
        # Trump's rival" congratulated the rival.
        owner_ok = term.role != NAME or n < predicate
        places = [
            i
            for i in by_key.get(term.key, ())
            if same_word(term.stem, sentence[i].stem)
            and (term.role != NAME or sentence[i].capital)
            and (owner_ok or not sentence[i].possessive)
        ]
        if term.required and not places:
            return None
        found.append(places)
    return found


def _in_order(pattern: Pattern, places: list[list[int]], order: list[int]):
    """The heaviest choice of one position per term, increasing along ``order`` (a
    permutation of the terms), with every required term chosen: (weight, chosen positions
    by term) or None. Terms are few, so a plain dynamic programme over them."""
    # best[(term n in order, position)] = (weight, chain)
    states: list[tuple[float, int, dict[int, int]]] = [(0.0, -1, {})]
    for n in order:
        term = pattern.terms[n]
        nxt = [] if term.required else list(states)
        for weight, last, chain in states:
            for p in places[n]:
                if p > last:
                    nxt.append((weight + term.weight, p, {**chain, n: p}))
                    break  # the earliest later position leaves the most room
        if not nxt:
            return None
        # keep, per last position, the heaviest chain
        kept: dict[int, tuple[float, int, dict[int, int]]] = {}
        for state in nxt:
            if state[1] not in kept or state[0] > kept[state[1]][0]:
                kept[state[1]] = state
        states = list(kept.values())
    weight, _, chain = max(states, key=lambda s: s[0])
    return weight, chain


def _by_case(pattern: Pattern, sentence: list[Token], places: list[list[int]]):
    """Ukrainian and Russian mark who did what to whom by the names' endings, not their
    order: "Трампа привітав Путін" is "Путін привітав Трампа". In a Cyrillic wording, the
    required names written exactly as in the wording (same case) keep their roles in any
    order ("Трамп привітав Путіна" has them in other cases: not the claim)."""
    if not _is_cyrillic(pattern.terms[0].stem) or not any(t.role == NAME for t in pattern.terms):
        return None
    chain = {}
    for n, (term, found) in enumerate(zip(pattern.terms, places, strict=True)):
        if term.role == NAME and term.required:
            found = [p for p in found if sentence[p].lower == term.surface]
            if not found:
                return None
        if found:
            chain[n] = found[0]
    return sum(pattern.terms[n].weight for n in chain), chain


def _other_subject(pattern: Pattern, sentence: list[Token], chain: dict[int, int]) -> bool:
    """Whether another name does the act: a capitalised word that is none of the claim's
    stands just before the predicate (stop words aside), and a word of another clause (a
    lower-case word that counts: a verb) parts it from the claim's names before it ("Putin
    thanked Biden, and Zelensky congratulated Trump"). Names joined by "and" are one subject
    ("Putin and Medvedev congratulated Trump")."""
    roles = [t.role for t in pattern.terms]
    p = roles.index(PREDICATE)
    at = chain[p]
    subjects = [chain[n] for n in range(p) if n in chain and roles[n] == NAME]
    if not subjects or max(subjects) > at:
        return False
    q = at - 1
    while q > max(subjects) and sentence[q].lower in _STOP and not sentence[q].capital:
        q -= 1
    if q <= max(subjects) or not sentence[q].capital or q in chain.values():
        return False
    first = q
    while first - 1 > max(subjects) and sentence[first - 1].capital:
        first -= 1
    if sentence[first - 1].lower in PREPOSITIONS:
        return False  # "… president of the United States, have not spoken": no subject
    between = sentence[max(subjects) + 1 : q]
    return any(not t.capital and t.lower not in _STOP for t in between)


def _owned_object(pattern: Pattern, sentence: list[Token], chain: dict[int, int]) -> bool:
    """Whether the name the act was done to is, in a Cyrillic sentence, only the owner of
    another word (a genitive: "привітав опонентку Трампа" congratulated the opponent): the
    word before it is none of the claim's words, no name and no stop word."""
    roles = [t.role for t in pattern.terms]
    p = roles.index(PREDICATE)
    used = set(chain.values())
    for n in range(p + 1, len(roles)):
        if roles[n] != NAME or n not in chain or not pattern.terms[n].required:
            continue
        at = chain[n]
        if at == 0 or not _is_cyrillic(sentence[at].lower):
            continue
        before = sentence[at - 1]
        if at - 1 not in used and not before.capital and before.lower not in _STOP:
            return True
    return False


def _other_numbers(pattern: Pattern, sentence: list[Token]) -> bool:
    if not pattern.numbers:
        return False
    numbers = {t.lower for t in sentence if t.lower.isdigit()}
    return bool(numbers) and not numbers & pattern.numbers


def _passive_orders(pattern: Pattern) -> list[list[int]]:
    """The terms in the orders of a passive sentence, the names before the predicate (who)
    coming last, after "by": "Trump was congratulated by Putin", "congratulations were
    sent to Trump by Putin"."""
    roles = [t.role for t in pattern.terms]
    p = roles.index(PREDICATE)
    before = [i for i in range(p) if roles[i] == NAME]
    after = list(range(p + 1, len(roles)))
    if not before or not any(roles[i] == NAME for i in after):
        return []
    return [after + [p] + before, [p] + after + before]


def _is_passive(sentence: list[Token], chain: dict[int, int], pattern: Pattern) -> bool:
    """Whether "by" (or its like) stands just before the first of the names that were
    before the predicate in the wording (who did it)."""
    roles = [t.role for t in pattern.terms]
    p = roles.index(PREDICATE)
    agent = min(chain[i] for i in range(p) if roles[i] == NAME and i in chain)
    return any(t.lower in PASSIVE_AGENT for t in sentence[max(0, agent - 10) : agent])


def match_sentence(pattern: Pattern, sentence: list[Token], by_key) -> tuple[float, dict] | None:
    """(score, chosen positions) of ``pattern`` in ``sentence``, or None."""
    places = _positions(pattern, sentence, by_key)
    if places is None or _other_numbers(pattern, sentence):
        return None
    found = _in_order(pattern, places, list(range(len(pattern.terms))))
    for order in _passive_orders(pattern) if found is None else ():
        found = _in_order(pattern, places, order)
        if found is not None and _is_passive(sentence, found[1], pattern):
            break
        found = None
    if found is None:
        found = _by_case(pattern, sentence, places)
    if found is None or _owned_object(pattern, sentence, found[1]):
        return None
    if _other_subject(pattern, sentence, found[1]):
        return None
    weight, chain = found
    score = weight / pattern.total
    spread = max(chain.values()) - min(chain.values()) + 1
    if spread > SPREAD_SLACK + 2 * len(chain):
        score *= SPREAD_PENALTY
    return score, chain


def stance_of(
    sentence: list[Token],
    claim_words: set[int],
    predicate: int,
    *,
    text: str = "",
    modals: frozenset[str] = frozenset(),
) -> str | None:
    """The stance cues of a sentence around the claim's words (None: a hypothesis). The
    claim's own words are no cues ("Zelensky rejected the proposal" asserts a rejection), nor
    are its own modals ("will" of "Ukraine will join NATO"), nor a negation inside a clause
    set off by commas between the subject and the predicate ("Putin, who has not spoken to
    Biden, congratulated Trump"); ``text`` is what the tokens' offsets point into."""
    first = min(claim_words)
    negated = any(
        _negation(t.lower) and not (n > first and "," in text[t.end : sentence[predicate].start])
        for n, t in enumerate(sentence[:predicate], start=0)
        if n >= first - CUE_BEFORE
    )
    denied = any(
        i not in claim_words and (t.lower in DENIAL_WORDS or t.lower.startswith(DENIAL_PREFIXES))
        for i, t in enumerate(sentence)
    )
    if negated or denied:
        return "disputes"
    modal = sentence[max(0, predicate - MODAL_BEFORE) : predicate]
    if any(t.lower in MODALS and t.lower not in modals for t in modal):
        return None
    if any(t.lower in REPORT_WORDS for i, t in enumerate(sentence) if i not in claim_words):
        return "attributes"
    return "asserts"


def _negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def _sentences(body: str, index: Index, soft: list[int] | None):
    """The sentences worth reading: all of them, or, for an index of few patterns, those
    holding every clue of one pattern (found as substrings of the lower-cased text)."""
    if soft is None:
        # A soft line break is a single newline between two lines: none, nothing to find.
        soft = soft_breaks(body) if _SINGLE_NEWLINE.search(body) else []
    lowered = body.lower()
    if len(index.patterns) > FEW_PATTERNS or len(lowered) != len(body):
        yield from sentence_spans(body, soft)
        return
    seen = set()
    for clues in {tuple(p.clues()) for p in index.patterns}:
        if not clues or not all(c in lowered for c in clues):
            continue
        rarest = clues[0]  # any clue will do: the sentence must hold them all
        at = lowered.find(rarest)
        while at >= 0:
            lo, hi = sentence_bounds(body, at, soft)
            if (lo, hi) not in seen and all(c in lowered[lo:hi] for c in clues):
                seen.add((lo, hi))
                yield lo, hi
            at = lowered.find(rarest, max(hi, at + 1))


def scan(body: str, index: Index, *, soft: list[int] | None = None) -> list[Match]:
    """Every (sentence, claim) of ``body`` that carries the claim, best wording kept."""
    found: dict[tuple[int, int], Match] = {}
    for lo, hi in _sentences(body, index, soft):
        _scan_sentence(body, lo, hi, index, found)
    return sorted(found.values(), key=lambda m: (m.start, m.claim_id))


def _scan_sentence(body: str, lo: int, hi: int, index: Index, found: dict) -> None:
    if body[lo:hi].rstrip("\"'»”’) ").endswith("?"):
        return  # a question asserts nothing ("Did Putin congratulate Trump?")
    sentence = tokens(body, lo, hi)
    if not sentence:
        return
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(sentence):
        by_key[t.key].append(i)
    candidates = {n for key in by_key for n in index.by_anchor.get(key, ())}
    for n in sorted(candidates):
        pattern = index.patterns[n]
        result = match_sentence(pattern, sentence, by_key)
        if result is None:
            continue
        score, chain = result
        predicate = chain[[t.role for t in pattern.terms].index(PREDICATE)]
        stance = stance_of(
            sentence, set(chain.values()), predicate, text=body, modals=pattern.modals
        )
        if stance is None:
            continue
        key = (lo, pattern.claim_id)
        if key in found and found[key].score >= score:
            continue
        words = [body[sentence[p].start : sentence[p].end] for p in sorted(chain.values())]
        found[key] = Match(
            pattern.claim_id, lo, hi, stance, round(score, 3), "matched: " + " · ".join(words)
        )
