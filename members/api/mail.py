"""GET/PATCH /api/v1/me/mail-preferences/: when the signed-in member is mailed, per kind."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..mailing import PREFERENCE_FIELDS
from ..models import MailFrequency


class MailPreferencesSerializer(serializers.Serializer):
    def get_fields(self):
        return {
            kind.value: serializers.ChoiceField(choices=MailFrequency.choices, required=False, help_text=str(kind.label))
            for kind in PREFERENCE_FIELDS
        }

    def to_representation(self, member):
        return {kind.value: getattr(member, name) for kind, name in PREFERENCE_FIELDS.items()}


class MailPreferences(APIView):
    """Each kind of e-mail (replies, gives, requests, credits, outreach): immediately, daily,
    weekly or never."""

    @extend_schema(responses=MailPreferencesSerializer)
    def get(self, request):
        return Response(MailPreferencesSerializer(request.user).data)

    @extend_schema(request=MailPreferencesSerializer, responses=MailPreferencesSerializer)
    def patch(self, request):
        incoming = MailPreferencesSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        member = services.set_mail_preferences(member=request.user, preferences=dict(incoming.validated_data))
        return Response(MailPreferencesSerializer(member).data)
