"""The API for a member's data and for leaving: request an archive and read its status (with the
signed download link once ready), deactivate or delete the account with the password. The same
services as the account page (members.services.leaving)."""

from datetime import datetime

from django.contrib.auth import logout
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import exports, services
from ..models import DataExport


class DataExportSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField(help_text="A signed link, for you only, while it lives; null until ready.")
    expires_at = serializers.SerializerMethodField()

    class Meta:
        model = DataExport
        fields = ["id", "scope", "status", "created", "finished_at", "size", "download_url", "expires_at"]

    def get_download_url(self, export: DataExport) -> str | None:
        if export.status != DataExport.Status.READY:
            return None
        return self.context["request"].build_absolute_uri(exports.download_path(export))

    def get_expires_at(self, export: DataExport) -> datetime | None:
        return exports.link_expires_at(export) if export.status == DataExport.Status.READY else None


class MyDataExport(APIView):
    """Your data archive ("Download my data"): GET its status, POST to prepare a new one (mailed
    when ready)."""

    @extend_schema(
        responses={200: DataExportSerializer, 404: OpenApiResponse(description="You have not asked for one.")}
    )
    def get(self, request):
        export = DataExport.objects.filter(requested_by=request.user, scope=DataExport.Scope.MEMBER).first()
        if export is None:
            return Response({"detail": "You have not asked for an archive yet."}, status=status.HTTP_404_NOT_FOUND)
        return Response(DataExportSerializer(export, context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={202: DataExportSerializer, 409: OpenApiResponse(description="One is already being prepared.")},
    )
    def post(self, request):
        export = services.request_data_export(member=request.user)
        export.refresh_from_db()  # the immediate task backend may have built it already
        return Response(DataExportSerializer(export, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


_LEAVING_RESPONSES = {
    204: OpenApiResponse(description="Done; your tokens and sessions no longer work."),
    400: OpenApiResponse(description="No password given."),
    403: OpenApiResponse(description="The password is wrong."),
    409: OpenApiResponse(description="Already done (or the last administrator)."),
}


class Deactivate(APIView):
    """Deactivate your account (reversible: sign in on the website to come back)."""

    @extend_schema(request=PasswordSerializer, responses=_LEAVING_RESPONSES)
    def post(self, request):
        incoming = PasswordSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.deactivate_member(actor=request.user, member=request.user, password=incoming.validated_data["password"])
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeleteAccount(APIView):
    """Delete your account for good: personal data erased, your posts kept as "Former member"."""

    @extend_schema(request=PasswordSerializer, responses=_LEAVING_RESPONSES)
    def post(self, request):
        incoming = PasswordSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        services.delete_member(actor=request.user, member=request.user, password=incoming.validated_data["password"])
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)
