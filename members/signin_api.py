"""POST /api/v1/auth/token/: a token for a handle (or e-mail address) and password, under the same
rules as /accounts/login/ (members.signin) and a throttle of its own."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from .signin import authenticate_elsewhere
from .throttles import SignInRateThrottle


class ObtainToken(ObtainAuthToken):
    throttle_classes = [SignInRateThrottle]

    @extend_schema(
        responses={
            200: inline_serializer("Token", {"token": serializers.CharField()}),
            400: OpenApiResponse(description="Missing fields, or no account with that login and password."),
            403: OpenApiResponse(description="The account is inactive or its e-mail address is not verified."),
            429: OpenApiResponse(description="Too many sign-in attempts from this address or for this account."),
        }
    )
    def post(self, request, *args, **kwargs):
        username = request.data.get("username")
        password = request.data.get("password")
        if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
            raise exceptions.ValidationError({"non_field_errors": ['Must include "username" and "password".']})
        # A refusal (SignInRefused: 400, 403 or 429) answers through the one API error handler.
        member = authenticate_elsewhere(request._request, login=username, password=password)
        token, _ = Token.objects.get_or_create(user=member)
        return Response({"token": token.key})


obtain_token = ObtainToken.as_view()
