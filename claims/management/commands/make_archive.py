"""A realistic newsroom archive for benchmarks, generated deterministically.

    manage.py make_archive                 # 20,000 articles (the size of the issue's table)
    manage.py make_archive --articles 2000 # everything scaled to 10%

Defaults, per 20,000 articles (claims, highlights and verdicts scale with ``--articles``;
outlets do not): 100 outlets, articles of 500–5,000 words (85% English, 10% Ukrainian, 5%
Russian), 5,000 claims whose highlights follow a long tail (the most quoted claims appear in
50+ outlets), 100,000 highlights, 3,000 verdicts (60% approved). Two extra articles of
equal length serve the article-page benchmark: "Bench: busy article" with 1,000 overlapping
highlights of 20–200 words on 50,000 words (the shape of bench/article_page.py) and
"Bench: empty article", the same text with none. Rows go in with bulk_create in batches;
the same ``--seed`` gives the same archive. Refuses to run on a database that already has
articles unless ``--force``.
"""

import random
from datetime import date, timedelta
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Outlet
from articles.text import content_hash, soft_breaks
from claims.models import Annotation, Claim, Rating, RoleGrant, Status, Verdict, statement_key
from claims.sentences import context_of
from claims.services.publishing import publish_revision
from factcheck import roles

FULL_SIZE = 20_000
OUTLETS = 100
CLAIMS_PER_FULL = 5_000
HIGHLIGHTS_PER_FULL = 100_000
VERDICTS_PER_FULL = 3_000
BUSY_HIGHLIGHTS = 1_000
BUSY_WORDS = 50_000  # as in bench/article_page.py: a long article, 1,000 spans of 20–200 words
BATCH = 250  # articles per bulk_create

NAMES = ["Putin", "Trump", "Zelensky", "Kremlin", "Peskov", "Biden", "NATO", "Ukraine"]
COMMON_EN = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "said",
    "was",
    "as",
    "by",
    "it",
    "at",
    "from",
    "his",
    "he",
    "be",
    "has",
    "have",
    "not",
    "are",
    "an",
    "this",
    "which",
    "they",
    "but",
    "were",
    "had",
    "been",
    "will",
    "their",
    "who",
    "after",
    "its",
    "also",
    "would",
    "more",
]
COMMON_UK = [
    "і",
    "в",
    "на",
    "що",
    "не",
    "з",
    "до",
    "як",
    "це",
    "за",
    "від",
    "про",
    "його",
    "але",
    "був",
    "сказав",
    "також",
]
COMMON_RU = [
    "и",
    "в",
    "на",
    "что",
    "не",
    "с",
    "по",
    "как",
    "это",
    "за",
    "от",
    "о",
    "его",
    "но",
    "был",
    "сказал",
    "также",
]
CYRILLIC_NAMES = ["Путін", "Трамп", "Зеленський", "Кремль", "Пєсков", "Путина", "Трампа"]
VERBS = ["congratulated", "denied", "confirmed", "said", "called", "claimed", "reported"]


def _pseudo_words(rng: random.Random, count: int, syllables: list[str]) -> list[str]:
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    return sorted(words)


