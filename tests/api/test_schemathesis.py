"""Schemathesis against a live server: for a few generated requests per operation, valid and
invalid, signed in as a member with a token, the API never answers 5xx and answers only the status
codes its schema declares. Bounded (EXAMPLES per operation and mode) so that it stays near a minute."""

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.factories import MemberFactory, SkillFactory, make_group, make_thread

EXAMPLES = 3
CHECKS = [not_a_server_error, status_code_conformance]


@pytest.fixture
def token(transactional_db, settings):
    """A member who is not new (no tighter rate), in a group with a thread, with a token."""
    settings.NEW_MEMBER_DAYS = 0
    member = MemberFactory(handle="sam", skills=[SkillFactory(name="Facilitation")])
    make_thread(group=make_group(members=[member]), author=member, kind="question")
    return Token.objects.create(user=member).key


def test_the_api_answers_only_what_its_schema_declares_and_never_a_5xx(live_server, token):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/?format=json")
    headers = {"Authorization": f"Token {token}"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis.settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                derandomize=True,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def check(case):
                response = case.call(base_url=live_server.url, headers=headers)
                case.validate_response(response, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # an operation whose every input is valid
            except (Exception, BaseExceptionGroup) as failure:  # every operation is tried; each failure is named
                failures.append(f"{operation.label} ({mode}): {str(failure)[:600]}")
    assert operations > 40
    assert not failures, "\n\n".join(failures)
