"""Fuzz every JSON endpoint described in docs/openapi.yaml with schemathesis against a live server:
whatever a client sends, Byline answers with a 2xx, 3xx or 4xx, never a 5xx.

Requests carry a signed-in, verified reader's session and CSRF token, so the fuzzing reaches the services
behind the forms rather than stopping at the CSRF check. Examples are bounded per operation.
"""

import copy
import os
from collections import Counter
from pathlib import Path

import pytest
import requests
import yaml
from django.test import Client

from tests.comments.factories import CommentFactory
from tests.factories import ArticleFactory, UserFactory
from tests.security.conftest import WEBHOOK_SECRET

pytestmark = [pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
EXAMPLES_PER_OPERATION = 40


def json_endpoints_in_code() -> set[str]:
    """Views that answer JSON, found in the code; each must be described in docs/openapi.yaml."""
    root = OPENAPI.parents[1] / "byline"
    return {
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if any(marker in path.read_text(encoding="utf-8") for marker in ("JsonResponse(", "application/json"))
    }


def test_every_module_answering_json_is_covered_by_the_openapi_document():
    documented_modules = {
        "comments/views.py",
        "funding/views.py",
        "accounts/views.py",
        "core/error_middleware.py",  # answers BylineErrors in the JSON shape of the Failure schema
    }
    assert json_endpoints_in_code() <= documented_modules, (
        "A module now answers JSON: describe its endpoints in docs/openapi.yaml and list it here."
    )


def with_examples(document: dict, *, article_id: int, comment_ids: dict[str, int]) -> dict:
    """The document with real ids as examples, so the explicit phase hits live objects."""
    document = copy.deepcopy(document)
    document["components"]["parameters"]["ArticleId"]["example"] = article_id
    for path, item in document["paths"].items():
        for operation in item.values():
            # The real session cookie comes with the requests session; generated ones would replace it.
            operation.pop("security", None)
            for name, comment_id in comment_ids.items():
                if path.endswith(f"/{name}/"):
                    operation["parameters"] = [
                        {**parameter_ref(document, p), "example": comment_id}
                        if parameter_ref(document, p)["name"] == "comment_id"
                        else p
                        for p in operation.get("parameters", [])
                    ]
    return document


def parameter_ref(document: dict, parameter: dict) -> dict:
    if "$ref" in parameter:
        return copy.deepcopy(document["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]])
    return parameter


@pytest.fixture
def signed_in(live_server, settings):
    settings.BYLINE_COMMENT_RATE_PER_MINUTE = 0
    settings.BYLINE_COMMENT_RATE_PER_DAY = 0
    settings.BYLINE_COMMENT_POLICY = "byline.comments.policy.approve_all"
    settings.BYLINE_STRIPE_SECRET_KEY = "sk_test_security"
    settings.BYLINE_STRIPE_PUBLISHABLE_KEY = "pk_test_security"
    settings.BYLINE_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    reader = UserFactory(display_name="Fuzzy Reader")
    article = ArticleFactory(headline="Fuzzing ground")
    own = CommentFactory(article=article, author=reader)
    other = CommentFactory(article=article)
    django_client = Client()
    django_client.force_login(reader)
    session = requests.Session()
    session.cookies.set("sessionid", django_client.cookies["sessionid"].value)
    session.get(live_server.url + "/accounts/login/", timeout=10)
    ids = {"edit": own.pk, "delete": own.pk, "like": other.pk, "report": other.pk}
    return session, article, ids


def test_no_json_endpoint_answers_with_a_server_error(live_server, signed_in):
    import hypothesis
    import schemathesis
    from hypothesis import HealthCheck, Phase

    session, article, ids = signed_in
    document = yaml.safe_load(OPENAPI.read_text(encoding="utf-8"))
    schema = schemathesis.openapi.from_dict(with_examples(document, article_id=article.pk, comment_ids=ids))
    headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": live_server.url + "/"}
    failures: list[str] = []
    exercised = 0
    answers: Counter = Counter()

    for result in schema.get_all_operations():
        operation = result.ok()

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            nonlocal exercised
            exercised += 1
            response = case.call(base_url=live_server.url, session=session, headers=headers, timeout=20)
            answers[(case.path, response.status_code // 100)] += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        fuzz()

    assert exercised >= 8 * 10
    # The session and CSRF token work: the fuzzing reached the services, not just the front door.
    assert answers[("/comments/post/{article_id}/", 2)] > 0, answers
    assert answers[("/accounts/settings/export/", 2)] > 0, answers
    assert failures == [], failures[:10]
