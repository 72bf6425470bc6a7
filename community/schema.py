def only_public_api(endpoints):
    """Keep Mutua's own API in the schema; Wagtail's admin API is not a product surface."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
