"""Factories shared by all tests. Apps add their own in tests/<app>/factories.py."""

import factory
from django.contrib.auth.models import Group

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.cn")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    phone_verified = True
    name = factory.Faker("name", locale="zh_CN")
    password = factory.django.Password("Secret#2026")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
