"""POST /api/v1/auth/token/: a token for a handle (or e-mail address) and password, under the same
rules as /accounts/login/ (members.signin) and a throttle of its own."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from ..signin import authenticate_elsewhere
from ..throttles import SignInRateThrottle


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Your handle or e-mail address.")
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    code = serializers.CharField(
        max_length=64,
        required=False,
        default="",
        help_text="With two-factor sign-in: the code from your authenticator app, or a recovery code.",
    )


class ObtainToken(ObtainAuthToken):
    throttle_classes = [SignInRateThrottle]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Missing fields, no account with that login and password, or a wrong code."),
            401: OpenApiResponse(description="The account uses two-factor sign-in and no `code` was sent."),
            403: OpenApiResponse(
                description="The account is inactive, its e-mail address is not verified, or its role requires "
                "two-factor sign-in and it has not enrolled."
            ),
            429: OpenApiResponse(description="Too many sign-in attempts from this address or for this account."),
        }
    )
    def post(self, request, *args, **kwargs):
        incoming = TokenRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        # A refusal (SignInRefused: 400, 403 or 429) answers through the one API error handler.
        data = incoming.validated_data
        member = authenticate_elsewhere(
            request._request, login=data["username"], password=data["password"], code=data["code"]
        )
        token, _ = Token.objects.get_or_create(user=member)
        return Response({"token": token.key})


obtain_token = ObtainToken.as_view()
