"""The reciprocity API: Pay it back, thanks, endorsements and notifications."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .my_reciprocity import reciprocity_summary
from .models import Connection, Endorsement, Follow, Give, Introduction, Notification, Recommendation, Skill


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


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "url", "created", "read_at"]


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


class NotificationList(generics.ListAPIView):
    """Your notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.notifications_for(self.request.user)

    def paginate_queryset(self, queryset):
        # As on the page: a give's notification names its object and links to it.
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.describe_notifications(page)


class NotificationsRead(APIView):
    """Mark all your notifications as read."""

    @extend_schema(request=None, responses={200: {"type": "object", "properties": {"marked": {"type": "integer"}}}})
    def post(self, request):
        return Response({"marked": services.mark_notifications_read(member=request.user)})


class RecommendInputSerializer(serializers.Serializer):
    member = serializers.CharField(help_text="The recipient's handle")
    text = serializers.CharField(max_length=2000)


class ConnectInputSerializer(serializers.Serializer):
    member = serializers.CharField(help_text="The handle of the member to connect with")
    note = serializers.CharField(max_length=500, allow_blank=True)
    send_anyway = serializers.BooleanField(default=False, help_text="Send a standard note after the prompt.")


class RecommendationSerializer(serializers.ModelSerializer):
    author = GiverSerializer()
    recipient = GiverSerializer()

    class Meta:
        model = Recommendation
        fields = ["id", "author", "recipient", "text", "status", "created"]


class ConnectionSerializer(serializers.ModelSerializer):
    requester = GiverSerializer()
    addressee = GiverSerializer()

    class Meta:
        model = Connection
        fields = ["id", "requester", "addressee", "note", "status", "created"]


class Recommend(APIView):
    """Write a recommendation; it shows on the recipient's profile once they approve it."""

    @extend_schema(request=RecommendInputSerializer, responses={201: RecommendationSerializer})
    def post(self, request):
        incoming = RecommendInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        recipient = selectors.profile(incoming.validated_data["member"])
        recommendation = services.recommend(
            author=request.user, recipient=recipient, text=incoming.validated_data["text"]
        )
        return Response(RecommendationSerializer(recommendation).data, status=status.HTTP_201_CREATED)


class AnswerRecommendation(APIView):
    """Approve (show on your profile) or decline a recommendation written for you."""

    @extend_schema(request=None, responses=RecommendationSerializer)
    def post(self, request, recommendation_id: int, answer: str):
        recommendation = services.decide_recommendation(
            member=request.user, recommendation_id=recommendation_id, approve=answer == "approve"
        )
        return Response(RecommendationSerializer(recommendation).data)


class Connect(APIView):
    """Ask to connect, with a personal note; the standard text is refused with a prompt unless
    `send_anyway` is set."""

    @extend_schema(request=ConnectInputSerializer, responses={201: ConnectionSerializer})
    def post(self, request):
        incoming = ConnectInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        addressee = selectors.profile(incoming.validated_data["member"])
        connection = services.request_connection(
            requester=request.user,
            addressee=addressee,
            note=incoming.validated_data["note"],
            allow_standard=incoming.validated_data["send_anyway"],
        )
        return Response(ConnectionSerializer(connection).data, status=status.HTTP_201_CREATED)


class AnswerConnection(APIView):
    """Accept or decline a request to connect; declining is never told."""

    @extend_schema(request=None, responses=ConnectionSerializer)
    def post(self, request, connection_id: int, answer: str):
        connection = services.respond_to_connection(
            member=request.user, connection_id=connection_id, accept=answer == "accept"
        )
        return Response(ConnectionSerializer(connection).data)


class IntroductionSerializer(serializers.ModelSerializer):
    introducer = GiverSerializer()
    first = GiverSerializer()
    second = GiverSerializer()

    class Meta:
        model = Introduction
        fields = ["id", "introducer", "first", "second", "note", "first_answer", "second_answer", "outcome", "created"]


class WaitingSerializer(serializers.Serializer):
    connections = ConnectionSerializer(many=True)
    introductions = IntroductionSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)


class Waiting(APIView):
    """Connection requests and recommendations waiting for your answer."""

    @extend_schema(responses=WaitingSerializer)
    def get(self, request):
        return Response(WaitingSerializer(selectors.waiting_requests(request.user)).data)


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


class IntroduceInputSerializer(serializers.Serializer):
    first = serializers.CharField(help_text="A member's handle")
    second = serializers.CharField(help_text="The other member's handle")
    note = serializers.CharField(max_length=1000, allow_blank=True)
    send_anyway = serializers.BooleanField(default=False, help_text="Send a standard note after the prompt.")


class Introduce(APIView):
    """Introduce two members with a personal note; each is credited as a give from you."""

    @extend_schema(request=IntroduceInputSerializer, responses={201: IntroductionSerializer})
    def post(self, request):
        incoming = IntroduceInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        first = selectors.profile(incoming.validated_data["first"])
        second = selectors.profile(incoming.validated_data["second"])
        introduction = services.introduce(
            introducer=request.user,
            first=first,
            second=second,
            note=incoming.validated_data["note"],
            allow_standard=incoming.validated_data["send_anyway"],
        )
        return Response(IntroductionSerializer(introduction).data, status=status.HTTP_201_CREATED)


class AnswerIntroduction(APIView):
    """Accept or decline an introduction made to you; when both accept you are connected."""

    @extend_schema(request=None, responses=IntroductionSerializer)
    def post(self, request, introduction_id: int, answer: str):
        introduction = services.answer_introduction(
            member=request.user, introduction_id=introduction_id, accept=answer == "accept"
        )
        return Response(IntroductionSerializer(introduction).data)


class FollowSerializer(serializers.ModelSerializer):
    follower = GiverSerializer()
    followed = GiverSerializer()

    class Meta:
        model = Follow
        fields = ["id", "follower", "followed", "created", "ended_at"]


class FollowMember(APIView):
    """Follow a member (POST) or stop following them (DELETE). A follow creates no obligation;
    unfollowing tells nobody."""

    @extend_schema(request=None, responses={201: FollowSerializer})
    def post(self, request, handle: str):
        followed = selectors.profile(handle)
        follow = services.follow(follower=request.user, followed=followed)
        return Response(FollowSerializer(follow).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=FollowSerializer)
    def delete(self, request, handle: str):
        followed = selectors.profile(handle)
        follow = services.unfollow(follower=request.user, followed=followed)
        return Response(FollowSerializer(follow).data)
