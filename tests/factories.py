import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from communique.accounts.models import User
from communique.accounts.roles import EDITORS, MODERATORS
from communique.comments import services as comment_services
from communique.comments.models import Comment
from communique.publishing import services
from communique.publishing.models import Statement


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("correct horse battery staple")


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=EDITORS))


class StatementFactory(factory.django.DjangoModelFactory):
    """Statements saved through the service, so their body is rendered."""

    class Meta:
        model = Statement

    title = factory.Sequence(lambda n: f"Statement number {n}")
    body_source = "First paragraph of the statement.\n\nSecond paragraph."
    signature = "The Board of the Example Association"
    date = dt.date(2025, 3, 1)
    language = "en"
    status = Statement.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.save_statement(statement=model_class(*args, **kwargs))


class CommentFactory(factory.django.DjangoModelFactory):
    """Published comments, posted through the service so paths are right."""

    class Meta:
        model = Comment

    statement = factory.SubFactory(StatementFactory)
    author_name = factory.Sequence(lambda n: f"Reader {n}")
    body_source = factory.Sequence(lambda n: f"Comment text number {n}.")
    status = Comment.Status.PUBLISHED

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        status = kwargs.pop("status")
        comment = comment_services.post_comment(
            statement=kwargs.pop("statement"),
            parent=kwargs.pop("parent", None),
            draft=comment_services.Draft(
                author_name=kwargs.pop("author_name"),
                body=kwargs.pop("body_source"),
                email=kwargs.pop("email", ""),
            ),
            user=kwargs.pop("user", None),
            fingerprint=kwargs.pop("fingerprint", "test-client"),
            screened=False,
        )
        Comment.objects.filter(pk=comment.pk).update(status=status, **kwargs)
        comment.refresh_from_db()
        return comment


class ModeratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"moderator{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=MODERATORS))
