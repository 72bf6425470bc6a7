"""Response headers every page gets besides Django's own: the Content-Security-Policy of the area a
path belongs to (SECURE_CSP for our pages, a looser one for Wagtail's and Django's admin and the
API docs, which are not ours to rewrite), and a Permissions-Policy."""

from django.conf import settings
from django.utils.deprecation import MiddlewareMixin


class SecurityHeadersMiddleware(MiddlewareMixin):
    """Placed after ContentSecurityPolicyMiddleware, so that its policy choice is there when that
    middleware writes the header; a view's own csp_override still wins."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config"):
            for prefix, policy in settings.CSP_BY_PATH_PREFIX.items():
                if request.path.startswith(prefix):
                    response._csp_config = policy
                    break
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
