"""The plans API: plans with their objectives' live progress, check-ins, outreach lists and
sending outreach. The same permissions as the pages: managers and administrators write;
moderators and sponsors read; members are refused."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from members.models import Member

from . import outreach, selectors, services
from .models import Plan


class CanViewPlans(BasePermission):
    def has_permission(self, request, view) -> bool:
        selectors.check_view_plans_permission(request.user)  # PermissionDenied → 403 with its message
        return True


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField(help_text="The plan's 90th day.")
    status = serializers.ChoiceField(choices=Plan.Status.choices)
    owner = serializers.CharField(source="owner.username")
    previous = serializers.IntegerField(source="previous_id", allow_null=True)


class ObjectiveSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="objective.pk")
    programme = serializers.CharField(source="objective.programme.name")
    metric = serializers.CharField(source="objective.metric", help_text="Catalogue key, beta:…, or empty (manual).")
    name = serializers.CharField()
    unit = serializers.CharField()
    target = serializers.FloatField(source="objective.target")
    baseline = serializers.FloatField(source="objective.baseline", allow_null=True)
    actual = serializers.FloatField(source="progress.actual", allow_null=True)
    projected = serializers.FloatField(source="progress.projected", allow_null=True)
    share = serializers.FloatField(source="progress.share", allow_null=True, help_text="Of the way to the target, 0–1.")
    status = serializers.ChoiceField(source="progress.status", choices=selectors.OBJECTIVE_STATUSES)
    projection = serializers.ChoiceField(source="progress.mode", choices=list(selectors.PROJECTION_WORDS))
    owner = serializers.CharField(source="objective.owner.username")
    due = serializers.DateField(source="objective.due")


class ConversionSerializer(serializers.Serializer):
    list = serializers.CharField(source="key")
    title = serializers.CharField()
    contacts = serializers.IntegerField()
    came_back = serializers.IntegerField()
    waiting = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True)


class CheckInSerializer(serializers.Serializer):
    author = serializers.CharField(source="author.username", read_only=True)
    created = serializers.DateTimeField(read_only=True)
    text = serializers.CharField(max_length=3000)


class PlanDetailSerializer(PlanSerializer):
    day = serializers.IntegerField(help_text="Days elapsed, 1–90.")
    lessons = serializers.CharField()
    objectives = ObjectiveSerializer(many=True)
    conversions = ConversionSerializer(many=True)
    check_ins = CheckInSerializer(many=True)


class OutreachRowSerializer(serializers.Serializer):
    member = serializers.CharField(source="member.username")
    name = serializers.CharField(source="member.name")
    detail = serializers.CharField()
    url = serializers.CharField()


class OutreachPageSerializer(serializers.Serializer):
    list = serializers.CharField()
    sentence = serializers.CharField()
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = OutreachRowSerializer(many=True)


class SendSerializer(serializers.Serializer):
    members = serializers.ListField(child=serializers.CharField(), help_text="Handles of the members to write to.",
                                    max_length=services.MAX_RECIPIENTS)
    message = serializers.CharField(max_length=services.OUTREACH_MAX)
    insist = serializers.BooleanField(default=False, help_text="Send a text that could go to anyone anyway.")


class SentSerializer(serializers.Serializer):
    sent = serializers.IntegerField()


class PlanList(APIView):
    permission_classes = [CanViewPlans]

    @extend_schema(responses=PlanSerializer(many=True), summary="Every 90-day plan, newest first")
    def get(self, request):
        return Response(PlanSerializer(selectors.plans_for_list(), many=True).data)


def _detail(plan: Plan) -> dict:
    page = selectors.plan_page(plan, charts=False)
    return {
        "pk": plan.pk, "title": plan.title, "start": plan.start, "end": plan.end, "status": plan.status,
        "owner": plan.owner, "previous_id": plan.previous_id, "day": page.day, "lessons": plan.lessons,
        "objectives": [row for _p, rows, _i in page.programmes for row in rows],
        "conversions": page.conversions, "check_ins": page.check_ins,
    }


class PlanDetail(APIView):
    permission_classes = [CanViewPlans]

    @extend_schema(responses=PlanDetailSerializer, summary="A plan: objectives with live actuals, conversion, check-ins")
    def get(self, request, plan_id: int):
        return Response(PlanDetailSerializer(_detail(selectors.access_plan(plan_id))).data)


class CheckIns(APIView):
    permission_classes = [CanViewPlans]

    @extend_schema(request=CheckInSerializer, responses={201: CheckInSerializer}, summary="Record a weekly check-in")
    def post(self, request, plan_id: int):
        plan = get_object_or_404(Plan, pk=plan_id)
        selectors.check_check_in_permission(request.user, plan)  # before the body is read
        data = CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        check_in = services.record_check_in(actor=request.user, plan=plan, text=data.validated_data["text"])
        return Response(CheckInSerializer(check_in).data, status=201)


class OutreachListView(APIView):
    permission_classes = [CanViewPlans]

    @extend_schema(parameters=[OpenApiParameter("page", int)], responses=OutreachPageSerializer,
                   summary="A page of an outreach list")
    def get(self, request, plan_id: int, key: str):
        plan = selectors.access_plan(plan_id)
        chosen = outreach.access_list(key)
        try:
            number = max(1, min(int(request.query_params.get("page") or 1), 10_000))
        except ValueError:
            number = 1
        rows = chosen.rows(plan, now=timezone.now(), offset=(number - 1) * outreach.PAGE_SIZE,
                           limit=outreach.PAGE_SIZE + 1)
        return Response(OutreachPageSerializer({
            "list": chosen.key, "sentence": chosen.sentence, "page": number,
            "has_next": len(rows) > outreach.PAGE_SIZE, "results": rows[:outreach.PAGE_SIZE],
        }).data)

    @extend_schema(request=SendSerializer, responses={201: SentSerializer},
                   summary="Send a personal message to members of the list")
    def post(self, request, plan_id: int, key: str):
        selectors.check_edit_plans_permission(request.user)  # readers are refused before the body is read
        plan = get_object_or_404(Plan, pk=plan_id)
        outreach.access_list(key)
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members = list(Member.objects.filter(username__in=data.validated_data["members"], is_active=True))
        contacts = services.send_outreach(actor=request.user, plan=plan, list_key=key, members=members,
                                          message=data.validated_data["message"],
                                          allow_formula=data.validated_data["insist"])
        return Response({"sent": len(contacts)}, status=201)
