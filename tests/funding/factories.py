import itertools

import factory
from django.utils import timezone

from byline.funding.models import Contribution, Kind, Refund, Subscription, SupportPage

_n = itertools.count(1)


class SupportPageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportPage

    journalist = None
    pitch_source = "Pays for *court reporting* and records requests."
    monthly_goal = 200000


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    stripe_subscription = factory.Sequence(lambda n: f"sub_f_{n}")
    stripe_customer = factory.Sequence(lambda n: f"cus_f_{n}")
    amount = 1000
    currency = "CAD"
    status = Subscription.Status.ACTIVE


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    kind = Kind.ONE_OFF
    amount = 2500
    currency = "CAD"
    paid_at = factory.LazyFunction(timezone.now)
    stripe_payment_intent = factory.LazyFunction(lambda: f"pi_f_{next(_n)}")
    supporter_email = factory.Sequence(lambda n: f"giver{n}@example.org")
    supporter_name = factory.Sequence(lambda n: f"Giver {n}")
    source_event = factory.Sequence(lambda n: f"evt_f_{n}")


class RefundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Refund

    stripe_charge = factory.Sequence(lambda n: f"ch_f_{n}")
    amount = 500
    currency = "CAD"
    refunded_at = factory.LazyFunction(timezone.now)
