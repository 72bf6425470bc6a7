"""The profiles API: the member directory, a member's profile, your own (read and change it), a
member's role, and the skill taxonomy (list, propose, approve, rename, merge). The same services as
the pages (members.services.profiles)."""

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from community.roles import ROLE_CHOICES

from .. import selectors, services
from ..models import Member, Skill


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name", "status"]


class MemberSummarySerializer(serializers.ModelSerializer):
    handle = serializers.CharField(source="username")
    name = serializers.CharField()
    role = serializers.SerializerMethodField()
    skills = SkillSerializer(many=True)
    url = serializers.SerializerMethodField()
    avatar = serializers.ImageField(allow_null=True)

    class Meta:
        model = Member
        fields = [
            "handle",
            "name",
            "headline",
            "organisation",
            "job_title",
            "location",
            "role",
            "skills",
            "avatar",
            "url",
        ]

    def get_role(self, member: Member) -> str:
        return selectors.role_of(member).value

    def get_url(self, member: Member) -> str:
        return member.get_absolute_url()


class FollowFiguresSerializer(serializers.Serializer):
    followers = serializers.IntegerField()
    following = serializers.IntegerField()
    you_follow = serializers.BooleanField(source="viewer_follows")
    follows_you = serializers.BooleanField(source="follows_viewer")


class RecommendationCountsSerializer(serializers.Serializer):
    given = serializers.IntegerField()
    received = serializers.IntegerField(help_text="Whatever their status: waiting, approved or declined")


class MemberDetailSerializer(MemberSummarySerializer):
    interests = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    links = serializers.SerializerMethodField()
    joined = serializers.DateTimeField(source="date_joined")
    follows = serializers.SerializerMethodField()
    recommendations = serializers.SerializerMethodField(
        help_text="Recommendations given and received: for community managers and administrators; null for others."
    )

    class Meta(MemberSummarySerializer.Meta):
        fields = [
            *MemberSummarySerializer.Meta.fields,
            "bio",
            "interests",
            "links",
            "joined",
            "follows",
            "recommendations",
        ]

    def get_links(self, member: Member) -> dict[str, str]:
        return dict(member.links)

    @extend_schema_field(FollowFiguresSerializer)
    def get_follows(self, member: Member) -> dict:
        figures = selectors.follow_figures(member, viewer=self.context["request"].user)
        return FollowFiguresSerializer(figures).data

    @extend_schema_field(RecommendationCountsSerializer(allow_null=True))
    def get_recommendations(self, member: Member) -> dict | None:
        if not selectors.can_view_activity(self.context["request"].user):
            return None
        return RecommendationCountsSerializer(selectors.recommendation_counts(member)).data


class MeSerializer(MemberDetailSerializer):
    email = serializers.EmailField(read_only=True)

    class Meta(MemberDetailSerializer.Meta):
        fields = [*MemberDetailSerializer.Meta.fields, "email"]


class ProfileInputSerializer(serializers.ModelSerializer):
    """What `PATCH /api/v1/me/` accepts; every field is optional."""

    skills = serializers.SlugRelatedField(many=True, slug_field="slug", queryset=Skill.objects.all(), required=False)
    interests = serializers.ListField(child=serializers.CharField(max_length=60), max_length=20, required=False)
    avatar = serializers.FileField(required=False, help_text="JPEG, PNG, WebP or GIF up to 2 MB (multipart).")
    remove_avatar = serializers.BooleanField(required=False, default=False)

    class Meta:
        model = Member
        fields = [*services.PROFILE_FIELDS, "skills", "interests", "avatar", "remove_avatar"]
        extra_kwargs = {field: {"required": False} for field in services.PROFILE_FIELDS}


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Full-text search over name, headline, organisation, bio and skills"),
        OpenApiParameter("skill", str, description="Skill slug"),
        OpenApiParameter("organisation", str),
        OpenApiParameter("location", str),
        OpenApiParameter("role", str, enum=[value for value, _ in ROLE_CHOICES]),
        OpenApiParameter("sort", str, enum=["name", "newest", "relevance"]),
    ]
)
class MemberList(generics.ListAPIView):
    """The member directory: search and filter active members."""

    serializer_class = MemberSummarySerializer

    def get_queryset(self):
        params = self.request.query_params
        query = params.get("q", "")[:200]
        return selectors.directory(
            selectors.DirectoryFilters(
                query=query,
                skill=params.get("skill", ""),
                organisation=params.get("organisation", ""),
                location=params.get("location", ""),
                role=params.get("role", ""),
                sort=params.get("sort") or ("relevance" if query else "name"),
            )
        )


