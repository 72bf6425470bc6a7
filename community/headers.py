"""Response headers every page gets besides Django's own: the Content-Security-Policy of the area a
path belongs to (SECURE_CSP for our pages, a looser one for Wagtail's and Django's admin and the
API docs, which are not ours to rewrite), a Permissions-Policy, and `Cache-Control: private` on
files that only some readers may open, so that no shared cache hands them to the next reader, and
`no-store` on the account pages."""

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.deprecation import MiddlewareMixin

# Files whose readers are decided per request (content.selectors.check_download_permission).
PER_READER_PATHS = ("/documents/",)
# Account pages: a form sent back after an error may carry the password typed into it
# (members.account_forms), and reset links carry keys: no cache, and no back button, keeps them.
UNSTORED_PATHS = ("/accounts/",)


class SecurityHeadersMiddleware(MiddlewareMixin):
    """Placed after ContentSecurityPolicyMiddleware, so that its policy choice is there when that
    middleware writes the header; a view's own csp_override still wins."""

    def process_response(self, request, response):
        if not hasattr(response, "_csp_config"):
            for prefix, policy in settings.CSP_BY_PATH_PREFIX.items():
                if request.path.startswith(prefix):
                    response._csp_config = policy
                    break
        if request.path.startswith(PER_READER_PATHS):
            patch_cache_control(response, private=True)
        if request.path.startswith(UNSTORED_PATHS):
            patch_cache_control(response, no_store=True, private=True)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
