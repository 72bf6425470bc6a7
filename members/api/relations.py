"""The API of what members ask of and write for each other: recommendations, connection requests
and introductions, their answers, and the requests waiting for yours. The same services as the
pages (members.services.relations)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..models import Connection, Introduction, Recommendation
from .reciprocity import GiverSerializer


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
