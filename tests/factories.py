"""factory-boy factories: the one place tests build data."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from articles.models import Article, Outlet
from claims.models import (
    Annotation,
    Claim,
    EvidenceLink,
    Rating,
    RoleGrant,
    Stance,
    Status,
    Verdict,
)
from claims.sentences import context_of
from factcheck import roles

PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(PASSWORD)


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=roles.EDITORS))


def established(user) -> None:
    """A reviewer (or superuser) whose powers are in force: their grant was confirmed by a
    second superuser (claims.policy.reviewer_hold). ``new=True`` on the factories keeps
    them held back, as a newly made account is."""
    RoleGrant.objects.filter(user=user).update(confirmed_at=timezone.now())


class ReviewerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"reviewer{n}")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=roles.REVIEWERS))
            if not kwargs.get("new"):
                established(self)


class AdminFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and not kwargs.get("new"):
            established(self)


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    published_on = factory.Faker("date_between", start_date="-2y", end_date="today")
    language = "en"
    body = factory.Sequence(
        lambda n: (
            f"Article {n}. Putin congratulated Trump via intermediaries, a source said.\n"
            "The Kremlin denied it on Thursday."
        )
    )
    source_filename = factory.Sequence(lambda n: f"article-{n}.txt")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    statement = factory.Sequence(lambda n: f"Claim number {n} is made")


class AnnotationFactory(factory.django.DjangoModelFactory):
    """An annotation of ``quote`` (default: the article's first word) in the article's body."""

    class Meta:
        model = Annotation
        exclude = ["quote"]

    article = factory.SubFactory(ArticleFactory)
    claim = factory.SubFactory(ClaimFactory)
    stance = Stance.ASSERTS
    author = factory.SubFactory(EditorFactory)
    quote = factory.LazyAttribute(lambda a: a.article.body.split()[0])
    start = factory.LazyAttribute(lambda a: a.article.body.index(a.quote))
    end = factory.LazyAttribute(lambda a: a.start + len(a.quote))
    exact = factory.LazyAttribute(lambda a: a.article.body[a.start : a.end])
    prefix = factory.LazyAttribute(
        lambda a: a.article.body[max(0, a.start - Annotation.CONTEXT_LENGTH) : a.start]
    )
    suffix = factory.LazyAttribute(
        lambda a: a.article.body[a.end : a.end + Annotation.CONTEXT_LENGTH]
    )
    context = factory.LazyAttribute(lambda a: context_of(a.article.body, a.start, a.end))


class VerdictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Verdict

    claim = factory.SubFactory(ClaimFactory)
    rating = Rating.FALSE
    summary = "The Kremlin denied it and no evidence has been published."
    summary_html = "<p>The Kremlin denied it and no evidence has been published.</p>"
    status = Status.DRAFT
    author = factory.SubFactory(EditorFactory)
    last_edited_by = factory.SelfAttribute("author")


class EvidenceLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EvidenceLink

    verdict = factory.SubFactory(VerdictFactory)
    url = factory.Sequence(lambda n: f"https://example.org/evidence/{n}")
    title = factory.Sequence(lambda n: f"Evidence {n}")
    publisher = "Example News"
    position = factory.Sequence(lambda n: n)
