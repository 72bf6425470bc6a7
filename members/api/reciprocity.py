"""The reciprocity API: Pay it back (what you owe, thanking, dismissing), endorsing a member's
skill, and a member's private reciprocity figures. The same services as the pages
(members.services.reciprocity)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..my_reciprocity import reciprocity_summary
from ..models import Endorsement, Give, Skill


# A member as the other side of a give, and of the relations and follows (members.api.relations, .follows).
class GiverSerializer(serializers.Serializer):
    handle = serializers.CharField(source="username")
    name = serializers.CharField()


class GiveSerializer(serializers.ModelSerializer):
    giver = GiverSerializer()
    late = serializers.BooleanField(source="is_late")

    class Meta:
        model = Give
        fields = ["id", "giver", "kind", "verb", "created", "late", "acknowledgement"]


class ThankSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=1000, allow_blank=True)
    send_anyway = serializers.BooleanField(default=False, help_text="Send a formula thank-you after the prompt.")


class EndorseSerializer(serializers.Serializer):
    member = serializers.CharField(help_text="The endorsee's handle")
    skill = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())


class EndorsementSerializer(serializers.ModelSerializer):
    endorser = serializers.CharField(source="endorser.username")
    endorsee = serializers.CharField(source="endorsee.username")
    skill = serializers.CharField(source="skill.slug")

    class Meta:
        model = Endorsement
        fields = ["id", "endorser", "endorsee", "skill", "created"]


class OwedList(generics.ListAPIView):
    """Pay it back: gives you received and have not acknowledged, oldest first."""

    serializer_class = GiveSerializer

    def get_queryset(self):
        return selectors.owed_to(self.request.user)


class Thank(APIView):
    """Thank the giver with a personal message. A formula ("great post!") is refused with a prompt
    unless `send_anyway` is set."""

    @extend_schema(request=ThankSerializer, responses=GiveSerializer)
    def post(self, request, give_id: int):
        incoming = ThankSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        give = services.thank(
            member=request.user,
            give_id=give_id,
            message=incoming.validated_data["message"],
            allow_formula=incoming.validated_data["send_anyway"],
        )
        return Response(GiveSerializer(give).data)


class Dismiss(APIView):
    """Take a give off Pay it back without thanking. Nobody is told."""

    @extend_schema(request=None, responses=GiveSerializer)
    def post(self, request, give_id: int):
        give = services.dismiss(member=request.user, give_id=give_id)
        return Response(GiveSerializer(give).data)


class Endorse(APIView):
    """Endorse a member for one of the skills they list."""

    @extend_schema(request=EndorseSerializer, responses={201: EndorsementSerializer})
    def post(self, request):
        incoming = EndorseSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        endorsee = selectors.profile(incoming.validated_data["member"])
        endorsement = services.endorse(endorser=request.user, endorsee=endorsee, skill=incoming.validated_data["skill"])
        return Response(EndorsementSerializer(endorsement).data, status=status.HTTP_201_CREATED)


class BalanceSerializer(serializers.Serializer):
    person = GiverSerializer()
    given = serializers.FloatField()
    received = serializers.FloatField()


class KindCountSerializer(serializers.Serializer):
    kind = serializers.CharField()
    given = serializers.IntegerField()
    received = serializers.IntegerField()


class FollowSummarySerializer(serializers.Serializer):
    followers = serializers.IntegerField()
    weighted_followers = serializers.FloatField(help_text="Follow-for-follow counts half")
    following = serializers.IntegerField()
    follow_for_follow = serializers.IntegerField(
        help_text="Your follows that were a follow back within minutes, or answered by one"
    )
    unfollow_churn = serializers.IntegerField(
        help_text="Your unfollows within a week of following someone who did not follow back"
    )


class ReciprocitySummarySerializer(serializers.Serializer):
    received_total = serializers.IntegerField()
    acknowledged_within_12_hours = serializers.FloatField(allow_null=True, help_text="Per cent of gives received")
    acknowledged_within_7_days = serializers.FloatField(allow_null=True, help_text="Per cent of gives received")
    median_hours_to_thank = serializers.FloatField(allow_null=True)
    by_kind = serializers.SerializerMethodField()
    balances = BalanceSerializer(many=True)
    not_helped_back = BalanceSerializer(many=True)
    follows = FollowSummarySerializer()

    @extend_schema_field(KindCountSerializer(many=True))
    def get_by_kind(self, summary) -> list[dict]:
        return [{"kind": kind, "given": given, "received": received} for kind, given, received in summary.by_kind]


class MemberReciprocity(APIView):
    """A member's private reciprocity figures: their own, or any member's for community managers."""

    @extend_schema(responses=ReciprocitySummarySerializer)
    def get(self, request, handle: str):
        member = selectors.profile(handle)
        selectors.check_view_activity_permission(request.user, member)
        return Response(ReciprocitySummarySerializer(reciprocity_summary(member)).data)