class MemberDetail(generics.RetrieveAPIView):
    """One member's public profile."""

    serializer_class = MemberDetailSerializer

    def get_object(self):
        return selectors.profile(self.kwargs["handle"])


class Me(APIView):
    """The signed-in member's own profile: read it, or change any part of it."""

    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(selectors.profile(request.user.username), context={"request": request}).data)

    @extend_schema(request=ProfileInputSerializer, responses=MeSerializer)
    def patch(self, request):
        member = request.user
        incoming = ProfileInputSerializer(member, data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        with transaction.atomic():
            services.edit_profile(
                member=member,
                fields={field: data[field] for field in services.PROFILE_FIELDS if field in data},
                skills=data.get("skills"),
                interests=data.get("interests"),
                avatar=data.get("avatar"),
                remove_avatar_file=data.get("remove_avatar", False),
            )
        return Response(MeSerializer(selectors.profile(member.username), context={"request": request}).data)


class RoleInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class MemberRole(APIView):
    """Change a member's role (community managers and administrators)."""

    @extend_schema(request=RoleInputSerializer, responses=MemberDetailSerializer)
    def put(self, request, handle: str):
        member = selectors.profile(handle)
        incoming = RoleInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.set_role(actor=request.user, member=member, role=incoming.validated_data["role"])
        return Response(MemberDetailSerializer(selectors.profile(handle), context={"request": request}).data)


class SkillProposalSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class SkillList(generics.ListAPIView):
    """The skill taxonomy (approved skills). POST proposes a new one."""

    serializer_class = SkillSerializer
    pagination_class = None

    def get_queryset(self):
        return selectors.approved_skills()

    @extend_schema(request=SkillProposalSerializer, responses={201: SkillSerializer, 200: SkillSerializer})
    def post(self, request):
        incoming = SkillProposalSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        existed = Skill.objects.filter(name__iexact=incoming.validated_data["name"].strip()).exists()
        skill = services.propose_skill(member=request.user, name=incoming.validated_data["name"])
        return Response(SkillSerializer(skill).data, status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class SkillRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)


class SkillMergeSerializer(serializers.Serializer):
    into = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())


class SkillApprove(APIView):
    """Accept a proposed skill into the taxonomy (community managers)."""

    @extend_schema(request=None, responses=SkillSerializer)
    def post(self, request, slug: str):
        skill = services.approve_skill(actor=request.user, skill=generics.get_object_or_404(Skill, slug=slug))
        return Response(SkillSerializer(skill).data)


class SkillRename(APIView):
    """Rename a skill (community managers)."""

    @extend_schema(request=SkillRenameSerializer, responses=SkillSerializer)
    def post(self, request, slug: str):
        skill = generics.get_object_or_404(Skill, slug=slug)
        incoming = SkillRenameSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        skill = services.rename_skill(actor=request.user, skill=skill, name=incoming.validated_data["name"])
        return Response(SkillSerializer(skill).data)


class SkillMerge(APIView):
    """Fold this skill into another; its members keep it under the other's name (community managers)."""

    @extend_schema(request=SkillMergeSerializer, responses=SkillSerializer)
    def post(self, request, slug: str):
        skill = generics.get_object_or_404(Skill, slug=slug)
        incoming = SkillMergeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        target = services.merge_skills(actor=request.user, source=skill, target=incoming.validated_data["into"])
        return Response(SkillSerializer(target).data)
