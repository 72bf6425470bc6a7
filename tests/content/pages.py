"""Publishing as an editor does, and what it credits, for the content tests."""

from members.models import Give


def publish(page, user):
    page.save_revision(user=user).publish(user=user)
    page.refresh_from_db()


def credits_for(member):
    return Give.objects.filter(kind=Give.Kind.CREDIT, receiver=member)