class Command(BaseCommand):
    help = "Generate a deterministic benchmark archive (outlets, articles, claims, highlights)."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=FULL_SIZE)
        parser.add_argument("--seed", type=int, default=9)
        parser.add_argument(
            "--password", default="", help="Password of bench-editor and bench-reviewer."
        )
        parser.add_argument("--force", action="store_true", help="Add to a non-empty archive.")

    def handle(self, *args, articles: int, seed: int, password: str, force: bool, **options):
        if articles < 10:
            raise CommandError("--articles must be at least 10")
        if Article.objects.exists() and not force:
            raise CommandError("The database already has articles (use --force to add more).")
        self.rng = random.Random(seed)  # noqa: S311 - a reproducible archive, not secrets
        scale = articles / FULL_SIZE
        self.started = timezone.now()
        with transaction.atomic():
            self.editor, self.reviewer = self._users(password)
            self.outlets = self._outlets()
            self.claims = self._claims(max(10, round(CLAIMS_PER_FULL * scale)))
            self._vocabularies()
            highlights = round(HIGHLIGHTS_PER_FULL * scale)
            made = self._articles(articles, highlights)
            self._busy_pair()
            Claim.objects.all().refresh_reach()
            verdicts = self._verdicts(max(1, round(VERDICTS_PER_FULL * scale)))
        self.stdout.write(
            f"{len(self.outlets)} outlets, {articles + 2} articles, {len(self.claims)} claims, "
            f"{made + BUSY_HIGHLIGHTS} highlights, {verdicts} verdicts "
            f"in {(timezone.now() - self.started).total_seconds():.0f} s"
        )

    # --- people and outlets -----------------------------------------------------------------

    def _users(self, password: str):
        User = get_user_model()
        made = []
        for name, group in (("bench-editor", roles.EDITORS), ("bench-reviewer", roles.REVIEWERS)):
            user, _ = User.objects.get_or_create(username=name)
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=group))
            # The bench's reviewer reviews at once: the operator running this confirms it.
            RoleGrant.objects.filter(user=user, confirmed_at__isnull=True).update(
                confirmed_at=timezone.now()
            )
            made.append(user)
        return made

    def _outlets(self) -> list[Outlet]:
        return Outlet.objects.bulk_create(
            Outlet(name=f"Bench Outlet {n:03d}", domain=f"outlet{n:03d}.bench.example")
            for n in range(OUTLETS)
        )

    def _claims(self, count: int) -> list[Claim]:
        rng = self.rng
        claims = []
        for n in range(count):
            who, verb, whom = rng.choice(NAMES), rng.choice(VERBS), rng.choice(NAMES)
            statement = f"{who} {verb} {whom} over issue {n}"
            claims.append(
                Claim(
                    statement=statement,
                    key=statement_key(statement),  # bulk_create skips Claim.save()
                    slug=f"bench-claim-{n}",
                    claimant=who,
                    created_by=self.editor,
                )
            )
        claims = Claim.objects.bulk_create(claims, batch_size=1000)
        # A long tail: the n-th claim is quoted in proportion to 1 / (n + 1)^0.9.
        self.claim_weights = list(accumulate(1 / (n + 1) ** 0.9 for n in range(count)))
        return claims

    # --- text ----------------------------------------------------------------------------

    def _vocabularies(self):
        rng = self.rng
        latin = _pseudo_words(rng, 4000, ["ka", "ro", "mi", "ten", "sal", "ver", "po", "lin"])
        cyr = _pseudo_words(rng, 3000, ["ка", "ро", "мі", "тен", "сал", "вер", "по", "лін"])
        self.vocab = {
            "en": COMMON_EN * 30 + NAMES * 3 + VERBS * 3 + latin,
            "uk": COMMON_UK * 30 + CYRILLIC_NAMES * 3 + cyr,
            "ru": COMMON_RU * 30 + CYRILLIC_NAMES * 3 + cyr,
        }

    def _body(self, language: str, words: int) -> tuple[str, list[int]]:
        """A text of ``words`` words in paragraphs, and where each word starts."""
        rng = self.rng
        chosen = rng.choices(self.vocab[language], k=words)
        parts, starts, position = [], [], 0
        next_break = rng.randint(40, 120)
        for i, word in enumerate(chosen):
            starts.append(position)
            sep = " "
            if i == next_break:
                sep = ".\n\n"
                next_break += rng.randint(40, 120)
            parts.append(word + sep)
            position += len(word) + len(sep)
        return "".join(parts).rstrip() + ".", starts

    def _annotation(self, article, body, starts, claim, length_words, soft):
        rng = self.rng
        first = rng.randrange(0, max(1, len(starts) - length_words - 1))
        start = starts[first]
        end = starts[min(first + length_words, len(starts) - 1)] - 1
        while end > start and not body[end - 1].isalnum():
            end -= 1
        context = Annotation.CONTEXT_LENGTH
        return Annotation(
            article=article,
            claim=claim,
            stance=rng.choice(("asserts", "asserts", "attributes", "disputes")),
            start=start,
            end=end,
            exact=body[start:end],
            prefix=body[max(0, start - context) : start],
            suffix=body[end : end + context],
            context=context_of(body, start, end, soft=soft),
            author=self.editor,
        )

    # --- articles and highlights ---------------------------------------------------------

    def _articles(self, count: int, highlights: int) -> int:
        rng = self.rng
        # Which article each highlight goes to, decided up front so each batch of articles
        # gets its highlights in the same pass.
        per_article = [0] * count
        for _ in range(highlights):
            per_article[rng.randrange(count)] += 1
        made = 0
        first_day = date(2024, 1, 1)
        for batch_start in range(0, count, BATCH):
            batch, texts = [], []
            for n in range(batch_start, min(count, batch_start + BATCH)):
                language = rng.choices(("en", "uk", "ru"), weights=(85, 10, 5))[0]
                body, starts = self._body(language, rng.randint(500, 5000))
                title = " ".join(rng.choices(self.vocab[language], k=rng.randint(5, 12)))
                body = f"{title.capitalize()}\n\n{body}\n\nArticle {n}."
                offset = len(title) + 2
                starts = [s + offset for s in starts]
                batch.append(
                    Article(
                        outlet=self.outlets[n % OUTLETS],
                        title=title.capitalize(),
                        url=f"https://outlet{n % OUTLETS:03d}.bench.example/{n}",
                        published_on=first_day + timedelta(days=rng.randrange(1000)),
                        language=language,
                        body=body,
                        content_hash=content_hash(body),
                        source_filename=f"bench-{n}.txt",
                        source_encoding="utf-8",
                    )
                )
                texts.append((body, starts, per_article[n]))
            batch = Article.objects.bulk_create(batch)
            annotations = []
            for article, (body, starts, quota) in zip(batch, texts, strict=True):
                soft = soft_breaks(body)
                for claim in self._pick_claims(quota):
                    annotations.append(
                        self._annotation(article, body, starts, claim, rng.randint(5, 40), soft)
                    )
            Annotation.objects.bulk_create(annotations, batch_size=2000)
            made += len(annotations)
            self.stdout.write(f"  {min(count, batch_start + BATCH)} articles", ending="\r")
            self.stdout.flush()
        self.stdout.write("")
        return made

    def _pick_claims(self, k: int) -> list[Claim]:
        if not k:
            return []
        return self.rng.choices(self.claims, cum_weights=self.claim_weights, k=k)

    def _busy_pair(self):
        """Two articles of the same length: one with 1,000 overlapping highlights, one bare."""
        body, starts = self._body("en", BUSY_WORDS)
        outlet = self.outlets[0]
        pair = []
        for title in ("Bench: busy article", "Bench: empty article"):
            text = f"{title}\n\n{body}"
            pair.append(
                Article(
                    outlet=outlet,
                    title=title,
                    published_on=date(2026, 1, 1),
                    language="en",
                    body=text,
                    content_hash=content_hash(text),
                    source_filename=f"{title}.txt",
                )
            )
        busy, _ = Article.objects.bulk_create(pair)
        offset = len("Bench: busy article") + 2
        starts = [s + offset for s in starts]
        text = busy.body
        claims = self.claims[:40]
        soft = soft_breaks(text)
        Annotation.objects.bulk_create(
            self._annotation(
                busy, text, starts, self.rng.choice(claims), self.rng.randint(20, 200), soft
            )
            for _ in range(BUSY_HIGHLIGHTS)
        )

    # --- verdicts ------------------------------------------------------------------------

    def _verdicts(self, count: int) -> int:
        """Verdicts on the most quoted claims first: 60% approved, the rest open."""
        rng = self.rng
        now = timezone.now()
        verdicts = []
        for n, claim in enumerate(self.claims[:count]):
            approved = n == 0 or rng.random() < 0.6  # the most quoted claim is public
            summary = f"Bench verdict {n}: no evidence supports this claim."
            verdicts.append(
                Verdict(
                    claim=claim,
                    rating=rng.choice(Rating.values),
                    summary=summary,
                    summary_html=f"<p>{summary}</p>",
                    status=Status.APPROVED
                    if approved
                    else rng.choice((Status.DRAFT, Status.SUBMITTED)),
                    author=self.editor,
                    last_edited_by=self.editor,
                    reviewer=self.reviewer if approved else None,
                    approved_at=now - timedelta(minutes=n) if approved else None,
                    submitted_at=now - timedelta(minutes=n),
                )
            )
        verdicts = Verdict.objects.bulk_create(verdicts, batch_size=1000)
        # The public reads published revisions: publish every approved verdict's claim the
        # way approval does, so the public pages serve real snapshots.
        for verdict in verdicts:
            if verdict.status == Status.APPROVED:
                publish_revision(claim=verdict.claim, user=self.reviewer, verdict=verdict)
        return len(verdicts)
